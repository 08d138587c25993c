// A Worker that imports the package by name, bundled by wrangler (its
// esbuild, the `workerd`/`worker` conditions, the `.wasm` file as a
// compiled module) and served by workerd on loopback:
//   /conformance  every conformance check (../conformance.mjs), as JSON
//   /loop?op=&n=  n awaited calls of one operation of ../bench-wasm.mjs
//   /             a page with the widget's tag for a logged-in user
import * as ti from 'teamweb-identity'
import * as testing from 'teamweb-identity/testing'
import vectors from '../vectors.json'
import { conformance, page } from '../conformance.mjs'
import { loop, operations } from '../bench-wasm.mjs'

export default {
  async fetch(request, env) {
    const url = new URL(request.url)
    if (url.pathname === '/loop') {
      const ops = await operations()
      const n = Number(url.searchParams.get('n'))
      await loop(ops[url.searchParams.get('op')], n)
      return Response.json({ n })
    }
    if (url.pathname === '/conformance') return Response.json(conformance(ti, testing, vectors, { wasm: true }))
    const key = ti.IdentityKey.fromBase64(env.TEAMWEB_IDENTITY_SECRET)
    return new Response(page(ti, key, { id: 'user_123', name: 'Alice <Admin>', email: 'alice@example.com' }, 42), {
      headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'private, no-store' },
    })
  },
}
