// The ESM entry points (exports map): named imports, the same objects as
// the CommonJS ones, and the testing subpath.

import test from 'node:test'
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { IdentityKey, IdentityKeyring, IdentityTokenError, InvalidSecretError, widgetScriptTag } from 'teamweb-identity'
import defaultExport from 'teamweb-identity'
import { encryptWithNonce } from 'teamweb-identity/testing'

const require = createRequire(import.meta.url)

test('ESM and CommonJS give the same classes', () => {
  const cjs = require('teamweb-identity')
  assert.equal(IdentityKey, cjs.IdentityKey)
  assert.equal(defaultExport.IdentityKey, cjs.IdentityKey)
  assert.equal(IdentityTokenError, cjs.IdentityTokenError)
  assert.equal(encryptWithNonce, require('teamweb-identity/testing').encryptWithNonce)
})

test('the API works through ESM imports', () => {
  const key = IdentityKey.generate()
  const token = new IdentityKeyring([key]).encrypt({ id: 'esm' })
  assert.deepEqual(key.decrypt(token), { id: 'esm' })
  assert.equal(encryptWithNonce(key, new Uint8Array(12), { id: 'e' }), encryptWithNonce(key, new Uint8Array(12), { id: 'e' }))
  assert.match(widgetScriptTag('/w.js', 1, token), /data-user-token=/)
  assert.throws(() => IdentityKey.fromBase64('x'), (err) => err instanceof InvalidSecretError && err instanceof IdentityTokenError)
})
