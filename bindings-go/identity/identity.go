//go:build cgo

// Package identity makes and opens identity tokens for TeamWeb AI's chat
// widget: {"id","name","email"} encrypted with the channel's identity secret
// (AES-256-GCM), put on the widget's script tag as data-user-token.
//
// It is the Go package of teamweb-identity: a thin cgo layer over the
// project's C ABI (bindings-c), itself over the Rust core that every
// teamweb-identity package shares, so a token made here is byte for byte
// the token the Python, Node, JVM and Rust packages make, and each opens the
// others'. The static library for the platform ships inside the module; see
// README.md for the platforms and what to do on another one.
//
//	key, err := identity.NewKey(os.Getenv("TEAMWEB_IDENTITY_SECRET")) // once, at start-up
//	token, err := key.Encrypt(identity.User{ID: "user_123", Name: "Alice", Email: "alice@example.com"})
//	tag := identity.WidgetScriptTag("https://teamweb.example/static/js/chat-widget.js", "123", token)
//
// Keys and keyrings are immutable and safe for concurrent use by many
// goroutines. Every token's 12-byte nonce is read from the operating
// system's CSPRNG at the moment of the call (no random state in user
// space, so nothing repeats across goroutines, fork() or a copied process);
// make at most 2^32 tokens per secret (NIST SP 800-38D 8.3) and rotate with
// a Keyring before that. A key's bytes live in the native library only,
// are never printed, and are wiped (with its expanded AES and GHASH keys)
// when the key is closed or collected; the secret string passed to NewKey
// is the caller's and is not wiped.
package identity

import (
	"cmp"
	"errors"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/teamweb-ai/teamweb-identity/bindings-go/internal/testhook"
)

// User is an identity: the visitor's ID (required; a numeric id is passed as
// its decimal text, e.g. strconv.FormatInt), and optional Name and Email
// ("" means absent, and is left out of the token).
type User struct {
	ID    string
	Name  string
	Email string
}

// ErrClosed is returned by the methods of a Key or Keyring after Close.
var ErrClosed = errors.New("identity: use of a closed key or keyring")

// handle owns one native object: freed by close, or by the runtime's
// cleanup (safety net) once no Key or Keyring refers to it. A Key or Keyring
// holds a *handle, so copies of its value share one handle: Close through
// any copy closes them all, and the cleanup waits for the last copy. Calls
// hold the read lock, so Close waits for calls in flight and no call ever
// sees a freed object.
type handle[P comparable] struct {
	mu    sync.RWMutex
	ptr   P // the zero value once closed
	free  func(P)
	net   safetyNet
	order uint64 // the global lock order of NewKeyring
}

// handles numbers every handle, for the one order in which NewKeyring takes
// several read locks.
var handles atomic.Uint64

func newHandle[P comparable](ptr P, free func(P)) *handle[P] {
	h := &handle[P]{ptr: ptr, free: free, order: handles.Add(1)}
	h.net = watch(h, ptr, free)
	return h
}

// acquire read-locks the handle and returns its object, or false (and no
// lock) when it is closed; a nil handle is the zero Key or Keyring, which
// acts as closed. The caller calls release after its call into C.
func (h *handle[P]) acquire() (P, bool) {
	var closed P
	if h == nil {
		return closed, false
	}
	h.mu.RLock()
	if h.ptr == closed {
		h.mu.RUnlock()
		return closed, false
	}
	return h.ptr, true
}

func (h *handle[P]) release() { h.mu.RUnlock() }

