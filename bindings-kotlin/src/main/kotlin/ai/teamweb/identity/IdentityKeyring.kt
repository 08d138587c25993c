package ai.teamweb.identity

import ai.teamweb.identity.ffi.FfiKeyring

/**
 * Several keys, for rotating the secret without breaking tokens in flight.
 *
 * Encrypts with the first key; decrypts with each key in turn, moving on only
 * when a key fails with [AuthenticationFailedException]. Immutable and safe to
 * share between threads; the keyring holds its own copies of the keys, so
 * closing the keys passed in does not affect it.
 *
 * ```kotlin
 * val ring = IdentityKeyring(listOf(IdentityKey.fromBase64(newSecret), IdentityKey.fromBase64(oldSecret)))
 * val identity = ring.decrypt(tokenMadeWithEitherSecret)
 * ```
 *
 * @param keys the keys, the encrypting one first.
 * @throws InvalidSecretException if [keys] is empty.
 */
class IdentityKeyring @Throws(InvalidSecretException::class) constructor(keys: List<IdentityKey>) : TokenCipher {

    private val ffi: FfiKeyring = native { FfiKeyring(keys.map { it.ffi }) }
    private val fast = FastPath(ffi)

    /** The keyring of [keys], the first of which encrypts. */
    @Throws(InvalidSecretException::class)
    constructor(vararg keys: IdentityKey) : this(keys.asList())

    /** How many keys the keyring has. */
    val size: Int get() = native { ffi.size() }

    /** Makes a token with the first key; see [TokenCipher.encrypt]. */
    @Throws(InvalidIdentityException::class)
    override fun encrypt(identity: UserIdentity): String =
        fast.encrypt(identity) ?: native { ffi.encrypt(identity.toFfi()) }

    /** Opens a token with whichever key made it; see [TokenCipher.decrypt]. */
    @Throws(IdentityTokenException::class)
    override fun decrypt(token: String): UserIdentity =
        fast.decrypt(token) ?: native { ffi.decrypt(utf16(token)) }.toUserIdentity()

    /** Frees the keyring's native copies of the keys now; see [TokenCipher.close]. */
    override fun close() = fast.close()

    /** `IdentityKeyring(N keys, <redacted>)`: never the key bytes. */
    override fun toString(): String = "IdentityKeyring($size keys, <redacted>)"
}
