package ai.teamweb.identity

/**
 * Why a token could not be made or opened.
 *
 * Unchecked, as in most current Java SDKs, so `key::encrypt` works in a
 * stream or a lambda (README.md says why). One subclass per kind; [code] is
 * the stable code string, the same in every TeamWeb identity package (Rust,
 * Python, Node, Kotlin/JVM). Messages come from the core: they explain what
 * was wrong in words a user can act on and never contain a secret, a key or
 * a token.
 *
 * ```kotlin
 * try {
 *     key.decrypt(token)
 * } catch (e: AuthenticationFailedException) {
 *     // made with another key, or changed
 * } catch (e: IdentityTokenException) {
 *     log.warn("refused token: ${e.code}")
 * }
 * ```
 *
 * @property code `invalid_secret`, `invalid_identity`, `malformed_token`,
 *   `authentication_failed` or `invalid_payload`.
 */
sealed class IdentityTokenException(val code: String, message: String) : RuntimeException(message)

/** The secret is not the base64 of exactly 32 bytes (`invalid_secret`). */
class InvalidSecretException(message: String) : IdentityTokenException("invalid_secret", message)

/** The identity breaks one of the identity rules, e.g. an empty id or a lone surrogate (`invalid_identity`). */
class InvalidIdentityException(message: String) : IdentityTokenException("invalid_identity", message)

/** The token is not base64 of at least 28 bytes, or is over 8192 characters (`malformed_token`). */
class MalformedTokenException(message: String) : IdentityTokenException("malformed_token", message)

/** AES-GCM refused the token: another key made it, or a byte was changed (`authentication_failed`). */
class AuthenticationFailedException(message: String) : IdentityTokenException("authentication_failed", message)

/** The token decrypted, but its plaintext is not an identity object (`invalid_payload`). */
class InvalidPayloadException(message: String) : IdentityTokenException("invalid_payload", message)
