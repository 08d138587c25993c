package ai.teamweb.identity

import ai.teamweb.identity.ffi.FfiKey
import ai.teamweb.identity.ffi.FfiKeyring
import com.sun.jna.Native
import java.nio.ByteBuffer
import java.nio.ByteOrder
import java.util.concurrent.locks.ReentrantReadWriteLock
import kotlin.concurrent.read
import kotlin.concurrent.write

/**
 * JNA direct mapping of the plain C functions in `src/fast.rs`: primitive
 * arrays only, so no JNA `Structure` is allocated per call (uniffi's
 * generated calls allocate several, which costs tens of microseconds).
 */
internal object FastNative {
    init {
        Native.register(FastNative::class.java, "teamweb_identity_uniffi")
    }

    external fun teamweb_identity_fast_encrypt(key: Long, input: ByteArray, inputLen: Int, out: ByteArray, outCap: Int): Int

    external fun teamweb_identity_fast_decrypt(key: Long, input: ByteArray, inputLen: Int, out: ByteArray, outCap: Int): Int

    external fun teamweb_identity_fast_keyring_encrypt(keyring: Long, input: ByteArray, inputLen: Int, out: ByteArray, outCap: Int): Int

    external fun teamweb_identity_fast_keyring_decrypt(keyring: Long, input: ByteArray, inputLen: Int, out: ByteArray, outCap: Int): Int

    external fun teamweb_identity_fast_script_tag(input: ByteArray, inputLen: Int, out: ByteArray, outCap: Int): Int
}

/** One of the native functions above that takes a handle. */
internal fun interface HandleCall {
    fun call(handle: Long, input: ByteArray, inputLen: Int, out: ByteArray, outCap: Int): Int
}

/**
 * Three optional texts in the layout `src/fast.rs` reads: their lengths in
 * UTF-16 code units (-1 for null), then their code units, little-endian.
 */
private fun packTexts(a: String, b: String?, c: String?): ByteArray {
    val units = a.length + (b?.length ?: 0) + (c?.length ?: 0)
    val input = ByteArray(12 + 2 * units)
    val buf = ByteBuffer.wrap(input).order(ByteOrder.LITTLE_ENDIAN)
    buf.putInt(a.length).putInt(b?.length ?: -1).putInt(c?.length ?: -1)
    val chars = buf.asCharBuffer()
    chars.put(a)
    b?.let(chars::put)
    c?.let(chars::put)
    return input
}

/**
 * The fast path of [IdentityKey] and [IdentityKeyring]: [encrypt] and
 * [decrypt] return `null` when the fast path declines (the core refused, or
 * the output did not fit, or the object is closed): the caller then repeats
 * the call through uniffi, which gives the same result or throws the typed
 * exception.
 *
 * [close] and the calls are ordered by a read-write lock, so the native
 * object is never freed during a call.
 */
internal class FastPath private constructor(
    private val owner: AutoCloseable,
    private val handle: Long,
    private val encryptCall: HandleCall,
    private val decryptCall: HandleCall,
) {
    constructor(key: FfiKey) :
        this(key, key.fastHandle(), FastNative::teamweb_identity_fast_encrypt, FastNative::teamweb_identity_fast_decrypt)

    constructor(keyring: FfiKeyring) :
        this(keyring, keyring.fastHandle(), FastNative::teamweb_identity_fast_keyring_encrypt, FastNative::teamweb_identity_fast_keyring_decrypt)

    private val lock = ReentrantReadWriteLock()
    private var closed = false

    fun encrypt(identity: UserIdentity): String? {
        val input = packTexts(identity.id, identity.name, identity.email)
        val units = (input.size - 12) / 2
        // base64 of nonce + JSON (at most 6 bytes per code unit, escaped) + tag.
        val out = ByteArray((12 + 48 + 6 * units + 16 + 2) / 3 * 4)
        val n = call { encryptCall.call(handle, input, input.size, out, out.size) }
        return if (n >= 0) String(out, 0, n, Charsets.ISO_8859_1) else null
    }

    fun decrypt(token: String): UserIdentity? {
        val input = utf16(token)
        // The identity's UTF-8 is never longer than the token.
        val out = ByteArray(12 + token.length)
        val n = call { decryptCall.call(handle, input, input.size, out, out.size) }
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
            // The owner (and so the native object) must outlive the native call.
            java.lang.ref.Reference.reachabilityFence(owner)
        }

    fun close() {
        lock.write { closed = true }
        owner.close()
    }

    companion object {
        /**
         * The widget's script tag, or `null` if the fast path declines (the
         * caller then goes through uniffi).
         */
        fun scriptTag(src: String, assistantId: String, userToken: String?): String? {
            val input = packTexts(src, assistantId, userToken)
            // Every code unit becomes at most 6 bytes (`&quot;`; 3 for UTF-8).
            val out = ByteArray(64 + 6 * ((input.size - 12) / 2))
            val n = FastNative.teamweb_identity_fast_script_tag(input, input.size, out, out.size)
            return if (n >= 0) String(out, 0, n, Charsets.UTF_8) else null
        }
    }
}
