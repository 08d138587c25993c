'use strict'
// The API (README.md, API), its errors (docs/FORMAT.md, section 6) and bad
// input of every kind (docs/FORMAT.md, sections 2-4), through the installed
// package.

const test = require('node:test')
const assert = require('node:assert/strict')
const util = require('node:util')
const api = require('teamweb-identity')
const testing = require('teamweb-identity/testing')

const {
  IdentityKey,
  IdentityKeyring,
  encryptUserToken,
  decryptUserToken,
  widgetScriptTag,
  IdentityTokenError,
  InvalidSecretError,
  InvalidIdentityError,
  MalformedTokenError,
  AuthenticationFailedError,
  InvalidPayloadError,
} = api

const SECRET = 'q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq80='
const key = IdentityKey.fromBase64(SECRET)

/** Asserts `fn` throws `cls` (with `code`), never showing `secret` or `token`. */
function throwsWith(fn, cls, code, ...hidden) {
  assert.throws(fn, (err) => {
    assert.ok(err instanceof cls, `expected ${cls.name}, got ${err && err.name}: ${err && err.message}`)
    if (code) assert.equal(err.code, code)
    for (const h of [SECRET, ...hidden]) assert.ok(!String(err.message).includes(h), `message shows ${h}`)
    assert.ok(!String(err.stack).includes(SECRET))
    return true
  })
}

test('exports exactly the public API', () => {
  assert.deepEqual(Object.keys(api).sort(), [
    'AuthenticationFailedError',
    'IdentityKey',
    'IdentityKeyring',
    'IdentityTokenError',
    'InvalidIdentityError',
    'InvalidPayloadError',
    'InvalidSecretError',
    'MalformedTokenError',
    'decryptUserToken',
    'encryptUserToken',
    'widgetScriptTag',
  ])
  assert.deepEqual(Object.keys(testing), ['encryptWithNonce'])
})

test('round trip; absent fields are left out of the decrypted object', () => {
  assert.deepEqual(key.decrypt(key.encrypt({ id: 'user_123', name: 'Alice', email: 'alice@example.com' })), {
    id: 'user_123',
    name: 'Alice',
    email: 'alice@example.com',
  })
  const bare = key.decrypt(key.encrypt({ id: 'u1', name: null, email: '' }))
  assert.deepEqual(bare, { id: 'u1' })
  assert.ok(!('name' in bare) && !('email' in bare))
  assert.deepEqual(key.decrypt(key.encrypt({ id: 'u1', email: 'a@b' })), { id: 'u1', email: 'a@b' })
  assert.deepEqual(key.decrypt(key.encrypt({ id: 'u1', name: 'N' })), { id: 'u1', name: 'N' })
})

test('integer ids: safe integers and bigints become decimal text', () => {
  const cases = [
    [0, '0'],
    [42, '42'],
    [-7, '-7'],
    [Number.MAX_SAFE_INTEGER, '9007199254740991'],
    [Number.MIN_SAFE_INTEGER, '-9007199254740991'],
    [-0, '0'],
    [123n, '123'],
    [-(2n ** 127n), (-(2n ** 127n)).toString()],
    [2n ** 128n - 1n, (2n ** 128n - 1n).toString()],
    [10n ** 60n, (10n ** 60n).toString()],
    [-(10n ** 60n), (-(10n ** 60n)).toString()],
  ]
  for (const [id, text] of cases) assert.equal(key.decrypt(key.encrypt({ id })).id, text, String(id))
  throwsWith(() => key.encrypt({ id: 10n ** 300n }), InvalidIdentityError, 'invalid_identity')
})

test('each token gets a fresh nonce', () => {
  const seen = new Set()
  for (let i = 0; i < 1000; i++) seen.add(Buffer.from(key.encrypt({ id: 'same' }), 'base64').subarray(0, 12).toString('hex'))
  assert.equal(seen.size, 1000)
})

