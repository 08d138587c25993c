// The WebAssembly build of the addon (the same crate, src/, built by `napi
// build --target wasm32-wasip1`: single-threaded, no SharedArrayBuffer),
// instantiated synchronously from a compiled `WebAssembly.Module`, for the
// runtimes that load no `.node` file: Cloudflare workerd, Vercel's edge
// runtime, Deno without --allow-ffi, Bun where no addon loads. Node-API
// comes from emnapi (`@emnapi/core` with its own `@emnapi/runtime`, both
// this package's dependencies, so that another emnapi in the project, e.g.
// sharp's, is never paired with them), WASI preview 1 from
// `@tybys/wasm-util`; the package's API over the instance is api.js, the
// same as over the native addon.
//
// napi-rs's generated loaders fetch the `.wasm` file (browsers) or read it
// from disk (Node); a Worker can do neither and may not compile WebAssembly
// from bytes at run time, so the entries that import this one hand it the
// module their bundler compiled (wasm-instance.mjs: `import ... from
// '*.wasm?module'`, as wrangler and Next.js bundle it).

import { instantiateNapiModuleSync } from '@emnapi/core'
import { asyncWork, tsfn } from '@emnapi/core/plugins'
import { createContext } from '@emnapi/runtime'
import { WASI } from '@tybys/wasm-util'
import api from './api.js'

// The module's linear memory: 2 MiB to start (the module declares 17 pages:
// its data and a 1 MiB stack), never more than 16 MiB.
const INITIAL_PAGES = 32
const MAXIMUM_PAGES = 256

// WASI's errno for a function the host cannot provide.
const ENOSYS = 52

/**
 * WASI's `random_get`, which the core's `getrandom` calls for each nonce
 * and each generated key, from the Web Crypto API's CSPRNG
 * (`crypto.getRandomValues`, at most 65,536 bytes a call), and from nothing
 * else: without it, `random_get` fails and so does the call that needed
 * randomness (the WASI shim's own `random_get` would quietly fall back to
 * `Math.random`).
 *
 * @param {() => WebAssembly.Memory} memory
 */
function randomGet(memory) {
  return (pointer, length) => {
    const cryptoApi = globalThis.crypto
    if (cryptoApi === undefined || typeof cryptoApi.getRandomValues !== 'function') return ENOSYS
    const bytes = new Uint8Array(memory().buffer, Number(pointer), Number(length))
    for (let start = 0; start < bytes.length; start += 65536) {
      cryptoApi.getRandomValues(bytes.subarray(start, start + 65536))
    }
    return 0
  }
}

/**
 * The package's API over a new instance of the WebAssembly build.
 *
 * @param {WebAssembly.Module} wasmModule the compiled `teamweb-identity.wasm32-wasip1.wasm`
 */
export function load(wasmModule) {
  if (!(wasmModule instanceof WebAssembly.Module)) {
    throw new TypeError('teamweb-identity: the WebAssembly build must be given as a compiled WebAssembly.Module')
  }
  const memory = new WebAssembly.Memory({ initial: INITIAL_PAGES, maximum: MAXIMUM_PAGES })
  const { napiModule } = instantiateNapiModuleSync(wasmModule, {
    context: createContext(),
    asyncWorkPoolSize: 0,
    plugins: [asyncWork, tsfn],
    wasi: new WASI({ version: 'preview1' }),
    overwriteImports(imports) {
      imports.env = { ...imports.env, ...imports.napi, ...imports.emnapi, memory }
      imports.wasi_snapshot_preview1 = { ...imports.wasi_snapshot_preview1, random_get: randomGet(() => memory) }
      return imports
    },
    beforeInit({ instance }) {
      // napi-rs's registrations (one per #[napi] item), as its loaders do.
      for (const name of Object.keys(instance.exports)) {
        if (name.startsWith('__napi_register__')) instance.exports[name]()
      }
    },
  })
  return { ...api(napiModule.exports), memory }
}
