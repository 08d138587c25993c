'use strict'
// Cross-language driver for the Node package (tests/cross/PROTOCOL.md).
//
// Reads one JSON request per line on stdin and answers each with one JSON
// line on stdout. Run through tests/cross/driver-node, which points it at
// the tarball as installed by `make -C bindings-node test` into
// target/node-consumer, never the source tree.

const crypto = require('node:crypto')
const path = require('node:path')
const readline = require('node:readline')
const { isDeepStrictEqual } = require('node:util')
const { createRequire } = require('node:module')

const consumer = process.env.TEAMWEB_NODE_CONSUMER || path.resolve(__dirname, '..', '..', 'target', 'node-consumer')
const requireFromConsumer = createRequire(path.join(consumer, 'package.json'))
const ti = requireFromConsumer('teamweb-identity')
const { encryptWithNonce } = requireFromConsumer('teamweb-identity/testing')

class PeerFailed extends Error {}

/**
 * A protocol value: {"utf16": [...]} becomes a string built from UTF-16 code
 * units (lone surrogates kept), {"bigint": "<decimal>"} a BigInt.
 */
function text(value) {
  if (value !== null && typeof value === 'object' && Array.isArray(value.utf16)) return String.fromCharCode(...value.utf16)
  if (value !== null && typeof value === 'object' && typeof value.bigint === 'string') return BigInt(value.bigint)
  return value
}

/**
 * The identity `given` as the package's decrypt would hand it back: JavaScript
 * has no identity class, so equality is deep equality of that plain object
 * (absent, null and "" name/email are left out, the id is text).
 */
function asDecrypted(given) {
  const who = { id: String(given.id) }
  if (given.name !== null && given.name !== undefined && given.name !== '') who.name = given.name
  if (given.email !== null && given.email !== undefined && given.email !== '') who.email = given.email
  return who
}

function identity(req) {
  const i = req.identity || {}
  return { id: text(i.id), name: text(i.name), email: text(i.email) }
}

/** The package's decrypted object in the protocol's shape (absent -> null). */
function answerIdentity(who) {
  return { id: who.id, name: who.name === undefined ? null : who.name, email: who.email === undefined ? null : who.email }
}

/** The public page's Node example: JSON.stringify, then createCipheriv. */
function peerEncrypt(secret, given) {
  try {
    const doc = {}
    for (const k of ['id', 'name', 'email']) if (given[k] !== null && given[k] !== undefined && given[k] !== '') doc[k] = given[k]
    const nonce = crypto.randomBytes(12)
    const cipher = crypto.createCipheriv('aes-256-gcm', Buffer.from(secret, 'base64'), nonce)
    const ct = Buffer.concat([cipher.update(JSON.stringify(doc), 'utf8'), cipher.final()])
    return Buffer.concat([nonce, ct, cipher.getAuthTag()]).toString('base64')
  } catch (err) {
    throw new PeerFailed(String(err))
  }
}

/** Plain AES-GCM with `crypto`, then JSON.parse (integer id -> decimal text, "" -> null). */
function peerDecrypt(secret, token) {
  try {
    const raw = Buffer.from(token.trim(), 'base64')
    const decipher = crypto.createDecipheriv('aes-256-gcm', Buffer.from(secret, 'base64'), raw.subarray(0, 12))
    decipher.setAuthTag(raw.subarray(raw.length - 16))
    const plain = Buffer.concat([decipher.update(raw.subarray(12, raw.length - 16)), decipher.final()])
    const doc = JSON.parse(plain.toString('utf8'))
    const id = doc.id
    if (!(typeof id === 'string' || Number.isInteger(id))) throw new Error('bad id')
    return { id: String(id), name: doc.name || null, email: doc.email || null }
  } catch (err) {
    throw new PeerFailed(String(err))
  }
}

function handle(req) {
  switch (req.op) {
    case 'encrypt_fixed':
      return encryptWithNonce(ti.IdentityKey.fromBase64(req.secret), Buffer.from(req.nonce, 'hex'), identity(req))
    case 'encrypt':
      return ti.IdentityKey.fromBase64(req.secret).encrypt(identity(req))
    case 'decrypt':
      return answerIdentity(ti.IdentityKey.fromBase64(req.secret).decrypt(req.token))
    case 'secret':
      return ti.IdentityKey.fromBase64(req.secret).secretBase64()
    case 'script_tag':
      return ti.widgetScriptTag(text(req.src), text(req.assistant_id), text(req.token))
    case 'keyring_empty':
      return new ti.IdentityKeyring([]).toString()
    case 'round_trip': {
      const key = ti.IdentityKey.fromBase64(req.secret)
      const given = identity(req)
      const opened = key.decrypt(key.encrypt(given))
      return { identity: answerIdentity(opened), equal: isDeepStrictEqual(asDecrypted(given), opened) }
    }
    case 'identity_equal': {
      const a = identity({ identity: req.a })
      const b = identity({ identity: req.b })
      return isDeepStrictEqual(asDecrypted(a), asDecrypted(b))
    }
    case 'peer_encrypt':
      return peerEncrypt(req.secret, identity(req))
    case 'peer_decrypt':
      return peerDecrypt(req.secret, req.token)
    default:
      throw new TypeError(`unknown op ${JSON.stringify(req.op)}`)
  }
}

function answer(line) {
  try {
    return { ok: handle(JSON.parse(line)) }
  } catch (err) {
    if (err instanceof ti.IdentityTokenError) return { error: err.code, message: err.message }
    if (err instanceof PeerFailed) return { error: 'peer_failed' }
    return { error: 'type_error' }
  }
}

const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity })
lines.on('line', (line) => {
  if (line.trim() === '') return
  process.stdout.write(`${JSON.stringify(answer(line))}\n`)
})
