package ai.teamweb.identity

import ai.teamweb.identity.ffi.OpenedIdentity
import ai.teamweb.identity.ffi.Utf16Identity
import java.nio.ByteBuffer
import java.nio.ByteOrder

/**
 * A string's UTF-16 code units as little-endian bytes, copied as they are
 * (no encoding, so a lone surrogate reaches the core, which decides).
 */
internal fun utf16(text: String): ByteArray {
    val bytes = ByteArray(text.length * 2)
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asCharBuffer().put(text)
    return bytes
}

internal fun UserIdentity.toFfi(): Utf16Identity =
    Utf16Identity(utf16(id), name?.let(::utf16), email?.let(::utf16))

internal fun OpenedIdentity.toUserIdentity(): UserIdentity = UserIdentity(id, name, email)
