// Uses the whole public API with the shipped index.d.ts / testing.d.ts;
// `make test` compiles it with `tsc --strict` (and more) in the consumer
// project, so a typing mistake fails the build.

import {
  AuthenticationFailedError,
  IdentityKey,
  IdentityKeyring,
  IdentityTokenError,
  IdentityTokenErrorCode,
  InvalidIdentityError,
  InvalidPayloadError,
  InvalidSecretError,
  MalformedTokenError,
  UserIdentity,
  UserIdentityInput,
  decryptUserToken,
  encryptUserToken,
  widgetScriptTag,
} from 'teamweb-identity'
import { encryptWithNonce } from 'teamweb-identity/testing'

const secret: string = IdentityKey.generate().secretBase64()
const key: IdentityKey = IdentityKey.fromBase64(secret)

const input: UserIdentityInput = { id: 'user_123', name: 'Alice', email: null }
const numeric: UserIdentityInput = { id: 42 }
const big: UserIdentityInput = { id: 42n, name: undefined }
const token: string = key.encrypt(input)
key.encrypt(numeric)
key.encrypt(big)

const opened: UserIdentity = key.decrypt(token)
const id: string = opened.id
const name: string | undefined = opened.name
const email: string | undefined = opened.email

const ring = new IdentityKeyring([IdentityKey.generate(), key])
const first: IdentityKey | undefined = ring.keys[0]
ring.decrypt(ring.encrypt({ id: 'u' }))
new IdentityKeyring(new Set([key]))

const oneShot: string = encryptUserToken(secret, { id: 'u', email: 'u@example.com' })
const back: UserIdentity = decryptUserToken(secret, oneShot)

const tag: string = widgetScriptTag('https://teamweb.example/static/js/chat-widget.js', 123, token)
widgetScriptTag('/w.js', 'assistant')
widgetScriptTag('/w.js', 7n, null)

const fixed: string = encryptWithNonce(key, new Uint8Array(12), { id: 'u' })

function describe(err: unknown): string {
  if (err instanceof InvalidSecretError) {
    const code: 'invalid_secret' = err.code
    return code
  }
  if (err instanceof InvalidIdentityError || err instanceof MalformedTokenError) return err.code
  if (err instanceof AuthenticationFailedError || err instanceof InvalidPayloadError) return err.message
  if (err instanceof IdentityTokenError) {
    const code: IdentityTokenErrorCode = err.code
    return code
  }
  if (err instanceof TypeError) return 'type'
  return 'other'
}

// What must NOT compile:
// @ts-expect-error the constructor is private
new IdentityKey()
// @ts-expect-error id is required
key.encrypt({ name: 'x' })
// @ts-expect-error booleans are not ids
key.encrypt({ id: true })
// @ts-expect-error decrypted ids are text
const wrong: number = opened.id
// @ts-expect-error keyrings hold keys, not secrets
new IdentityKeyring([secret])

export const used = [id, name, email, first, back, tag, fixed, describe, wrong, String(key), JSON.stringify(key), key.toJSON()]
