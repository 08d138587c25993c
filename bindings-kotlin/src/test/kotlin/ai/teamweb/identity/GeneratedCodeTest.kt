package ai.teamweb.identity

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import java.io.File

/**
 * The build rewrites the top-level declarations of the uniffi-generated file
 * to `internal` (pom.xml, execution `uniffi-internal`), so Kotlin callers
 * cannot reach the bindings: nothing at the top level may be left public.
 * "Top level" is where no brace or parenthesis is open.
 */
class GeneratedCodeTest {
    private val generated = File("../target/kotlin-jvm/generated-sources/uniffi/ai/teamweb/identity/ffi/teamweb_identity.kt")

    private val declaration = Regex(
        "^(?:@\\w+(?:\\([^)]*\\))?\\s+|\\*/\\s+)*((?:public|internal|private|protected)\\s+)?" +
            "(?:(?:open|data|sealed|enum|abstract|inline|annotation|value)\\s+)*(?:class|interface|object|fun|val|var|typealias|const)\\b",
    )

    @Test
    fun `no top-level declaration of the generated bindings is public`() {
        assertTrue(generated.isFile, "$generated is missing")
        var depth = 0
        var topLevel = 0
        val public = mutableListOf<String>()
        for ((i, line) in generated.readLines().withIndex()) {
            if (depth == 0) {
                declaration.find(line.trim())?.let { m ->
                    topLevel++
                    if (m.groupValues[1].trim() !in setOf("internal", "private")) public += "${i + 1}: $line"
                }
            }
            depth += line.count { it == '{' || it == '(' } - line.count { it == '}' || it == ')' }
        }
        assertEquals(0, depth, "unbalanced braces: the scan is wrong")
        assertTrue(topLevel > 20, "found only $topLevel top-level declarations")
        assertEquals(emptyList<String>(), public)
    }
}
