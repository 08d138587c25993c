// teamweb-identity/testing for package.json `exports` condition(s)
// `deno`, over host-instance.mjs (see testing.js).
import api from './host-instance.mjs'

export const { encryptWithNonce } = api

export default { encryptWithNonce }
