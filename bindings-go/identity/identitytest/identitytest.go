// Package identitytest is for tests only: it makes tokens with a chosen
// nonce, so conformance tests can compare them byte for byte.
//
// Never use it outside tests. A nonce used twice under one key breaks
// AES-GCM: whoever sees both tokens learns the XOR of the plaintexts and can
// forge tokens. Production code uses Key.Encrypt, which takes a fresh random
// nonce for every token.
package identitytest

import (
	"github.com/teamweb-ai/teamweb-identity/bindings-go/identity"
	"github.com/teamweb-ai/teamweb-identity/bindings-go/internal/testhook"
)

// EncryptWithNonce makes the token of user under key with the given nonce
// instead of a fresh random one. Tests only.
func EncryptWithNonce(key *identity.Key, nonce [12]byte, user identity.User) (string, error) {
	return testhook.EncryptWithNonce(key, nonce, user)
}
