package ai.teamweb.identity.internal

import ai.teamweb.identity.UserIdentity
import ai.teamweb.identity.ffi.FfiKey
import ai.teamweb.identity.ffi.FfiKeyring
import ai.teamweb.identity.ffi.UniffiWithHandle
import com.sun.jna.Memory
import com.sun.jna.Native
import com.sun.jna.Pointer
import java.nio.ByteBuffer
import java.nio.ByteOrder
import java.nio.CharBuffer
import java.util.concurrent.locks.ReentrantReadWriteLock
import kotlin.concurrent.read
import kotlin.concurrent.write

/**
 * JNA direct mapping of the C ABI (`bindings-c`, `teamweb_identity.h`),
 * which the package's native library exports beside uniffi's scaffolding.
 * Every argument is a primitive (but the testing call's 12-byte nonce), and
 * there are few of them (JNA's libffi call costs about 14 ns an argument,
 * measured): text goes in as UTF-16
 * code units (as a `String` holds them) that [TextArgs] places in native
 * memory, passed as an address (0 for an absent field) and a length, an
 * identity's three fields as one `tw_user_utf16`; results come back through
 * the thread's `tw_out` ([Out]): its buffers, the lengths the call sets,
 * the message of a refusal. Java reads and writes that memory through
 * `ByteBuffer` views, so a call crosses into native code once, and JNA
 * converts no text. Nothing here knows the token format: buffer sizes come
 * from `tw_token_max_len` and `tw_identity_max_len`, or from the
 * `buffer_too_small` status. (`size_t` and pointers are 8 bytes on every
 * platform the jar ships for; [Buffers] checks it.)
 */
@Suppress("FunctionName", "LongParameterList")
internal object CAbi {
    init {
        Native.register(CAbi::class.java, "teamweb_identity_uniffi")
    }

    external fun tw_token_max_len(): Long

    external fun tw_identity_max_len(): Long

    external fun tw_token_check_utf16_len(units: Long, out: Long): Int

    external fun tw_status_code(status: Int): String

    external fun tw_key_encrypt_utf16(key: Long, user: Long, out: Long): Int

    external fun tw_keyring_encrypt_utf16(keyring: Long, user: Long, out: Long): Int

    external fun tw_encrypt_user_token_utf16(secret: Long, secretLen: Long, user: Long, out: Long): Int

    external fun tw_testing_encrypt_with_nonce_utf16(key: Long, nonce: ByteArray, user: Long, out: Long): Int

    external fun tw_key_decrypt_utf16(key: Long, token: Long, tokenLen: Long, out: Long): Int

    external fun tw_keyring_decrypt_utf16(keyring: Long, token: Long, tokenLen: Long, out: Long): Int

    external fun tw_decrypt_user_token_utf16(secret: Long, secretLen: Long, token: Long, tokenLen: Long, out: Long): Int

    external fun tw_widget_script_tag_utf16(
        src: Long, srcLen: Long, assistantId: Long, assistantIdLen: Long, token: Long, tokenLen: Long, out: Long,
    ): Int
}

/** Room for a refusal's message (cut to fit by the C ABI if ever longer). */
private const val MESSAGE_ROOM = 512L

/**
 * Room for one call's text arguments in the thread's input buffer, in UTF-16
 * code units (8 KiB: any identity the rules allow, a token, a script tag's
 * values); longer text gets memory of its own for that call.
 */
private const val INPUT_UNITS = 4096

/** A view of `length` bytes of [memory] in the platform's byte order (as C reads them). */
private fun view(memory: Memory, length: Long): ByteBuffer = memory.getByteBuffer(0, length).order(ByteOrder.nativeOrder())

/**
 * A `tw_out` in native memory over [buf] and [message], with a view of it
 * from Java: `buf`, `capacity`, `written`, `id_len`, `name_len`,
 * `email_len`, `message`, `message_capacity`, `message_len`, 8 bytes each.
 */
