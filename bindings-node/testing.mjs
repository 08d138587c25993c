// ESM entry point of teamweb-identity/testing (see testing.js).
import api from './testing.js'

export const { encryptWithNonce } = api

export default api
