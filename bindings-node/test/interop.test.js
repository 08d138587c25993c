'use strict'
// Interop with the public page's own Node example (crypto.createCipheriv
// over JSON.stringify), both ways, for many seeded random identities,
// including emoji and other astral characters.

const test = require('node:test')
const assert = require('node:assert/strict')
const { IdentityKey } = require('teamweb-identity')
const { peerEncrypt, peerDecrypt, seeded } = require('./fixtures/helpers.js')

const ALPHABETS = [
  'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.',
  ' "\\/\'<>&',
  'éüßøÅçñ',
  '漢字かなカナ한국어',
  '\u2028\u2029\u00a0',
  '😀🎉👩‍💻🇫🇷𝄞𐍈🀄',
]

function randomText(rand, maxChars) {
  const chars = []
  const n = 1 + Math.floor(rand() * maxChars)
  for (let i = 0; i < n; i++) {
    const alphabet = [...ALPHABETS[Math.floor(rand() * ALPHABETS.length)]]
    chars.push(alphabet[Math.floor(rand() * alphabet.length)])
  }
  return chars.join('')
}

/** A random identity the rules accept (ids with a visible first character). */
function randomIdentity(rand) {
  const identity = { id: rand() < 0.2 ? Math.floor(rand() * 1e12) : `u${randomText(rand, 30)}` }
  if (rand() < 0.7) identity.name = randomText(rand, 40)
  if (rand() < 0.7) identity.email = `${randomText(rand, 10).replace(/\s/gu, '')}x@${'d'.repeat(1 + Math.floor(rand() * 5))}.example`
  return identity
}

const expected = (identity) => ({ ...identity, id: String(identity.id) })

test('package tokens open with the peer; peer tokens open with the package', () => {
  const rand = seeded(20240601)
  let k = IdentityKey.generate()
  for (let i = 0; i < 2000; i++) {
    if (i % 100 === 99) k = IdentityKey.generate()
    const secret = k.secretBase64()
    const identity = randomIdentity(rand)
    const token = k.encrypt(identity)
    assert.deepEqual(peerDecrypt(secret, token), expected(identity), JSON.stringify(identity))
    assert.deepEqual(k.decrypt(peerEncrypt(secret, identity)), expected(identity), JSON.stringify(identity))
  }
})

test('the plaintext is exactly JSON.stringify of the identity', () => {
  const rand = seeded(7)
  const key = IdentityKey.generate()
  const { peerOpen } = require('./fixtures/helpers.js')
  for (let i = 0; i < 500; i++) {
    const identity = randomIdentity(rand)
    const plain = peerOpen(key.secretBase64(), key.encrypt(identity)).toString('utf8')
    assert.equal(plain, JSON.stringify(expected(identity)))
  }
})

test('astral characters survive both ways', () => {
  const key = IdentityKey.generate()
  const identity = { id: '👩‍💻-𝄞', name: '🇫🇷 Zoë 😀', email: '😀@𐍈.example' }
  assert.deepEqual(peerDecrypt(key.secretBase64(), key.encrypt(identity)), identity)
  assert.deepEqual(key.decrypt(peerEncrypt(key.secretBase64(), identity)), identity)
})
