@file:JvmName("Testing")

/**
 * Entry points for tests only. From Java: `ai.teamweb.identity.testing.Testing`.
 */
package ai.teamweb.identity.testing

import ai.teamweb.identity.IdentityKey
import ai.teamweb.identity.InvalidIdentityException
import ai.teamweb.identity.UserIdentity
import ai.teamweb.identity.internal.notNull

/**
 * Makes a token with the given 12-byte [nonce] instead of a fresh random one,
 * so conformance tests can compare tokens byte for byte. From Java:
 * `ai.teamweb.identity.testing.Testing.encryptWithNonce(key, nonce, identity)`.
 *
 * **Never in production**: a nonce used twice under one key breaks AES-GCM.
 *
 * @throws IllegalArgumentException if [nonce] is not 12 bytes.
 * @throws InvalidIdentityException if the identity breaks a rule.
 * @throws NullPointerException if an argument is `null`.
 */
@Throws(InvalidIdentityException::class)
fun encryptWithNonce(key: IdentityKey, nonce: ByteArray, identity: UserIdentity): String =
    notNull(key, "key").nativeKey.encryptWithNonce(notNull(nonce, "nonce"), notNull(identity, "identity"))
