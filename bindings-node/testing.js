'use strict'
// teamweb-identity/testing: a fixed nonce, for conformance tests only.
// Types and documentation: testing.d.ts.

const { encryptWithNonce } = require('./key.js')

module.exports = { encryptWithNonce }
