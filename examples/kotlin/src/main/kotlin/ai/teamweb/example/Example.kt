// A Kotlin server's view of teamweb-identity: mint a token for the logged-in
// visitor and put it on the widget's script tag.
package ai.teamweb.example

import ai.teamweb.identity.AuthenticationFailedException
import ai.teamweb.identity.IdentityKey
import ai.teamweb.identity.IdentityKeyring
import ai.teamweb.identity.IdentityTokenException
import ai.teamweb.identity.UserIdentity
import ai.teamweb.identity.widgetScriptTag
import kotlin.system.exitProcess

/** The channel's identity secret: from the environment in production; a fresh one for this demo. */
private val key: IdentityKey =
    System.getenv("TEAMWEB_IDENTITY_SECRET")?.let(IdentityKey::fromBase64) ?: IdentityKey.generate()

/** What a page handler does for a logged-in visitor. */
fun scriptTagFor(userId: Long, name: String, email: String): String =
    widgetScriptTag(
        "https://teamweb.example/static/js/chat-widget.js",
        123,
        key.encrypt(UserIdentity(userId, name, email)),
    )

/** The README's Kotlin quickstart, exactly as printed there (tests/readme.py compares them). */
fun readmeQuickstart(): String {
    // README:begin
    val key = IdentityKey.fromBase64(System.getenv("TEAMWEB_IDENTITY_SECRET")) // once, at start-up
    val token = key.encrypt(UserIdentity("user_123", "Alice", "alice@example.com"))
    val tag = widgetScriptTag("https://teamweb.example/static/js/chat-widget.js", 123, token)
    // README:end
    check(key.decrypt(token).name == "Alice", "README quickstart round trip")
    return tag
}

private fun check(ok: Boolean, what: String) {
    if (!ok) {
        System.err.println("FAILED: $what")
        exitProcess(1)
    }
}

fun main() {
    if (System.getenv("TEAMWEB_IDENTITY_SECRET") != null) {
        println(readmeQuickstart())
    }
    val tag = scriptTagFor(42, "Zoë Ångström", "zoe@example.com")
    println(tag)
    val token = tag.substringAfter("data-user-token=\"").substringBefore('"')
    check(key.decrypt(token) == UserIdentity("42", "Zoë Ångström", "zoe@example.com"), "round trip")

    // Rotation: tokens made with the old secret still open.
    IdentityKeyring(IdentityKey.generate(), key).use { ring -> check(ring.decrypt(token).id == "42", "keyring") }

    try {
        IdentityKey.generate().decrypt(token)
        check(false, "another key opened the token")
    } catch (e: AuthenticationFailedException) {
        println("another key: ${e.code}")
    }
    try {
        key.encrypt(UserIdentity("   "))
        check(false, "a blank id was accepted")
    } catch (e: IdentityTokenException) {
        println("blank id: ${e.code}: ${e.message}")
    }
    println("$key")
    println("kotlin example: ok")
}
