package ai.teamweb.identity

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import java.io.File

/**
 * The Kotlin and Java quickstarts of this package's README.md are, line for
 * line, the README regions of the example projects, which `make test`
 * compiles and runs against the installed artifact (examples/kotlin,
 * examples/java); tests/readme.py does the same for the repository's README.
 */
class ReadmeTest {
    private val examples = listOf(
        "../examples/kotlin/src/main/kotlin/ai/teamweb/example/Example.kt",
        "../examples/kotlin/src/main/java/ai/teamweb/example/JavaExample.java",
        "../examples/java/src/main/java/ai/teamweb/example/java/Main.java",
    ).map(::File)

    private fun region(file: File): String {
        val m = Regex("README:begin[^\\n]*\\n(.*?)\\n[^\\n]*README:end", RegexOption.DOT_MATCHES_ALL).find(file.readText())
            ?: error("$file has no README:begin/README:end region")
        val lines = m.groupValues[1].lines()
        val indent = lines.filter { it.isNotBlank() }.minOf { it.length - it.trimStart().length }
        return lines.joinToString("\n") { if (it.isBlank()) "" else it.substring(indent) }.trim()
    }

    @Test
    fun `every Kotlin and Java block of README_md is an example region that make test runs`() {
        val readme = File("README.md").readText()
        val blocks = Regex("^```(kotlin|java)\\n(.*?)^```$", setOf(RegexOption.MULTILINE, RegexOption.DOT_MATCHES_ALL))
            .findAll(readme).map { it.groupValues[1] to it.groupValues[2].trim() }.toList()
        assertTrue(blocks.map { it.first }.containsAll(listOf("kotlin", "java")), "README.md has no Kotlin or no Java block")
        val regions = examples.associateWith(::region)
        for ((lang, code) in blocks) {
            assertTrue(regions.values.any { it == code }, "README.md's $lang block is no example's README region:\n$code\n\nregions:\n" +
                regions.entries.joinToString("\n\n") { (f, r) -> "${f.path}:\n$r" })
        }
        assertEquals(blocks.size, blocks.distinct().size)
    }
}
