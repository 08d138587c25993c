package ai.teamweb.identity

import ai.teamweb.identity.peer.JcaPeer
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Test
import java.util.Base64
import kotlin.random.Random

/** Tokens go both ways between the package and plain JCA (SecureRandom, AES/GCM/NoPadding, Base64, Jackson). */
class InteropTest {
    private val random = Random(20240611)

    private val alphabet: List<String> = buildList {
        ('a'..'z').forEach { add(it.toString()) }
        ('0'..'9').forEach { add(it.toString()) }
        addAll(listOf(" ", "\"", "\\", "/", "<", ">", "&", "'", "é", "ñ", "ß", "ü", "中", "文", "日本", "Ω", "\u2028", "\u00a0"))
        addAll(listOf("😀", "🎉", "𝄞", "👩‍💻", "🇺🇸")) // astral characters: surrogate pairs in Kotlin
    }

    private fun text(min: Int, max: Int) = buildString { repeat(random.nextInt(min, max + 1)) { append(alphabet.random(random)) } }

    private fun randomIdentity(): UserIdentity {
        val id = if (random.nextInt(5) == 0) random.nextLong().toString() else "u" + text(0, 20)
        val name = if (random.nextBoolean()) text(1, 20) else null
        val email = if (random.nextBoolean()) text(1, 10).filterNot(Char::isWhitespace).replace(" ", "") + "x@example.中国" else null
        return UserIdentity(id, name, email?.replace("\u2028", "")?.replace("\u00a0", ""))
    }

    @Test
    fun `package tokens open with plain JCA and JCA tokens open with the package`() {
        repeat(20) {
            // Half the keys come from the package, half from SecureRandom through java.util.Base64.
            val secret = if (it % 2 == 0) IdentityKey.generate().use { k -> k.secretBase64() }
            else Base64.getEncoder().encodeToString(ByteArray(32).also { b -> java.security.SecureRandom().nextBytes(b) })
            val peer = JcaPeer(secret)
            IdentityKey.fromBase64(secret).use { key ->
                repeat(50) {
                    val identity = randomIdentity()
                    val expected = UserIdentity(identity.id, identity.name, identity.email)

                    val opened = peer.decrypt(key.encrypt(identity))
                    assertEquals(expected, UserIdentity(opened.id, opened.name, opened.email))

                    val jcaToken = peer.encrypt(identity.id, identity.name, identity.email)
                    assertEquals(expected, key.decrypt(jcaToken))

                    // Jackson writes astral characters as \u surrogate-pair escapes, so only the
                    // parsed identities are compared here; exact plaintexts are checked by the vectors.
                }
            }
        }
    }
}
