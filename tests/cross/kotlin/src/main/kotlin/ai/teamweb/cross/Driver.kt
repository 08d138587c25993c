// The Kotlin/JVM package's cross-language driver (tests/cross/PROTOCOL.md):
// one JSON request per line on stdin, one JSON answer per line on stdout.
package ai.teamweb.cross

import ai.teamweb.identity.IdentityKey
import ai.teamweb.identity.IdentityKeyring
import ai.teamweb.identity.IdentityTokenException
import ai.teamweb.identity.UserIdentity
import ai.teamweb.identity.peer.JcaPeer
import ai.teamweb.identity.testing.encryptWithNonce
import ai.teamweb.identity.widgetScriptTag
import com.fasterxml.jackson.databind.JsonNode
import com.fasterxml.jackson.databind.ObjectMapper
import com.fasterxml.jackson.databind.node.JsonNodeFactory
import java.io.PrintStream

private val json = ObjectMapper()
private val nodes = JsonNodeFactory.instance

/** A request that does not have the protocol's shape. */
private class TypeError(what: String) : Exception(what)

/** An integer the JVM package's integer type (Long) cannot hold. */
private class Unsupported : Exception("does not fit a Long")

/** The plain-JCA peer failed. */
private class PeerFailed(cause: Throwable) : Exception(cause)

/** A protocol string value: text, or {"utf16": [units]} built natively from code units. */
private fun text(node: JsonNode?): String? = when {
    node == null || node.isNull -> null
    node.isTextual -> node.asText()
    node.isObject && node["utf16"]?.isArray == true ->
        String(CharArray(node["utf16"].size()) { node["utf16"][it].asInt().toChar() })
    else -> throw TypeError("not a string")
}

/** A protocol integer (a JSON integer or {"bigint": "<decimal>"}) as the package's Long, or null if it is neither. */
private fun integer(node: JsonNode): Long? = when {
    node.isIntegralNumber -> if (node.canConvertToLong()) node.asLong() else throw Unsupported()
    node.isObject && node["bigint"]?.isTextual == true -> node["bigint"].asText().toLongOrNull() ?: throw Unsupported()
    else -> null
}

private fun identity(node: JsonNode): UserIdentity {
    val id = node["id"] ?: throw TypeError("no id")
    val (name, email) = text(node["name"]) to text(node["email"])
    return integer(id)?.let { UserIdentity(it, name, email) }
        ?: UserIdentity(text(id) ?: throw TypeError("null id"), name, email)
}

private fun opened(id: String, name: String?, email: String?): JsonNode =
    nodes.objectNode().put("id", id).put("name", name).put("email", email)

private fun hex(text: String): ByteArray {
    if (text.length != 24) throw TypeError("nonce is not 24 hex digits")
    return JcaPeer.hex(text)
}

private fun peer(call: () -> JsonNode): JsonNode =
    try {
        call()
    } catch (e: Exception) {
        throw PeerFailed(e)
    }

private fun handle(req: JsonNode): JsonNode {
    val secret = { req["secret"]?.asText() ?: throw TypeError("no secret") }
    return when (req["op"]?.asText()) {
        "encrypt_fixed" ->
            nodes.textNode(encryptWithNonce(IdentityKey.fromBase64(secret()), hex(req["nonce"].asText()), identity(req["identity"])))
        "encrypt" -> nodes.textNode(IdentityKey.fromBase64(secret()).encrypt(identity(req["identity"])))
        "decrypt" -> IdentityKey.fromBase64(secret()).decrypt(req["token"].asText()).let { opened(it.id, it.name, it.email) }
        "secret" -> nodes.textNode(IdentityKey.fromBase64(secret()).secretBase64())
        "script_tag" -> {
            val src = text(req["src"]) ?: throw TypeError("no src")
            val token = text(req["token"])
            val assistant = req["assistant_id"] ?: throw TypeError("no assistant_id")
            nodes.textNode(
                integer(assistant)?.let { widgetScriptTag(src, it, token) }
                    ?: widgetScriptTag(src, text(assistant) ?: throw TypeError("null assistant_id"), token),
            )
        }
        "keyring_empty" -> {
            IdentityKeyring(emptyList())
            throw TypeError("an empty keyring was made")
        }
        "round_trip" -> {
            val key = IdentityKey.fromBase64(secret())
            val who = identity(req["identity"])
            val back = key.decrypt(key.encrypt(who))
            nodes.objectNode().setAll<JsonNode>(
                mapOf("identity" to opened(back.id, back.name, back.email), "equal" to nodes.booleanNode(who == back)),
            )
        }
        "identity_equal" -> nodes.booleanNode(identity(req["a"]) == identity(req["b"]))
        "peer_encrypt" -> peer {
            val who = req["identity"]
            val id: Any = who["id"].let { if (it.isIntegralNumber) it.numberValue() else text(it)!! }
            nodes.textNode(JcaPeer(secret()).encrypt(id, text(who["name"]), text(who["email"])))
        }
        "peer_decrypt" -> peer { JcaPeer(secret()).decrypt(req["token"].asText()).let { opened(it.id, it.name, it.email) } }
        else -> throw TypeError("unknown op")
    }
}

private fun answer(line: String): JsonNode =
    try {
        nodes.objectNode().set("ok", handle(json.readTree(line)))
    } catch (e: IdentityTokenException) {
        nodes.objectNode().put("error", e.code).put("message", e.message)
    } catch (e: Unsupported) {
        nodes.objectNode().put("error", "unsupported")
    } catch (e: PeerFailed) {
        nodes.objectNode().put("error", "peer_failed")
    } catch (e: Exception) {
        nodes.objectNode().put("error", "type_error")
    }

fun main() {
    val out = PrintStream(System.out, false, Charsets.UTF_8)
    System.`in`.bufferedReader(Charsets.UTF_8).forEachLine { line ->
        if (line.isNotBlank()) {
            out.println(json.writeValueAsString(answer(line)))
            out.flush()
        }
    }
}