internal class Out(private val buf: Memory, private val message: Memory) : AutoCloseable {
    private val struct = Memory(9L * 8)
    val address: Long = Pointer.nativeValue(struct)
    private val fields = view(struct, 9L * 8)
    private val bufBytes = view(buf, buf.size())
    private val messageBytes = view(message, message.size())

    init {
        fields.putLong(0, Pointer.nativeValue(buf)).putLong(8, buf.size())
        fields.putLong(48, Pointer.nativeValue(message)).putLong(56, message.size())
    }

    fun written(): Int = fields.getLong(16).toInt()

    /** The length the last decrypt set for field [index] (0: id, 1: name, 2: email). */
    fun fieldLen(index: Int): Int = fields.getLong(24 + 8 * index).toInt()

    /** The bytes the last call wrote to the buffer, copied to the start of [scratch] (or to a new array if they do not fit it). */
    fun bytes(scratch: ByteArray): ByteArray {
        val length = written()
        return (if (length <= scratch.size) scratch else ByteArray(length)).also { bufBytes.get(0, it, 0, length) }
    }

    /** The UTF-8 text the last call wrote to the buffer (copied through [scratch], as in [bytes]). */
    fun text(scratch: ByteArray): String = String(bytes(scratch), 0, written(), Charsets.UTF_8)

    /** The message of the last refusal. */
    fun message(): String {
        val length = fields.getLong(64).toInt()
        return String(ByteArray(length).also { messageBytes.get(0, it, 0, length) }, Charsets.UTF_8)
    }

    /** Frees the struct and its buffers (an [Out] made for one call; the threads' are never closed). */
    override fun close() {
        struct.close()
        buf.close()
        message.close()
    }
}

/** One thread's native buffers, reused by every call on that thread, and views of them from Java. */
internal class Buffers {
    init {
        check(Native.POINTER_SIZE == 8 && Native.SIZE_T_SIZE == 8) { "teamweb-identity needs a 64-bit JVM" }
    }

    /** Room for any token or decrypted identity, as the C ABI says. */
    private val capacity: Long = maxOf(CAbi.tw_token_max_len(), CAbi.tw_identity_max_len())
    private val message = Memory(MESSAGE_ROOM)
    val out = Out(Memory(capacity), message)
    private val input = Memory(2L * INPUT_UNITS)
    val inputAddress: Long = Pointer.nativeValue(input)
    val inputUnits: CharBuffer = view(input, 2L * INPUT_UNITS).asCharBuffer()
    private val user = Memory(6L * 8)
    val userAddress: Long = Pointer.nativeValue(user)
    val userFields: ByteBuffer = view(user, 6L * 8)

    /** Where text is staged on its way into [inputUnits] (`String.getChars`, then one bulk copy). */
    val staging = CharArray(INPUT_UNITS)
    private val bytes = ByteArray(capacity.toInt())

    /** The UTF-8 text the last call wrote to [out]. */
    fun text(): String = out.text(bytes)

    /** The identity the last decrypt wrote: its fields one after the other, an empty one absent. */
    fun identity(): UserIdentity {
        val all = out.bytes(bytes)
        val id = out.fieldLen(0)
        val name = out.fieldLen(1)
        val email = out.fieldLen(2)
        return UserIdentity(
            String(all, 0, id, Charsets.UTF_8),
            String(all, id, name, Charsets.UTF_8),
            String(all, id + name, email, Charsets.UTF_8),
        )
    }

    /** The exception for a call's non-zero [status], with the message it wrote. */
    fun refusal(status: Int): RuntimeException = refusal(CAbi.tw_status_code(status), out.message())

    companion object {
        private val perThread = ThreadLocal.withInitial { Buffers() }

        fun get(): Buffers = perThread.get()
    }
}

/**
 * One call's text arguments as UTF-16 code units in native memory, one
 * after another, for `units` code units in all: in the thread's input
 * buffer, or, when they do not fit there, in memory allocated for the call
 * and freed by [close]. [wipe] zeroes them (for a secret).
 */
