package identity_test

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"testing"

	"github.com/teamweb-ai/teamweb-identity/bindings-go/identity"
)

// The benchmarks behind `make bench` (bindings-go/bench/table.py turns
// them into ratios): the package against the plain Go snippet a customer
// would otherwise copy from the public page (crypto/aes + crypto/cipher +
// encoding/json, the secret parsed on every call as the page's examples
// do), and, to show what cgo itself costs, against the same snippet with
// its AEAD built once.

const benchSecret = "q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq80="

var benchUser = identity.User{ID: "user_123", Name: "Alice", Email: "alice@example.com"}

type snippetPayload struct {
	ID    string `json:"id"`
	Name  string `json:"name,omitempty"`
	Email string `json:"email,omitempty"`
}

func snippetAEAD(secret string) (cipher.AEAD, error) {
	key, err := base64.StdEncoding.DecodeString(secret)
	if err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

func snippetSeal(gcm cipher.AEAD, u identity.User) (string, error) {
	payload, err := json.Marshal(snippetPayload{u.ID, u.Name, u.Email})
	if err != nil {
		return "", err
	}
	nonce := make([]byte, 12, 12+len(payload)+16)
	if _, err := rand.Read(nonce); err != nil {
		return "", err
	}
	return base64.StdEncoding.EncodeToString(gcm.Seal(nonce, nonce, payload, nil)), nil
}

func snippetOpen(gcm cipher.AEAD, token string) (identity.User, error) {
	raw, err := base64.StdEncoding.DecodeString(token)
	if err != nil {
		return identity.User{}, err
	}
	plain, err := gcm.Open(nil, raw[:12], raw[12:], nil)
	if err != nil {
		return identity.User{}, err
	}
	var p snippetPayload
	err = json.Unmarshal(plain, &p)
	return identity.User{ID: p.ID, Name: p.Name, Email: p.Email}, err
}

func BenchmarkEncrypt(b *testing.B) {
	key := mustKey(b, benchSecret)
	b.Run("package=key", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if _, err := key.Encrypt(benchUser); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("package=one-shot", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if _, err := identity.EncryptUserToken(benchSecret, benchUser); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("snippet=per-call", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			gcm, err := snippetAEAD(benchSecret)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := snippetSeal(gcm, benchUser); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("snippet=kept", func(b *testing.B) {
		gcm, _ := snippetAEAD(benchSecret)
		for i := 0; i < b.N; i++ {
			if _, err := snippetSeal(gcm, benchUser); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkDecrypt(b *testing.B) {
	key := mustKey(b, benchSecret)
	token, _ := key.Encrypt(benchUser)
	check := func(b *testing.B, u identity.User, err error) {
		if err != nil || u != benchUser {
			b.Fatal(u, err)
		}
	}
	b.Run("package=key", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			u, err := key.Decrypt(token)
			check(b, u, err)
		}
	})
	b.Run("package=one-shot", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			u, err := identity.DecryptUserToken(benchSecret, token)
			check(b, u, err)
		}
	})
	b.Run("snippet=per-call", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			gcm, err := snippetAEAD(benchSecret)
			if err != nil {
				b.Fatal(err)
			}
			u, err := snippetOpen(gcm, token)
			check(b, u, err)
		}
	})
	b.Run("snippet=kept", func(b *testing.B) {
		gcm, _ := snippetAEAD(benchSecret)
		for i := 0; i < b.N; i++ {
			u, err := snippetOpen(gcm, token)
			check(b, u, err)
		}
	})
}
