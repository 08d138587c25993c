'use strict'
// The API over the native addon where it loads (native.js, the loader `napi
// build` generates: this platform's package), else over the WebAssembly
// build (wasm/node/, bound by wasm-bindgen for Node's require), as in a
// runtime or on a platform with no addon. TEAMWEB_IDENTITY_FORCE_WASM=1
// asks for the WebAssembly build.

/** Whether the environment asks for the WebAssembly build (an environment that may not be read does not). */
function forceWasm() {
  try {
    // (Read through globalThis: this file is type-checked without Node's typings.)
    return /** @type {any} */ (globalThis).process.env.TEAMWEB_IDENTITY_FORCE_WASM === '1'
  } catch {
    return false
  }
}

/** @returns {typeof import('./native')} */
function build() {
  let nativeError
  if (!forceWasm()) {
    try {
      return require('./native.js')
    } catch (err) {
      nativeError = err
    }
  }
  try {
    return require('./wasm-exports.js')(require('./wasm/node/teamweb_identity.js'))
  } catch (wasmError) {
    throw new Error(`teamweb-identity: neither the native addon nor the WebAssembly build loads here: ${wasmError}`, { cause: nativeError })
  }
}

module.exports = require('./api.js')(build())
