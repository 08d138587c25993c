'use strict'
// The Express example (examples/node/app.js, copied next to this file by
// `make test`): start it on 127.0.0.1 with a free port, fetch the page,
// find the token on the widget's script tag and decrypt it.

const test = require('node:test')
const assert = require('node:assert/strict')
const path = require('node:path')
const { spawn } = require('node:child_process')
const { IdentityKey } = require('teamweb-identity')

function start(env) {
  const child = spawn(process.execPath, [path.join(__dirname, 'example-app.js')], {
    env: { ...process.env, ...env, PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const output = { stdout: '', stderr: '' }
  child.stdout.setEncoding('utf8').on('data', (d) => (output.stdout += d))
  child.stderr.setEncoding('utf8').on('data', (d) => (output.stderr += d))
  const url = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`example did not start: ${output.stderr}`)), 15000)
    child.stdout.on('data', () => {
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+\/)/.exec(output.stdout)
      if (match) {
        clearTimeout(timer)
        resolve(match[1])
      }
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(Object.assign(new Error(`example exited with ${code}`), { output }))
    })
  })
  return { child, url, output }
}

test('the Express example renders the widget tag with a token for the user', async (t) => {
  const key = IdentityKey.generate()
  const { child, url } = start({ TEAMWEB_IDENTITY_SECRET: key.secretBase64(), TEAMWEB_ASSISTANT_ID: '42' })
  t.after(() => child.kill())
  const response = await fetch(await url, { signal: AbortSignal.timeout(10000) })
  assert.equal(response.status, 200)
  // The page carries the visitor's token: never cached.
  assert.equal(response.headers.get('cache-control'), 'private, no-store')
  const html = await response.text()
  const tag = /<script src="([^"]*)" data-assistant-id="([^"]*)" data-user-token="([^"]*)"><\/script>/.exec(html)
  assert.ok(tag, html)
  assert.equal(tag[1], 'https://teamweb.example/static/js/chat-widget.js')
  assert.equal(tag[2], '42')
  assert.deepEqual(key.decrypt(tag[3]), { id: 'user_123', name: 'Alice <Admin>', email: 'alice@example.com' })
  assert.match(html, /Welcome back, Alice &lt;Admin&gt;/)
})

test('the example refuses to start with a bad secret, without echoing it', async () => {
  const { url, output } = start({ TEAMWEB_IDENTITY_SECRET: 'not-a-real-secret-value' })
  await assert.rejects(url, /exited with 1/)
  assert.match(output.stderr, /InvalidSecretError/)
  assert.ok(!output.stderr.includes('not-a-real-secret-value'))
})
