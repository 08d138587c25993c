@file:JvmName("TeamwebIdentity")

package ai.teamweb.identity

import ai.teamweb.identity.internal.notNull
import ai.teamweb.identity.internal.decryptUserToken as nativeDecryptUserToken
import ai.teamweb.identity.internal.encryptUserToken as nativeEncryptUserToken
import ai.teamweb.identity.internal.widgetScriptTag as nativeWidgetScriptTag

/**
 * Makes a token for [identity] from the secret text in one call.
 *
 * Parsing the secret expands the AES key each time; a server that makes many
 * tokens should keep one [IdentityKey] instead. From Java:
 * `TeamwebIdentity.encryptUserToken(secret, identity)`.
 *
 * @throws InvalidSecretException if [secret] is not the base64 of 32 bytes.
 * @throws InvalidIdentityException if the identity breaks a rule.
 * @throws NullPointerException if an argument is `null`.
 */
@Throws(InvalidSecretException::class, InvalidIdentityException::class)
fun encryptUserToken(secret: String, identity: UserIdentity): String =
    nativeEncryptUserToken(notNull(secret, "secret"), notNull(identity, "identity"))

/**
 * Opens a token with the secret text in one call (see [IdentityKey.decrypt]).
 * From Java: `TeamwebIdentity.decryptUserToken(secret, token)`.
 *
 * @throws InvalidSecretException if [secret] is not the base64 of 32 bytes.
 * @throws MalformedTokenException if the token is not base64 of at least 28 bytes, or too long.
 * @throws AuthenticationFailedException if another key made it or it was changed.
 * @throws InvalidPayloadException if it decrypts to something that is not an identity.
 * @throws NullPointerException if an argument is `null`.
 */
@Throws(
    InvalidSecretException::class,
    MalformedTokenException::class,
    AuthenticationFailedException::class,
    InvalidPayloadException::class,
)
fun decryptUserToken(secret: String, token: String): UserIdentity =
    nativeDecryptUserToken(notNull(secret, "secret"), notNull(token, "token"))

/**
 * The `<script>` tag that loads the chat widget:
 * `<script src="…" data-assistant-id="…" data-user-token="…"></script>`,
 * every value HTML-attribute-escaped (`& < > " '`). Without a [userToken]
 * there is no `data-user-token` attribute. From Java:
 * `TeamwebIdentity.widgetScriptTag(src, "123", token)`.
 *
 * @param src the widget script's URL.
 * @param assistantId the assistant's id.
 * @param userToken a token from [IdentityKey.encrypt], or `null` for an anonymous visitor.
 * @throws NullPointerException if [src] or [assistantId] is `null`.
 */
@JvmOverloads
fun widgetScriptTag(src: String, assistantId: String, userToken: String? = null): String =
    nativeWidgetScriptTag(notNull(src, "src"), notNull(assistantId, "assistantId"), userToken)

/**
 * [widgetScriptTag] with an integer assistant id, written as its decimal text.
 */
@JvmOverloads
fun widgetScriptTag(src: String, assistantId: Long, userToken: String? = null): String =
    widgetScriptTag(src, assistantId.toString(), userToken)
