// The package in every JavaScript runtime it is for, each installed from
// npm into this project (`make -C bindings-node test-runtimes` copies this
// directory to target/node-runtimes and installs the package's tarball
// there): every conformance check (conformance.mjs) through the package
// imported by name, in
//   - Node: native addon, no addon at all, and forced WebAssembly
//     (TEAMWEB_IDENTITY_FORCE_WASM=1: the fallback where no addon loads);
//   - Deno (native with -A; WebAssembly with only --allow-read) and Bun
//     (native; WebAssembly when TEAMWEB_IDENTITY_FORCE_WASM refuses the addon);
//   - workerd: a Worker bundled and served by `wrangler dev` on loopback;
//   - Vercel's edge runtime: a function bundled with the `edge-light`
//     condition and served by edge-runtime on loopback.
// The workerd and edge pages carry a token that Node's native build opens.

import test from 'node:test'
import assert from 'node:assert/strict'
import { spawn, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { IdentityKey } from 'teamweb-identity'

const here = path.dirname(fileURLToPath(import.meta.url))
const bin = (name) => path.join(here, 'node_modules', '.bin', name)
const SECRET = 'q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq80='
const USER = { id: 'user_123', name: 'Alice <Admin>', email: 'alice@example.com' }
// Nothing leaves the machine: no telemetry, no Request.cf fetch.
const QUIET = { WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false', DO_NOT_TRACK: '1', NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1' }

/** Runs check.mjs in a runtime; returns its parsed result. */
function check(command, args, env = {}) {
  const run = spawnSync(command, args, { cwd: here, env: { ...process.env, ...QUIET, ...env }, encoding: 'utf8', timeout: 180_000 })
  const line = run.stdout.trim().split('\n').pop() || ''
  let result
  try {
    result = JSON.parse(line)
  } catch {
    assert.fail(`${command} ${args.join(' ')} printed no result (exit ${run.status}):\n${run.stdout}\n${run.stderr}`)
  }
  assert.deepEqual(result.failures, [], `${command} ${args.join(' ')}`)
  assert.ok(result.passed >= 250, `only ${result.passed} checks ran`)
  assert.equal(run.status, 0, run.stderr)
  return result
}

const vectorCount = (() => {
  const v = JSON.parse(fs.readFileSync(path.join(here, 'vectors.json'), 'utf8'))
  return ['valid', 'invalid_identities', 'invalid_secrets', 'secret_spellings', 'invalid_tokens', 'foreign_tokens'].reduce((n, s) => n + v[s].length, 0)
})()

test('Node: the native addon', () => {
  check(process.execPath, ['check.mjs'])
})

test('Node: forced WebAssembly (TEAMWEB_IDENTITY_FORCE_WASM=1, nonces from crypto.getRandomValues)', () => {
  check(process.execPath, ['check.mjs', 'wasm'], { TEAMWEB_IDENTITY_FORCE_WASM: '1' })
})

test('Node: no addon for the platform: WebAssembly instead of the loader\'s error', () => {
  // The package as installed where no `.node` file matches (no platform
  // package, the local addon left out), its dependencies from here.
  const dir = path.join(here, 'no-addon')
  const copy = path.join(dir, 'node_modules', 'teamweb-identity')
  fs.rmSync(dir, { recursive: true, force: true })
  fs.cpSync(path.join(here, 'node_modules', 'teamweb-identity'), copy, { recursive: true, filter: (file) => !file.endsWith('.node') })
  for (const file of ['check.mjs', 'conformance.mjs', 'vectors.json']) fs.copyFileSync(path.join(here, file), path.join(dir, file))
  assert.deepEqual(fs.readdirSync(copy).filter((file) => file.endsWith('.node')), [])
  check(process.execPath, [path.join(dir, 'check.mjs')])
})

test('Deno: the native addon with -A', () => {
  check(bin('deno'), ['run', '-A', 'check.mjs'])
})

test('Deno: WebAssembly with --allow-read only (nonces from crypto.getRandomValues)', () => {
  check(bin('deno'), ['run', '--allow-read', 'check.mjs', 'wasm'])
})

test('Bun: the native addon', () => {
  check(bin('bun'), ['check.mjs'])
})

test('Bun: WebAssembly where the addon is refused (nonces from crypto.getRandomValues)', () => {
  check(bin('bun'), ['check.mjs', 'wasm'], { TEAMWEB_IDENTITY_FORCE_WASM: '1' })
})

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })
}

async function waitFor(url, child, output) {
  const deadline = Date.now() + 90_000
  while (Date.now() < deadline) {
    if (child.exitCode !== null) assert.fail(`server exited with ${child.exitCode}:\n${output.text}`)
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(5000) })
      if (response.ok) return
    } catch {}
    await new Promise((resolve) => setTimeout(resolve, 500))
  }
  assert.fail(`no answer from ${url}:\n${output.text}`)
}

