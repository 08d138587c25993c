'use strict'
// teamweb-identity: make and open TeamWeb AI chat-widget identity tokens.
// Types and documentation: index.d.ts. ESM entry point: index.mjs.

const key = require('./key.js')
const errors = require('./errors.js')

module.exports = {
  IdentityKey: key.IdentityKey,
  IdentityKeyring: key.IdentityKeyring,
  encryptUserToken: key.encryptUserToken,
  decryptUserToken: key.decryptUserToken,
  widgetScriptTag: key.widgetScriptTag,
  IdentityTokenError: errors.IdentityTokenError,
  InvalidSecretError: errors.InvalidSecretError,
  InvalidIdentityError: errors.InvalidIdentityError,
  MalformedTokenError: errors.MalformedTokenError,
  AuthenticationFailedError: errors.AuthenticationFailedError,
  InvalidPayloadError: errors.InvalidPayloadError,
}
