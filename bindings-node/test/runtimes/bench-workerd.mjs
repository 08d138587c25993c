// The WebAssembly build in workerd against the WebCrypto snippet, timed from
// outside (a Worker's clock stands still while it computes): `wrangler dev`
// serves worker/worker.mjs; each operation's /loop request of N calls is
// timed here, best of 3, less a request of 0 calls; five rounds alternate
// the two sides, and each side's median is reported. Prints one JSON line.
import { spawn } from 'node:child_process'
import net from 'node:net'
import path from 'node:path'
import fs from 'node:fs'
import { fileURLToPath } from 'node:url'

const here = path.dirname(fileURLToPath(import.meta.url))
const N = 20000
const ROUNDS = 5

const freePort = () =>
  new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })

const dir = path.join(here, 'worker')
fs.writeFileSync(path.join(dir, '.dev.vars'), 'TEAMWEB_IDENTITY_SECRET=q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq80=\n')
const port = await freePort()
const child = spawn(path.join(here, 'node_modules/.bin/wrangler'), ['dev', '--ip', '127.0.0.1', '--port', String(port), '--inspector-port', String(await freePort())], {
  cwd: dir,
  env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false', CI: '1', NO_COLOR: '1' },
  stdio: 'ignore',
  detached: true,
})
try {
  const base = `http://127.0.0.1:${port}`
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${base}/loop?op=sdkEncrypt&n=1`)).ok) break
    } catch {}
    if (i > 180) throw new Error('wrangler dev did not start')
    await new Promise((r) => setTimeout(r, 500))
  }
  const timed = async (op, n) => {
    let best = Infinity
    for (let i = 0; i < 3; i++) {
      const started = performance.now()
      const response = await fetch(`${base}/loop?op=${op}&n=${n}`)
      await response.json()
      best = Math.min(best, performance.now() - started)
    }
    return best
  }
  const perCall = async (op) => ((await timed(op, N)) - (await timed(op, 0))) * 1000 / N
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
  const result = { n: N, rounds: ROUNDS }
  for (const what of ['encrypt', 'decrypt']) {
    const cap = what[0].toUpperCase() + what.slice(1)
    await timed(`sdk${cap}`, N / 10)
    await timed(`web${cap}`, N / 10)
    // Rounds alternate the two sides (and which goes first), so that both
    // see the same load; each side's figure is its median.
    const sdk = []
    const web = []
    for (let round = 0; round < ROUNDS; round++) {
      if (round % 2 === 0) {
        sdk.push(await perCall(`sdk${cap}`))
        web.push(await perCall(`web${cap}`))
      } else {
        web.push(await perCall(`web${cap}`))
        sdk.push(await perCall(`sdk${cap}`))
      }
    }
    result[`${what}_us`] = { sdk: median(sdk), webcrypto: median(web), ratio: median(web) / median(sdk) }
  }
  console.log(JSON.stringify(result))
} finally {
  process.kill(-child.pid, 'SIGTERM')
}
