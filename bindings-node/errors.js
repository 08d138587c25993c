'use strict'
// The package's one error module: the core's error kinds as JavaScript
// classes, and the mapping from the native addon's error codes to them.

/** Base class of every error this package throws about tokens, keys and identities. */
class IdentityTokenError extends Error {
  /**
   * @param {string} message
   * @param {string} code one of the five stable codes
   */
  constructor(message, code) {
    super(message)
    Object.defineProperty(this, 'code', { value: code, enumerable: true, writable: false, configurable: true })
  }
}

/** The secret is not the base64 of exactly 32 bytes (`invalid_secret`). */
class InvalidSecretError extends IdentityTokenError {
  /** @param {string} message */
  constructor(message) {
    super(message, 'invalid_secret')
  }
}

/** The identity breaks one of the identity rules (`invalid_identity`). */
class InvalidIdentityError extends IdentityTokenError {
  /** @param {string} message */
  constructor(message) {
    super(message, 'invalid_identity')
  }
}

/** The token is not base64 of at least 28 bytes, or is too long (`malformed_token`). */
class MalformedTokenError extends IdentityTokenError {
  /** @param {string} message */
  constructor(message) {
    super(message, 'malformed_token')
  }
}

/** The token was made with another key, or changed (`authentication_failed`). */
class AuthenticationFailedError extends IdentityTokenError {
  /** @param {string} message */
  constructor(message) {
    super(message, 'authentication_failed')
  }
}

/** The token decrypted, but does not hold an identity object (`invalid_payload`). */
class InvalidPayloadError extends IdentityTokenError {
  /** @param {string} message */
  constructor(message) {
    super(message, 'invalid_payload')
  }
}

const classes = {
  IdentityTokenError,
  InvalidSecretError,
  InvalidIdentityError,
  MalformedTokenError,
  AuthenticationFailedError,
  InvalidPayloadError,
}
for (const [name, cls] of Object.entries(classes)) {
  // `err.name` and the first line of `err.stack` show the class.
  Object.defineProperty(cls.prototype, 'name', { value: name, writable: true, configurable: true })
}

/** @type {Record<string, new (message: string) => IdentityTokenError>} */
const BY_CODE = {
  invalid_secret: InvalidSecretError,
  invalid_identity: InvalidIdentityError,
  malformed_token: MalformedTokenError,
  authentication_failed: AuthenticationFailedError,
  invalid_payload: InvalidPayloadError,
}

/**
 * Codes of the addon's errors about a value of the wrong type: its own
 * `type_error`, and `InvalidArg`, napi-rs's when its argument check
 * (`#[napi(strict)]`) refuses a value.
 */
const TYPE_CODES = new Set(['type_error', 'InvalidArg'])

/**
 * Turns an error thrown by the native addon into the package's error: one of
 * the five classes by its `code`, a `TypeError` for a value of the wrong
 * type, anything else unchanged (an error thrown by a getter of the caller's
 * object, a caught Rust panic).
 * @param {unknown} err
 * @returns {unknown}
 */
function fromNative(err) {
  if (!(err instanceof Error) || err instanceof IdentityTokenError) return err
  const code = /** @type {{ code?: unknown }} */ (err).code
  if (typeof code !== 'string') return err
  const cls = Object.prototype.hasOwnProperty.call(BY_CODE, code) ? BY_CODE[code] : undefined
  let mapped
  if (cls !== undefined) mapped = new cls(err.message)
  else if (TYPE_CODES.has(code)) mapped = new TypeError(err.message)
  else return err
  // V8's Error.captureStackTrace (typed here: the check of this file needs no Node typings).
  const v8Error = /** @type {{ captureStackTrace(target: object, constructor: Function): void }} */ (/** @type {unknown} */ (Error))
  v8Error.captureStackTrace(mapped, fromNative)
  return mapped
}

/**
 * Throws at load time if the core has an error code this module does not
 * map (the addon passes the core's `ErrorKind::ALL`).
 * @param {string[]} codes
 */
function checkCodes(codes) {
  const missing = codes.filter((code) => !Object.prototype.hasOwnProperty.call(BY_CODE, code))
  if (missing.length > 0 || codes.length !== Object.keys(BY_CODE).length) {
    throw new Error(`teamweb-identity: errors.js does not match the core's error codes (${codes.join(', ')})`)
  }
}

module.exports = { ...classes, fromNative, checkCodes }
