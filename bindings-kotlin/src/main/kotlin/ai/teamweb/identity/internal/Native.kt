package ai.teamweb.identity.internal

import ai.teamweb.identity.UserIdentity
import ai.teamweb.identity.ffi.FfiKey
import ai.teamweb.identity.ffi.FfiKeyring
import ai.teamweb.identity.ffi.UniffiWithHandle
import com.sun.jna.Native
import java.nio.ByteBuffer
import java.nio.ByteOrder
import java.util.concurrent.locks.ReentrantReadWriteLock
import kotlin.concurrent.read
import kotlin.concurrent.write

/**
 * JNA direct mapping of the plain C functions in `src/fast.rs`: primitive
 * arrays only, so no JNA `Structure` is allocated per call (uniffi's
 * generated calls allocate several, which costs tens of microseconds; see
 * README.md). Each returns the output's length, or a negative status with
 * the message in `out` ([refusal] maps it).
 */
internal object Direct {
    init {
        Native.register(Direct::class.java, "teamweb_identity_uniffi")
    }

    external fun teamweb_identity_fast_encrypt(key: Long, input: ByteArray, inputLen: Int, out: ByteArray, outCap: Int): Int

    external fun teamweb_identity_fast_decrypt(key: Long, input: ByteArray, inputLen: Int, out: ByteArray, outCap: Int): Int

    external fun teamweb_identity_fast_keyring_encrypt(keyring: Long, input: ByteArray, inputLen: Int, out: ByteArray, outCap: Int): Int

    external fun teamweb_identity_fast_keyring_decrypt(keyring: Long, input: ByteArray, inputLen: Int, out: ByteArray, outCap: Int): Int

    external fun teamweb_identity_fast_encrypt_user_token(input: ByteArray, inputLen: Int, out: ByteArray, outCap: Int): Int

    external fun teamweb_identity_fast_decrypt_user_token(input: ByteArray, inputLen: Int, out: ByteArray, outCap: Int): Int

    external fun teamweb_identity_fast_script_tag(input: ByteArray, inputLen: Int, out: ByteArray, outCap: Int): Int

    external fun teamweb_identity_fast_encrypt_with_nonce(
        key: Long,
        nonce: ByteArray,
        nonceLen: Int,
        input: ByteArray,
        inputLen: Int,
        out: ByteArray,
        outCap: Int,
    ): Int
}

/** Room for a refusal's message (the core's messages are far shorter). */
private const val MESSAGE_ROOM = 512

/**
 * Texts in the layout `src/fast.rs` reads: their lengths in UTF-16 code
 * units (-1 for null), then their code units, little-endian.
 */
internal class Texts(vararg texts: String?) {
    val bytes: ByteArray
    val units: Int = texts.sumOf { it?.length ?: 0 }

    init {
        bytes = ByteArray(4 * texts.size + 2 * units)
        val buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN)
        for (t in texts) buf.putInt(t?.length ?: -1)
        val chars = buf.asCharBuffer()
        for (t in texts) if (t != null) chars.put(t)
    }
}

/** A buffer for a token made from [units] code units of identity (and secret). */
private fun tokenBuffer(units: Int): ByteArray =
    // base64 of nonce + JSON (at most 6 bytes per code unit, escaped, and the keys) + tag.
    ByteArray(maxOf((12 + 48 + 6 * units + 16 + 2) / 3 * 4, MESSAGE_ROOM))

/** A buffer for the identity opened from [token] (its UTF-8 is never longer than the token). */
private fun identityBuffer(token: String): ByteArray = ByteArray(maxOf(12 + token.length, MESSAGE_ROOM))

/** [n] bytes of [out] as the token, or the refusal [n] reports. */
private fun token(n: Int, out: ByteArray): String =
    if (n >= 0) String(out, 0, n, Charsets.ISO_8859_1) else throw refused(n, out)

/** The identity in [out] (decrypt layout), or the refusal [n] reports. */
private fun identity(n: Int, out: ByteArray): UserIdentity {
    if (n < 0) throw refused(n, out)
    val lengths = ByteBuffer.wrap(out, 0, 12).order(ByteOrder.LITTLE_ENDIAN)
    var at = 12
    val fields = Array(3) {
        val len = lengths.getInt()
        if (len < 0) null else String(out, at, len, Charsets.UTF_8).also { at += len }
    }
    return UserIdentity(fields[0]!!, fields[1], fields[2])
}

private fun refused(status: Int, out: ByteArray): RuntimeException {
    val len = ByteBuffer.wrap(out, 0, 4).order(ByteOrder.LITTLE_ENDIAN).getInt().coerceIn(0, out.size - 4)
    return refusal(status, String(out, 4, len, Charsets.UTF_8))
}

