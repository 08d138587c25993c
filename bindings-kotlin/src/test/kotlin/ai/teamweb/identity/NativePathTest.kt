package ai.teamweb.identity

import ai.teamweb.identity.testing.encryptWithNonce
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import java.lang.management.ManagementFactory
import java.util.concurrent.CountDownLatch
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicInteger

/**
 * The per-call path: the C ABI of bindings-c through JNA direct mapping
 * (internal/Native.kt), with per-thread buffers sized by the C ABI.
 */
class NativePathTest {
    private val secret = "q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq80="

    /** The longest identities the rules allow, escaping, non-BMP text, "" as absent. */
    private val hard = listOf(
        UserIdentity("u"),
        UserIdentity("\"".repeat(256), "\\".repeat(256), "\"".repeat(252) + "@b"),
        UserIdentity("é".repeat(128), "中".repeat(85), "😀".repeat(62) + "@b"),
        UserIdentity("42", "", ""),
        UserIdentity("</script>\u2028", "Zoë 👩‍💻", "zoe@example.com"),
    )

    @Test
    fun `key, keyring and one-shots round-trip the hardest identities`() {
        val key = IdentityKey.fromBase64(secret)
        val other = IdentityKey.generate()
        val ring = IdentityKeyring(key, other)
        for (identity in hard) {
            assertEquals(identity, key.decrypt(key.encrypt(identity)))
            assertEquals(identity, ring.decrypt(other.encrypt(identity)))
            assertEquals(identity, key.decrypt(ring.encrypt(identity)))
            assertEquals(identity, decryptUserToken(secret, encryptUserToken(secret, identity)))
            assertEquals(identity, key.decrypt(encryptWithNonce(key, ByteArray(12), identity)))
        }
    }

    @Test
    fun `refusals carry the core's code and message`() {
        val key = IdentityKey.fromBase64(secret)
        val e = assertThrows<InvalidIdentityException> { key.encrypt(UserIdentity("a\uD800")) }
        assertTrue(e.message!!.startsWith("id "), e.message)
        assertThrows<InvalidIdentityException> { key.encrypt(UserIdentity("x".repeat(257))) }
        assertThrows<InvalidIdentityException> { IdentityKeyring(key).encrypt(UserIdentity(" ")) }
        assertThrows<MalformedTokenException> { key.decrypt("\uD800") }
        assertThrows<MalformedTokenException> { key.decrypt("A".repeat(8193)) }
        assertThrows<AuthenticationFailedException> { key.decrypt(IdentityKey.generate().encrypt(UserIdentity("u"))) }
        assertThrows<InvalidSecretException> { encryptUserToken(secret.dropLast(4) + "\uD800", UserIdentity("u")) }
        assertThrows<InvalidSecretException> { decryptUserToken("", key.encrypt(UserIdentity("u"))) }
        assertThrows<InvalidSecretException> { IdentityKey.fromBase64("c2hvcnQ=") }
    }

    @Test
    fun `script tag - lone surrogates become U+FFFD, long tags fit`() {
        assertEquals(
            "<script src=\"/w.js\" data-assistant-id=\"1\uFFFD\" data-user-token=\"\uFFFDt\"></script>",
            widgetScriptTag("/w.js", "1\uDC00", "\uD800t"),
        )
        // Longer than the thread's buffer: the C ABI says how long, and the call is made once more.
        val long = "\"".repeat(4000)
        assertEquals(8000, Regex("&quot;").findAll(widgetScriptTag(long, "1", long)).count())
    }

    @Test
    fun `empty name and email are absent, in equality too`() {
        val key = IdentityKey.generate()
        val blank = UserIdentity("u", "", "")
        assertNull(blank.name)
        assertNull(blank.email)
        assertEquals(UserIdentity("u"), blank)
        assertEquals(UserIdentity("u").hashCode(), blank.hashCode())
        assertEquals(blank, key.decrypt(key.encrypt(blank)))
    }

