// Package testhook lets the identitytest package reach the fixed-nonce call
// of package identity without putting it in identity's public API.
package testhook

// EncryptWithNonce is set by package identity's init to its fixed-nonce
// encrypt: func(*identity.Key, [12]byte, identity.User) (string, error),
// typed loosely here because this package cannot import identity.
var EncryptWithNonce func(key any, nonce [12]byte, user any) (string, error)

// Panic makes the native library panic (tw_testing_panic): the error it
// returns shows the panic was caught at the C boundary.
var Panic func() error
