package ai.teamweb.identity

import ai.teamweb.identity.ffi.FfiKey
import com.sun.jna.Native
import java.nio.ByteBuffer
import java.nio.ByteOrder
import java.util.concurrent.locks.ReentrantReadWriteLock
import kotlin.concurrent.read
import kotlin.concurrent.write

/**
 * JNA direct mapping of the two plain C functions in `src/fast.rs`: primitive
 * arrays only, so no JNA `Structure` is allocated per call (uniffi's
 * generated calls allocate several, which costs tens of microseconds).
 */
internal object FastNative {
    init {
        Native.register(FastNative::class.java, "teamweb_identity_uniffi")
    }

    external fun teamweb_identity_fast_encrypt(key: Long, input: ByteArray, inputLen: Int, out: ByteArray, outCap: Int): Int

    external fun teamweb_identity_fast_decrypt(key: Long, input: ByteArray, inputLen: Int, out: ByteArray, outCap: Int): Int
}

/**
 * The fast path of [IdentityKey.encrypt] and [IdentityKey.decrypt]. Each
 * returns `null` when the fast path declines (the core refused, or the output
 * did not fit, or the key is closed): the caller then repeats the call through
 * uniffi, which gives the same result or throws the typed exception.
 *
 * [close] and the calls are ordered by a read-write lock, so the native key
 * is never freed during a call.
 */
internal class FastPath(private val ffi: FfiKey) {
    private val handle: Long = ffi.fastHandle()
    private val lock = ReentrantReadWriteLock()
    private var closed = false

    fun encrypt(identity: UserIdentity): String? {
        val units = identity.id.length + (identity.name?.length ?: 0) + (identity.email?.length ?: 0)
        val input = ByteArray(12 + 2 * units)
        val buf = ByteBuffer.wrap(input).order(ByteOrder.LITTLE_ENDIAN)
        buf.putInt(identity.id.length).putInt(identity.name?.length ?: -1).putInt(identity.email?.length ?: -1)
        val chars = buf.asCharBuffer()
        chars.put(identity.id)
        identity.name?.let(chars::put)
        identity.email?.let(chars::put)
        // base64 of nonce + JSON (at most 6 bytes per code unit, escaped) + tag.
        val out = ByteArray((12 + 48 + 6 * units + 16 + 2) / 3 * 4)
        val n = call { FastNative.teamweb_identity_fast_encrypt(handle, input, input.size, out, out.size) }
        return if (n >= 0) String(out, 0, n, Charsets.ISO_8859_1) else null
    }

    fun decrypt(token: String): UserIdentity? {
        val input = utf16(token)
        // The identity's UTF-8 is never longer than the token.
        val out = ByteArray(12 + token.length)
        val n = call { FastNative.teamweb_identity_fast_decrypt(handle, input, input.size, out, out.size) }
        if (n < 0) return null
        val lengths = ByteBuffer.wrap(out, 0, 12).order(ByteOrder.LITTLE_ENDIAN)
        var at = 12
        val fields = Array(3) {
            val len = lengths.getInt()
            if (len < 0) null else String(out, at, len, Charsets.UTF_8).also { at += len }
        }
        return UserIdentity(fields[0]!!, fields[1], fields[2])
    }

    private inline fun call(native: () -> Int): Int =
        try {
            lock.read { if (closed) -1 else native() }
        } finally {
            // The FfiKey (and so the native key) must outlive the native call.
            java.lang.ref.Reference.reachabilityFence(ffi)
        }

    fun close() {
        lock.write { closed = true }
        ffi.close()
    }
}
