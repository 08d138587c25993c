package ai.teamweb.identity

/**
 * What makes and opens tokens: an [IdentityKey], or an [IdentityKeyring]
 * during a secret rotation. Depend on this type to accept either.
 */
interface TokenCipher : AutoCloseable {
    /**
     * Makes a token for [identity] with a fresh random nonce.
     *
     * @throws InvalidIdentityException if the identity breaks a rule (see [UserIdentity]).
     * @throws NullPointerException if [identity] is `null`.
     */
    @Throws(InvalidIdentityException::class)
    fun encrypt(identity: UserIdentity): String

    /**
     * Opens a token made by any TeamWeb identity package or by the public
     * page's examples. Surrounding whitespace is ignored; standard and
     * URL-safe base64, padded or not, are accepted.
     *
     * @throws MalformedTokenException if it is not base64 of at least 28 bytes, or is over 8192 characters.
     * @throws AuthenticationFailedException if it was made with another key, or changed.
     * @throws InvalidPayloadException if it decrypts to something that is not an identity.
     * @throws NullPointerException if [token] is `null`.
     */
    @Throws(MalformedTokenException::class, AuthenticationFailedException::class, InvalidPayloadException::class)
    fun decrypt(token: String): UserIdentity

    /**
     * Frees the native key material now (zeroizing it). Optional: it is freed
     * anyway once unreachable. Using the object after closing it throws
     * [IllegalStateException]; closing twice does nothing.
     */
    override fun close()
}
