// The Go package's cross-language driver (tests/cross/PROTOCOL.md): one
// JSON request per line on stdin, one JSON answer per line on stdout.
// Built by `make -C bindings-go driver` into target/go-cross-driver, from
// the module as a separate module uses it; run as tests/cross/driver-go.
package main

import (
	"bufio"
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/teamweb-ai/teamweb-identity/bindings-go/identity"
	"github.com/teamweb-ai/teamweb-identity/bindings-go/identity/identitytest"
)

var (
	errType        = errors.New("type_error")
	errUnsupported = errors.New("unsupported")
	errPeer        = errors.New("peer_failed")
)

// text reads a protocol value as a Go string: a string; an integer or
// {"bigint": "<decimal>"} (id and assistant id only: Go ids are text, so
// its decimal text, for an integer that fits int64, the widest integer a
// Go caller would hold; beyond it, unsupported); null (""); or
// {"utf16": [...]}, whose lone surrogates become their WTF-8 bytes, as a
// Go string holding one would carry them.
func text(raw json.RawMessage, integerOK bool) (string, error) {
	var v any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if len(raw) == 0 {
		return "", nil
	}
	if err := dec.Decode(&v); err != nil {
		return "", errType
	}
	switch v := v.(type) {
	case nil:
		return "", nil
	case string:
		return v, nil
	case json.Number:
		if !integerOK {
			return "", errType
		}
		return integer(v.String())
	case map[string]any:
		if decimal, ok := v["bigint"].(string); ok && len(v) == 1 && integerOK {
			return integer(decimal)
		}
		units, ok := v["utf16"].([]any)
		if !ok || len(v) != 1 {
			return "", errType
		}
		us := make([]uint16, len(units))
		for i, u := range units {
			n, ok := u.(json.Number)
			if !ok {
				return "", errType
			}
			unit, err := strconv.ParseUint(n.String(), 10, 16)
			if err != nil {
				return "", errType
			}
			us[i] = uint16(unit)
		}
		return fromUTF16(us), nil
	}
	return "", errType
}

// integer is the decimal text of an integer that fits int64.
func integer(decimal string) (string, error) {
	n, err := strconv.ParseInt(decimal, 10, 64)
	if errors.Is(err, strconv.ErrRange) {
		return "", errUnsupported
	}
	if err != nil {
		return "", errType
	}
	return strconv.FormatInt(n, 10), nil
}

func fromUTF16(us []uint16) string {
	var b []byte
	for i := 0; i < len(us); i++ {
		r := rune(us[i])
		if utf16.IsSurrogate(r) && i+1 < len(us) {
			if pair := utf16.DecodeRune(r, rune(us[i+1])); pair != utf8.RuneError {
				b = utf8.AppendRune(b, pair)
				i++
				continue
			}
		}
		if utf16.IsSurrogate(r) { // WTF-8: the three bytes of the code point
			b = append(b, 0xE0|byte(r>>12), 0x80|byte((r>>6)&0x3F), 0x80|byte(r&0x3F))
		} else {
			b = utf8.AppendRune(b, r)
		}
	}
	return string(b)
}

type request struct {
	Op          string
	Secret      string
	Nonce       string
	Token       json.RawMessage
	Identity    map[string]json.RawMessage
	A, B        map[string]json.RawMessage
	Src         json.RawMessage
	AssistantID json.RawMessage `json:"assistant_id"`
}

func user(fields map[string]json.RawMessage) (identity.User, error) {
	var u identity.User
	var err error
	if u.ID, err = text(fields["id"], true); err != nil {
		return u, err
	}
	if u.Name, err = text(fields["name"], false); err != nil {
		return u, err
	}
	u.Email, err = text(fields["email"], false)
	return u, err
}

func opened(u identity.User) map[string]any {
	orNil := func(s string) any {
		if s == "" {
			return nil
		}
		return s
	}
	return map[string]any{"id": u.ID, "name": orNil(u.Name), "email": orNil(u.Email)}
}

// userAndKey reads the request's identity, then its secret.
func userAndKey(req request) (identity.User, *identity.Key, error) {
	u, err := user(req.Identity)
	if err != nil {
		return u, nil, err
	}
	key, err := identity.NewKey(req.Secret)
	return u, key, err
}

