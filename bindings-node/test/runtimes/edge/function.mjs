// An edge function (Vercel's `edge-light` runtime) that imports the package
// by name: bundled by esbuild with the `edge-light` condition, the `.wasm`
// file as the compiled module that the platform binds (`?module`, as
// Next.js bundles it), run by edge-runtime's server on loopback. Same
// routes as ../worker/worker.mjs.
import * as ti from 'teamweb-identity'
import * as testing from 'teamweb-identity/testing'
import vectors from '../vectors.json'
import { conformance, page } from '../conformance.mjs'

addEventListener('fetch', (event) => {
  const url = new URL(event.request.url)
  if (url.pathname === '/conformance') {
    event.respondWith(Response.json(conformance(ti, testing, vectors, { wasm: true })))
    return
  }
  const key = ti.IdentityKey.fromBase64(globalThis.TEAMWEB_IDENTITY_SECRET)
  const html = page(ti, key, { id: 'user_123', name: 'Alice <Admin>', email: 'alice@example.com' }, 42)
  event.respondWith(new Response(html, { headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'private, no-store' } }))
})
