package ai.teamweb.identity

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNotEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

/** The API of the README (API): keys, identities, keyrings, one-shots and the script tag. */
class ApiTest {
    private val secret = "q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq80="

    @Test
    fun `round trip and fresh nonces`() {
        IdentityKey.fromBase64(secret).use { key ->
            val alice = UserIdentity("user_123", "Alice", "alice@example.com")
            val a = key.encrypt(alice)
            val b = key.encrypt(alice)
            assertNotEquals(a, b)
            assertEquals(alice, key.decrypt(a))
            assertEquals(secret, key.secretBase64())
        }
    }

    @Test
    fun `identities - Long ids, empty means absent`() {
        assertEquals(UserIdentity("42"), UserIdentity(42L))
        assertEquals("-9223372036854775808", UserIdentity(Long.MIN_VALUE).id)
        assertEquals(UserIdentity("7", "N", "e@x"), UserIdentity(7, "N", "e@x"))
        val key = IdentityKey.generate()
        val opened = key.decrypt(key.encrypt(UserIdentity("u", "", "")))
        assertNull(opened.name)
        assertNull(opened.email)
        assertEquals(UserIdentity("9007199254740993"), key.decrypt(key.encrypt(UserIdentity(9007199254740993L))))
    }

    @Test
    fun `generate gives distinct 44-character secrets`() {
        val a = IdentityKey.generate().secretBase64()
        val b = IdentityKey.generate().secretBase64()
        assertEquals(44, a.length)
        assertNotEquals(a, b)
    }

    @Test
    fun `keyring encrypts with the first key and decrypts with any`() {
        val old = IdentityKey.generate()
        val new = IdentityKey.generate()
        val oldToken = old.encrypt(UserIdentity("u1"))
        IdentityKeyring(listOf(new, old)).use { ring ->
            assertEquals(2, ring.size)
            assertEquals("u1", ring.decrypt(oldToken).id)
            assertEquals("u2", new.decrypt(ring.encrypt(UserIdentity("u2"))).id)
            assertThrows<AuthenticationFailedException> { ring.decrypt(IdentityKey.generate().encrypt(UserIdentity("x"))) }
            // The keyring holds its own copies of the keys.
            old.close()
            assertEquals("u1", ring.decrypt(oldToken).id)
        }
    }

    @Test
    fun `one-shot functions`() {
        val token = encryptUserToken(secret, UserIdentity(42L, "Bob"))
        assertEquals(UserIdentity("42", "Bob"), decryptUserToken(secret, token))
    }

    @Test
    fun `widget script tag`() {
        assertEquals(
            "<script src=\"https://x.test/w.js?a=1&amp;b=2\" data-assistant-id=\"123\" data-user-token=\"tok+/=\"></script>",
            widgetScriptTag("https://x.test/w.js?a=1&b=2", 123L, "tok+/="),
        )
        assertEquals(
            "<script src=\"/w.js\" data-assistant-id=\"a&quot;b&#x27;&lt;&gt;\"></script>",
            widgetScriptTag("/w.js", "a\"b'<>"),
        )
        assertEquals(widgetScriptTag("/w.js", "7", null), widgetScriptTag("/w.js", 7))
    }
}
