package ai.teamweb.identity

import ai.teamweb.identity.ffi.FfiKey
import ai.teamweb.identity.internal.NativeKey
import ai.teamweb.identity.internal.notNull
import ai.teamweb.identity.internal.uniffi
import ai.teamweb.identity.internal.utf16

/**
 * An AES-256-GCM identity key: makes and opens identity tokens.
 *
 * Make one per secret when your application starts and share it: it is
 * immutable and safe to use from any number of threads at once. Its bytes
 * never appear in [toString] or in any exception.
 *
 * Wiped when freed (by [close], or by a cleaner once the key is
 * unreachable): the key object's 32 bytes and its expanded AES and GHASH
 * keys, and the core's own copies of the secret made while parsing it. Not
 * wiped: the secret text you passed in (a host-language string the SDK does
 * not own), host-language copies of it, and the text of [secretBase64]'s
 * result.
 *
 * ```kotlin
 * val key = IdentityKey.fromBase64(System.getenv("TEAMWEB_IDENTITY_SECRET"))
 * val token = key.encrypt(UserIdentity("user_123", "Alice", "alice@example.com"))
 * ```
 * ```java
 * IdentityKey key = IdentityKey.fromBase64(System.getenv("TEAMWEB_IDENTITY_SECRET"));
 * String token = key.encrypt(new UserIdentity("user_123", "Alice", "alice@example.com"));
 * ```
 *
 * Every token's 12-byte nonce is read from the operating system's CSPRNG at
 * the moment of the call (the `getrandom` crate: `getrandom(2)` on Linux,
 * `getentropy`/`arc4random_buf` on macOS, `ProcessPrng` on Windows).
 * Nothing in user space keeps random state, so a nonce cannot repeat across
 * threads, `fork()`, or a process copied without `fork()` (VM snapshots
 * such as Lambda SnapStart, CRaC, CRIU). At most 2^32 tokens per secret
 * (NIST SP 800-38D 8.3); rotate with [IdentityKeyring] before that.
 */
class IdentityKey private constructor(private val native: NativeKey) : TokenCipher {

    /** Factories; from Java, call them as `IdentityKey.fromBase64(...)` and `IdentityKey.generate()`. */
    companion object {
        /**
         * Reads a secret as the channel's settings page shows it: the base64 of
         * 32 bytes. Surrounding whitespace is ignored; the standard and the
         * URL-safe alphabets are accepted, with or without padding.
         *
         * @throws InvalidSecretException if it is not the base64 of exactly 32
         *   bytes; the message says what was wrong, never what the secret was.
         * @throws NullPointerException if [secret] is `null`.
         */
        @JvmStatic
        @Throws(InvalidSecretException::class)
        fun fromBase64(secret: String): IdentityKey {
            // The secret's code units travel as bytes, wiped once the native key is made.
            val units = utf16(notNull(secret, "secret"))
            try {
                return IdentityKey(NativeKey(uniffi { FfiKey.fromBase64(units) }))
            } finally {
                units.fill(0)
            }
        }

        /** A new random key, from 32 bytes of the operating system's CSPRNG. */
        @JvmStatic
        fun generate(): IdentityKey = IdentityKey(NativeKey(uniffi { FfiKey.generate() }))
    }

    /** For the keyring and the testing API; synthetic, so Java code cannot see it. */
    @get:JvmSynthetic
    internal val nativeKey: NativeKey get() = native

    /**
     * The secret as padded standard base64 (44 characters), the form the
     * settings page uses. Treat the result as the secret it is.
     */
    fun secretBase64(): String = native.secretBase64()

    /** Makes a token with this key and a fresh random nonce; see [TokenCipher.encrypt]. */
    @Throws(InvalidIdentityException::class)
    override fun encrypt(identity: UserIdentity): String = native.encrypt(notNull(identity, "identity"))

    /** Opens a token made with this key; see [TokenCipher.decrypt]. */
    @Throws(MalformedTokenException::class, AuthenticationFailedException::class, InvalidPayloadException::class)
    override fun decrypt(token: String): UserIdentity = native.decrypt(notNull(token, "token"))

    /** Frees the native key now; see [TokenCipher.close]. */
    override fun close() = native.close()

    /** `IdentityKey(<redacted>)`: never the key bytes. */
    override fun toString(): String = "IdentityKey(<redacted>)"
}