/** The page's token, opened with Node's native build. */
async function assertPage(url) {
  const response = await fetch(url, { signal: AbortSignal.timeout(30_000) })
  assert.equal(response.status, 200)
  assert.equal(response.headers.get('cache-control'), 'private, no-store')
  const html = await response.text()
  const tag = /<script src="https:\/\/teamweb\.example\/static\/js\/chat-widget\.js" data-assistant-id="42" data-user-token="([^"]+)"><\/script>/.exec(html)
  assert.ok(tag, html)
  assert.deepEqual(IdentityKey.fromBase64(SECRET).decrypt(tag[1]), USER)
}

async function assertConformance(url) {
  const response = await fetch(url, { signal: AbortSignal.timeout(120_000) })
  const result = await response.json()
  assert.deepEqual(result.failures, [])
  assert.ok(result.passed > vectorCount, `${result.passed} checks`)
}

/** `wrangler dev` (workerd, offline) in `dir` with the secret as a .dev.vars secret binding. */
async function wranglerDev(t, dir) {
  fs.writeFileSync(path.join(dir, '.dev.vars'), `TEAMWEB_IDENTITY_SECRET=${SECRET}\nTEAMWEB_ASSISTANT_ID=42\n`)
  const port = await freePort()
  const output = { text: '' }
  const child = spawn(bin('wrangler'), ['dev', '--ip', '127.0.0.1', '--port', String(port), '--inspector-port', String(await freePort()), '--show-interactive-dev-session=false'], {
    cwd: dir,
    env: { ...process.env, ...QUIET, CI: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  })
  child.stdout.on('data', (d) => (output.text += d))
  child.stderr.on('data', (d) => (output.text += d))
  t.after(() => {
    try {
      process.kill(-child.pid, 'SIGTERM')
    } catch {}
  })
  const base = `http://127.0.0.1:${port}`
  await waitFor(`${base}/`, child, output)
  return base
}

test('workerd: a Worker bundled and served by wrangler dev on loopback', async (t) => {
  const base = await wranglerDev(t, path.join(here, 'worker'))
  await assertPage(`${base}/`)
  await assertConformance(`${base}/conformance`)
  // What wrangler bundled: the WebAssembly module, within the free plan's budget.
  const wasm = fs.statSync(path.join(here, 'node_modules', 'teamweb-identity', 'wasm', 'web', 'teamweb_identity_bg.wasm')).size
  assert.ok(wasm <= 400 * 1024, `the module is ${wasm} bytes`)
})

test('workerd: examples/cloudflare-worker, the secret from a secret binding', async (t) => {
  const base = await wranglerDev(t, path.join(here, 'example-worker'))
  const response = await fetch(`${base}/`, { signal: AbortSignal.timeout(30_000) })
  assert.equal(response.headers.get('cache-control'), 'private, no-store')
  const html = await response.text()
  const tag = /<script src="([^"]*)" data-assistant-id="42" data-user-token="([^"]*)"><\/script>/.exec(html)
  assert.ok(tag, html)
  assert.deepEqual(IdentityKey.fromBase64(SECRET).decrypt(tag[2]), USER)
  assert.match(html, /Welcome back, Alice &lt;Admin&gt;/)
  const anonymous = await (await fetch(`${base}/signed-out`)).text()
  assert.match(anonymous, /<script src="[^"]*" data-assistant-id="42"><\/script>/)
})

test("Vercel's edge runtime: an edge-light function served by edge-runtime on loopback", async (t) => {
  const esbuild = await import('esbuild')
  const { EdgeRuntime, runServer } = await import('edge-runtime')
  // `?module` imports become the compiled module the platform binds to a
  // global (what Next.js and Vercel do), here made in the runtime's realm.
  const wasmBinding = {
    name: 'wasm-module-binding',
    setup(build) {
      build.onResolve({ filter: /\.wasm\?module$/ }, (args) => ({ path: path.join(args.resolveDir, args.path.replace(/\?module$/, '')), namespace: 'wasm-binding' }))
      build.onLoad({ filter: /.*/, namespace: 'wasm-binding' }, () => ({ contents: 'export default globalThis.__teamweb_identity_wasm', loader: 'js' }))
    },
  }
  const bundle = await esbuild.build({
    entryPoints: [path.join(here, 'edge', 'function.mjs')],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    conditions: ['edge-light'],
    plugins: [wasmBinding],
    logLevel: 'silent',
  })
  const wasmPath = path.join(here, 'node_modules', 'teamweb-identity', 'wasm', 'web', 'teamweb_identity_bg.wasm')
  const runtime = new EdgeRuntime({
    extend(context) {
      context.TEAMWEB_IDENTITY_SECRET = SECRET
      context.__teamweb_identity_wasm_bytes = new Uint8Array(fs.readFileSync(wasmPath))
      return context
    },
  })
  runtime.evaluate('globalThis.__teamweb_identity_wasm = new WebAssembly.Module(__teamweb_identity_wasm_bytes)')
  runtime.evaluate(bundle.outputFiles[0].text)
  const server = await runServer({ runtime, port: await freePort(), host: '127.0.0.1' })
  t.after(() => server.close())
  await assertPage(`${server.url}`)
  await assertConformance(`${server.url}conformance`)
})
