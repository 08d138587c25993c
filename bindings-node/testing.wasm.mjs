// teamweb-identity/testing for package.json `exports` condition(s)
// `workerd`, `worker`, `edge-light`, over wasm-instance.mjs (see testing.js).
import api from './wasm-instance.mjs'

export const { encryptWithNonce } = api

export default { encryptWithNonce }
