// A Cloudflare Worker that tells TeamWeb AI's chat widget who the logged-in
// visitor is. The package's `workerd` entry runs the same Rust core as the
// Node addon, built for WebAssembly; wrangler bundles it with this file.
//
//   wrangler secret put TEAMWEB_IDENTITY_SECRET   # once: the channel's secret
//   wrangler dev                                  # locally: the secret from .dev.vars
import { IdentityKey, widgetScriptTag } from 'teamweb-identity'

const DEFAULT_WIDGET_SRC = 'https://teamweb.example/static/js/chat-widget.js'

// One key per Worker isolate, parsed from the secret binding on first use
// (a bad secret answers 500 with InvalidSecretError, never the secret).
let key
let keySecret

function keyFor(env) {
  if (key === undefined || keySecret !== env.TEAMWEB_IDENTITY_SECRET) {
    key = IdentityKey.fromBase64(env.TEAMWEB_IDENTITY_SECRET ?? '')
    keySecret = env.TEAMWEB_IDENTITY_SECRET
  }
  return key
}

const escapeHtml = (text) =>
  String(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#x27;' })[c])

// Stand-in for your real authentication (a session cookie, Cloudflare
// Access, a JWT...): DEMO_USER_* vars choose who is logged in.
function currentUser(env) {
  return {
    id: env.DEMO_USER_ID || 'user_123',
    name: env.DEMO_USER_NAME || 'Alice <Admin>',
    email: env.DEMO_USER_EMAIL || 'alice@example.com',
  }
}

function html(body) {
  // The page carries the visitor's token, their credential: never cached.
  return new Response(body, { headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'private, no-store' } })
}

export default {
  fetch(request, env) {
    const url = new URL(request.url)
    const widgetSrc = env.TEAMWEB_WIDGET_SRC || DEFAULT_WIDGET_SRC
    const assistantId = env.TEAMWEB_ASSISTANT_ID || '123'
    if (url.pathname === '/signed-out') {
      // An anonymous visitor: no token, so the widget asks who they are.
      return html(`<!doctype html>
<html>
  <head><meta charset="utf-8"><title>Welcome</title></head>
  <body>
    <h1>Welcome</h1>
    ${widgetScriptTag(widgetSrc, assistantId)}
  </body>
</html>
`)
    }
    const user = currentUser(env)
    const token = keyFor(env).encrypt(user)
    return html(`<!doctype html>
<html>
  <head><meta charset="utf-8"><title>Dashboard</title></head>
  <body>
    <h1>Welcome back, ${escapeHtml(user.name)}</h1>
    ${widgetScriptTag(widgetSrc, assistantId, token)}
  </body>
</html>
`)
  },
}
