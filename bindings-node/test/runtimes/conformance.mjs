// The package's checks that run unchanged in every JavaScript runtime
// (workerd, edge-runtime, Deno, Bun, Node): every conformance vector of
// tests/vectors/vectors.json and the API's behaviour, through the package
// as the runtime's user imports it. No runtime-specific API here: the
// caller passes the package's exports, its testing entry and the vectors,
// and gets back { passed, failed, failures }.

const CODES = {
  invalid_secret: 'InvalidSecretError',
  invalid_identity: 'InvalidIdentityError',
  malformed_token: 'MalformedTokenError',
  authentication_failed: 'AuthenticationFailedError',
  invalid_payload: 'InvalidPayloadError',
}

function field(value) {
  if (value !== null && typeof value === 'object') return String.fromCharCode(...value.utf16)
  return value
}

function identityOf(vector) {
  return { id: field(vector.id), name: field(vector.name), email: field(vector.email) }
}

function expectedOf(decrypted) {
  const out = { id: decrypted.id }
  if (decrypted.name !== null) out.name = decrypted.name
  if (decrypted.email !== null) out.email = decrypted.email
  return out
}

function hexBytes(hex) {
  const out = new Uint8Array(hex.length / 2)
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16)
  return out
}

function base64Bytes(text) {
  const raw = atob(text)
  const out = new Uint8Array(raw.length)
  for (let i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i)
  return out
}

function same(a, b) {
  return JSON.stringify(a) === JSON.stringify(b)
}

/**
 * @param {any} ti the package (`import * as ti from 'teamweb-identity'`)
 * @param {any} testing `teamweb-identity/testing`
 * @param {any} vectors tests/vectors/vectors.json
 * @param {{ wasm?: boolean }} options `wasm`: the WebAssembly build is expected, so
 *   nonces must come from `crypto.getRandomValues` (checked with a spy)
 */
