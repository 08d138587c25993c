package ai.teamweb.identity

import com.fasterxml.jackson.databind.JsonNode
import com.fasterxml.jackson.databind.ObjectMapper
import java.io.File
import kotlin.reflect.KClass

/** tests/vectors/vectors.json, read from the repository (Surefire runs in bindings-kotlin/). */
val vectors: JsonNode by lazy { ObjectMapper().readTree(File("../tests/vectors/vectors.json")) }

/** The exception class for each stable code. */
val exceptionForCode: Map<String, KClass<out IdentityTokenException>> = mapOf(
    "invalid_secret" to InvalidSecretException::class,
    "invalid_identity" to InvalidIdentityException::class,
    "malformed_token" to MalformedTokenException::class,
    "authentication_failed" to AuthenticationFailedException::class,
    "invalid_payload" to InvalidPayloadException::class,
)

/** A vector field: a string, an integer id (as text), null, or {"utf16": [units]} built natively. */
fun field(node: JsonNode?): String? = when {
    node == null || node.isNull -> null
    node.isObject -> String(CharArray(node["utf16"].size()) { node["utf16"][it].asInt().toChar() })
    node.isIntegralNumber -> node.asText()
    else -> node.asText()
}

fun identityOf(node: JsonNode): UserIdentity {
    val id = node["id"]
    return if (id.isIntegralNumber) {
        UserIdentity(id.asLong(), field(node["name"]), field(node["email"]))
    } else {
        UserIdentity(field(id)!!, field(node["name"]), field(node["email"]))
    }
}

fun hex(text: String): ByteArray = ByteArray(text.length / 2) { text.substring(2 * it, 2 * it + 2).toInt(16).toByte() }
