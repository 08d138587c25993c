// ESM entry point for package.json `exports` condition(s) `workerd`, `worker`, `edge-light`
// over wasm-instance.mjs: the same API, classes and errors as index.js. Types:
// index.d.ts.
import api from './wasm-instance.mjs'

export const {
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

export default {
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
}
