package ai.teamweb.identity

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import java.io.File
import java.lang.module.ModuleDescriptor
import java.lang.reflect.Member
import java.lang.reflect.Method
import java.lang.reflect.Modifier
import java.net.URLClassLoader
import java.util.jar.JarFile

/**
 * The public surface of the BUILT jar (run by Failsafe after `package`):
 * every class a caller can reach (public, in a package module-info exports)
 * with every public or protected member javac lets a caller use (synthetic
 * members, such as Kotlin's `$default` bridges and internal accessors, are
 * invisible to javac), compared line for line with the documented list
 * bindings-kotlin/api/public-api.txt. A new public class or method fails
 * here until the list (and the README) say so.
 */
class PublicApiIT {
    private val jar = File(System.getProperty("api.jar") ?: error("run by Failsafe, which sets api.jar"))
    private val documented = File(System.getProperty("api.list") ?: error("run by Failsafe, which sets api.list"))

    private fun classLoader(): URLClassLoader {
        // The jar itself first, then its dependencies (kotlin-stdlib, JNA), never target/classes.
        val deps = System.getProperty("java.class.path").split(File.pathSeparator)
            .filter { it.endsWith(".jar") && File(it).canonicalPath != jar.canonicalPath }
            .map { File(it).toURI().toURL() }
        return URLClassLoader((listOf(jar.toURI().toURL()) + deps).toTypedArray(), ClassLoader.getPlatformClassLoader())
    }

    private fun reachable(c: Class<*>): Boolean =
        Modifier.isPublic(c.modifiers) && !c.isSynthetic && (c.enclosingClass?.let(::reachable) ?: true)

    private fun usable(m: Member): Boolean =
        (Modifier.isPublic(m.modifiers) || Modifier.isProtected(m.modifiers)) && !m.isSynthetic

    private fun describe(c: Class<*>): String {
        val kind = when {
            c.isInterface -> "interface"
            else -> "class"
        }
        val modifiers = Modifier.toString(c.modifiers and (Modifier.PUBLIC or Modifier.ABSTRACT or Modifier.FINAL or Modifier.STATIC))
            .replace("abstract interface", "interface").replace(" interface", "")
        val supers = listOfNotNull(c.superclass?.takeIf { it != Any::class.java }?.let { "extends ${it.name}" }) +
            c.interfaces.map { "implements ${it.name}" }
        return (listOf(modifiers, kind, c.name) + supers).filter { it.isNotEmpty() }.joinToString(" ")
    }

    /** The surface, one sorted line per module fact, class and member. */
    private fun surface(): Pair<List<String>, List<Method>> {
        val descriptor = JarFile(jar).use { j ->
            j.getInputStream(j.getJarEntry("module-info.class") ?: error("$jar has no module-info.class")).use(ModuleDescriptor::read)
        }
        val exported = descriptor.exports().filter { !it.isQualified }.map { it.source() }.toSet()
        val lines = mutableListOf("module ${descriptor.name()}")
        exported.sorted().forEach { lines += "exports $it" }
        val methods = mutableListOf<Method>()
        val names = JarFile(jar).use { j ->
            j.entries().toList().map { it.name }
                .filter { it.endsWith(".class") && it != "module-info.class" && !it.startsWith("META-INF/") }
                .map { it.removeSuffix(".class").replace('/', '.') }
        }
        classLoader().use { loader ->
            for (name in names.sorted()) {
                val c = Class.forName(name, false, loader)
                if (c.packageName !in exported || !reachable(c)) continue
                lines += describe(c)
                val members = c.declaredConstructors.filter(::usable).map { it.toGenericString() } +
                    c.declaredFields.filter(::usable).map { it.toGenericString() } +
                    c.declaredMethods.filter(::usable).also { methods += it }.map { it.toGenericString() }
                lines += members.sorted().map { "  $it" }
            }
        }
        return lines to methods
    }

    @Test
    fun `the built jar's public surface is exactly the documented list`() {
        val (actual, _) = surface()
        val want = documented.readLines().filter { it.isNotBlank() && !it.startsWith("#") }
        if (want != actual) {
            val out = File(jar.parentFile, "public-api.actual.txt")
            out.writeText(actual.joinToString("\n", postfix = "\n"))
            val added = actual - want.toSet()
            val removed = want - actual.toSet()
            assertEquals(want.joinToString("\n"), actual.joinToString("\n"),
                "public surface differs from ${documented.name} (actual: $out)\nnot documented: $added\ndocumented but gone: $removed")
        }
    }

    @Test
    fun `no public method returns a native handle, a generated type, or takes a nonce outside testing`() {
        val (_, methods) = surface()
        assertTrue(methods.isNotEmpty())
        for (m in methods) {
            val types = listOf(m.returnType) + m.parameterTypes
            assertTrue(m.returnType != Long::class.javaPrimitiveType && m.returnType != java.lang.Long::class.java, "$m returns a long")
            for (t in types) {
                val pkg = (if (t.isArray) t.componentType else t).packageName
                assertTrue(!pkg.startsWith("ai.teamweb.identity.ffi") && !pkg.startsWith("ai.teamweb.identity.internal"), "$m exposes $t")
            }
            if (m.declaringClass.packageName != "ai.teamweb.identity.testing") {
                assertTrue(ByteArray::class.java !in m.parameterTypes, "$m takes bytes (a nonce?) outside the testing API")
            }
        }
    }
}
