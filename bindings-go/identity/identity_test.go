package identity_test

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/teamweb-ai/teamweb-identity/bindings-go/identity"
	"github.com/teamweb-ai/teamweb-identity/bindings-go/identity/identitytest"
	"github.com/teamweb-ai/teamweb-identity/bindings-go/internal/testhook"
)

// --- the conformance vectors (tests/vectors/vectors.json) ---

// text is a vector value: a string, an integer id (its decimal text), null
// (absent: ""), or {"utf16": [...]}, which becomes the WTF-8 bytes of those
// code units: what a Go string holding a lone surrogate looks like.
type text string

func (t *text) UnmarshalJSON(b []byte) error {
	var v any
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return err
	}
	switch v := v.(type) {
	case nil:
		*t = ""
	case string:
		*t = text(v)
	case json.Number:
		*t = text(v.String())
	case map[string]any:
		*t = text(fromUTF16(v["utf16"].([]any)))
	default:
		return fmt.Errorf("unexpected value %s", b)
	}
	return nil
}

// wtf8 encodes one UTF-16 code unit as generalized UTF-8 (a surrogate gets
// the three bytes it would have as a code point).
func wtf8(u uint16) string {
	r := rune(u)
	if r < 0x80 {
		return string([]byte{byte(r)})
	}
	if r < 0x800 {
		return string([]byte{0xC0 | byte(r>>6), 0x80 | byte(r&0x3F)})
	}
	return string([]byte{0xE0 | byte(r>>12), 0x80 | byte((r>>6)&0x3F), 0x80 | byte(r&0x3F)})
}

// fromUTF16 encodes code units as a Go string: surrogate pairs become their
// 4-byte UTF-8 character, lone surrogates their WTF-8 bytes.
func fromUTF16(units []any) string {
	var sb strings.Builder
	us := make([]uint16, len(units))
	for i, u := range units {
		n, _ := u.(json.Number).Int64()
		us[i] = uint16(n)
	}
	for i := 0; i < len(us); i++ {
		if utf16.IsSurrogate(rune(us[i])) && i+1 < len(us) {
			if r := utf16.DecodeRune(rune(us[i]), rune(us[i+1])); r != '\uFFFD' {
				sb.WriteRune(r)
				i++
				continue
			}
		}
		sb.WriteString(wtf8(us[i]))
	}
	return sb.String()
}

type ident struct {
	ID    text `json:"id"`
	Name  text `json:"name"`
	Email text `json:"email"`
}

func (i ident) user() identity.User {
	return identity.User{ID: string(i.ID), Name: string(i.Name), Email: string(i.Email)}
}

type vectorFile struct {
	Valid []struct {
		Name, Secret, Nonce, Plaintext, Token string
		Identity, Decrypted                   ident
	}
	InvalidIdentities []struct {
		Name, Code string
		Identity   ident
	} `json:"invalid_identities"`
	InvalidSecrets  []struct{ Name, Secret, Code string } `json:"invalid_secrets"`
	SecretSpellings []struct {
		Name, Secret string
		SecretBase64 string `json:"secret_base64"`
	} `json:"secret_spellings"`
	InvalidTokens []struct{ Name, Secret, Token, Code string } `json:"invalid_tokens"`
	ForeignTokens []struct {
		Name, Secret, Token string
		Decrypted           ident
	} `json:"foreign_tokens"`
}

func vectors(t testing.TB) *vectorFile {
	t.Helper()
	raw, err := os.ReadFile("../../tests/vectors/vectors.json")
	if err != nil {
		t.Fatalf("the conformance vectors are read from the repository: %v", err)
	}
	var v vectorFile
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatal(err)
	}
	if len(v.Valid) == 0 || len(v.InvalidTokens) == 0 {
		t.Fatal("no vectors")
	}
	return &v
}

var sentinels = map[string]error{
	"invalid_secret":        identity.ErrInvalidSecret,
	"invalid_identity":      identity.ErrInvalidIdentity,
	"malformed_token":       identity.ErrMalformedToken,
	"authentication_failed": identity.ErrAuthenticationFailed,
	"invalid_payload":       identity.ErrInvalidPayload,
}

// isCode checks err is an *identity.Error with code, matching its sentinel
// and no other.
func isCode(t *testing.T, err error, code, what string) {
	t.Helper()
	var e *identity.Error
	if !errors.As(err, &e) || e.Code() != code {
		t.Errorf("%s: got %v, want %s", what, err, code)
		return
	}
	for c, s := range sentinels {
		if errors.Is(err, s) != (c == code) {
			t.Errorf("%s: errors.Is(err, sentinel %s) = %v", what, c, c != code)
		}
	}
	if e.Error() == "" {
		t.Errorf("%s: empty message", what)
	}
}

