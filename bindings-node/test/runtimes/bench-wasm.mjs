// The WebAssembly build against the WebCrypto snippet a user would write in
// an edge runtime (importKey once; encrypt/decrypt awaited; JSON and base64
// by hand), in one run. Prints one JSON line. Deno: `deno run --allow-read
// bench-wasm.mjs`. A Worker's clock stands still while it computes, so
// there the Worker's /loop route runs `loop` and bench-workerd.mjs times
// the requests from outside.
import * as ti from 'teamweb-identity'

const SECRET = 'q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq80='
const USER = { id: 'user_123', name: 'Alice', email: 'alice@example.com' }

function bytesOf(base64) {
  const raw = atob(base64)
  const out = new Uint8Array(raw.length)
  for (let i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i)
  return out
}

function base64Of(bytes) {
  let raw = ''
  for (let i = 0; i < bytes.length; i++) raw += String.fromCharCode(bytes[i])
  return btoa(raw)
}

/**
 * The four timed operations, each a function of no arguments: the package's
 * calls as a user makes them (synchronous), the snippet's returning the
 * promise a user awaits.
 */
export async function operations() {
  const cryptoKey = await crypto.subtle.importKey('raw', bytesOf(SECRET), 'AES-GCM', false, ['encrypt', 'decrypt'])
  const encoder = new TextEncoder()
  const decoder = new TextDecoder()
  const snippetEncrypt = async (user) => {
    const iv = crypto.getRandomValues(new Uint8Array(12))
    const sealed = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, cryptoKey, encoder.encode(JSON.stringify(user))))
    const out = new Uint8Array(12 + sealed.length)
    out.set(iv)
    out.set(sealed, 12)
    return base64Of(out)
  }
  const snippetDecrypt = async (token) => {
    const raw = bytesOf(token)
    const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: raw.subarray(0, 12) }, cryptoKey, raw.subarray(12))
    return JSON.parse(decoder.decode(plain))
  }
  const key = ti.IdentityKey.fromBase64(SECRET)
  const token = key.encrypt(USER)
  return {
    sdkEncrypt: () => key.encrypt(USER),
    webEncrypt: () => snippetEncrypt(USER),
    sdkDecrypt: () => key.decrypt(token),
    webDecrypt: () => snippetDecrypt(token),
  }
}

/**
 * Runs `fn` n times, awaiting each call that returns a promise (the
 * snippet's; the package's calls are synchronous). A Worker route times
 * this from outside.
 */
export async function loop(fn, n) {
  for (let i = 0; i < n; i++) {
    const result = fn()
    if (result instanceof Promise) await result
  }
}

/** In-process timing (Deno: its clock runs during computation). */
export async function bench(n = 20000) {
  const ops = await operations()
  const time = async (fn) => {
    await loop(fn, n / 10)
    const started = performance.now()
    await loop(fn, n)
    return ((performance.now() - started) * 1000) / n
  }
  const sdkEncrypt = await time(ops.sdkEncrypt)
  const webEncrypt = await time(ops.webEncrypt)
  const sdkDecrypt = await time(ops.sdkDecrypt)
  const webDecrypt = await time(ops.webDecrypt)
  return {
    n,
    encrypt_us: { sdk: sdkEncrypt, webcrypto: webEncrypt, ratio: webEncrypt / sdkEncrypt },
    decrypt_us: { sdk: sdkDecrypt, webcrypto: webDecrypt, ratio: webDecrypt / sdkDecrypt },
  }
}

if (globalThis.Deno && import.meta.main) console.log(JSON.stringify(await bench()))
