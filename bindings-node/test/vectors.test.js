'use strict'
// Every conformance vector of tests/vectors/vectors.json, through the
// installed package.

const test = require('node:test')
const assert = require('node:assert/strict')
const {
  IdentityKey,
  IdentityTokenError,
  InvalidSecretError,
  InvalidIdentityError,
  MalformedTokenError,
  AuthenticationFailedError,
  InvalidPayloadError,
  decryptUserToken,
} = require('teamweb-identity')
const { encryptWithNonce } = require('teamweb-identity/testing')
const { loadVectors, identityOf, expectedOf, peerOpen } = require('./fixtures/helpers.js')

const vectors = loadVectors()
const CLASS_BY_CODE = {
  invalid_secret: InvalidSecretError,
  invalid_identity: InvalidIdentityError,
  malformed_token: MalformedTokenError,
  authentication_failed: AuthenticationFailedError,
  invalid_payload: InvalidPayloadError,
}

/** Asserts `fn` throws the error class of `code`, with that code, and no secret in its message. */
function assertRefused(fn, code, secret) {
  assert.throws(fn, (err) => {
    assert.ok(err instanceof CLASS_BY_CODE[code], `${err.name} is not ${CLASS_BY_CODE[code].name}`)
    assert.ok(err instanceof IdentityTokenError)
    assert.equal(err.code, code)
    if (secret && secret.trim().length > 4) assert.ok(!err.message.includes(secret.trim()), 'message shows the secret')
    return true
  })
}

test('vector file has every section', () => {
  for (const section of ['valid', 'invalid_identities', 'invalid_secrets', 'secret_spellings', 'invalid_tokens', 'foreign_tokens']) {
    assert.ok(vectors[section].length > 0, section)
  }
})

test('valid: fixed-nonce tokens are byte-identical and decrypt back', async (t) => {
  for (const v of vectors.valid) {
    await t.test(v.name, () => {
      const key = IdentityKey.fromBase64(v.secret)
      const token = encryptWithNonce(key, Buffer.from(v.nonce, 'hex'), identityOf(v.identity))
      assert.equal(token, v.token)
      assert.equal(peerOpen(v.secret, token).toString('utf8'), v.plaintext)
      assert.deepEqual(key.decrypt(token), expectedOf(v.decrypted))
      assert.deepEqual(key.decrypt(key.encrypt(identityOf(v.identity))), expectedOf(v.decrypted))
    })
  }
})

test('invalid_identities: refused with their code', async (t) => {
  const key = IdentityKey.generate()
  for (const v of vectors.invalid_identities) {
    await t.test(v.name, () => {
      assertRefused(() => key.encrypt(identityOf(v.identity)), v.code)
      assertRefused(() => encryptWithNonce(key, new Uint8Array(12), identityOf(v.identity)), v.code)
    })
  }
})

test('invalid_secrets: refused with their code, never echoed', async (t) => {
  for (const v of vectors.invalid_secrets) {
    await t.test(v.name, () => {
      assertRefused(() => IdentityKey.fromBase64(v.secret), v.code, v.secret)
      assertRefused(() => decryptUserToken(v.secret, 'AAAA'), v.code, v.secret)
    })
  }
})

test('secret_spellings: accepted and exported canonically', async (t) => {
  for (const v of vectors.secret_spellings) {
    await t.test(v.name, () => {
      assert.equal(IdentityKey.fromBase64(v.secret).secretBase64(), v.secret_base64)
    })
  }
})

test('invalid_tokens: refused with their code', async (t) => {
  for (const v of vectors.invalid_tokens) {
    await t.test(v.name, () => {
      const key = IdentityKey.fromBase64(v.secret)
      assertRefused(() => key.decrypt(v.token), v.code, v.secret)
      assertRefused(() => decryptUserToken(v.secret, v.token), v.code, v.secret)
    })
  }
})

test('foreign_tokens: opened as other encoders wrote them', async (t) => {
  for (const v of vectors.foreign_tokens) {
    await t.test(v.name, () => {
      assert.deepEqual(IdentityKey.fromBase64(v.secret).decrypt(v.token), expectedOf(v.decrypted))
      assert.deepEqual(decryptUserToken(v.secret, v.token), expectedOf(v.decrypted))
    })
  }
})