test('generate and secretBase64', () => {
  const a = IdentityKey.generate()
  const secret = a.secretBase64()
  assert.match(secret, /^[A-Za-z0-9+/]{43}=$/)
  assert.notEqual(secret, IdentityKey.generate().secretBase64())
  assert.equal(IdentityKey.fromBase64(secret).decrypt(a.encrypt({ id: 'x' })).id, 'x')
  assert.equal(IdentityKey.fromBase64(`  ${secret}\n`).secretBase64(), secret)
})

test('keys never show their bytes', () => {
  const raw = Buffer.from(SECRET, 'base64')
  const views = [
    String(key),
    `${key}`,
    key.toString(),
    JSON.stringify(key),
    JSON.stringify({ key }),
    util.inspect(key),
    util.inspect(key, { showHidden: true, depth: 10 }),
    util.format('%o %O %j %s', key, key, key, key),
    Object.keys(key).join(','),
    Object.getOwnPropertyNames(key).join(','),
  ]
  for (const view of views) {
    assert.ok(!view.includes(SECRET), view)
    assert.ok(!view.includes(raw.toString('hex')), view)
  }
  assert.equal(String(key), 'IdentityKey(<redacted>)')
  assert.equal(util.inspect(key), 'IdentityKey(<redacted>)')
  assert.equal(JSON.stringify(key), '"IdentityKey(<redacted>)"')
  const ring = new IdentityKeyring([key])
  assert.equal(String(ring), 'IdentityKeyring(1 keys, <redacted>)')
  assert.ok(!util.inspect(ring, { showHidden: true }).includes(SECRET))
  assert.ok(!JSON.stringify({ ring }).includes(SECRET))
})

test('IdentityKey cannot be constructed directly', () => {
  throwsWith(() => new IdentityKey(), TypeError)
  throwsWith(() => new IdentityKey(Symbol('x'), {}), TypeError)
})

test('keyring encrypts with the first key and decrypts with any', () => {
  const fresh = IdentityKey.generate()
  const ring = new IdentityKeyring([fresh, key])
  assert.equal(ring.keys.length, 2)
  assert.equal(ring.keys[0], fresh)
  assert.ok(Object.isFrozen(ring.keys))
  assert.deepEqual(ring.decrypt(key.encrypt({ id: 'old' })), { id: 'old' })
  assert.deepEqual(fresh.decrypt(ring.encrypt({ id: 'new', name: 'N' })), { id: 'new', name: 'N' })
  throwsWith(() => ring.decrypt(IdentityKey.generate().encrypt({ id: 'x' })), AuthenticationFailedError, 'authentication_failed')
  throwsWith(() => ring.decrypt('%%%'), MalformedTokenError, 'malformed_token')
  assert.deepEqual(new IdentityKeyring(new Set([key])).decrypt(key.encrypt({ id: 7 })), { id: '7' })
  throwsWith(() => new IdentityKeyring([]), InvalidSecretError, 'invalid_secret')
  for (const bad of [undefined, null, 5, 'abc', key, [SECRET], [key, {}], [null]]) {
    throwsWith(() => new IdentityKeyring(bad), TypeError)
  }
})

test('one-shot functions', () => {
  const token = encryptUserToken(SECRET, { id: 'u', email: 'e@x' })
  assert.deepEqual(decryptUserToken(SECRET, token), { id: 'u', email: 'e@x' })
  assert.deepEqual(key.decrypt(token), { id: 'u', email: 'e@x' })
  throwsWith(() => encryptUserToken('nope', { id: 'u' }), InvalidSecretError, 'invalid_secret')
  throwsWith(() => decryptUserToken(SECRET, 'nope'), MalformedTokenError, 'malformed_token')
  throwsWith(() => encryptUserToken(SECRET, { id: '' }), InvalidIdentityError, 'invalid_identity')
  throwsWith(() => encryptUserToken(SECRET, 'u'), TypeError)
  throwsWith(() => encryptUserToken(42, { id: 'u' }), TypeError)
  throwsWith(() => decryptUserToken(SECRET, 42), TypeError)
})