    /** Bytes this thread allocates while [call] runs. */
    private fun allocated(call: () -> Unit): Long {
        val bean = ManagementFactory.getThreadMXBean() as com.sun.management.ThreadMXBean
        val before = bean.getThreadAllocatedBytes(Thread.currentThread().id)
        call()
        return bean.getThreadAllocatedBytes(Thread.currentThread().id) - before
    }

    @Test
    fun `a huge token is refused from its length, without a copy`() {
        val key = IdentityKey.generate()
        val ring = IdentityKeyring(listOf(key))
        val secret = key.secretBase64()
        key.decrypt(key.encrypt(UserIdentity("warm-up")))
        val token = "A".repeat(20_000_000)
        for (open in listOf<(String) -> Unit>({ key.decrypt(it) }, { ring.decrypt(it) }, { decryptUserToken(secret, it) })) {
            val bytes = allocated {
                val e = assertThrows<MalformedTokenException> { open(token) }
                assertEquals("malformed token: it is longer than 8192 characters", e.message)
            }
            assertTrue(bytes < 100_000, "allocated $bytes bytes for a token of ${token.length} characters")
        }
        // Past 65,536 characters before trimming, whitespace or not (docs/FORMAT.md, section 3).
        assertThrows<MalformedTokenException> { key.decrypt(" ".repeat(70_000) + key.encrypt(UserIdentity("u"))) }
        // Longer than the thread's input buffer, within the bounds: copied once, for the call, and opened.
        val padded = " ".repeat(30_000) + key.encrypt(UserIdentity("u", "N")) + "\n".repeat(30_000)
        assertEquals(UserIdentity("u", "N"), key.decrypt(padded))
        assertEquals(UserIdentity("u", "N"), ring.decrypt(padded))
        assertEquals(UserIdentity("u", "N"), decryptUserToken(secret, padded))
    }

    @Test
    fun `an over-long field is refused without allocating many times its size`() {
        val key = IdentityKey.generate()
        key.decrypt(key.encrypt(UserIdentity("warm-up")))
        val name = "n".repeat(4_000_000)
        val bytes = allocated { assertThrows<InvalidIdentityException> { key.encrypt(UserIdentity("u", name)) } }
        // The code units handed to the C ABI (2 bytes each, once), nothing sized by the format.
        assertTrue(bytes < 3L * name.length, "allocated $bytes bytes for a field of ${name.length} characters")
    }

    @Test
    fun `many threads share keys and buffers`() {
        val key = IdentityKey.generate()
        val pool = Executors.newFixedThreadPool(8)
        val tasks = (1..8).map { t ->
            pool.submit<Int> {
                var n = 0
                repeat(500) { i ->
                    val who = UserIdentity("t$t-$i", "N".repeat(i % 256), if (i % 2 == 0) "a@b" else null)
                    if (key.decrypt(key.encrypt(who)) == who) n++
                }
                n
            }
        }
        assertEquals(8 * 500, tasks.sumOf { it.get(60, TimeUnit.SECONDS) })
        pool.shutdown()
    }

    @Test
    fun `closing while other threads encrypt never crashes`() {
        repeat(20) {
            val key = IdentityKey.generate()
            val started = CountDownLatch(4)
            val ok = AtomicInteger()
            val pool = Executors.newFixedThreadPool(4)
            val workers = (1..4).map {
                pool.submit {
                    started.countDown()
                    try {
                        while (true) {
                            key.decrypt(key.encrypt(UserIdentity("u")))
                            ok.incrementAndGet()
                        }
                    } catch (e: IllegalStateException) {
                        // closed: expected
                    }
                }
            }
            started.await()
            Thread.sleep(5)
            key.close()
            // Anything but the expected IllegalStateException fails the test here.
            workers.forEach { it.get(10, TimeUnit.SECONDS) }
            pool.shutdown()
        }
    }
}
