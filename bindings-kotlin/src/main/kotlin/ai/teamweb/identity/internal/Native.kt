package ai.teamweb.identity.internal

import ai.teamweb.identity.UserIdentity
import ai.teamweb.identity.ffi.FfiKey
import ai.teamweb.identity.ffi.FfiKeyring
import ai.teamweb.identity.ffi.UniffiWithHandle
import com.sun.jna.Memory
import com.sun.jna.Native
import com.sun.jna.Pointer
import java.util.concurrent.locks.ReentrantReadWriteLock
import kotlin.concurrent.read
import kotlin.concurrent.write

/**
 * JNA direct mapping of the C ABI (`bindings-c`, `teamweb_identity.h`),
 * which the package's native library exports beside uniffi's scaffolding.
 * Text goes in as `char[]` (UTF-16 code units, as a `String` holds them;
 * `null` for an absent field); results come back in native buffers this
 * file keeps per thread, whose addresses are passed as `long` (as are the
 * `size_t *` outputs, slots in one of those buffers). Nothing here knows
 * the token format: buffer sizes come from `tw_token_max_len` and
 * `tw_identity_max_len`, or from the `buffer_too_small` status.
 */
@Suppress("FunctionName", "LongParameterList")
internal object CAbi {
    init {
        Native.register(CAbi::class.java, "teamweb_identity_uniffi")
    }

    external fun tw_token_max_len(): Long

    external fun tw_identity_max_len(): Long

    external fun tw_token_check_utf16_len(units: Long, message: Long, messageCapacity: Long, messageLen: Long): Int

    external fun tw_status_code(status: Int): String

    external fun tw_key_encrypt_utf16(
        key: Long, id: CharArray, idLen: Long, name: CharArray?, nameLen: Long, email: CharArray?, emailLen: Long,
        out: Long, capacity: Long, written: Long, message: Long, messageCapacity: Long, messageLen: Long,
    ): Int

    external fun tw_keyring_encrypt_utf16(
        keyring: Long, id: CharArray, idLen: Long, name: CharArray?, nameLen: Long, email: CharArray?, emailLen: Long,
        out: Long, capacity: Long, written: Long, message: Long, messageCapacity: Long, messageLen: Long,
    ): Int

    external fun tw_encrypt_user_token_utf16(
        secret: CharArray, secretLen: Long,
        id: CharArray, idLen: Long, name: CharArray?, nameLen: Long, email: CharArray?, emailLen: Long,
        out: Long, capacity: Long, written: Long, message: Long, messageCapacity: Long, messageLen: Long,
    ): Int

    external fun tw_testing_encrypt_with_nonce_utf16(
        key: Long, nonce: ByteArray,
        id: CharArray, idLen: Long, name: CharArray?, nameLen: Long, email: CharArray?, emailLen: Long,
        out: Long, capacity: Long, written: Long, message: Long, messageCapacity: Long, messageLen: Long,
    ): Int

    external fun tw_key_decrypt_utf16(
        key: Long, token: CharArray, tokenLen: Long,
        out: Long, capacity: Long, written: Long, idLen: Long, nameLen: Long, emailLen: Long,
        message: Long, messageCapacity: Long, messageLen: Long,
    ): Int

    external fun tw_keyring_decrypt_utf16(
        keyring: Long, token: CharArray, tokenLen: Long,
        out: Long, capacity: Long, written: Long, idLen: Long, nameLen: Long, emailLen: Long,
        message: Long, messageCapacity: Long, messageLen: Long,
    ): Int

    external fun tw_decrypt_user_token_utf16(
        secret: CharArray, secretLen: Long, token: CharArray, tokenLen: Long,
        out: Long, capacity: Long, written: Long, idLen: Long, nameLen: Long, emailLen: Long,
        message: Long, messageCapacity: Long, messageLen: Long,
    ): Int

    external fun tw_widget_script_tag_utf16(
        src: CharArray, srcLen: Long, assistantId: CharArray, assistantIdLen: Long, token: CharArray?, tokenLen: Long,
        out: Long, capacity: Long, written: Long, message: Long, messageCapacity: Long, messageLen: Long,
    ): Int
}

/** Room for a refusal's message (cut to fit by the C ABI if ever longer). */
private const val MESSAGE_ROOM = 512L

/** The `size_t` slots of [Buffers.slots]. */
private const val WRITTEN = 0L
private const val ID_LEN = 8L
private const val NAME_LEN = 16L
private const val EMAIL_LEN = 24L
private const val MESSAGE_LEN = 32L

/** One thread's native buffers, reused by every call on that thread. */
internal class Buffers {
    /** Room for any token or decrypted identity, as the C ABI says. */
    val capacity: Long = maxOf(CAbi.tw_token_max_len(), CAbi.tw_identity_max_len())
    private val out = Memory(capacity)
    private val message = Memory(MESSAGE_ROOM)
    private val slots = Memory(40)
    val outAddress: Long = Pointer.nativeValue(out)
    val messageAddress: Long = Pointer.nativeValue(message)
    private val slotsAddress: Long = Pointer.nativeValue(slots)

    fun slot(offset: Long): Long = slotsAddress + offset