func mustKey(t testing.TB, secret string) *identity.Key {
	t.Helper()
	k, err := identity.NewKey(secret)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { k.Close() })
	return k
}

func TestValidVectors(t *testing.T) {
	for _, v := range vectors(t).Valid {
		key := mustKey(t, v.Secret)
		var nonce [12]byte
		hex.Decode(nonce[:], []byte(v.Nonce))
		got, err := identitytest.EncryptWithNonce(key, nonce, v.Identity.user())
		if err != nil || got != v.Token {
			t.Errorf("%s: fixed-nonce token %q, %v; want %q", v.Name, got, err, v.Token)
		}
		want := v.Decrypted.user()
		if who, err := key.Decrypt(v.Token); err != nil || who != want {
			t.Errorf("%s: decrypt = %+v, %v; want %+v", v.Name, who, err, want)
		}
		if who, err := identity.DecryptUserToken(v.Secret, v.Token); err != nil || who != want {
			t.Errorf("%s: one-shot decrypt = %+v, %v", v.Name, who, err)
		}
		token, err := key.Encrypt(v.Identity.user())
		if err != nil || len(token) != len(v.Token) || token == v.Token {
			t.Errorf("%s: random-nonce token %q, %v", v.Name, token, err)
		}
		if who, err := key.Decrypt(token); err != nil || who != want {
			t.Errorf("%s: random-nonce token opens to %+v, %v", v.Name, who, err)
		}
		token, err = identity.EncryptUserToken(v.Secret, v.Identity.user())
		if who, err2 := key.Decrypt(token); err != nil || err2 != nil || who != want {
			t.Errorf("%s: one-shot token opens to %+v, %v, %v", v.Name, who, err, err2)
		}
		// The exact plaintext, sealed by Go's own GCM with the same nonce,
		// is the same token byte for byte.
		if peer := peerSeal(t, v.Secret, nonce[:], []byte(v.Plaintext)); peer != v.Token {
			t.Errorf("%s: crypto/cipher makes %q", v.Name, peer)
		}
	}
}

func TestInvalidIdentities(t *testing.T) {
	vs := vectors(t)
	key := mustKey(t, vs.Valid[0].Secret)
	ring, err := identity.NewKeyring(key)
	if err != nil {
		t.Fatal(err)
	}
	defer ring.Close()
	for _, v := range vs.InvalidIdentities {
		u := v.Identity.user()
		_, err := key.Encrypt(u)
		isCode(t, err, v.Code, v.Name+" (key)")
		_, err = ring.Encrypt(u)
		isCode(t, err, v.Code, v.Name+" (keyring)")
		_, err = identity.EncryptUserToken(vs.Valid[0].Secret, u)
		isCode(t, err, v.Code, v.Name+" (one-shot)")
		_, err = identitytest.EncryptWithNonce(key, [12]byte{1}, u)
		isCode(t, err, v.Code, v.Name+" (fixed nonce)")
	}
}

func TestSecrets(t *testing.T) {
	vs := vectors(t)
	for _, v := range vs.InvalidSecrets {
		k, err := identity.NewKey(v.Secret)
		if k != nil {
			t.Errorf("%s: a key", v.Name)
		}
		isCode(t, err, v.Code, v.Name)
		if len(strings.TrimSpace(v.Secret)) >= 8 && err != nil && strings.Contains(err.Error(), strings.TrimSpace(v.Secret)) {
			t.Errorf("%s: the message shows the secret: %v", v.Name, err)
		}
		_, err = identity.DecryptUserToken(v.Secret, vs.Valid[0].Token)
		isCode(t, err, v.Code, v.Name+" (one-shot)")
	}
	for _, v := range vs.SecretSpellings {
		if got := mustKey(t, v.Secret).SecretBase64(); got != v.SecretBase64 {
			t.Errorf("%s: %q, want %q", v.Name, got, v.SecretBase64)
		}
	}
}