export function conformance(ti, testing, vectors, options = {}) {
  const failures = []
  let passed = 0
  const check = (name, fn) => {
    try {
      const result = fn()
      if (result === false) throw new Error('check returned false')
      passed++
    } catch (err) {
      failures.push(`${name}: ${err && err.stack ? err.stack : err}`)
    }
  }
  const expect = (cond, what) => {
    if (!cond) throw new Error(what)
  }
  const refused = (fn, code, secret) => {
    try {
      fn()
    } catch (err) {
      expect(err instanceof ti.IdentityTokenError, `${err && err.name}: ${err && err.message} is not an IdentityTokenError`)
      expect(err instanceof ti[CODES[code]], `${err.name} is not ${CODES[code]}`)
      expect(err.code === code, `code ${err.code}, expected ${code}`)
      expect(err.name === CODES[code], `name ${err.name}`)
      if (secret && secret.trim().length > 4) expect(!err.message.includes(secret.trim()), 'message shows the secret')
      return
    }
    throw new Error(`not refused (expected ${code})`)
  }

  for (const name of ['IdentityKey', 'IdentityKeyring', 'encryptUserToken', 'decryptUserToken', 'widgetScriptTag', 'IdentityTokenError', ...Object.values(CODES)]) {
    check(`export ${name}`, () => expect(typeof ti[name] === 'function', `${name} is ${typeof ti[name]}`))
  }
  check('export encryptWithNonce (testing)', () => expect(typeof testing.encryptWithNonce === 'function', 'missing'))

  for (const v of vectors.valid) {
    check(`valid ${v.name}`, () => {
      const key = ti.IdentityKey.fromBase64(v.secret)
      const token = testing.encryptWithNonce(key, hexBytes(v.nonce), identityOf(v.identity))
      expect(token === v.token, `token ${token} != ${v.token}`)
      expect(same(key.decrypt(token), expectedOf(v.decrypted)), 'decrypt')
      expect(same(key.decrypt(key.encrypt(identityOf(v.identity))), expectedOf(v.decrypted)), 'round trip')
      expect(same(ti.decryptUserToken(v.secret, ti.encryptUserToken(v.secret, identityOf(v.identity))), expectedOf(v.decrypted)), 'one-shot round trip')
    })
  }
  const anyKey = ti.IdentityKey.generate()
  for (const v of vectors.invalid_identities) {
    check(`invalid_identities ${v.name}`, () => {
      refused(() => anyKey.encrypt(identityOf(v.identity)), v.code)
      refused(() => testing.encryptWithNonce(anyKey, new Uint8Array(12), identityOf(v.identity)), v.code)
    })
  }
  for (const v of vectors.invalid_secrets) {
    check(`invalid_secrets ${v.name}`, () => {
      refused(() => ti.IdentityKey.fromBase64(v.secret), v.code, v.secret)
      refused(() => ti.decryptUserToken(v.secret, 'AAAA'), v.code, v.secret)
    })
  }
  for (const v of vectors.secret_spellings) {
    check(`secret_spellings ${v.name}`, () => expect(ti.IdentityKey.fromBase64(v.secret).secretBase64() === v.secret_base64, 'canonical form'))
  }
  for (const v of vectors.invalid_tokens) {
    check(`invalid_tokens ${v.name}`, () => {
      refused(() => ti.IdentityKey.fromBase64(v.secret).decrypt(v.token), v.code, v.secret)
      refused(() => ti.decryptUserToken(v.secret, v.token), v.code, v.secret)
    })
  }
  for (const v of vectors.foreign_tokens) {
    check(`foreign_tokens ${v.name}`, () => {
      expect(same(ti.IdentityKey.fromBase64(v.secret).decrypt(v.token), expectedOf(v.decrypted)), 'key')
      expect(same(ti.decryptUserToken(v.secret, v.token), expectedOf(v.decrypted)), 'one-shot')
    })
  }

  // The API beyond the vectors: what the Node suite checks, in any runtime.
  check('keys never show their bytes', () => {
    const key = ti.IdentityKey.generate()
    expect(String(key) === 'IdentityKey(<redacted>)', String(key))
    expect(JSON.stringify({ key }) === '{"key":"IdentityKey(<redacted>)"}', JSON.stringify({ key }))
    expect(!String(key).includes(key.secretBase64()), 'secret shown')
  })
  check('IdentityKey cannot be constructed directly', () => {
    try {
      new ti.IdentityKey()
    } catch (err) {
      return expect(err instanceof TypeError, String(err))
    }
    throw new Error('constructed')
  })
  check('keyring: encrypts with the first key, decrypts with any; empty is invalid_secret', () => {
    const [a, b] = [ti.IdentityKey.generate(), ti.IdentityKey.generate()]
    const ring = new ti.IdentityKeyring([a, b])
    expect(ring.keys.length === 2 && ring.keys[0] === a, 'keys')
    expect(same(a.decrypt(ring.encrypt({ id: 'r' })), { id: 'r' }), 'first key')
    expect(same(ring.decrypt(b.encrypt({ id: 's', name: '' })), { id: 's' }), 'any key')
    refused(() => new ti.IdentityKeyring([]), 'invalid_secret')
    expect(String(ring) === 'IdentityKeyring(2 keys, <redacted>)', String(ring))
  })
  check('integer ids: safe integers and bigints become decimal text', () => {
    const key = ti.IdentityKey.generate()
    expect(key.decrypt(key.encrypt({ id: 42 })).id === '42', 'number')
    expect(key.decrypt(key.encrypt({ id: 2n ** 64n })).id === '18446744073709551616', 'bigint')
    expect(key.decrypt(key.encrypt({ id: -(2n ** 846n) })).id === (-(2n ** 846n)).toString(), 'wide bigint')
    refused(() => key.encrypt({ id: 2n ** 851n }), 'invalid_identity')
  })
  check('wrong types are TypeErrors', () => {
    const key = ti.IdentityKey.generate()
    for (const bad of [() => key.encrypt({ id: true }), () => key.encrypt({ id: 1.5 }), () => key.encrypt('u'), () => key.decrypt(5), () => ti.IdentityKey.fromBase64(null)]) {
      try {
        bad()
        throw new Error('accepted')
      } catch (err) {
        expect(err instanceof TypeError && !(err instanceof ti.IdentityTokenError), `${err && err.name}: ${err && err.message}`)
      }
    }
  })
  check('lone surrogates: refused in identities, U+FFFD in the script tag', () => {
    const key = ti.IdentityKey.generate()
    refused(() => key.encrypt({ id: 'a\ud800' }), 'invalid_identity')
    refused(() => key.encrypt({ id: 'a', name: '\udfff' }), 'invalid_identity')
  })
  check('widgetScriptTag escapes every value', () => {
    const tag = ti.widgetScriptTag('https://x.example/w.js?a=1&b="2"', 7, 'tok<en>')
    expect(tag === '<script src="https://x.example/w.js?a=1&amp;b=&quot;2&quot;" data-assistant-id="7" data-user-token="tok&lt;en&gt;"></script>', tag)
    expect(ti.widgetScriptTag('/w.js', 12n) === '<script src="/w.js" data-assistant-id="12"></script>', 'bigint, no token')
  })
  check('error messages are the core\'s and never echo the token', () => {
    const key = ti.IdentityKey.generate()
    const token = ti.IdentityKey.generate().encrypt({ id: 'someone' })
    try {
      key.decrypt(token)
    } catch (err) {
      expect(err.code === 'authentication_failed' && !err.message.includes(token), err.message)
      return
    }
    throw new Error('opened with the wrong key')
  })
  check('each token has a fresh nonce (1,000 tokens)', () => {
    const key = ti.IdentityKey.generate()
    const nonces = new Set()
    for (let i = 0; i < 1000; i++) nonces.add(atob(key.encrypt({ id: 'same' })).slice(0, 12))
    expect(nonces.size === 1000, `${nonces.size} distinct nonces`)
  })
  if (options.wasm) {
    // WebAssembly: the nonce's bytes are crypto.getRandomValues' (a spy sees
    // each call write the 12 bytes that lead the token).
    check('WebAssembly: nonces come from crypto.getRandomValues', () => {
      const cryptoApi = globalThis.crypto
      const original = cryptoApi.getRandomValues
      const seen = []
      const spy = function (array) {
        const out = original.call(cryptoApi, array)
        seen.push(Array.from(array))
        return out
      }
      Object.defineProperty(cryptoApi, 'getRandomValues', { value: spy, configurable: true, writable: true })
      let token
      try {
        token = ti.IdentityKey.fromBase64('q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq80=').encrypt({ id: 'spy' })
      } finally {
        if (Object.prototype.hasOwnProperty.call(cryptoApi, 'getRandomValues') && cryptoApi.getRandomValues === spy) {
          delete cryptoApi.getRandomValues
          if (cryptoApi.getRandomValues !== original) Object.defineProperty(cryptoApi, 'getRandomValues', { value: original, configurable: true, writable: true })
        }
      }
      const nonce = Array.from(base64Bytes(token).slice(0, 12))
      expect(seen.length === 1, `getRandomValues called ${seen.length} times for one token`)
      expect(same(seen[0], nonce), 'the nonce is not the bytes getRandomValues wrote')
    })
  }
  return { passed, failed: failures.length, failures }
}

/** The page a logged-in user gets: the widget's tag with their token. */
export function page(ti, key, user, assistantId) {
  const token = key.encrypt(user)
  return `<!doctype html>
<html>
  <head><meta charset="utf-8"><title>Dashboard</title></head>
  <body>
    ${ti.widgetScriptTag('https://teamweb.example/static/js/chat-widget.js', assistantId, token)}
  </body>
</html>
`
}
