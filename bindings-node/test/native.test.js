'use strict'
// What the napi-rs addon adds at the boundary, through the installed
// package: bigint ids of any width, strings read as UTF-16 so that lone
// surrogates reach the core, napi-rs's own argument checks as TypeErrors
// that never show the value.

const test = require('node:test')
const assert = require('node:assert/strict')
const { IdentityKey, IdentityKeyring, InvalidIdentityError, encryptUserToken, widgetScriptTag } = require('teamweb-identity')
const { encryptWithNonce } = require('teamweb-identity/testing')

const SECRET = 'q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq80='
const key = IdentityKey.fromBase64(SECRET)

test('bigint ids: exact decimal text up to the widest that can fit, refused at once beyond', () => {
  for (const id of [2n ** 64n, 2n ** 64n - 1n, -(2n ** 64n), 2n ** 128n, 10n ** 255n, 2n ** 850n, -(2n ** 846n), 0n, -1n]) {
    assert.equal(key.decrypt(key.encrypt({ id })).id, id.toString())
  }
  // 2^851 - 1 has 257 digits, -(2^850) 256 and a sign: refused by the core's length rule.
  for (const id of [2n ** 851n - 1n, -(2n ** 850n)]) {
    assert.throws(() => key.encrypt({ id }), (err) => err instanceof InvalidIdentityError && /257 UTF-8 bytes/.test(err.message))
  }
  // 2^851 (852 bits) and wider: refused before any decimal text is written.
  const started = process.hrtime.bigint()
  for (const id of [2n ** 851n, -(2n ** 851n), 2n ** 852n, 2n ** 100000n, -(2n ** 1000000n)]) {
    assert.throws(() => key.encrypt({ id }), (err) => err instanceof InvalidIdentityError && /^id is an integer of \d+ bits, more than 256 digits/.test(err.message))
    assert.throws(() => encryptUserToken(SECRET, { id }), InvalidIdentityError)
  }
  // Native: V8 hands napi-rs the words at once. WebAssembly: the bigint's
  // hexadecimal text (linear in its width), read into words; no decimal text.
  assert.ok(process.hrtime.bigint() - started < 1_000_000_000n, 'wide bigints are refused without converting them')
})

test("bigint assistant ids: the core's bound of 851 bits, as for ids (InvalidIdentityError past it)", () => {
  for (const id of [-5n, 2n ** 851n - 1n, -(2n ** 851n - 1n)]) {
    assert.equal(widgetScriptTag('/w.js', id), `<script src="/w.js" data-assistant-id="${id}"></script>`)
  }
  for (const id of [2n ** 851n, -(2n ** 851n), 2n ** 4096n]) {
    assert.throws(
      () => widgetScriptTag('/w.js', id),
      (err) => err instanceof InvalidIdentityError && /^assistant_id is an integer of \d+ bits/.test(err.message),
    )
  }
})

test('the script tag over ill-formed text: each lone surrogate becomes U+FFFD, never an error', () => {
  assert.equal(widgetScriptTag('/w\ud800.js', 'a\udfffb', 't\ud83d'), '<script src="/w\ufffd.js" data-assistant-id="a\ufffdb" data-user-token="t\ufffd"></script>')
  assert.equal(widgetScriptTag('\udc00', 7), '<script src="\ufffd" data-assistant-id="7"></script>')
})

test('lone surrogates reach the core and are refused by it, not replaced', () => {
  for (const field of ['id', 'name', 'email']) {
    for (const bad of ['\ud800', 'x\udfff', 'a\ud83d@b']) {
      const identity = { id: 'u', [field]: bad }
      const refused = (err) => err instanceof InvalidIdentityError && err.message.includes(`${field} is not valid Unicode`)
      assert.throws(() => key.encrypt(identity), refused)
      assert.throws(() => new IdentityKeyring([key]).encrypt(identity), refused)
      assert.throws(() => encryptUserToken(SECRET, identity), refused)
      assert.throws(() => encryptWithNonce(key, new Uint8Array(12), identity), refused)
    }
  }
  // A well-formed pair is one character.
  assert.equal(key.decrypt(key.encrypt({ id: 'u', name: '\ud83d\ude00' })).name, '😀')
})

test('argument checks (napi-rs\'s, or the WebAssembly build\'s) are TypeErrors that never show the value', () => {
  const hidden = { secret: SECRET, toJSON: () => SECRET, toString: () => SECRET }
  const calls = [
    () => IdentityKey.fromBase64(hidden),
    () => key.decrypt(hidden),
    () => key.encrypt({ id: 'u', name: hidden }),
    () => key.encrypt({ id: hidden }),
    () => encryptUserToken(hidden, { id: 'u' }),
    () => widgetScriptTag(hidden, 1),
    () => widgetScriptTag('/w.js', 1, hidden),
    () => encryptWithNonce(key, hidden, { id: 'u' }),
  ]
  for (const call of calls) {
    // Neither the value nor the object holding it (`{ secret: ... }`).
    assert.throws(call, (err) => err instanceof TypeError && !err.message.includes(SECRET) && !/secret:|\{/.test(err.message))
  }
})
