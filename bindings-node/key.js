'use strict'
// Hand-written API over the napi-rs addon (`native.js` is its generated
// loader). Each operation is one call into the addon; the addon converts
// the values and the Rust core does the work. Errors come back through
// `fromNative` (errors.js). Types and documentation: index.d.ts.

const native = require('./native.js')
const { fromNative, checkCodes } = require('./errors.js')

checkCodes(native.errorCodes())

const INSPECT = Symbol.for('nodejs.util.inspect.custom')
const PRIVATE = Symbol('teamweb-identity.private')
const IDENTITY_TYPE = 'identity must be an object { id, name?, email? }'

/**
 * @template T
 * @param {T} identity
 * @returns {T}
 */
function requireIdentity(identity) {
  if (typeof identity !== 'object' || identity === null) throw new TypeError(IDENTITY_TYPE)
  return identity
}

/**
 * Where the addon writes the UTF-16 lengths of the decrypted id, name and
 * email (-1: absent). Decryption returns them joined in one string, which
 * is much cheaper than building an object through Node-API; `identity`
 * cuts it apart right after the call (nothing can run in between).
 */
const LENGTHS = new Int32Array(3)

/**
 * The decrypted identity from the addon's joined string; absent fields are
 * left out of the object.
 * @param {string} joined
 */
function identity(joined) {
  const idEnd = LENGTHS[0]
  const nameLength = LENGTHS[1]
  const id = idEnd === joined.length ? joined : joined.slice(0, idEnd)
  if (nameLength < 0) return LENGTHS[2] < 0 ? { id } : { id, email: joined.slice(idEnd) }
  const nameEnd = idEnd + nameLength
  const name = joined.slice(idEnd, nameEnd)
  return LENGTHS[2] < 0 ? { id, name } : { id, name, email: joined.slice(nameEnd) }
}

/** @type {(keys: Keys) => unknown} */
let handleOf

/**
 * What keys and keyrings share: an opaque native handle (a type-tagged
 * external owning the Rust key; never the bytes) and encrypt/decrypt.
 * Not exported.
 */
class Keys {
  /** @type {unknown} */
  #handle

  constructor(token, handle) {
    if (token !== PRIVATE) {
      throw new TypeError('use IdentityKey.fromBase64(secret) or IdentityKey.generate() to make an IdentityKey')
    }
    this.#handle = handle
  }

  static {
    handleOf = (keys) => keys.#handle
  }

  encrypt(identity) {
    const { id, name, email } = requireIdentity(identity)
    try {
      return native.encrypt(this.#handle, id, name, email)
    } catch (err) {
      throw fromNative(err)
    }
  }

  decrypt(token) {
    try {
      return identity(native.decrypt(this.#handle, token, LENGTHS))
    } catch (err) {
      throw fromNative(err)
    }
  }

  toJSON() {
    return this.toString()
  }

  [INSPECT]() {
    return this.toString()
  }
}

/** @param {unknown} key */
function keyHandle(key) {
  if (!(key instanceof IdentityKey)) throw new TypeError('key must be an IdentityKey')
  return handleOf(key)
}

class IdentityKey extends Keys {
  static fromBase64(secret) {
    try {
      return new IdentityKey(PRIVATE, native.keyFromBase64(secret))
    } catch (err) {
      throw fromNative(err)
    }
  }

  static generate() {
    try {
      return new IdentityKey(PRIVATE, native.keyGenerate())
    } catch (err) {
      throw fromNative(err)
    }
  }

  secretBase64() {
    try {
      return native.secretBase64(handleOf(this))
    } catch (err) {
      throw fromNative(err)
    }
  }

  toString() {
    return 'IdentityKey(<redacted>)'
  }
}

class IdentityKeyring extends Keys {
  /** @type {readonly IdentityKey[]} */
  #keys

  constructor(keys) {
    if (keys === null || typeof keys !== 'object' || typeof keys[Symbol.iterator] !== 'function') {
      throw new TypeError('keys must be an array (or other iterable) of IdentityKey')
    }
    const list = Object.freeze(Array.from(keys))
    const handles = list.map(keyHandle)
    let handle
    try {
      handle = native.keyring(handles)
    } catch (err) {
      throw fromNative(err)
    }
    super(PRIVATE, handle)
    this.#keys = list
  }

  get keys() {
    return this.#keys
  }

  toString() {
    return `IdentityKeyring(${this.#keys.length} keys, <redacted>)`
  }
}

function encryptUserToken(secret, identity) {
  const { id, name, email } = requireIdentity(identity)
  try {
    return native.encryptUserToken(secret, id, name, email)
  } catch (err) {
    throw fromNative(err)
  }
}

function decryptUserToken(secret, token) {
  try {
    return identity(native.decryptUserToken(secret, token, LENGTHS))
  } catch (err) {
    throw fromNative(err)
  }
}

function widgetScriptTag(src, assistantId, userToken) {
  try {
    return native.widgetScriptTag(src, assistantId, userToken)
  } catch (err) {
    throw fromNative(err)
  }
}

function encryptWithNonce(key, nonce, identity) {
  const handle = keyHandle(key)
  const { id, name, email } = requireIdentity(identity)
  try {
    return native.encryptWithNonce(handle, nonce, id, name, email)
  } catch (err) {
    throw fromNative(err)
  }
}

module.exports = {
  IdentityKey,
  IdentityKeyring,
  encryptUserToken,
  decryptUserToken,
  widgetScriptTag,
  encryptWithNonce,
}
