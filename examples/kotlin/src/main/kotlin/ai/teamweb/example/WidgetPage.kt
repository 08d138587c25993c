// A Kotlin web server's view of teamweb-identity: the page a logged-in user
// sees, with the chat widget's script tag carrying their token. Only the
// JDK's own HTTP server, so that nothing but the SDK is added.
//
//   TEAMWEB_IDENTITY_SECRET=<secret> PORT=8000 java -cp ... ai.teamweb.example.WidgetPageKt
//
// Listens on 127.0.0.1 (PORT, default: any free port) and prints its URL.
// TEAMWEB_WIDGET_SRC, TEAMWEB_ASSISTANT_ID and DEMO_USER_ID, DEMO_USER_NAME,
// DEMO_USER_EMAIL (the stand-in login) change the defaults; the browser
// tests in tests/e2e set them.
package ai.teamweb.example

import ai.teamweb.identity.IdentityKey
import ai.teamweb.identity.UserIdentity
import ai.teamweb.identity.widgetScriptTag
import com.sun.net.httpserver.HttpExchange
import com.sun.net.httpserver.HttpServer
import java.net.InetSocketAddress

private fun env(name: String, default: String): String = System.getenv(name)?.takeIf { it.isNotEmpty() } ?: default

/** Text for an HTML element's content (the heading); the script tag escapes its own values. */
private fun escapeHtml(text: String): String =
    text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&#x27;")

private fun page(heading: String, widget: String): String = """<!doctype html>
<html>
  <head><meta charset="utf-8"><title>Dashboard</title></head>
  <body>
    <h1>${escapeHtml(heading)}</h1>
    $widget
  </body>
</html>
"""

private fun HttpExchange.sendHtml(status: Int, html: String) {
    val body = html.toByteArray(Charsets.UTF_8)
    responseHeaders.set("Content-Type", "text/html; charset=utf-8")
    // The page carries the user's token: no cache (the browser's, a proxy's) may keep it.
    responseHeaders.set("Cache-Control", "no-store")
    sendResponseHeaders(status, body.size.toLong())
    responseBody.use { it.write(body) }
}

fun main() {
    // Parsed once, at start-up: a bad secret stops the server here.
    val key = IdentityKey.fromBase64(System.getenv("TEAMWEB_IDENTITY_SECRET") ?: "")
    val widgetSrc = env("TEAMWEB_WIDGET_SRC", "https://teamweb.example/static/js/chat-widget.js")
    val assistantId = env("TEAMWEB_ASSISTANT_ID", "123")

    val server = HttpServer.create(InetSocketAddress("127.0.0.1", env("PORT", "0").toInt()), 0)
    server.createContext("/") { exchange ->
        exchange.use {
            when (exchange.requestURI.path) {
                "/" -> {
                    // Stand-in for your real login: the user this request is for.
                    val user = UserIdentity(
                        env("DEMO_USER_ID", "user_123"),
                        env("DEMO_USER_NAME", "Zoë Ångström"),
                        env("DEMO_USER_EMAIL", "zoe@example.com"),
                    )
                    val token = key.encrypt(user)
                    exchange.sendHtml(200, page("Welcome back, ${user.name}", widgetScriptTag(widgetSrc, assistantId, token)))
                }
                // An anonymous visitor: no token, so the widget asks who they are.
                "/signed-out" -> exchange.sendHtml(200, page("Welcome", widgetScriptTag(widgetSrc, assistantId)))
                else -> exchange.sendHtml(404, page("Not found", ""))
            }
        }
    }
    server.start()
    println("listening on http://127.0.0.1:${server.address.port}/")
}