test('widgetScriptTag escapes every value', () => {
  assert.equal(
    widgetScriptTag('https://x.test/w.js?a=1&b=2', 123, 'tok+/='),
    '<script src="https://x.test/w.js?a=1&amp;b=2" data-assistant-id="123" data-user-token="tok+/="></script>',
  )
  assert.equal(widgetScriptTag('/w.js', 'a"b\'<>', null), '<script src="/w.js" data-assistant-id="a&quot;b&#x27;&lt;&gt;"></script>')
  assert.equal(widgetScriptTag('/w.js', 5n), '<script src="/w.js" data-assistant-id="5"></script>')
  assert.equal(widgetScriptTag('/w.js', 'x', undefined), '<script src="/w.js" data-assistant-id="x"></script>')
  throwsWith(() => widgetScriptTag(null, 1), TypeError)
  throwsWith(() => widgetScriptTag('/w.js', 1.5), TypeError)
  throwsWith(() => widgetScriptTag('/w.js', {}), TypeError)
  throwsWith(() => widgetScriptTag('/w.js', 1, 5), TypeError)
})

test('error classes: hierarchy, codes, names', () => {
  const classes = {
    invalid_secret: InvalidSecretError,
    invalid_identity: InvalidIdentityError,
    malformed_token: MalformedTokenError,
    authentication_failed: AuthenticationFailedError,
    invalid_payload: InvalidPayloadError,
  }
  for (const [code, cls] of Object.entries(classes)) {
    const err = new cls('m')
    assert.ok(err instanceof IdentityTokenError && err instanceof Error)
    assert.equal(err.code, code)
    assert.equal(err.name, cls.name)
    assert.equal(err.message, 'm')
  }
  try {
    IdentityKey.fromBase64('c2hvcnQ=')
    assert.fail('no error')
  } catch (err) {
    assert.equal(err.name, 'InvalidSecretError')
    assert.match(err.stack, /^InvalidSecretError: invalid secret: it decodes to 5 bytes/)
  }
})

test('bad secrets (FORMAT.md 4): InvalidSecretError saying why, never the input', () => {
  const hex = 'ab'.repeat(32)
  const cases = [
    ['', /empty/],
    ['   ', /empty/],
    ['c2hvcnQ=', /decodes to 5 bytes/],
    [hex, /looks like hex/],
    ['not base64 at all!!', /not base64/],
    [SECRET.slice(0, 40), /not base64|decodes to/],
    [Buffer.alloc(35, 7).toString('base64'), /decodes to 35 bytes/],
    ['q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq80=\u0000', /not base64/],
    ['q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq8\ud800', /not base64/],
  ]
  for (const [secret, why] of cases) {
    throwsWith(() => IdentityKey.fromBase64(secret), InvalidSecretError, 'invalid_secret', ...(secret.trim() ? [secret.trim()] : []))
    assert.throws(() => IdentityKey.fromBase64(secret), why)
  }
  for (const bad of [undefined, null, 5, Buffer.from(SECRET), {}, [], Symbol('s')]) throwsWith(() => IdentityKey.fromBase64(bad), TypeError)
})

test('bad identities (FORMAT.md 2): InvalidIdentityError for broken rules', () => {
  const cases = [
    {},
    { id: undefined },
    { id: null },
    { id: '' },
    { id: '  \t' },
    { id: '\u3000' },
    { id: 'x'.repeat(257) },
    { id: '\u00e9'.repeat(129) },
    { id: 'a\u0000b' },
    { id: 'a\u0085b' },
    { id: 'a\ud800' },
    { id: '\udc00a' },
    { id: 'u', name: 'n'.repeat(257) },
    { id: 'u', name: 'line\nbreak' },
    { id: 'u', name: 'x\udfff' },
    { id: 'u', email: 'no-at' },
    { id: 'u', email: '@b' },
    { id: 'u', email: 'a@' },
    { id: 'u', email: 'a b@c' },
    { id: 'u', email: 'a@b\u00a0c' },
    { id: 'u', email: `${'l'.repeat(250)}@dddd` },
    { id: 'u', email: 'a\ud83d@b' },
  ]
  for (const identity of cases) {
    throwsWith(() => key.encrypt(identity), InvalidIdentityError, 'invalid_identity')
    throwsWith(() => encryptUserToken(SECRET, identity), InvalidIdentityError, 'invalid_identity')
  }
  // The limits themselves are fine.
  assert.equal(key.decrypt(key.encrypt({ id: 'x'.repeat(256) })).id.length, 256)
  assert.equal(key.decrypt(key.encrypt({ id: 'u', email: `${'l'.repeat(250)}@ddd` })).email.length, 254)
  assert.equal(key.decrypt(key.encrypt({ id: '\ud83d\ude00 emoji' })).id, '\ud83d\ude00 emoji')
})