func TestTokens(t *testing.T) {
	vs := vectors(t)
	for _, v := range vs.InvalidTokens {
		key := mustKey(t, v.Secret)
		who, err := key.Decrypt(v.Token)
		if who != (identity.User{}) {
			t.Errorf("%s: got %+v", v.Name, who)
		}
		isCode(t, err, v.Code, v.Name)
		ring, _ := identity.NewKeyring(key)
		_, err = ring.Decrypt(v.Token)
		isCode(t, err, v.Code, v.Name+" (keyring)")
		ring.Close()
		_, err = identity.DecryptUserToken(v.Secret, v.Token)
		isCode(t, err, v.Code, v.Name+" (one-shot)")
	}
	for _, v := range vs.ForeignTokens {
		who, err := mustKey(t, v.Secret).Decrypt(v.Token)
		if want := v.Decrypted.user(); err != nil || who != want {
			t.Errorf("%s: %+v, %v; want %+v", v.Name, who, err, want)
		}
	}
}

// --- interop with Go's own crypto/aes + crypto/cipher, both ways ---

func peerSeal(t testing.TB, secret string, nonce, plaintext []byte) string {
	key, err := base64.StdEncoding.DecodeString(secret)
	if err != nil {
		t.Fatal(err)
	}
	block, _ := aes.NewCipher(key)
	gcm, _ := cipher.NewGCM(block)
	return base64.StdEncoding.EncodeToString(gcm.Seal(append([]byte{}, nonce...), nonce, plaintext, nil))
}

type peerUser struct {
	ID    string `json:"id"`
	Name  string `json:"name,omitempty"`
	Email string `json:"email,omitempty"`
}

func peerOpen(secret, token string) (peerUser, error) {
	var u peerUser
	key, _ := base64.StdEncoding.DecodeString(secret)
	raw, err := base64.StdEncoding.DecodeString(token)
	if err != nil {
		return u, err
	}
	block, _ := aes.NewCipher(key)
	gcm, _ := cipher.NewGCM(block)
	plain, err := gcm.Open(nil, raw[:12], raw[12:], nil)
	if err != nil {
		return u, err
	}
	return u, json.Unmarshal(plain, &u)
}

func TestInteropWithCryptoCipher(t *testing.T) {
	secret := base64.StdEncoding.EncodeToString([]byte("0123456789abcdef0123456789abcdef"))
	key := mustKey(t, secret)
	users := []identity.User{
		{ID: "user_123", Name: "Alice", Email: "alice@example.com"},
		{ID: "42"},
		{ID: "ü", Name: "Zoë \"ZZ\" <b>&</b> 🎉", Email: "zoë@例え.jp"},
		{ID: "a\\b", Name: "\u2028"},
	}
	for _, u := range users {
		// The package makes, Go's GCM and encoding/json open.
		token, err := key.Encrypt(u)
		if err != nil {
			t.Fatal(err)
		}
		got, err := peerOpen(secret, token)
		if err != nil || got != (peerUser{u.ID, u.Name, u.Email}) {
			t.Errorf("crypto/cipher opened %+v, %v; want %+v", got, err, u)
		}
		// Go's GCM and encoding/json (which escapes <, > and & as \u003c...)
		// make, the package opens.
		plain, _ := json.Marshal(peerUser{u.ID, u.Name, u.Email})
		nonce := make([]byte, 12)
		rand.Read(nonce)
		who, err := key.Decrypt(peerSeal(t, secret, nonce, plain))
		if err != nil || who != u {
			t.Errorf("package opened %+v, %v; want %+v", who, err, u)
		}
	}
}

// --- concurrency: one key, 16 goroutines x 5,000 tokens, no nonce twice ---

func TestConcurrentNoRepeatedNonce(t *testing.T) {
	const goroutines, each = 16, 5000
	key, err := identity.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	defer key.Close()
	nonces := make([][][12]byte, goroutines)
	var wg sync.WaitGroup
	for g := 0; g < goroutines; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			u := identity.User{ID: "u" + strconv.Itoa(g), Name: "N"}
			for i := 0; i < each; i++ {
				token, err := key.Encrypt(u)
				if err != nil {
					t.Error(err)
					return
				}
				raw, _ := base64.StdEncoding.DecodeString(token)
				var n [12]byte
				copy(n[:], raw)
				nonces[g] = append(nonces[g], n)
				if i%1000 == 0 {
					if who, err := key.Decrypt(token); err != nil || who != u {
						t.Errorf("%+v, %v", who, err)
					}
				}
			}
		}(g)
	}
	wg.Wait()
	seen := make(map[[12]byte]bool, goroutines*each)
	for _, ns := range nonces {
		for _, n := range ns {
			if seen[n] {
				t.Fatalf("nonce %x repeated", n)
			}
			seen[n] = true
		}
	}
	if len(seen) != goroutines*each {
		t.Fatalf("%d nonces, want %d", len(seen), goroutines*each)
	}
}

