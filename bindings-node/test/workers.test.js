'use strict'
// Four worker threads mint thousands of tokens each with one key (the
// secret travels in workerData: key objects are not transferable); no
// nonce repeats, and every token opens on the main thread.

const test = require('node:test')
const assert = require('node:assert/strict')
const path = require('node:path')
const { Worker } = require('node:worker_threads')
const { IdentityKey } = require('teamweb-identity')

const PER_WORKER = 5000

function run(secret, index) {
  return new Promise((resolve, reject) => {
    const worker = new Worker(path.join(__dirname, 'fixtures', 'mint-worker.js'), {
      workerData: { secret, count: PER_WORKER, index },
    })
    worker.once('message', resolve)
    worker.once('error', reject)
    worker.once('exit', (code) => code !== 0 && reject(new Error(`worker exited with ${code}`)))
  })
}

test('four workers, one key, no repeated nonce', async () => {
  const key = IdentityKey.generate()
  const results = await Promise.all([0, 1, 2, 3].map((i) => run(key.secretBase64(), i)))
  const nonces = new Set()
  let total = 0
  for (const tokens of results) {
    assert.equal(tokens.length, PER_WORKER)
    for (const token of tokens) {
      nonces.add(Buffer.from(token, 'base64').subarray(0, 12).toString('hex'))
      total++
    }
  }
  assert.equal(total, 4 * PER_WORKER)
  assert.equal(nonces.size, total)
  for (let w = 0; w < 4; w++) {
    assert.deepEqual(key.decrypt(results[w][PER_WORKER - 1]), { id: `w${w}-${PER_WORKER - 1}`, name: 'Worker' })
  }
})

test('the addon loads again in a fresh worker after others exit', async () => {
  const key = IdentityKey.generate()
  const [tokens] = await Promise.all([run(key.secretBase64(), 9)])
  assert.equal(key.decrypt(tokens[0]).id, 'w9-0')
})
