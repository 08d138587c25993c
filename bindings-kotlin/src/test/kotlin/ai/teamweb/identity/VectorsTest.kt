package ai.teamweb.identity

import ai.teamweb.identity.peer.JcaPeer
import ai.teamweb.identity.testing.encryptWithNonce
import com.fasterxml.jackson.databind.JsonNode
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.DynamicTest
import org.junit.jupiter.api.DynamicTest.dynamicTest
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestFactory
import org.junit.jupiter.api.assertThrows

/** Every conformance vector in tests/vectors/vectors.json, one dynamic test each. */
class VectorsTest {
    private fun section(name: String, body: (JsonNode) -> Unit): List<DynamicTest> =
        vectors[name].map { v -> dynamicTest("$name/${v["name"].asText()}") { body(v) } }

    private fun assertRefused(code: String, secret: String?, call: () -> Unit) {
        val e = assertThrows<IdentityTokenException> { call() }
        assertEquals(code, e.code)
        assertTrue(exceptionForCode.getValue(code).isInstance(e), "${e::class} for $code")
        if (!secret.isNullOrBlank() && secret.trim().length >= 8) {
            assertFalse(e.message!!.contains(secret.trim()), "message echoes the secret")
        }
    }

    private fun assertOpens(expected: JsonNode, actual: UserIdentity) {
        assertEquals(UserIdentity(expected["id"].asText(), field(expected["name"]), field(expected["email"])), actual)
    }

    @Test
    fun `every section is present and non-empty`() {
        for (s in listOf("valid", "invalid_identities", "invalid_secrets", "secret_spellings", "invalid_tokens", "foreign_tokens")) {
            assertTrue(vectors[s].size() > 0, s)
        }
    }

    @TestFactory
    fun valid() = section("valid") { v ->
        val identity = identityOf(v["identity"])
        IdentityKey.fromBase64(v["secret"].asText()).use { key ->
            assertEquals(v["token"].asText(), encryptWithNonce(key, hex(v["nonce"].asText()), identity))
            assertOpens(v["decrypted"], key.decrypt(v["token"].asText()))
            assertOpens(v["decrypted"], key.decrypt(key.encrypt(identity)))
        }
        assertOpens(v["decrypted"], decryptUserToken(v["secret"].asText(), v["token"].asText()))
        // The plain-JCA peer reads the same plaintext out of the token.
        assertEquals(v["plaintext"].asText(), JcaPeer.utf8(JcaPeer(v["secret"].asText()).open(v["token"].asText())))
    }

    @TestFactory
    fun invalidIdentities() = section("invalid_identities") { v ->
        val identity = identityOf(v["identity"])
        IdentityKey.generate().use { key ->
            assertRefused(v["code"].asText(), null) { key.encrypt(identity) }
            assertRefused(v["code"].asText(), null) { encryptWithNonce(key, ByteArray(12), identity) }
            assertRefused(v["code"].asText(), null) { encryptUserToken(key.secretBase64(), identity) }
        }
    }

    @TestFactory
    fun invalidSecrets() = section("invalid_secrets") { v ->
        val secret = v["secret"].asText()
        assertRefused(v["code"].asText(), secret) { IdentityKey.fromBase64(secret) }
        assertRefused(v["code"].asText(), secret) { encryptUserToken(secret, UserIdentity("u1")) }
    }

    @TestFactory
    fun secretSpellings() = section("secret_spellings") { v ->
        IdentityKey.fromBase64(v["secret"].asText()).use { assertEquals(v["secret_base64"].asText(), it.secretBase64()) }
    }

    @TestFactory
    fun invalidTokens() = section("invalid_tokens") { v ->
        IdentityKey.fromBase64(v["secret"].asText()).use { key ->
            assertRefused(v["code"].asText(), v["secret"].asText()) { key.decrypt(v["token"].asText()) }
            IdentityKeyring(key).use { ring ->
                assertRefused(v["code"].asText(), v["secret"].asText()) { ring.decrypt(v["token"].asText()) }
            }
        }
        assertRefused(v["code"].asText(), v["secret"].asText()) { decryptUserToken(v["secret"].asText(), v["token"].asText()) }
    }

    @TestFactory
    fun foreignTokens() = section("foreign_tokens") { v ->
        IdentityKey.fromBase64(v["secret"].asText()).use { key -> assertOpens(v["decrypted"], key.decrypt(v["token"].asText())) }
    }
}
