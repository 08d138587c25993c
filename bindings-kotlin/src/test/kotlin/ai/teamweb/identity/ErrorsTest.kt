package ai.teamweb.identity

import ai.teamweb.identity.ffi.ffiSelfTestPanic
import ai.teamweb.identity.internal.uniffi
import ai.teamweb.identity.testing.encryptWithNonce
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import java.util.Base64

/** Bad input of every kind in docs/FORMAT.md, sections 2-4, throws the documented exception, and no message echoes a secret. */
class ErrorsTest {
    private val secret = "q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq80="
    private val key = IdentityKey.fromBase64(secret)

    private inline fun <reified E : IdentityTokenException> refused(code: String, call: () -> Unit): E {
        val e = assertThrows<E> { call() }
        assertEquals(code, e.code)
        assertFalse(e.message!!.contains(secret), "message echoes the secret")
        assertFalse(e.message!!.contains(secret.substring(0, 20)), "message echoes part of the secret")
        return e
    }

    @Test
    fun `the five kinds and their codes`() {
        // Exhaustive without an else branch: the compiler checks there are exactly these five.
        fun kind(e: IdentityTokenException): String = when (e) {
            is InvalidSecretException -> "invalid_secret"
            is InvalidIdentityException -> "invalid_identity"
            is MalformedTokenException -> "malformed_token"
            is AuthenticationFailedException -> "authentication_failed"
            is InvalidPayloadException -> "invalid_payload"
        }
        for (e in listOf(
            InvalidSecretException("m"), InvalidIdentityException("m"), MalformedTokenException("m"),
            AuthenticationFailedException("m"), InvalidPayloadException("m"),
        )) {
            assertEquals(kind(e), e.code)
            assertEquals("m", e.message)
        }
    }

    @Test
    fun `secrets (section 4)`() {
        refused<InvalidSecretException>("invalid_secret") { IdentityKey.fromBase64("") }
        refused<InvalidSecretException>("invalid_secret") { IdentityKey.fromBase64("not base64 at all!") }
        val short = refused<InvalidSecretException>("invalid_secret") { IdentityKey.fromBase64("c2hvcnQ=") }
        assertTrue(short.message!!.contains("5 bytes"), short.message)
        val hexSecret = "ab".repeat(32)
        val hex = refused<InvalidSecretException>("invalid_secret") { IdentityKey.fromBase64(hexSecret) }
        assertTrue(hex.message!!.contains("hex"), hex.message)
        assertFalse(hex.message!!.contains(hexSecret))
        // 31 and 33 bytes, with the secret's own characters: never echoed.
        val long = Base64.getEncoder().encodeToString(Base64.getDecoder().decode(secret) + byteArrayOf(1))
        val e = refused<InvalidSecretException>("invalid_secret") { IdentityKey.fromBase64(long) }
        assertFalse(e.message!!.contains(long))
        refused<InvalidSecretException>("invalid_secret") { IdentityKey.fromBase64(secret.dropLast(4) + "\uD800") }
        refused<InvalidSecretException>("invalid_secret") { decryptUserToken("nope", "whatever") }
        // Accepted spellings: whitespace, URL-safe, unpadded.
        assertEquals(secret, IdentityKey.fromBase64("  $secret\n").secretBase64())
        assertEquals(secret, IdentityKey.fromBase64(secret.trimEnd('=')).secretBase64())
    }

    @Test
    fun `identities (section 2)`() {
        fun bad(identity: UserIdentity) = refused<InvalidIdentityException>("invalid_identity") { key.encrypt(identity) }
        bad(UserIdentity(""))
        bad(UserIdentity(" \t\u3000"))
        bad(UserIdentity("x".repeat(257)))
        bad(UserIdentity("é".repeat(129)))
        bad(UserIdentity("u", "n".repeat(257)))
        bad(UserIdentity("u", email = "a".repeat(250) + "@b.cd"))
        bad(UserIdentity("u", email = "no-at-sign"))
        bad(UserIdentity("u", email = "a@"))
        bad(UserIdentity("u", email = "@b"))
        bad(UserIdentity("u", email = "a b@c"))
        bad(UserIdentity("u\u0000"))
        bad(UserIdentity("u", "tab\there"))
        bad(UserIdentity("u", "del\u007f"))
        bad(UserIdentity("u", "c1\u0085"))
        // Lone surrogates are refused, not replaced, in every field and every position.
        for (lone in listOf("\uD800", "\uDFFF", "a\uD83D", "\uDE00b", "\uDE00\uD83D")) {
            val e = bad(UserIdentity(lone))
            assertTrue(e.message!!.contains("surrogate"), e.message)
            bad(UserIdentity("u", lone))
            bad(UserIdentity("u", null, "a$lone@b"))
            refused<InvalidIdentityException>("invalid_identity") { encryptWithNonce(key, ByteArray(12), UserIdentity(lone)) }
        }
        // At the limits exactly: accepted.
        key.encrypt(UserIdentity("x".repeat(256), "é".repeat(128), "a".repeat(252) + "@b"))
        key.encrypt(UserIdentity("😀".repeat(64)))
    }

