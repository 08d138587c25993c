// The one instance of the WebAssembly build behind the `workerd`, `worker`
// and `edge-light` entries (index.wasm.mjs, testing.wasm.mjs): the `.wasm`
// file imported as a compiled module, the way wrangler (its CompiledWasm
// rule) and Next.js / Vercel (`?module`) bundle it.
import wasmModule from './wasm/web/teamweb_identity_bg.wasm?module'
import errors from './errors.js'
import { load } from './wasm.mjs'

export default { ...load(wasmModule), ...errors }
