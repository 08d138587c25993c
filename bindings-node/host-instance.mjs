// What the `deno` and `bun` entries (index.host.mjs, testing.host.mjs) run
// on: the native addon through Node's loader (native.js, via index.js)
// where it loads, else the WebAssembly build (wasm.mjs) read from the
// package's files. The addon does not load in Deno without --allow-ffi
// (and the env and read access napi-rs's loader uses), nor where no
// package for the platform is installed, nor when
// TEAMWEB_IDENTITY_FORCE_WASM=1 asks for WebAssembly.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)

let api
try {
  api = { ...require('./index.js'), ...require('./testing.js') }
} catch (nativeError) {
  try {
    const { load } = await import('./wasm.mjs')
    const bytes = readFileSync(new URL('./wasm/web/teamweb_identity_bg.wasm', import.meta.url))
    api = { ...load(new WebAssembly.Module(bytes)), ...require('./errors.js') }
  } catch (wasmError) {
    throw new Error(`teamweb-identity: neither the native addon nor the WebAssembly build loads here: ${wasmError}`, { cause: nativeError })
  }
}

export default api
