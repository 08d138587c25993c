'use strict'
// What the browser suite runs on: processes on free loopback ports (always
// killed), the stand-in receiving side and its SQLite database, and
// Debian's Chromium driven by playwright-core.

const fs = require('node:fs')
const os = require('node:os')
const net = require('node:net')
const http = require('node:http')
const path = require('node:path')
const { spawn, execFileSync } = require('node:child_process')
const { chromium } = require('playwright-core')

const ROOT = path.resolve(__dirname, '../..')
const TARGET = path.join(ROOT, 'target')
const OUT = path.join(TARGET, 'e2e')
const PYTHON = path.join(TARGET, 'python-test-venv/bin/python')
const START_TIMEOUT = 60000

const running = new Set()

// Last resort: nothing outlives the test process, whatever happened.
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL')
})
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => process.exit(128 + (signal === 'SIGINT' ? 2 : 15)))
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer().once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })
}

// Starts `command` and resolves once it answers: `ready(output)` sees its
// stdout so far and returns the URL to use, or polls `url` until it answers.
function startProcess(name, { command, args, env, cwd }, { ready, url }) {
  const child = spawn(command, args, { cwd: cwd || ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  running.add(child)
  const output = { stdout: '', stderr: '' }
  child.stdout.setEncoding('utf8').on('data', (d) => (output.stdout += d))
  child.stderr.setEncoding('utf8').on('data', (d) => (output.stderr += d))
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => {
    running.delete(child)
    resolve({ code, signal })
  }))
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return
    child.kill('SIGTERM')
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
    await exited
    clearTimeout(timer)
  }
  const started = (async () => {
    const deadline = Date.now() + START_TIMEOUT
    let failed = false
    exited.then(() => (failed = true))
    while (Date.now() < deadline && !failed) {
      if (ready) {
        const found = ready(output.stdout)
        if (found) return found
      } else {
        try {
          const response = await fetch(url, { signal: AbortSignal.timeout(2000) })
          if (response.ok) return url
        } catch {
          // not listening yet
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    await stop()
    throw new Error(`${name} did not start (${failed ? 'it exited' : 'timed out'}):\n${output.stderr.slice(-4000)}`)
  })()
  return { started, stop, output }
}

// Runs a command to completion (a build step), bounded.
function run(name, { command, args, env }, timeoutMs) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
    running.add(child)
    let output = ''
    child.stdout.setEncoding('utf8').on('data', (d) => (output += d))
    child.stderr.setEncoding('utf8').on('data', (d) => (output += d))
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.once('exit', (code, signal) => {
      running.delete(child)
      clearTimeout(timer)
      if (code === 0) resolve()
      else reject(new Error(`${name}: ${signal || `exit ${code}`}\n${output.slice(-4000)}`))
    })
  })
}

// The stand-in receiving side: `channels` maps an assistant id to its
// secrets (newest first). The database survives a restart (key rotation).
async function startReceivingSide(dir, channels) {
  const config = path.join(dir, 'channels.json')
  fs.writeFileSync(config, JSON.stringify({ channels }), { mode: 0o600 })
  const db = path.join(dir, 'receiving-side.sqlite')
  const process_ = startProcess('receiving side', {
    command: PYTHON,
    args: [path.join(__dirname, 'receiving_side.py'), '--config', config, '--db', db, '--port', '0'],
  }, { ready: (stdout) => /listening on (http:\/\/127\.0\.0\.1:\d+\/)/.exec(stdout)?.[1] })
  const url = await process_.started
  return { url, db, widgetSrc: `${url}chat-widget.js`, stop: process_.stop, output: process_.output }
}

// Everything in the receiving side's database, read with SQLite itself.
function readDb(db) {
  const script = `
import json, sqlite3, sys
conn = sqlite3.connect(sys.argv[1])
conn.row_factory = sqlite3.Row
print(json.dumps({t: [dict(r) for r in conn.execute(f"SELECT * FROM {t} ORDER BY rowid")]
                  for t in ("contacts", "conversations", "messages")}))
`
  return JSON.parse(execFileSync('python3', ['-c', script, db], { encoding: 'utf8', timeout: 10000 }))
}

// An example server from servers.js on a free port, for one user and channel.
async function startExample(server, { secret, widgetSrc, assistantId, user }) {
  const port = await freePort()
  const spec = server.start(port)
  const env = {
    ...spec.env,
    PORT: String(port),
    LC_ALL: 'C.UTF-8', // a UTF-8 locale, so that every runtime reads the user's name from the environment as UTF-8
    TEAMWEB_IDENTITY_SECRET: secret,
    TEAMWEB_WIDGET_SRC: widgetSrc,
    TEAMWEB_ASSISTANT_ID: String(assistantId),
    DEMO_USER_ID: user.id,
    DEMO_USER_NAME: user.name,
    DEMO_USER_EMAIL: user.email,
  }
  const url = `http://127.0.0.1:${port}/`
  const process_ = startProcess(server.name, { ...spec, env }, { url: `${url}signed-out` })
  await process_.started
  return { url, stop: process_.stop, output: process_.output }
}

// Debian's Chromium, headless, with a profile of its own.
async function launchBrowser() {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-chromium-'))
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    timeout: 60000,
    viewport: { width: 900, height: 520 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  })
  context.setDefaultTimeout(15000)
  return {
    context,
    close: async () => {
      await context.close()
      fs.rmSync(profile, { recursive: true, force: true })
    },
  }
}

// Set before the page's own scripts: remembers whether the lead-capture
// form was ever in the document, even for a moment.
const WATCH_LEAD_CAPTURE = `
window.__leadCaptureShown = false
new MutationObserver(() => {
  if (document.getElementById('tw-lead-capture')) window.__leadCaptureShown = true
}).observe(document, { childList: true, subtree: true })
`

// Opens `url` in a new tab. Records the page's HTML as served and every
// X-User-Token the widget sent.
async function openPage(browser, url) {
  const page = await browser.context.newPage()
  await page.addInitScript(WATCH_LEAD_CAPTURE)
  const sent = []
  page.on('request', (request) => {
    if (request.method() === 'POST') sent.push({ url: request.url(), token: request.headers()['x-user-token'] })
  })
  const errors = []
  page.on('pageerror', (error) => errors.push(error))
  const response = await page.goto(url, { waitUntil: 'load' })
  return { page, html: await response.text(), sent, errors, status: response.status() }
}

// A loopback proxy in front of a page that changes its HTML on the way to
// the browser, e.g. a token changed by someone in the middle. (Playwright's
// own request routing would make the page non-local to Chromium, which
// then blocks the widget from loopback.)
async function rewritingProxy(url, rewrite) {
  const server = http.createServer(async (request, response) => {
    try {
      const upstream = await fetch(new URL(request.url, url), { signal: AbortSignal.timeout(10000) })
      const body = rewrite(await upstream.text())
      response.writeHead(upstream.status, { 'Content-Type': upstream.headers.get('content-type') })
      response.end(body)
    } catch (error) {
      response.writeHead(502).end(String(error))
    }
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${server.address().port}/`,
    stop: () => new Promise((resolve) => {
      server.closeAllConnections()
      server.close(resolve)
    }),
  }
}

function screenshot(page, name) {
  fs.mkdirSync(OUT, { recursive: true })
  return page.screenshot({ path: path.join(OUT, `${name}.png`) })
}

module.exports = { ROOT, OUT, freePort, run, startReceivingSide, startExample, readDb, launchBrowser, openPage, rewritingProxy, screenshot }