/** One of the direct functions that take a handle. */
internal fun interface HandleCall {
    fun call(handle: Long, input: ByteArray, inputLen: Int, out: ByteArray, outCap: Int): Int
}

/**
 * A native key or keyring (a uniffi object) and the handle the direct
 * functions take. [close] and the calls are ordered by a read-write lock, and
 * the object is kept reachable during a call, so the native object is never
 * freed during a call; after [close] a call throws [IllegalStateException].
 */
internal abstract class NativeCipher(
    private val owner: AutoCloseable,
    private val handle: Long,
    private val what: String,
    private val encryptCall: HandleCall,
    private val decryptCall: HandleCall,
) {
    private val lock = ReentrantReadWriteLock()
    private var closed = false

    fun encrypt(identity: UserIdentity): String {
        val input = Texts(identity.id, identity.name, identity.email)
        val out = tokenBuffer(input.units)
        return token(withHandle { encryptCall.call(it, input.bytes, input.bytes.size, out, out.size) }, out)
    }

    fun decrypt(token: String): UserIdentity {
        val input = Texts(token)
        val out = identityBuffer(token)
        return identity(withHandle { decryptCall.call(it, input.bytes, input.bytes.size, out, out.size) }, out)
    }

    protected fun withHandle(native: (Long) -> Int): Int = whileOpen { native(handle) }

    /** Runs [body] while the native object is open: [close] waits for it; after [close], [IllegalStateException]. */
    fun <T> whileOpen(body: () -> T): T =
        try {
            lock.read {
                check(!closed) { "this $what is closed" }
                body()
            }
        } finally {
            // The owner (and so the native object) must outlive the native call.
            java.lang.ref.Reference.reachabilityFence(owner)
        }

    fun close() {
        lock.write { closed = true }
        owner.close()
    }
}

/** An `IdentityKey`'s native key. */
internal class NativeKey(val ffi: FfiKey) :
    NativeCipher(ffi, ffi.fastHandle(), "IdentityKey", Direct::teamweb_identity_fast_encrypt, Direct::teamweb_identity_fast_decrypt) {

    fun secretBase64(): String = whileOpen { uniffi { ffi.secretBase64() } }

    /**
     * A second reference to the native key, which stays valid when this one
     * is closed (for a keyring to copy the key from): uniffi lowers an
     * object without checking that it is still open.
     */
    fun retain(): FfiKey = whileOpen { FfiKey(UniffiWithHandle, ffi.uniffiCloneHandle()) }

    /** The testing API's fixed-nonce encrypt. */
    fun encryptWithNonce(nonce: ByteArray, identity: UserIdentity): String {
        val input = Texts(identity.id, identity.name, identity.email)
        val out = tokenBuffer(input.units)
        return token(
            withHandle { Direct.teamweb_identity_fast_encrypt_with_nonce(it, nonce, nonce.size, input.bytes, input.bytes.size, out, out.size) },
            out,
        )
    }
}

/** An `IdentityKeyring`'s native keyring. */
internal class NativeKeyring(ffi: FfiKeyring) :
    NativeCipher(ffi, ffi.fastHandle(), "IdentityKeyring", Direct::teamweb_identity_fast_keyring_encrypt, Direct::teamweb_identity_fast_keyring_decrypt)

/** `encryptUserToken`. */
internal fun encryptUserToken(secret: String, identity: UserIdentity): String {
    val input = Texts(secret, identity.id, identity.name, identity.email)
    val out = tokenBuffer(input.units)
    return token(Direct.teamweb_identity_fast_encrypt_user_token(input.bytes, input.bytes.size, out, out.size), out)
}

/** `decryptUserToken`. */
internal fun decryptUserToken(secret: String, token: String): UserIdentity {
    val input = Texts(secret, token)
    val out = identityBuffer(token)
    return identity(Direct.teamweb_identity_fast_decrypt_user_token(input.bytes, input.bytes.size, out, out.size), out)
}

/** `widgetScriptTag`: lone surrogates become U+FFFD. */
internal fun widgetScriptTag(src: String, assistantId: String, userToken: String?): String {
    val input = Texts(src, assistantId, userToken)
    // The tag's markup, then every code unit as at most 6 bytes (`&quot;`; 3 for UTF-8).
    val out = ByteArray(maxOf(128 + 6 * input.units, MESSAGE_ROOM))
    val n = Direct.teamweb_identity_fast_script_tag(input.bytes, input.bytes.size, out, out.size)
    return if (n >= 0) String(out, 0, n, Charsets.UTF_8) else throw refused(n, out)
}

/** A string's UTF-16 code units as little-endian bytes (for uniffi calls that take text). */
internal fun utf16(text: String): ByteArray {
    val bytes = ByteArray(text.length * 2)
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asCharBuffer().put(text)
    return bytes
}
