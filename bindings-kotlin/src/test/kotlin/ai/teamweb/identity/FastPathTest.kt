package ai.teamweb.identity

import ai.teamweb.identity.ffi.FfiKey
import ai.teamweb.identity.ffi.FfiKeyring
import ai.teamweb.identity.ffi.ffiWidgetScriptTag
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Test
import java.util.concurrent.CountDownLatch
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicInteger

/** The fast path (src/fast.rs + FastPath.kt) agrees with the uniffi path and declines what it must. */
class FastPathTest {
    private val secret = "q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq80="

    private val hard = listOf(
        UserIdentity("u"),
        UserIdentity("\"".repeat(256), "\\".repeat(256), "\"".repeat(200) + "@b"),
        UserIdentity("é".repeat(128), "中".repeat(85), "😀".repeat(62) + "@b"),
        UserIdentity("42", "", ""),
        UserIdentity("</script>\u2028", "Zoë 👩‍💻", "zoe@example.com"),
    )

    @Test
    fun `fast and uniffi paths give the same identities`() {
        val ffi = FfiKey.fromBase64(utf16(secret))
        val fast = FastPath(ffi)
        for (identity in hard) {
            val token = fast.encrypt(identity)!!
            val viaUniffi = native { ffi.decrypt(utf16(token)) }.toUserIdentity()
            assertEquals(viaUniffi, fast.decrypt(token))
            assertEquals(viaUniffi, fast.decrypt(native { ffi.encrypt(identity.toFfi()) }))
            assertEquals(identity.id, viaUniffi.id)
        }
        fast.close()
    }

    @Test
    fun `the fast path declines refusals, which the uniffi path then throws`() {
        val fast = FastPath(FfiKey.fromBase64(utf16(secret)))
        assertNull(fast.encrypt(UserIdentity(" ")))
        assertNull(fast.encrypt(UserIdentity("a\uD800")))
        assertNull(fast.decrypt("not a token"))
        assertNull(fast.decrypt(IdentityKey.generate().encrypt(UserIdentity("u"))))
        fast.close()
        assertNull(fast.encrypt(UserIdentity("u")))
    }

    @Test
    fun `keyring fast and uniffi paths give the same identities`() {
        val new = FfiKey.fromBase64(utf16(secret))
        val old = FfiKey.generate()
        val ffi = FfiKeyring(listOf(new, old))
        val fast = FastPath(ffi)
        val oldFast = FastPath(old)
        for (identity in hard) {
            // Made with the first key: opens with it alone, and through uniffi.
            val token = fast.encrypt(identity)!!
            val viaUniffi = native { ffi.decrypt(utf16(token)) }.toUserIdentity()
            assertEquals(viaUniffi, native { new.decrypt(utf16(token)) }.toUserIdentity())
            assertEquals(viaUniffi, fast.decrypt(token))
            // Made with the second key: the keyring still opens it.
            assertEquals(viaUniffi, fast.decrypt(oldFast.encrypt(identity)!!))
            assertEquals(identity.id, viaUniffi.id)
        }
        assertNull(fast.encrypt(UserIdentity(" ")))
        assertNull(fast.decrypt("not a token"))
        assertNull(fast.decrypt(IdentityKey.generate().encrypt(UserIdentity("u"))))
        fast.close()
        assertNull(fast.encrypt(UserIdentity("u")))
        assertNull(fast.decrypt(oldFast.encrypt(UserIdentity("u"))!!))
        oldFast.close()
    }

    @Test
    fun `script tag fast and uniffi paths agree`() {
        val texts = listOf(
            "https://teamweb.example/static/js/chat-widget.js",
            "",
            "/w.js?a=1&b=2\"'<>",
            "a\uD800b\uDC00",
            "Zoë 👩‍💻 中",
            "&quot;".repeat(300),
            "\"".repeat(2000),
        )
        for (src in texts) {
            for (id in texts) {
                for (token in texts.map<String, String?> { it } + null) {
                    val viaUniffi = ffiWidgetScriptTag(utf16(src), utf16(id), token?.let(::utf16))
                    assertEquals(viaUniffi, FastPath.scriptTag(src, id, token))
                    assertEquals(viaUniffi, widgetScriptTag(src, id, token))
                }
            }
        }
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
