package identity_test

import (
	"errors"
	"testing"

	"github.com/teamweb-ai/teamweb-identity/bindings-go/identity"
)

// FuzzDecrypt opens any string: it must come back as an identity or as one
// of the three decrypt errors, never a panic, a crash or another error.
// `make test` runs it for 10 s: go test -run '^$' -fuzz=FuzzDecrypt -fuzztime=10s
func FuzzDecrypt(f *testing.F) {
	vs := vectors(f)
	key := mustKey(f, vs.Valid[0].Secret)
	ring, err := identity.NewKeyring(key)
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { ring.Close() })
	for _, v := range vs.Valid {
		if v.Secret == vs.Valid[0].Secret {
			f.Add(v.Token)
		}
	}
	for _, v := range vs.InvalidTokens {
		f.Add(v.Token)
	}
	f.Add("")
	f.Add(" \t\n")
	f.Fuzz(func(t *testing.T, token string) {
		who, err := key.Decrypt(token)
		again, err2 := ring.Decrypt(token)
		if who != again || (err == nil) != (err2 == nil) {
			t.Fatalf("key and keyring differ: %+v %v / %+v %v", who, err, again, err2)
		}
		if err == nil {
			if who.ID == "" {
				t.Fatalf("opened to an empty id: %+v", who)
			}
			return
		}
		var e *identity.Error
		if !errors.As(err, &e) {
			t.Fatalf("not an *identity.Error: %v", err)
		}
		switch e.Code() {
		case "malformed_token", "authentication_failed", "invalid_payload":
		default:
			t.Fatalf("unexpected code %s: %v", e.Code(), err)
		}
		if e2 := new(identity.Error); !errors.As(err2, &e2) || e2.Code() != e.Code() {
			t.Fatalf("keyring: %v, key: %v", err2, err)
		}
	})
}
