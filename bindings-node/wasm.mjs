// The WebAssembly build of the package's crate (src/wasm.rs, for
// wasm32-unknown-unknown, bound by wasm-bindgen as an ES module in wasm/web/),
// instantiated synchronously from a compiled `WebAssembly.Module`, for the
// runtimes that load no `.node` file: Cloudflare workerd, Vercel's edge
// runtime, Deno without --allow-ffi, Bun where no addon loads. Nonces and
// new keys come from `crypto.getRandomValues`; the package's API over the
// instance is api.js, the same as over the native addon.
//
// A Worker may not compile WebAssembly from bytes at run time, so the
// entries that import this one hand it the module their bundler compiled
// (wasm-instance.mjs: `import ... from '*.wasm?module'`, as wrangler and
// Next.js bundle it), or one compiled from the package's file
// (host-instance.mjs).

import { initSync } from './wasm/web/teamweb_identity.js'
import * as glue from './wasm/web/teamweb_identity.js'
import api from './api.js'
import wasmExports from './wasm-exports.js'

/**
 * The package's API over the WebAssembly build (one instance per module
 * graph: a second call reuses it).
 *
 * @param {WebAssembly.Module} wasmModule the compiled `wasm/web/teamweb_identity_bg.wasm`
 */
export function load(wasmModule) {
  if (!(wasmModule instanceof WebAssembly.Module)) {
    throw new TypeError('teamweb-identity: the WebAssembly build must be given as a compiled WebAssembly.Module')
  }
  initSync({ module: wasmModule })
  return api(wasmExports(glue))
}