func (h *handle[P]) close() {
	if h == nil {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	var closed P
	if h.ptr != closed {
		h.net.stop(h)
		h.free(h.ptr)
		h.ptr = closed
	}
}

// Key is one identity secret, ready to make and open tokens. Make it once
// (NewKey) and share it; it is safe for concurrent use.
//
// A copy of a Key value shares the original's native key: closing either
// closes both.
type Key struct {
	h *handle[*cKey]
}

func newKey(ptr *cKey) *Key { return &Key{h: newHandle(ptr, freeKey)} }

// NewKey reads a secret as the channel's settings page shows it: the base64
// of 32 bytes (standard or URL-safe alphabet, padding optional, surrounding
// whitespace ignored). Otherwise the error is ErrInvalidSecret, with a
// message that says what was wrong and never contains the secret.
func NewKey(secret string) (*Key, error) {
	ptr, err := keyFromBase64(secret)
	if err != nil {
		return nil, err
	}
	return newKey(ptr), nil
}

// GenerateKey makes a new key from 32 bytes of the operating system's
// CSPRNG; SecretBase64 gives its secret.
func GenerateKey() (*Key, error) {
	ptr, err := keyGenerate()
	if err != nil {
		return nil, err
	}
	return newKey(ptr), nil
}

// SecretBase64 returns the key's secret as padded standard base64 (44
// characters). It panics if the key is closed.
func (k *Key) SecretBase64() string {
	ptr, ok := k.h.acquire()
	if !ok {
		panic(ErrClosed)
	}
	defer k.h.release()
	s, err := keySecret(ptr)
	if err != nil {
		panic(err) // only an internal error can get here
	}
	return s
}

// Encrypt makes a token for u with a fresh random nonce. An identity that
// breaks the identity rules is ErrInvalidIdentity (ID required, not blank,
// at most 256 bytes; Name at most 256 bytes; Email at most 254 bytes with
// an @ and no whitespace; valid UTF-8 without control characters).
func (k *Key) Encrypt(u User) (string, error) {
	ptr, ok := k.h.acquire()
	if !ok {
		return "", ErrClosed
	}
	defer k.h.release()
	return keyEncrypt(ptr, u)
}

// Decrypt opens a token made by any teamweb-identity package or by the
// public page's examples. Errors: ErrMalformedToken (not base64, too short,
// over 8192 characters), ErrAuthenticationFailed (another key, or a changed
// byte), ErrInvalidPayload (no identity inside).
func (k *Key) Decrypt(token string) (User, error) {
	ptr, ok := k.h.acquire()
	if !ok {
		return User{}, ErrClosed
	}
	defer k.h.release()
	return keyDecrypt(ptr, token)
}

// Close frees the key and zeroizes its bytes; later calls, through this Key
// or any copy of its value, return ErrClosed. It waits for calls in flight
// and is safe to call more than once. A key that is never closed is freed
// when the garbage collector finds it (and every copy) unreachable, so
// Close matters only for keys made and dropped often.
func (k *Key) Close() error {
	k.h.close()
	return nil
}

// String never shows the key.
func (k *Key) String() string { return "identity.Key(<redacted>)" }

// GoString never shows the key.
func (k *Key) GoString() string { return k.String() }

// Keyring rotates secrets: it encrypts with its first key and opens tokens
// made with any of its keys. Safe for concurrent use.
//
// A copy of a Keyring value shares the original's native keyring.
type Keyring struct {
	h *handle[*cKeyring]
}

// NewKeyring makes a keyring of keys (copies: closing a key afterwards does
// not affect the keyring). No keys is ErrInvalidSecret.
func NewKeyring(keys ...*Key) (*Keyring, error) {
	// The keys' read locks are held together while the library copies the
	// keys, so they are taken in one global order (each handle once):
	// NewKeyring(a, b) and NewKeyring(b, a) running beside a.Close() and
	// b.Close() would otherwise each hold one lock and wait for the other
	// behind a pending Close.
	distinct := make([]*handle[*cKey], 0, len(keys))
	for _, k := range keys {
		if k == nil {
			return nil, errors.New("identity: NewKeyring: a nil *Key")
		}
		if k.h == nil {
			return nil, ErrClosed
		}
		if !slices.Contains(distinct, k.h) {
			distinct = append(distinct, k.h)
		}
	}
	slices.SortFunc(distinct, func(a, b *handle[*cKey]) int { return cmp.Compare(a.order, b.order) })
	for i, h := range distinct {
		if _, ok := h.acquire(); !ok {
			for _, held := range distinct[:i] {
				held.release()
			}
			return nil, ErrClosed
		}
	}
	ptrs := make([]*cKey, len(keys))
	for i, k := range keys {
		ptrs[i] = k.h.ptr
	}
	ptr, err := keyringNew(ptrs)
	for _, h := range distinct {
		h.release()
	}
	if err != nil {
		return nil, err
	}
	return &Keyring{h: newHandle(ptr, freeKeyring)}, nil
}

// Encrypt makes a token with the keyring's first key; see Key.Encrypt.
func (r *Keyring) Encrypt(u User) (string, error) {
	ptr, ok := r.h.acquire()
	if !ok {
		return "", ErrClosed
	}
	defer r.h.release()
	return keyringEncrypt(ptr, u)
}

// Decrypt opens a token with whichever key made it (only
// ErrAuthenticationFailed moves on to the next key); see Key.Decrypt.
func (r *Keyring) Decrypt(token string) (User, error) {
	ptr, ok := r.h.acquire()
	if !ok {
		return User{}, ErrClosed
	}
	defer r.h.release()
	return keyringDecrypt(ptr, token)
}

// Close frees the keyring's copies of its keys; see Key.Close.
func (r *Keyring) Close() error {
	r.h.close()
	return nil
}

// String never shows the keys.
func (r *Keyring) String() string { return "identity.Keyring(<redacted>)" }

// GoString never shows the keys.
func (r *Keyring) GoString() string { return r.String() }

// EncryptUserToken is NewKey then Encrypt in one call. Parsing the secret
// expands the AES key each time: a server making many tokens keeps a Key.
func EncryptUserToken(secret string, u User) (string, error) {
	return oneShotEncrypt(secret, u)
}

// DecryptUserToken is NewKey then Decrypt in one call.
func DecryptUserToken(secret, token string) (User, error) {
	return oneShotDecrypt(secret, token)
}

// WidgetScriptTag returns the widget's script tag,
//
//	<script src="…" data-assistant-id="…" data-user-token="…"></script>
//
// with every value HTML-attribute-escaped (& < > " '). An empty token
// leaves the data-user-token attribute out. A numeric assistant id is
// passed as its decimal text. Text that is not UTF-8 is never an error: the
// core replaces each ill-formed sequence with U+FFFD, as a browser reading
// the page would.
func WidgetScriptTag(src, assistantID, token string) string {
	tag, err := scriptTag(src, assistantID, token)
	if err != nil {
		panic(err) // the core's script tag cannot fail: only an internal error gets here
	}
	return tag
}

func init() {
	testhook.Panic = testingPanic
	testhook.EncryptWithNonce = func(key any, nonce [12]byte, user any) (string, error) {
		k := key.(*Key)
		ptr, ok := k.h.acquire()
		if !ok {
			return "", ErrClosed
		}
		defer k.h.release()
		return testingEncrypt(ptr, nonce, user.(User))
	}
}