    @Test
    fun `tokens (section 3)`() {
        val token = key.encrypt(UserIdentity("u1"))
        refused<MalformedTokenException>("malformed_token") { key.decrypt("") }
        refused<MalformedTokenException>("malformed_token") { key.decrypt("!!!!") }
        refused<MalformedTokenException>("malformed_token") { key.decrypt("AAAA") }
        refused<MalformedTokenException>("malformed_token") { key.decrypt("A".repeat(8193)) }
        refused<MalformedTokenException>("malformed_token") { key.decrypt(token.dropLast(2) + "\uD800") }
        val other = IdentityKey.generate()
        refused<AuthenticationFailedException>("authentication_failed") { other.decrypt(token) }
        val bytes = Base64.getDecoder().decode(token)
        bytes[15] = (bytes[15].toInt() xor 1).toByte()
        val changed = refused<AuthenticationFailedException>("authentication_failed") {
            key.decrypt(Base64.getEncoder().encodeToString(bytes))
        }
        assertFalse(changed.message!!.contains(token))
        // Not an identity: the peer seals a plaintext that is valid JSON but not an identity object.
        val peer = ai.teamweb.identity.peer.JcaPeer(secret)
        for (plaintext in listOf("[]", "{}", "{\"id\":\"\"}", "{\"id\":true}", "{\"id\":\"a\",\"id\":\"b\"}", "not json")) {
            refused<InvalidPayloadException>("invalid_payload") {
                key.decrypt(peer.encryptWithNonce(ByteArray(12), plaintext.toByteArray()))
            }
        }
        // Surrounding whitespace is trimmed; URL-safe and unpadded base64 open.
        assertEquals("u1", key.decrypt("\n $token\t").id)
        assertEquals("u1", key.decrypt(token.replace('+', '-').replace('/', '_').trimEnd('=')).id)
    }

    @Test
    fun `keys never show their bytes`() {
        assertEquals("IdentityKey(<redacted>)", key.toString())
        assertFalse("$key".contains(secret))
        IdentityKeyring(key, IdentityKey.generate()).use { assertEquals("IdentityKeyring(2 keys, <redacted>)", it.toString()) }
    }

    @Test
    fun `the testing entry point wants 12 bytes of nonce`() {
        assertThrows<IllegalArgumentException> { encryptWithNonce(key, ByteArray(11), UserIdentity("u")) }
        assertThrows<IllegalArgumentException> { encryptWithNonce(key, ByteArray(13), UserIdentity("u")) }
    }

    @Test
    fun `a Rust panic is a typed exception and the JVM carries on`() {
        repeat(3) {
            val e = assertThrows<IllegalStateException> { uniffi { ffiSelfTestPanic() } }
            assertTrue(e.message!!.contains("internal error"), e.message)
        }
        assertEquals("u", key.decrypt(key.encrypt(UserIdentity("u"))).id)
    }

    @Test
    fun `a closed key refuses to work, and closing twice is harmless`() {
        val k = IdentityKey.generate()
        val token = k.encrypt(UserIdentity("u"))
        k.close()
        k.close()
        assertThrows<IllegalStateException> { k.decrypt(token) }
        assertThrows<IllegalStateException> { k.encrypt(UserIdentity("u")) }
    }

    @Test
    fun `an empty keyring is invalid_secret, as in every package`() {
        val e = assertThrows<InvalidSecretException> { IdentityKeyring(emptyList()) }
        assertEquals("invalid_secret", e.code)
        assertEquals("invalid secret: a keyring needs at least one key", e.message)
        assertThrows<InvalidSecretException> { IdentityKeyring() }
    }

    @Test
    fun `a closed key cannot go into a keyring`() {
        val k = IdentityKey.generate()
        k.close()
        assertThrows<IllegalStateException> { IdentityKeyring(k) }
    }

    @Test
    fun `exceptions are unchecked, so encrypt works as a function value`() {
        assertTrue(RuntimeException::class.java.isAssignableFrom(IdentityTokenException::class.java))
        val encrypt: java.util.function.Function<UserIdentity, String> = java.util.function.Function(key::encrypt)
        assertEquals(listOf("a", "b"), listOf(UserIdentity("a"), UserIdentity("b")).map(encrypt::apply).map { key.decrypt(it).id })
    }
}
