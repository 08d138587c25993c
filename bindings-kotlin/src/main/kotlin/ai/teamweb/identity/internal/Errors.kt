package ai.teamweb.identity.internal

import ai.teamweb.identity.AuthenticationFailedException
import ai.teamweb.identity.InvalidIdentityException
import ai.teamweb.identity.InvalidPayloadException
import ai.teamweb.identity.InvalidSecretException
import ai.teamweb.identity.MalformedTokenException
import ai.teamweb.identity.ffi.InternalException
import ai.teamweb.identity.ffi.TokenException

/*
 * The package's one error mapping, from the core's five codes. A refusal by
 * the core becomes its IdentityTokenException subclass with the core's
 * message; a NULL argument (`bad_argument`, which the facade never passes)
 * an IllegalArgumentException; a bug in the native library (a Rust panic,
 * caught before it crosses the boundary, or anything else) an
 * IllegalStateException, so it is never mistaken for a bad token.
 *
 * Calls through the C ABI (Native.kt) report a status, whose name
 * `tw_status_code` gives; calls through uniffi throw its TokenException,
 * whose variants are the same five kinds.
 */

/** The exception for the status named [code] (`tw_status_code`) with the native library's [message]. */
internal fun refusal(code: String, message: String): RuntimeException =
    when (code) {
        "invalid_secret" -> InvalidSecretException(message)
        "invalid_identity" -> InvalidIdentityException(message)
        "malformed_token" -> MalformedTokenException(message)
        "authentication_failed" -> AuthenticationFailedException(message)
        "invalid_payload" -> InvalidPayloadException(message)
        "bad_argument" -> IllegalArgumentException(message)
        else -> IllegalStateException("internal error in the teamweb-identity native library ($code): $message")
    }

/** Runs one call through the uniffi bindings, mapping what it throws with [refusal]. */
internal inline fun <T> uniffi(call: () -> T): T =
    try {
        call()
    } catch (e: TokenException) {
        val code = when (e) {
            is TokenException.InvalidSecret -> "invalid_secret"
            is TokenException.InvalidIdentity -> "invalid_identity"
            is TokenException.MalformedToken -> "malformed_token"
            is TokenException.AuthenticationFailed -> "authentication_failed"
            is TokenException.InvalidPayload -> "invalid_payload"
        }
        throw refusal(code, e.message.orEmpty())
    } catch (e: InternalException) {
        throw refusal("panic", e.message.orEmpty()).initCause(e)
    }

/**
 * [value], or a [NullPointerException] naming the parameter (as
 * `Objects.requireNonNull` does): Java callers can pass `null` where Kotlin
 * cannot, and the compiler's own checks are off (`-Xno-param-assertions`) so
 * that this message, not Kotlin's, is what they see.
 */
internal fun <T : Any> notNull(value: T?, name: String): T = value ?: throw NullPointerException("$name must not be null")