// --- keyrings, the script tag, errors, closing, printing ---

func TestKeyring(t *testing.T) {
	old, _ := identity.GenerateKey()
	neu, _ := identity.GenerateKey()
	other, _ := identity.GenerateKey()
	defer neu.Close()
	defer other.Close()
	u := identity.User{ID: "u1", Name: "Ann"}
	oldToken, _ := old.Encrypt(u)
	otherToken, _ := other.Encrypt(u)
	ring, err := identity.NewKeyring(neu, old)
	if err != nil {
		t.Fatal(err)
	}
	old.Close() // the keyring has its own copy
	if who, err := ring.Decrypt(oldToken); err != nil || who != u {
		t.Errorf("old key's token: %+v, %v", who, err)
	}
	_, err = ring.Decrypt(otherToken)
	isCode(t, err, "authentication_failed", "a third key's token")
	token, _ := ring.Encrypt(u)
	if who, err := neu.Decrypt(token); err != nil || who != u {
		t.Errorf("the first key opens the keyring's token: %+v, %v", who, err)
	}
	// Many goroutines share a keyring; Close waits for them.
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				if who, err := ring.Decrypt(oldToken); err != nil || who != u {
					t.Error(who, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	ring.Close()
	ring.Close()
	if _, err := ring.Decrypt(oldToken); !errors.Is(err, identity.ErrClosed) {
		t.Errorf("closed keyring: %v", err)
	}
	_, err = identity.NewKeyring()
	isCode(t, err, "invalid_secret", "no keys")
	if _, err := identity.NewKeyring(old); !errors.Is(err, identity.ErrClosed) {
		t.Errorf("keyring of a closed key: %v", err)
	}
	if _, err := identity.NewKeyring(neu, nil); err == nil {
		t.Error("keyring with a nil key")
	}
	twice, err := identity.NewKeyring(neu, neu)
	if err != nil {
		t.Fatal(err)
	}
	if who, err := twice.Decrypt(token); err != nil || who != u {
		t.Errorf("keyring of one key twice: %+v, %v", who, err)
	}
	twice.Close()
}

func TestWidgetScriptTag(t *testing.T) {
	got := identity.WidgetScriptTag("https://x.test/w.js?a=1&b=2", "123", "tok+/=")
	want := `<script src="https://x.test/w.js?a=1&amp;b=2" data-assistant-id="123" data-user-token="tok+/="></script>`
	if got != want {
		t.Errorf("%s", got)
	}
	got = identity.WidgetScriptTag("/w.js", `a"b'<>&`, "")
	if strings.Contains(got, "data-user-token") || !strings.Contains(got, `a&quot;b`) || !strings.Contains(got, "&lt;&gt;&amp;") || strings.Contains(got, "'") {
		t.Errorf("%s", got)
	}
}

// Text that is not UTF-8 is the core's business: each ill-formed sequence,
// and each surrogate spelled as WTF-8 (ED A0..BF 80..BF, one U+FFFD for the
// three bytes), becomes one U+FFFD, never an error.
func TestWidgetScriptTagIllFormedText(t *testing.T) {
	cases := []struct{ src, assistantID, token, want string }{
		{"/w\xff.js", "1", "", `<script src="/w` + "\uFFFD" + `.js" data-assistant-id="1"></script>`},
		{"/w", "a\xed\xa0\x80", "t\x80\x80", `<script src="/w" data-assistant-id="a` + "\uFFFD" + `" data-user-token="t` + "\uFFFD\uFFFD" + `"></script>`},
		{"/w\xe2\x82", "\xed\xbf\xbf1", "", `<script src="/w` + "\uFFFD" + `" data-assistant-id="` + "\uFFFD" + `1"></script>`},
	}
	for _, c := range cases {
		got, err := scriptTag(c.src, c.assistantID, c.token)
		if err != nil || got != c.want {
			t.Errorf("WidgetScriptTag(%q, %q, %q) = %q, %v; want %q", c.src, c.assistantID, c.token, got, err, c.want)
		}
	}
}

// scriptTag calls WidgetScriptTag, turning a panic into an error.
func scriptTag(src, assistantID, token string) (tag string, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	return identity.WidgetScriptTag(src, assistantID, token), nil
}

func TestErrorsAndPrinting(t *testing.T) {
	secret := "q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq80="
	key := mustKey(t, secret)
	for _, s := range []string{fmt.Sprint(key), fmt.Sprintf("%v %+v %#v %s", key, key, key, key)} {
		if strings.Contains(s, "q83v") || strings.Contains(s, "abcdef") {
			t.Errorf("printing shows the key: %s", s)
		}
	}
	if b, _ := json.Marshal(key); strings.Contains(string(b), "q83v") {
		t.Errorf("json shows the key: %s", b)
	}
	_, err := identity.NewKey(secret[:20])
	isCode(t, err, "invalid_secret", "short secret")
	if strings.Contains(err.Error(), secret[:20]) {
		t.Errorf("message shows the secret: %v", err)
	}
	_, err = key.Encrypt(identity.User{ID: "  "})
	isCode(t, err, "invalid_identity", "blank id")
	_, err = key.Encrypt(identity.User{ID: ""})
	isCode(t, err, "invalid_identity", "empty id")
	_, err = key.Encrypt(identity.User{ID: "a\x00b"})
	isCode(t, err, "invalid_identity", "NUL in id (no C-string truncation)")
	_, err = key.Encrypt(identity.User{ID: "\xc3\x28"})
	isCode(t, err, "invalid_identity", "id not UTF-8")
	_, err = key.Decrypt("\xff\xfe not a token")
	isCode(t, err, "malformed_token", "token not UTF-8")
	_, err = key.Decrypt(strings.Repeat("A", 9000))
	isCode(t, err, "malformed_token", "long token")
	other, _ := identity.GenerateKey()
	token, _ := other.Encrypt(identity.User{ID: "u"})
	_, err = key.Decrypt(token)
	isCode(t, err, "authentication_failed", "other key")
	if !errors.Is(err, identity.ErrAuthenticationFailed) || errors.Is(err, identity.ErrMalformedToken) {
		t.Error("errors.Is")
	}
	if identity.ErrInvalidPayload.Code() != "invalid_payload" {
		t.Error("sentinel code")
	}
	other.Close()
	other.Close()
	if _, err := other.Encrypt(identity.User{ID: "u"}); !errors.Is(err, identity.ErrClosed) {
		t.Errorf("closed key: %v", err)
	}
	if _, err := other.Decrypt(token); !errors.Is(err, identity.ErrClosed) {
		t.Errorf("closed key: %v", err)
	}
}

func TestGenerateKey(t *testing.T) {
	a, _ := identity.GenerateKey()
	b, _ := identity.GenerateKey()
	defer a.Close()
	defer b.Close()
	if len(a.SecretBase64()) != 44 || a.SecretBase64() == b.SecretBase64() {
		t.Fatal("secrets")
	}
	again := mustKey(t, a.SecretBase64())
	token, _ := a.Encrypt(identity.User{ID: "u"})
	if who, err := again.Decrypt(token); err != nil || who.ID != "u" {
		t.Fatal(who, err)
	}
}

// Keys dropped without Close are freed by the safety net (runtime cleanup):
// 100,000 dropped keys (about 60 MB of native memory if they leaked) leave
// the process's resident memory much as it was.
func TestDroppedKeysAreFreed(t *testing.T) {
	if _, err := os.Stat("/proc/self/statm"); err != nil {
		t.Skip("needs /proc/self/statm")
	}
	make := func(n int) {
		for i := 0; i < n; i++ {
			if _, err := identity.GenerateKey(); err != nil {
				t.Fatal(err)
			}
			if i%5000 == 0 {
				runtime.GC()
			}
		}
		for i := 0; i < 3; i++ {
			runtime.GC()
			time.Sleep(20 * time.Millisecond) // cleanups run on their own goroutine
		}
	}
	make(20000) // warm up the allocators
	before := rssBytes(t)
	make(100000)
	grown := rssBytes(t) - before
	if grown > 20<<20 {
		t.Errorf("resident memory grew by %d MB after dropping 100,000 keys", grown>>20)
	}
}

func rssBytes(t *testing.T) int64 {
	raw, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		t.Fatal(err)
	}
	pages, _ := strconv.ParseInt(strings.Fields(string(raw))[1], 10, 64)
	return pages * int64(os.Getpagesize())
}

// A panic inside the native library comes back as an error (not an
// *identity.Error: it is a bug, not a kind of bad input), and the process
// goes on.
func TestPanicIsAnError(t *testing.T) {
	err := testhook.Panic()
	var e *identity.Error
	if err == nil || errors.As(err, &e) || !strings.Contains(err.Error(), "internal error (panic)") {
		t.Fatalf("got %v", err)
	}
	if _, err := identity.GenerateKey(); err != nil {
		t.Fatal(err)
	}
}
