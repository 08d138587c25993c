package ai.teamweb.identity

import ai.teamweb.identity.ffi.FfiKey
import ai.teamweb.identity.ffi.FfiKeyring
import ai.teamweb.identity.ffi.OpenedIdentity
import ai.teamweb.identity.ffi.Utf16Identity
import ai.teamweb.identity.ffi.ffiDecryptUserToken
import ai.teamweb.identity.ffi.ffiEncryptUserToken
import ai.teamweb.identity.ffi.ffiWidgetScriptTag
import ai.teamweb.identity.internal.NativeKey
import ai.teamweb.identity.internal.NativeKeyring
import ai.teamweb.identity.internal.uniffi
import ai.teamweb.identity.internal.utf16
import ai.teamweb.identity.testing.encryptWithNonce
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import java.util.concurrent.CountDownLatch
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicInteger

/**
 * The direct functions (src/fast.rs + internal/Native.kt), which every token
 * call takes, agree with the uniffi exports (which other uniffi-generated
 * packages use) on results and on refusals: same exception kind and message.
 */
class DirectPathTest {
    private val secret = "q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq80="

    private val hard = listOf(
        UserIdentity("u"),
        UserIdentity("\"".repeat(256), "\\".repeat(256), "\"".repeat(200) + "@b"),
        UserIdentity("é".repeat(128), "中".repeat(85), "😀".repeat(62) + "@b"),
        UserIdentity("42", "", ""),
        UserIdentity("</script>\u2028", "Zoë 👩‍💻", "zoe@example.com"),
    )

    /** Refused identities and tokens: each direct refusal must match uniffi's. */
    private val badIdentities = listOf(UserIdentity(" "), UserIdentity("a\uD800"), UserIdentity("u", null, "no-at"), UserIdentity("x".repeat(257)))
    private val badTokens = listOf("not a token", "", "\uD800", "A".repeat(8193))

    private fun UserIdentity.toFfi() = Utf16Identity(utf16(id), name?.let(::utf16), email?.let(::utf16))

    private fun OpenedIdentity.toUserIdentity() = UserIdentity(id, name, email)

    /** The exception's class and message (or the result) of [call]. */
    private fun outcome(call: () -> Any): String =
        try {
            "ok ${call()}"
        } catch (e: RuntimeException) {
            "${e.javaClass.simpleName}: ${e.message}"
        }

    @Test
    fun `key - direct and uniffi paths give the same identities and the same refusals`() {
        val ffi = FfiKey.fromBase64(utf16(secret))
        val direct = NativeKey(FfiKey.fromBase64(utf16(secret)))
        for (identity in hard) {
            val token = direct.encrypt(identity)
            val viaUniffi = uniffi { ffi.decrypt(utf16(token)) }.toUserIdentity()
            assertEquals(identity.id, viaUniffi.id)
            assertEquals(viaUniffi, direct.decrypt(token))
            assertEquals(viaUniffi, direct.decrypt(uniffi { ffi.encrypt(identity.toFfi()) }))
        }
        for (bad in badIdentities) {
            assertEquals(outcome { uniffi { ffi.encrypt(bad.toFfi()) } }, outcome { direct.encrypt(bad) })
        }
        for (bad in badTokens + IdentityKey.generate().encrypt(UserIdentity("u"))) {
            assertEquals(outcome { uniffi { ffi.decrypt(utf16(bad)) } }, outcome { direct.decrypt(bad) })
        }
        direct.close()
        assertThrows<IllegalStateException> { direct.encrypt(UserIdentity("u")) }
    }

    @Test
    fun `keyring - direct and uniffi paths agree`() {
        val new = FfiKey.fromBase64(utf16(secret))
        val old = NativeKey(FfiKey.generate())
        val ffi = FfiKeyring(listOf(new, old.ffi))
        val direct = NativeKeyring(FfiKeyring(listOf(new, old.ffi)))
        for (identity in hard) {
            // Made with the first key: opens with it alone, and through uniffi.
            val token = direct.encrypt(identity)
            val viaUniffi = uniffi { ffi.decrypt(utf16(token)) }.toUserIdentity()
            assertEquals(viaUniffi, uniffi { new.decrypt(utf16(token)) }.toUserIdentity())
            assertEquals(viaUniffi, direct.decrypt(token))
            // Made with the second key: the keyring still opens it.
            assertEquals(viaUniffi, direct.decrypt(old.encrypt(identity)))
        }
        for (bad in badIdentities) {
            assertEquals(outcome { uniffi { ffi.encrypt(bad.toFfi()) } }, outcome { direct.encrypt(bad) })
        }
        for (bad in badTokens + IdentityKey.generate().encrypt(UserIdentity("u"))) {
            assertEquals(outcome { uniffi { ffi.decrypt(utf16(bad)) } }, outcome { direct.decrypt(bad) })
        }
        direct.close()
        assertThrows<IllegalStateException> { direct.decrypt(old.encrypt(UserIdentity("u"))) }
    }

    @Test
    fun `one-shots - direct and uniffi paths agree`() {
        val secrets = listOf(secret, "", "c2hvcnQ=", "not base64!", secret.dropLast(4) + "\uD800", " $secret\n")
        for (s in secrets) {
            for (identity in hard + badIdentities) {
                val direct = outcome { encryptUserToken(s, identity) }
                val viaUniffi = outcome { uniffi { ffiEncryptUserToken(utf16(s), identity.toFfi()) } }
                // Tokens differ (fresh nonces); refusals must not.
                if (direct.startsWith("ok ")) assertEquals(identity.id, decryptUserToken(s, direct.removePrefix("ok ")).id)
                else assertEquals(viaUniffi, direct)
            }
            for (token in badTokens + IdentityKey.fromBase64(secret).encrypt(UserIdentity("u", "N"))) {
                assertEquals(
                    outcome { uniffi { ffiDecryptUserToken(utf16(s), utf16(token)) }.toUserIdentity() },
                    outcome { decryptUserToken(s, token) },
                )
            }
        }
    }

    @Test
    fun `the testing call - the same token as the uniffi export, and the same refusals`() {
        val ffi = FfiKey.fromBase64(utf16(secret))
        val key = IdentityKey.fromBase64(secret)
        for (nonce in listOf(ByteArray(12), ByteArray(12) { it.toByte() }, ByteArray(11), ByteArray(0))) {
            for (identity in hard + badIdentities) {
                assertEquals(
                    outcome { uniffi { ffi.encryptWithNonce(nonce, identity.toFfi()) } },
                    outcome { encryptWithNonce(key, nonce, identity) },
                )
            }
        }
    }

    @Test
    fun `script tag - direct and uniffi paths agree`() {
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
