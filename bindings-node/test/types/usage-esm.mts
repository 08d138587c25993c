// The same package through the ESM ("import") conditions of the exports map.

import { IdentityKey, type UserIdentity } from 'teamweb-identity'
import { encryptWithNonce } from 'teamweb-identity/testing'

const key = IdentityKey.generate()
const opened: UserIdentity = key.decrypt(encryptWithNonce(key, new Uint8Array(12), { id: 1 }))
export const id: string = opened.id
