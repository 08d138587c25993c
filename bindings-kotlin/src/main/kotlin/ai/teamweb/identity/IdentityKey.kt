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
 * never appear in [toString] or in any exception, and are zeroized when the
 * key is freed: by [close], or by a cleaner once the key is unreachable.
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
 * Every token gets a fresh random 96-bit nonce. Make at most 2^32 tokens per
 * secret (NIST SP 800-38D, section 8.3); rotate with [IdentityKeyring] long
 * before that.
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
        fun fromBase64(secret: String): IdentityKey =
            IdentityKey(NativeKey(uniffi { FfiKey.fromBase64(utf16(notNull(secret, "secret"))) }))

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