    /** The UTF-8 text the last call wrote to the output buffer. */
    fun text(): String = String(out.getByteArray(0, written()), Charsets.UTF_8)

    /** The identity the last decrypt wrote: its fields one after the other, an empty one absent. */
    fun identity(): UserIdentity {
        val bytes = out.getByteArray(0, written())
        val id = slots.getLong(ID_LEN).toInt()
        val name = slots.getLong(NAME_LEN).toInt()
        val email = slots.getLong(EMAIL_LEN).toInt()
        return UserIdentity(
            String(bytes, 0, id, Charsets.UTF_8),
            String(bytes, id, name, Charsets.UTF_8),
            String(bytes, id + name, email, Charsets.UTF_8),
        )
    }

    fun written(): Int = slots.getLong(WRITTEN).toInt()

    /** The exception for a call's non-zero [status], with the message it wrote. */
    fun refusal(status: Int): RuntimeException =
        refusal(CAbi.tw_status_code(status), String(message.getByteArray(0, slots.getLong(MESSAGE_LEN).toInt()), Charsets.UTF_8))

    companion object {
        private val perThread = ThreadLocal.withInitial { Buffers() }

        fun get(): Buffers = perThread.get()
    }
}

/** A call that encrypts into [Buffers]: takes the output and message locations, returns the status. */
private inline fun Buffers.sealed(call: (out: Long, capacity: Long, written: Long, message: Long, messageLen: Long) -> Int): String {
    val status = call(outAddress, capacity, slot(WRITTEN), messageAddress, slot(MESSAGE_LEN))
    return if (status == 0) text() else throw refusal(status)
}

/** A call that decrypts into [Buffers]: takes the output, length and message locations, returns the status. */
private inline fun Buffers.opened(
    call: (out: Long, capacity: Long, written: Long, idLen: Long, nameLen: Long, emailLen: Long, message: Long, messageLen: Long) -> Int,
): UserIdentity {
    val status = call(outAddress, capacity, slot(WRITTEN), slot(ID_LEN), slot(NAME_LEN), slot(EMAIL_LEN), messageAddress, slot(MESSAGE_LEN))
    return if (status == 0) identity() else throw refusal(status)
}

/**
 * A token's UTF-16 code units for the C ABI, once the core has checked from
 * its length alone that it can be a token: a text the core must refuse
 * (`malformed_token`) is never copied.
 */
internal fun tokenUnits(token: String): CharArray {
    val b = Buffers.get()
    val status = CAbi.tw_token_check_utf16_len(token.length.toLong(), b.messageAddress, MESSAGE_ROOM, b.slot(MESSAGE_LEN))
    if (status != 0) throw b.refusal(status)
    return token.toCharArray()
}

/** An identity's fields as UTF-16 code units for the C ABI (`null` for an absent field). */
internal class Fields(identity: UserIdentity) {
    val id: CharArray = identity.id.toCharArray()
    val name: CharArray? = identity.name?.toCharArray()
    val email: CharArray? = identity.email?.toCharArray()
    val nameLen: Long = name?.size?.toLong() ?: 0
    val emailLen: Long = email?.size?.toLong() ?: 0
}

/**
 * A native key or keyring (a uniffi object) and the handle the C functions
 * take. [close] and the calls are ordered by a read-write lock, and the
 * object is kept reachable during a call, so the native object is never
 * freed during a call; after [close] a call throws [IllegalStateException].
 */
internal abstract class NativeCipher(private val owner: AutoCloseable, private val handle: Long, private val what: String) {
    private val lock = ReentrantReadWriteLock()
    private var closed = false

    protected abstract fun encryptCall(handle: Long, f: Fields, b: Buffers): String

    protected abstract fun decryptCall(handle: Long, token: CharArray, b: Buffers): UserIdentity

    fun encrypt(identity: UserIdentity): String {
        val fields = Fields(identity)
        return whileOpen { encryptCall(handle, fields, Buffers.get()) }
    }

    fun decrypt(token: String): UserIdentity {
        val units = tokenUnits(token)
        return whileOpen { decryptCall(handle, units, Buffers.get()) }
    }

    /** Runs [body] with the handle while the native object is open: [close] waits for it; after [close], [IllegalStateException]. */
    protected fun <T> withHandle(body: (Long) -> T): T = whileOpen { body(handle) }

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
internal class NativeKey(val ffi: FfiKey) : NativeCipher(ffi, ffi.handle(), "IdentityKey") {
    override fun encryptCall(handle: Long, f: Fields, b: Buffers): String =
        b.sealed { out, cap, written, message, messageLen ->
            CAbi.tw_key_encrypt_utf16(
                handle, f.id, f.id.size.toLong(), f.name, f.nameLen, f.email, f.emailLen,
                out, cap, written, message, MESSAGE_ROOM, messageLen,
            )
        }

    override fun decryptCall(handle: Long, token: CharArray, b: Buffers): UserIdentity =
        b.opened { out, cap, written, idLen, nameLen, emailLen, message, messageLen ->
            CAbi.tw_key_decrypt_utf16(
                handle, token, token.size.toLong(), out, cap, written, idLen, nameLen, emailLen, message, MESSAGE_ROOM, messageLen,
            )
        }

