'use strict'
// The WebAssembly build's exports (src/wasm.rs, bound by wasm-bindgen) as
// api.js calls them: the same functions as the native addon's, with one
// difference wasm-bindgen imposes: a class instance passed in a Rust
// `Vec` is moved into Rust, so the keyring is given copies of its keys
// (`keyClone`), and the caller's keys stay usable.

/**
 * @param {any} glue wasm-bindgen's module (wasm/web/ or wasm/node/)
 * @returns {typeof import('./native')}
 */
module.exports = function wasmExports(glue) {
  return {
    ...glue,
    keyringNew: (/** @type {any[]} */ keys) => glue.keyringNew(keys.map((key) => glue.keyClone(key))),
  }
}
