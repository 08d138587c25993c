//go:build cgo

package identity

// The one map from the C ABI's statuses (named in include/teamweb_identity.h,
// the one place their numbers are written) to Go errors.

/*
#include "teamweb_identity.h"
*/
import "C"

import "fmt"

// Error is every failure of the package that comes from the identity
// rules, a token or a secret. Code gives the stable code, the same in every
// teamweb-identity package; errors.Is matches it against the sentinel of
// its kind:
//
//	if errors.Is(err, identity.ErrAuthenticationFailed) { ... }
//
// The message explains what was wrong; it never contains a secret, a key
// or the text of a token.
type Error struct {
	code    string
	message string
}

// The sentinel errors, one per stable code, for errors.Is.
var (
	// ErrInvalidSecret: the secret is not the base64 of 32 bytes (or a
	// keyring has no keys).
	ErrInvalidSecret = &Error{code: "invalid_secret", message: "invalid secret"}
	// ErrInvalidIdentity: the identity breaks an identity rule.
	ErrInvalidIdentity = &Error{code: "invalid_identity", message: "invalid identity"}
	// ErrMalformedToken: the token is not base64 of at least 28 bytes, or
	// is over 8192 characters.
	ErrMalformedToken = &Error{code: "malformed_token", message: "malformed token"}
	// ErrAuthenticationFailed: another key made the token, or it was changed.
	ErrAuthenticationFailed = &Error{code: "authentication_failed", message: "token authentication failed"}
	// ErrInvalidPayload: the token opened but holds no identity object.
	ErrInvalidPayload = &Error{code: "invalid_payload", message: "invalid payload"}
)

// Code is the stable code: "invalid_secret", "invalid_identity",
// "malformed_token", "authentication_failed" or "invalid_payload".
func (e *Error) Code() string { return e.code }

// Error is the message.
func (e *Error) Error() string { return e.message }

// Is reports whether target is an *Error with the same code, so that
// errors.Is(err, ErrInvalidSecret) holds for every invalid-secret error.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.code == e.code
}

// fail turns a failed call's status and message (freed here) into its
// error: the five stable codes to *Error, with the core's message;
// anything else (a caught panic or a bad argument: a bug) to a plain error.
func fail(status C.tw_status, message *C.char) error {
	msg := C.GoString(message)
	C.tw_string_free(message)
	name := C.GoString(C.tw_status_code(C.int32_t(status)))
	switch status {
	case C.TW_STATUS_INVALID_SECRET, C.TW_STATUS_INVALID_IDENTITY, C.TW_STATUS_MALFORMED_TOKEN,
		C.TW_STATUS_AUTHENTICATION_FAILED, C.TW_STATUS_INVALID_PAYLOAD:
		return &Error{code: name, message: msg}
	default:
		return fmt.Errorf("identity: internal error (%s): %s", name, msg)
	}
}