    fun secretBase64(): String = whileOpen { uniffi { ffi.secretBase64() } }

    /**
     * A second reference to the native key, which stays valid when this one
     * is closed (for a keyring to copy the key from): uniffi lowers an
     * object without checking that it is still open.
     */
    fun retain(): FfiKey = whileOpen { FfiKey(UniffiWithHandle, ffi.uniffiCloneHandle()) }

    /** The testing API's fixed-nonce encrypt. */
    fun encryptWithNonce(nonce: ByteArray, identity: UserIdentity): String {
        // The C function reads exactly 12 bytes: the host array must have them.
        require(nonce.size == 12) { "the nonce must be 12 bytes, not ${nonce.size}" }
        val f = Fields(identity)
        return withHandle { handle ->
            Buffers.get().sealed { out, cap, written, message, messageLen ->
                CAbi.tw_testing_encrypt_with_nonce_utf16(
                    handle, nonce, f.id, f.id.size.toLong(), f.name, f.nameLen, f.email, f.emailLen,
                    out, cap, written, message, MESSAGE_ROOM, messageLen,
                )
            }
        }
    }
}

/** An `IdentityKeyring`'s native keyring. */
internal class NativeKeyring(ffi: FfiKeyring) : NativeCipher(ffi, ffi.handle(), "IdentityKeyring") {
    override fun encryptCall(handle: Long, f: Fields, b: Buffers): String =
        b.sealed { out, cap, written, message, messageLen ->
            CAbi.tw_keyring_encrypt_utf16(
                handle, f.id, f.id.size.toLong(), f.name, f.nameLen, f.email, f.emailLen,
                out, cap, written, message, MESSAGE_ROOM, messageLen,
            )
        }

    override fun decryptCall(handle: Long, token: CharArray, b: Buffers): UserIdentity =
        b.opened { out, cap, written, idLen, nameLen, emailLen, message, messageLen ->
            CAbi.tw_keyring_decrypt_utf16(
                handle, token, token.size.toLong(), out, cap, written, idLen, nameLen, emailLen, message, MESSAGE_ROOM, messageLen,
            )
        }
}

/** The secret's code units for one call, wiped after it (the `String` itself is the caller's). */
private inline fun <T> withSecret(secret: String, body: (CharArray) -> T): T {
    val units = secret.toCharArray()
    try {
        return body(units)
    } finally {
        units.fill('\u0000')
    }
}

/** `encryptUserToken`. */
internal fun encryptUserToken(secret: String, identity: UserIdentity): String {
    val f = Fields(identity)
    return withSecret(secret) { s ->
        Buffers.get().sealed { out, cap, written, message, messageLen ->
            CAbi.tw_encrypt_user_token_utf16(
                s, s.size.toLong(), f.id, f.id.size.toLong(), f.name, f.nameLen, f.email, f.emailLen,
                out, cap, written, message, MESSAGE_ROOM, messageLen,
            )
        }
    }
}

/** `decryptUserToken`. */
internal fun decryptUserToken(secret: String, token: String): UserIdentity {
    val t = tokenUnits(token)
    return withSecret(secret) { s ->
        Buffers.get().opened { out, cap, written, idLen, nameLen, emailLen, message, messageLen ->
            CAbi.tw_decrypt_user_token_utf16(
                s, s.size.toLong(), t, t.size.toLong(), out, cap, written, idLen, nameLen, emailLen, message, MESSAGE_ROOM, messageLen,
            )
        }
    }
}

/** `widgetScriptTag`: the core turns each lone surrogate into U+FFFD. */
internal fun widgetScriptTag(src: String, assistantId: String, userToken: String?): String {
    val s = src.toCharArray()
    val a = assistantId.toCharArray()
    val t = userToken?.toCharArray()
    val b = Buffers.get()
    val call = { out: Long, cap: Long ->
        CAbi.tw_widget_script_tag_utf16(
            s, s.size.toLong(), a, a.size.toLong(), t, t?.size?.toLong() ?: 0,
            out, cap, b.slot(WRITTEN), b.messageAddress, MESSAGE_ROOM, b.slot(MESSAGE_LEN),
        )
    }
    var status = call(b.outAddress, b.capacity)
    if (status == 0) return b.text()
    if (CAbi.tw_status_code(status) != "buffer_too_small") throw b.refusal(status)
    // A tag longer than the thread's buffer: once, in a buffer of the length the C ABI asked for.
    val big = Memory(b.written().toLong())
    status = call(Pointer.nativeValue(big), big.size())
    if (status != 0) throw b.refusal(status)
    return String(big.getByteArray(0, b.written()), Charsets.UTF_8)
}

/** A string's UTF-16 code units as little-endian bytes (for the uniffi constructor that reads a secret). */
internal fun utf16(text: String): ByteArray {
    val bytes = ByteArray(text.length * 2)
    for (i in text.indices) {
        val c = text[i].code
        bytes[2 * i] = c.toByte()
        bytes[2 * i + 1] = (c shr 8).toByte()
    }
    return bytes
}
