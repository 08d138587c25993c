// ESM entry point: the same objects as the CommonJS one (index.js), so
// `instanceof` works whichever way a program loads the package.
import api from './index.js'

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

export default api
