package ai.teamweb.identity

import ai.teamweb.identity.ffi.FfiKey
import ai.teamweb.identity.ffi.FfiKeyring
import ai.teamweb.identity.internal.NativeKeyring
import ai.teamweb.identity.internal.notNull
import ai.teamweb.identity.internal.uniffi

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
 * @throws InvalidSecretException if [keys] is empty (`invalid_secret`, as in every package).
 * @throws NullPointerException if [keys] or one of them is `null`.
 * @throws IllegalStateException if one of the keys is closed.
 */
class IdentityKeyring(keys: List<IdentityKey>) : TokenCipher {

    /** How many keys the keyring has. */
    val size: Int

    private val native: NativeKeyring

    init {
        notNull(keys, "keys")
        keys.forEachIndexed { i, key -> notNull(key, "keys[$i]") }
        size = keys.size
        // The keyring copies the keys; each is retained while it is copied, so
        // a key closed meanwhile is never read after it was freed.
        val retained = ArrayList<FfiKey>(size)
        try {
            keys.mapTo(retained) { it.nativeKey.retain() }
            native = NativeKeyring(uniffi { FfiKeyring(retained) })
        } finally {
            retained.forEach { it.close() }
        }
    }

    /** The keyring of [keys], the first of which encrypts; none is [InvalidSecretException]. */
    constructor(vararg keys: IdentityKey) : this(notNull(keys, "keys").asList())

    /** Makes a token with the first key; see [TokenCipher.encrypt]. */
    @Throws(InvalidIdentityException::class)
    override fun encrypt(identity: UserIdentity): String = native.encrypt(notNull(identity, "identity"))

    /** Opens a token with whichever key made it; see [TokenCipher.decrypt]. */
    @Throws(MalformedTokenException::class, AuthenticationFailedException::class, InvalidPayloadException::class)
    override fun decrypt(token: String): UserIdentity = native.decrypt(notNull(token, "token"))

    /** Frees the keyring's native copies of the keys now; see [TokenCipher.close]. */
    override fun close() = native.close()

    /** `IdentityKeyring(N keys, <redacted>)`: never the key bytes. */
    override fun toString(): String = "IdentityKeyring($size keys, <redacted>)"
}
