package ai.teamweb.identity.internal

import ai.teamweb.identity.AuthenticationFailedException
import ai.teamweb.identity.InvalidIdentityException
import ai.teamweb.identity.InvalidPayloadException
import ai.teamweb.identity.InvalidSecretException
import ai.teamweb.identity.MalformedTokenException
import ai.teamweb.identity.ffi.InternalException
import ai.teamweb.identity.ffi.TokenException

/*
 * The package's one error mapping. A refusal by the core becomes its
 * IdentityTokenException subclass with the core's message; an argument of
 * the wrong shape an IllegalArgumentException; a bug in the native library (a
 * Rust panic, caught before it crosses the FFI boundary) an
 * IllegalStateException, so it is never mistaken for a bad token.
 *
 * Calls through the direct functions (Native.kt) report a negative status
 * (src/fast.rs, `status`); calls through uniffi throw its TokenException,
 * whose variants are the same kinds.
 */

internal const val INVALID_SECRET = -1
internal const val INVALID_IDENTITY = -2
internal const val MALFORMED_TOKEN = -3
internal const val AUTHENTICATION_FAILED = -4
internal const val INVALID_PAYLOAD = -5
internal const val ARGUMENT = -6
internal const val INTERNAL = -7

/** The exception for a negative [status] with the native library's [message]. */
internal fun refusal(status: Int, message: String): RuntimeException =
    when (status) {
        INVALID_SECRET -> InvalidSecretException(message)
        INVALID_IDENTITY -> InvalidIdentityException(message)
        MALFORMED_TOKEN -> MalformedTokenException(message)
        AUTHENTICATION_FAILED -> AuthenticationFailedException(message)
        INVALID_PAYLOAD -> InvalidPayloadException(message)
        ARGUMENT -> IllegalArgumentException(message)
        else -> IllegalStateException("internal error in the teamweb-identity native library: $message")
    }

/** Runs one call through the uniffi bindings, mapping what it throws with [refusal]. */
internal inline fun <T> uniffi(call: () -> T): T =
    try {
        call()
    } catch (e: TokenException) {
        val status = when (e) {
            is TokenException.InvalidSecret -> INVALID_SECRET
            is TokenException.InvalidIdentity -> INVALID_IDENTITY
            is TokenException.MalformedToken -> MALFORMED_TOKEN
            is TokenException.AuthenticationFailed -> AUTHENTICATION_FAILED
            is TokenException.InvalidPayload -> INVALID_PAYLOAD
            is TokenException.Argument -> ARGUMENT
        }
        throw refusal(status, e.message.orEmpty())
    } catch (e: InternalException) {
        throw refusal(INTERNAL, e.message.orEmpty()).initCause(e)
    }

/**
 * [value], or a [NullPointerException] naming the parameter (as
 * `Objects.requireNonNull` does): Java callers can pass `null` where Kotlin
 * cannot, and the compiler's own checks are off (`-Xno-param-assertions`) so
 * that this message, not Kotlin's, is what they see.
 */
internal fun <T : Any> notNull(value: T?, name: String): T = value ?: throw NullPointerException("$name must not be null")
