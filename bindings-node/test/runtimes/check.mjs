// Every conformance check (conformance.mjs) through the package imported by
// name, in the runtime that runs this file: Deno, Bun or Node. Arguments:
// `wasm` when the WebAssembly build is expected. Prints the result as JSON;
// exits non-zero on any failure.
import * as ti from 'teamweb-identity'
import * as testing from 'teamweb-identity/testing'
import vectors from './vectors.json' with { type: 'json' }
import { conformance } from './conformance.mjs'

const args = globalThis.Deno ? globalThis.Deno.args : globalThis.process.argv.slice(2)
const result = conformance(ti, testing, vectors, { wasm: args.includes('wasm') })
console.log(JSON.stringify(result))
if (result.failed > 0 || result.passed === 0) {
  if (globalThis.Deno) globalThis.Deno.exit(1)
  else globalThis.process.exit(1)
}
