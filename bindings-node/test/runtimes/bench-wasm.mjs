// The WebAssembly build against the WebCrypto snippet a user would write in
// an edge runtime (importKey once; encrypt/decrypt awaited; JSON and base64
// by hand), in one run. Prints one JSON line. Deno: `deno run --allow-read
// bench-wasm.mjs`. Also exported for the Worker's /bench route.
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

export async function bench(n = 20000) {
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
  const time = async (fn) => {
    for (let i = 0; i < n / 10; i++) await fn()
    const started = performance.now()
    for (let i = 0; i < n; i++) await fn()
    return ((performance.now() - started) * 1000) / n
  }
  const sdkEncrypt = await time(() => key.encrypt(USER))
  const webEncrypt = await time(() => snippetEncrypt(USER))
  const sdkDecrypt = await time(() => key.decrypt(token))
  const webDecrypt = await time(() => snippetDecrypt(token))
  return {
    n,
    encrypt_us: { sdk: sdkEncrypt, webcrypto: webEncrypt, ratio: webEncrypt / sdkEncrypt },
    decrypt_us: { sdk: sdkDecrypt, webcrypto: webDecrypt, ratio: webDecrypt / sdkDecrypt },
  }
}

if (globalThis.Deno && import.meta.main) console.log(JSON.stringify(await bench()))