func handle(req request) (any, error) {
	token, err := text(req.Token, false)
	if err != nil {
		return nil, err
	}
	switch req.Op {
	case "encrypt_fixed", "encrypt":
		u, key, err := userAndKey(req)
		if err != nil {
			return nil, err
		}
		defer key.Close()
		if req.Op == "encrypt" {
			return key.Encrypt(u)
		}
		var nonce [12]byte
		if n, err := hex.Decode(nonce[:], []byte(req.Nonce)); err != nil || n != 12 {
			return nil, errType
		}
		return identitytest.EncryptWithNonce(key, nonce, u)
	case "decrypt":
		key, err := identity.NewKey(req.Secret)
		if err != nil {
			return nil, err
		}
		defer key.Close()
		u, err := key.Decrypt(token)
		if err != nil {
			return nil, err
		}
		return opened(u), nil
	case "secret":
		key, err := identity.NewKey(req.Secret)
		if err != nil {
			return nil, err
		}
		defer key.Close()
		return key.SecretBase64(), nil
	case "script_tag":
		src, err := text(req.Src, false)
		if err != nil {
			return nil, err
		}
		aid, err := text(req.AssistantID, true)
		if err != nil {
			return nil, err
		}
		return scriptTag(src, aid, token)
	case "keyring_empty":
		ring, err := identity.NewKeyring()
		if err == nil {
			ring.Close()
			return nil, errors.New("an empty keyring was made")
		}
		return nil, err
	case "round_trip":
		u, key, err := userAndKey(req)
		if err != nil {
			return nil, err
		}
		defer key.Close()
		token, err := key.Encrypt(u)
		if err != nil {
			return nil, err
		}
		back, err := key.Decrypt(token)
		if err != nil {
			return nil, err
		}
		return map[string]any{"identity": opened(back), "equal": u == back}, nil
	case "identity_equal":
		a, err := user(req.A)
		if err != nil {
			return nil, err
		}
		b, err := user(req.B)
		if err != nil {
			return nil, err
		}
		return a == b, nil
	case "peer_encrypt":
		return peerEncrypt(req.Secret, req.Identity)
	case "peer_decrypt":
		return peerDecrypt(req.Secret, token)
	}
	return nil, errType
}

// scriptTag is identity.WidgetScriptTag, with a panic (an internal error of
// the library) answered as an error instead of ending the driver.
func scriptTag(src, assistantID, token string) (tag string, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("internal: %v", r)
		}
	}()
	return identity.WidgetScriptTag(src, assistantID, token), nil
}

func peerAEAD(secret string) (cipher.AEAD, error) {
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

// peerEncrypt is the plain Go way, without the package: encoding/json (an
// integer id stays a JSON number, absent fields are left out) and
// crypto/cipher's GCM.
func peerEncrypt(secret string, fields map[string]json.RawMessage) (string, error) {
	doc := map[string]any{}
	for _, k := range []string{"id", "name", "email"} {
		raw := fields[k]
		if len(raw) == 0 || string(raw) == "null" || string(raw) == `""` {
			continue
		}
		doc[k] = raw
	}
	payload, err := json.Marshal(doc)
	gcm, err2 := peerAEAD(secret)
	if err != nil || err2 != nil {
		return "", errPeer
	}
	nonce := make([]byte, 12)
	if _, err := rand.Read(nonce); err != nil {
		return "", errPeer
	}
	return base64.StdEncoding.EncodeToString(gcm.Seal(nonce, nonce, payload, nil)), nil
}

// peerDecrypt opens with crypto/cipher then encoding/json: an integer id
// becomes its decimal text, "" becomes null.
func peerDecrypt(secret, token string) (any, error) {
	gcm, err := peerAEAD(secret)
	if err != nil {
		return nil, errPeer
	}
	raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(token))
	if err != nil || len(raw) < 28 {
		return nil, errPeer
	}
	plain, err := gcm.Open(nil, raw[:12], raw[12:], nil)
	if err != nil {
		return nil, errPeer
	}
	var doc struct {
		ID          json.RawMessage
		Name, Email *string
	}
	if err := json.Unmarshal(plain, &doc); err != nil {
		return nil, errPeer
	}
	var id string
	if err := json.Unmarshal(doc.ID, &id); err != nil {
		var n json.Number
		if err := json.Unmarshal(doc.ID, &n); err != nil {
			return nil, errPeer
		}
		if _, err := n.Int64(); err != nil {
			return nil, errPeer
		}
		id = n.String()
	}
	u := identity.User{ID: id}
	if doc.Name != nil {
		u.Name = *doc.Name
	}
	if doc.Email != nil {
		u.Email = *doc.Email
	}
	return opened(u), nil
}

func answer(line []byte) map[string]any {
	var req request
	if err := json.Unmarshal(line, &req); err != nil {
		return map[string]any{"error": "type_error"}
	}
	ok, err := handle(req)
	var e *identity.Error
	switch {
	case err == nil:
		return map[string]any{"ok": ok}
	case errors.As(err, &e):
		return map[string]any{"error": e.Code(), "message": e.Error()}
	case errors.Is(err, errPeer):
		return map[string]any{"error": "peer_failed"}
	case errors.Is(err, errUnsupported):
		return map[string]any{"error": "unsupported"}
	case errors.Is(err, errType):
		return map[string]any{"error": "type_error"}
	default: // not an error of the package's: a bug, shown as such
		return map[string]any{"error": "internal", "message": err.Error()}
	}
}

func main() {
	in := bufio.NewReader(os.Stdin)
	out := bufio.NewWriter(os.Stdout)
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	for {
		line, err := in.ReadBytes('\n')
		if len(bytes.TrimSpace(line)) > 0 {
			if err := enc.Encode(answer(line)); err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(1)
			}
			out.Flush()
		}
		if err == io.EOF {
			return
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
}