test('wrong types: TypeError, never a crash', () => {
  const badIds = [true, false, 1.5, NaN, Infinity, -Infinity, 2 ** 53, -(2 ** 53), {}, [], ['u'], Symbol('s'), () => 'u', new String('u'), Buffer.from('u')]
  for (const id of badIds) {
    throwsWith(() => key.encrypt({ id }), TypeError)
    throwsWith(() => testing.encryptWithNonce(key, new Uint8Array(12), { id }), TypeError)
  }
  for (const value of [1, true, {}, ['x'], 5n, Symbol('s')]) {
    throwsWith(() => key.encrypt({ id: 'u', name: value }), TypeError)
    throwsWith(() => key.encrypt({ id: 'u', email: value }), TypeError)
  }
  for (const identity of [undefined, null, 'u', 42, 42n, true]) {
    throwsWith(() => key.encrypt(identity), TypeError)
    throwsWith(() => new IdentityKeyring([key]).encrypt(identity), TypeError)
  }
  for (const token of [undefined, null, 42, {}, Buffer.from('AAAA'), ['a']]) throwsWith(() => key.decrypt(token), TypeError)
})

test('bad tokens (FORMAT.md 3): malformed, authentication, payload', () => {
  const good = key.encrypt({ id: 'u' })
  throwsWith(() => key.decrypt(''), MalformedTokenError, 'malformed_token')
  throwsWith(() => key.decrypt('   '), MalformedTokenError, 'malformed_token')
  throwsWith(() => key.decrypt('A'.repeat(8193)), MalformedTokenError, 'malformed_token')
  throwsWith(() => key.decrypt(good.slice(0, 20)), MalformedTokenError, 'malformed_token', good.slice(0, 20))
  throwsWith(() => key.decrypt(`${good}\u00e9`), MalformedTokenError, 'malformed_token', good)
  throwsWith(() => key.decrypt(`${good.slice(0, 10)}\ud800${good.slice(11)}`), MalformedTokenError, 'malformed_token')
  // A lone surrogate is one character (U+FFFD), in both builds: it never
  // takes the unit after it along.
  for (const lone of ['\ud800', '\udc00']) {
    assert.throws(() => key.decrypt(lone + 'A'.repeat(8192)), { code: 'malformed_token', message: /longer than 8192 characters/ })
    assert.throws(() => key.decrypt(lone + 'A'.repeat(8191)), { code: 'malformed_token', message: /character 1 is outside the base64 alphabet/ })
  }
  const flipped = Buffer.from(good, 'base64')
  flipped[20] ^= 1
  throwsWith(() => key.decrypt(flipped.toString('base64')), AuthenticationFailedError, 'authentication_failed', good)
  throwsWith(() => IdentityKey.generate().decrypt(good), AuthenticationFailedError, 'authentication_failed', good)
  assert.equal(key.decrypt(`\n ${good}\t`).id, 'u')
  assert.equal(key.decrypt(good.replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_')).id, 'u')
  // A payload that is not an identity object.
  const { peerEncrypt } = require('./fixtures/helpers.js')
  throwsWith(() => key.decrypt(peerEncrypt(SECRET, ['u'])), InvalidPayloadError, 'invalid_payload')
  throwsWith(() => key.decrypt(peerEncrypt(SECRET, { id: '' })), InvalidPayloadError, 'invalid_payload')
  throwsWith(() => key.decrypt(peerEncrypt(SECRET, { id: 1.5 })), InvalidPayloadError, 'invalid_payload')
  throwsWith(() => key.decrypt(peerEncrypt(SECRET, { name: 'x' })), InvalidPayloadError, 'invalid_payload')
})

test('testing.encryptWithNonce checks its arguments', () => {
  const nonce = new Uint8Array(12).fill(1)
  assert.equal(testing.encryptWithNonce(key, nonce, { id: 'u' }), testing.encryptWithNonce(key, Buffer.from(nonce), { id: 'u' }))
  for (const bad of [new Uint8Array(11), new Uint8Array(13), new Uint16Array(6), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], 'abcdefghijkl', null]) {
    throwsWith(() => testing.encryptWithNonce(key, bad, { id: 'u' }), TypeError)
  }
  throwsWith(() => testing.encryptWithNonce(SECRET, nonce, { id: 'u' }), TypeError)
  throwsWith(() => testing.encryptWithNonce(new IdentityKeyring([key]), nonce, { id: 'u' }), TypeError)
})

test('hostile inputs never crash the process', () => {
  const getterThrows = {
    get id() {
      throw new RangeError('from getter')
    },
  }
  assert.throws(() => key.encrypt(getterThrows), RangeError)
  const proxy = new Proxy({}, { get: (_t, p) => (p === 'id' ? 'proxied' : undefined) })
  assert.equal(key.decrypt(key.encrypt(proxy)).id, 'proxied')
  for (const size of [0, 1, 1000, 100000]) {
    assert.throws(() => key.decrypt('='.repeat(size)), IdentityTokenError)
    if (size === 1) assert.equal(key.decrypt(key.encrypt({ id: 'x' })).id, 'x')
    else assert.throws(() => key.encrypt({ id: 'x'.repeat(size) }), InvalidIdentityError)
  }
})

test('long and non-ASCII decrypted fields (lenient opening) come back whole', () => {
  const { peerEncrypt } = require('./fixtures/helpers.js')
  const cases = [
    { id: 'i'.repeat(3000), name: 'n'.repeat(2000), email: 'e@x' },
    { id: 'é'.repeat(700), email: '😀'.repeat(300) },
    { id: '漢'.repeat(400), name: 'a\ud83d\ude00b' },
    { id: 'u', name: 'x'.repeat(1500) },
  ]
  for (const identity of cases) {
    const token = peerEncrypt(SECRET, identity)
    assert.ok(token.length > 100)
    assert.deepEqual(key.decrypt(token), identity)
    assert.deepEqual(decryptUserToken(SECRET, `  ${token}\n`), identity)
  }
})

/** The process's peak RSS in MiB (Linux: VmHWM), or its RSS elsewhere. */
function peakMiB() {
  try {
    const m = require('node:fs').readFileSync('/proc/self/status', 'utf8').match(/VmHWM:\s+(\d+) kB/)
    if (m) return Number(m[1]) / 1024
  } catch {}
  return process.memoryUsage().rss / 2 ** 20
}

test('a huge token is refused from its length, never copied out of the engine', () => {
  // Two-byte strings of 50M units: copied as UTF-8 they would take 150 MB.
  const huge = '\u20ac'.repeat(50_000_000)
  const padded = ' '.repeat(70_000) + key.encrypt({ id: 'u1' })
  const ring = new IdentityKeyring([key])
  for (const open of [(t) => key.decrypt(t), (t) => ring.decrypt(t), (t) => decryptUserToken(SECRET, t)]) {
    const before = peakMiB()
    const started = process.hrtime.bigint()
    assert.throws(() => open(huge), (e) => e instanceof MalformedTokenError &&
      e.message === 'malformed token: it is longer than 8192 characters')
    const ms = Number(process.hrtime.bigint() - started) / 1e6
    const grew = peakMiB() - before
    assert.ok(grew < 16, `peak RSS grew by ${grew.toFixed(1)} MiB`)
    assert.ok(ms < 500, `took ${ms.toFixed(0)} ms`)
    // Past 65,536 characters before trimming: refused, whitespace or not
    // (docs/FORMAT.md, section 3, step 1), the same in every package.
    assert.throws(() => open(padded), MalformedTokenError)
  }
})