internal class TextArgs(private val b: Buffers, units: Int) : AutoCloseable {
    private val own: Memory? = if (units <= INPUT_UNITS) null else Memory(2L * units)
    private val base: Long = if (own == null) b.inputAddress else Pointer.nativeValue(own)
    private val view: CharBuffer = if (own == null) b.inputUnits else view(own, 2L * units).asCharBuffer()
    private var next = 0

    /** Places [text]; its address. A [secret]'s copy on the Java heap, if it needs one, is wiped at once. */
    fun put(text: String, secret: Boolean = false): Long {
        val at = next
        val n = text.length
        if (n <= b.staging.size) {
            text.toCharArray(b.staging, 0, 0, n)
            view.put(at, b.staging, 0, n)
        } else {
            val copy = text.toCharArray()
            view.put(at, copy, 0, n)
            if (secret) copy.fill('\u0000')
        }
        next += n
        return base + 2L * at
    }

    /**
     * Places a token once the core has said, from its length alone, that it
     * can be a token: a text the core must refuse (`malformed_token`) is
     * never copied. (A token that fits in the thread's buffer is copied
     * there without asking first: the decrypt call checks it.)
     */
    fun putToken(token: String): Long {
        if (token.length > INPUT_UNITS) {
            val status = CAbi.tw_token_check_utf16_len(token.length.toLong(), b.out.address)
            if (status != 0) throw b.refusal(status)
        }
        return put(token)
    }

    /** Places [text] if present; its address, or 0 (NULL) for `null`. */
    fun putOptional(text: String?): Long = if (text == null) 0 else put(text)

    /** Places [identity]'s fields and fills the thread's `tw_user_utf16` with them; its address. */
    fun user(identity: UserIdentity): Long {
        val fields = b.userFields
        fields.putLong(0, put(identity.id)).putLong(8, identity.id.length.toLong())
        fields.putLong(16, putOptional(identity.name)).putLong(24, identity.name?.length?.toLong() ?: 0)
        fields.putLong(32, putOptional(identity.email)).putLong(40, identity.email?.length?.toLong() ?: 0)
        return b.userAddress
    }

    /** Zeroes every code unit placed so far, here and in the staging array. */
    fun wipe() {
        b.staging.fill('\u0000', 0, minOf(b.staging.size, next))
        var at = 0
        while (at < next) {
            val n = minOf(b.staging.size, next - at)
            view.put(at, b.staging, 0, n)
            at += n
        }
    }

    override fun close() {
        own?.close()
    }

    companion object {
        /** The code units of [identity]'s fields. */
        fun units(identity: UserIdentity): Int = identity.id.length + (identity.name?.length ?: 0) + (identity.email?.length ?: 0)
    }
}

/** A call that encrypts into the thread's `tw_out` (its address given), returning the status: the token. */
private inline fun Buffers.sealed(call: (out: Long) -> Int): String {
    val status = call(out.address)
    return if (status == 0) text() else throw refusal(status)
}

/** A call that decrypts into the thread's `tw_out` (its address given), returning the status: the identity. */
private inline fun Buffers.opened(call: (out: Long) -> Int): UserIdentity {
    val status = call(out.address)
    return if (status == 0) identity() else throw refusal(status)
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

    protected abstract fun encryptCall(handle: Long, user: Long, b: Buffers): String

    protected abstract fun decryptCall(handle: Long, token: Long, tokenLen: Long, b: Buffers): UserIdentity

    fun encrypt(identity: UserIdentity): String {
        val b = Buffers.get()
        return TextArgs(b, TextArgs.units(identity)).use { args ->
            val user = args.user(identity)
            whileOpen { encryptCall(handle, user, b) }
        }
    }

    fun decrypt(token: String): UserIdentity {
        val b = Buffers.get()
        return TextArgs(b, token.length).use { args ->
            val units = args.putToken(token)
            whileOpen { decryptCall(handle, units, token.length.toLong(), b) }
        }
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
    override fun encryptCall(handle: Long, user: Long, b: Buffers): String =
        b.sealed { out -> CAbi.tw_key_encrypt_utf16(handle, user, out) }

    override fun decryptCall(handle: Long, token: Long, tokenLen: Long, b: Buffers): UserIdentity =
        b.opened { out -> CAbi.tw_key_decrypt_utf16(handle, token, tokenLen, out) }

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
        val b = Buffers.get()
        return TextArgs(b, TextArgs.units(identity)).use { args ->
            val user = args.user(identity)
            withHandle { handle -> b.sealed { out -> CAbi.tw_testing_encrypt_with_nonce_utf16(handle, nonce, user, out) } }
        }
    }
}

