/**
 * `teamweb-identity/testing`: a fixed nonce, for conformance tests only.
 *
 * A fixed nonce makes tokens reproducible, which conformance tests need and
 * production must never have: a nonce used twice under one key breaks
 * AES-GCM. Never import this module outside tests.
 *
 * @packageDocumentation
 */

import type { IdentityKey, UserIdentityInput } from './index'

/**
 * Makes a token with the given nonce instead of a fresh random one.
 *
 * @param key - the key
 * @param nonce - exactly 12 bytes (a `Uint8Array` or a `Buffer`)
 * @param identity - as for {@link IdentityKey.encrypt}
 * @throws `InvalidIdentityError` if the identity breaks a rule
 * @throws `TypeError` if `key` is not an `IdentityKey`, `nonce` is not 12
 *   bytes, or `identity` has the wrong shape
 */
export declare function encryptWithNonce(key: IdentityKey, nonce: Uint8Array, identity: UserIdentityInput): string