/** An `IdentityKeyring`'s native keyring. */
internal class NativeKeyring(ffi: FfiKeyring) : NativeCipher(ffi, ffi.handle(), "IdentityKeyring") {
    override fun encryptCall(handle: Long, user: Long, b: Buffers): String =
        b.sealed { out -> CAbi.tw_keyring_encrypt_utf16(handle, user, out) }

    override fun decryptCall(handle: Long, token: Long, tokenLen: Long, b: Buffers): UserIdentity =
        b.opened { out -> CAbi.tw_keyring_decrypt_utf16(handle, token, tokenLen, out) }
}

/**
 * Runs [body] with [secret] placed after the other text arguments, and
 * wipes every placed code unit after it (the `String` itself is the
 * caller's).
 */
private inline fun <T> TextArgs.withSecret(secret: String, body: (Long) -> T): T {
    try {
        return body(put(secret, secret = true))
    } finally {
        wipe()
    }
}

/** `encryptUserToken`. */
internal fun encryptUserToken(secret: String, identity: UserIdentity): String {
    val b = Buffers.get()
    return TextArgs(b, TextArgs.units(identity) + secret.length).use { args ->
        val user = args.user(identity)
        args.withSecret(secret) { s -> b.sealed { out -> CAbi.tw_encrypt_user_token_utf16(s, secret.length.toLong(), user, out) } }
    }
}

/** `decryptUserToken`. */
internal fun decryptUserToken(secret: String, token: String): UserIdentity {
    val b = Buffers.get()
    return TextArgs(b, token.length + secret.length).use { args ->
        val t = args.putToken(token)
        args.withSecret(secret) { s ->
            b.opened { out -> CAbi.tw_decrypt_user_token_utf16(s, secret.length.toLong(), t, token.length.toLong(), out) }
        }
    }
}

/** `widgetScriptTag`: the core turns each lone surrogate into U+FFFD. */
internal fun widgetScriptTag(src: String, assistantId: String, userToken: String?): String {
    val b = Buffers.get()
    return TextArgs(b, src.length + assistantId.length + (userToken?.length ?: 0)).use { args ->
        val s = args.put(src)
        val a = args.put(assistantId)
        val t = args.putOptional(userToken)
        val tokenLen = userToken?.length?.toLong() ?: 0
        val status = CAbi.tw_widget_script_tag_utf16(s, src.length.toLong(), a, assistantId.length.toLong(), t, tokenLen, b.out.address)
        when {
            status == 0 -> b.text()
            CAbi.tw_status_code(status) != "buffer_too_small" -> throw b.refusal(status)
            // A tag longer than the thread's buffer: once more, into a buffer of the length the C ABI asked for.
            else -> Out(Memory(b.out.written().toLong()), Memory(MESSAGE_ROOM)).use { big ->
                val again = CAbi.tw_widget_script_tag_utf16(s, src.length.toLong(), a, assistantId.length.toLong(), t, tokenLen, big.address)
                if (again != 0) throw refusal(CAbi.tw_status_code(again), big.message())
                big.text(ByteArray(0))
            }
        }
    }
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
