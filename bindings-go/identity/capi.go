//go:build cgo

package identity

// The C ABI (include/teamweb_identity.h, a copy of bindings-c's header) and
// the static library for this platform, shipped inside the module under
// lib/<GOOS>_<GOARCH>/. With the build tag teamweb_identity_custom none of
// these LDFLAGS apply: the caller links a library of their own through
// CGO_LDFLAGS (see README.md, "Other platforms").
//
// The small C functions below only gather arguments into the ABI's structs
// and hand results back by value, so every call is one cgo call and no Go
// pointer is ever stored in C memory.

/*
#cgo CFLAGS: -I${SRCDIR}/include
#cgo linux,amd64,!teamweb_identity_custom LDFLAGS: ${SRCDIR}/lib/linux_amd64/libteamweb_identity.a -lpthread -ldl -lm
#cgo linux,arm64,!teamweb_identity_custom LDFLAGS: ${SRCDIR}/lib/linux_arm64/libteamweb_identity.a -lpthread -ldl -lm
#cgo darwin,amd64,!teamweb_identity_custom LDFLAGS: ${SRCDIR}/lib/darwin_amd64/libteamweb_identity.a -framework Security -framework CoreFoundation
#cgo darwin,arm64,!teamweb_identity_custom LDFLAGS: ${SRCDIR}/lib/darwin_arm64/libteamweb_identity.a -framework Security -framework CoreFoundation
#cgo windows,amd64,!teamweb_identity_custom LDFLAGS: ${SRCDIR}/lib/windows_amd64/libteamweb_identity.a -lws2_32 -luserenv -lbcrypt -lntdll
#define TW_TESTING
#include "teamweb_identity.h"

typedef struct { tw_status status; void *handle; char *error; } go_handle;
typedef struct { tw_status status; char *text; size_t len; char *error; } go_text;
typedef struct { tw_status status; tw_identity who; char *error; } go_who;

static go_handle go_key_from_base64(const char *s, size_t n) {
	go_handle r = {0};
	tw_key *key = NULL;
	r.status = tw_key_from_base64(s, n, &key, &r.error);
	r.handle = key;
	return r;
}

static go_handle go_key_generate(void) {
	go_handle r = {0};
	tw_key *key = NULL;
	r.status = tw_key_generate(&key, &r.error);
	r.handle = key;
	return r;
}

static go_handle go_keyring_new(tw_key **keys, size_t n) {
	go_handle r = {0};
	tw_keyring *ring = NULL;
	r.status = tw_keyring_new((const tw_key *const *)keys, n, &ring, &r.error);
	r.handle = ring;
	return r;
}

static go_text go_key_secret(const tw_key *key) {
	go_text r = {0};
	r.status = tw_key_secret_base64(key, &r.text, &r.len, &r.error);
	return r;
}

#define GO_USER tw_user u = {id, id_len, name, name_len, email, email_len}
#define GO_USER_ARGS const char *id, size_t id_len, const char *name, size_t name_len, const char *email, size_t email_len

static go_text go_key_encrypt(const tw_key *key, GO_USER_ARGS) {
	GO_USER;
	go_text r = {0};
	r.status = tw_key_encrypt(key, &u, &r.text, &r.len, &r.error);
	return r;
}

static go_text go_keyring_encrypt(const tw_keyring *ring, GO_USER_ARGS) {
	GO_USER;
	go_text r = {0};
	r.status = tw_keyring_encrypt(ring, &u, &r.text, &r.len, &r.error);
	return r;
}

static go_text go_encrypt_user_token(const char *secret, size_t secret_len, GO_USER_ARGS) {
	GO_USER;
	go_text r = {0};
	r.status = tw_encrypt_user_token(secret, secret_len, &u, &r.text, &r.len, &r.error);
	return r;
}

static go_text go_testing_encrypt(const tw_key *key, const uint8_t *nonce, GO_USER_ARGS) {
	GO_USER;
	go_text r = {0};
	r.status = tw_testing_encrypt_with_nonce(key, nonce, &u, &r.text, &r.len, &r.error);
	return r;
}

static go_who go_key_decrypt(const tw_key *key, const char *token, size_t token_len) {
	go_who r = {0};
	r.status = tw_key_decrypt(key, token, token_len, &r.who, &r.error);
	return r;
}

static go_who go_keyring_decrypt(const tw_keyring *ring, const char *token, size_t token_len) {
	go_who r = {0};
	r.status = tw_keyring_decrypt(ring, token, token_len, &r.who, &r.error);
	return r;
}

static go_who go_decrypt_user_token(const char *secret, size_t secret_len, const char *token, size_t token_len) {
	go_who r = {0};
	r.status = tw_decrypt_user_token(secret, secret_len, token, token_len, &r.who, &r.error);
	return r;
}

static go_text go_script_tag(const char *src, size_t src_len, const char *aid, size_t aid_len, const char *token,
                             size_t token_len) {
	go_text r = {0};
	r.status = tw_widget_script_tag(src, src_len, aid, aid_len, token, token_len, &r.text, &r.len, &r.error);
	return r;
}

static void go_free_identity(go_who r) { tw_identity_free(&r.who); }

static go_text go_testing_panic(void) {
	go_text r = {0};
	r.status = tw_testing_panic(&r.error);
	return r;
}
*/
import "C"

import (
	"unsafe"
)

// text passes a Go string to C without copying: a pointer to its bytes
// (memory without Go pointers, which C reads only during the call) and its
// length. The empty string gets a valid pointer too, so an empty id reaches
// the core's identity rules instead of looking like a NULL argument.
func text(s string) (*C.char, C.size_t) {
	if len(s) == 0 {
		return (*C.char)(unsafe.Pointer(&empty)), 0
	}
	return (*C.char)(unsafe.Pointer(unsafe.StringData(s))), C.size_t(len(s))
}

var empty byte

// optional is text, with "" as absent (NULL).
func optional(s string) (*C.char, C.size_t) {
	if s == "" {
		return nil, 0
	}
	return text(s)
}

func takeText(r C.go_text) (string, error) {
	if r.status != C.TW_STATUS_OK {
		return "", fail(r.status, r.error)
	}
	s := C.GoStringN(r.text, C.int(r.len))
	C.tw_string_free(r.text)
	return s, nil
}

func takeUser(r C.go_who) (User, error) {
	if r.status != C.TW_STATUS_OK {
		return User{}, fail(r.status, r.error)
	}
	u := User{
		ID:    C.GoStringN(r.who.id, C.int(r.who.id_len)),
		Name:  C.GoStringN(r.who.name, C.int(r.who.name_len)),
		Email: C.GoStringN(r.who.email, C.int(r.who.email_len)),
	}
	C.go_free_identity(r)
	return u, nil
}

func takeHandle(r C.go_handle) (unsafe.Pointer, error) {
	if r.status != C.TW_STATUS_OK {
		return nil, fail(r.status, r.error)
	}
	return r.handle, nil
}

type cKey = C.tw_key
type cKeyring = C.tw_keyring

func freeKey(k *cKey)         { C.tw_key_free(k) }
func freeKeyring(r *cKeyring) { C.tw_keyring_free(r) }

func keyFromBase64(secret string) (*cKey, error) {
	s, n := text(secret)
	h, err := takeHandle(C.go_key_from_base64(s, n))
	return (*cKey)(h), err
}

func keyGenerate() (*cKey, error) {
	h, err := takeHandle(C.go_key_generate())
	return (*cKey)(h), err
}

// keyringNew copies the keys: the caller's keys stay theirs. The slice
// holds C pointers only, so C may read it during the call.
func keyringNew(keys []*cKey) (*cKeyring, error) {
	var first **cKey
	if len(keys) > 0 {
		first = &keys[0]
	}
	h, err := takeHandle(C.go_keyring_new(first, C.size_t(len(keys))))
	return (*cKeyring)(h), err
}

func keySecret(k *cKey) (string, error) { return takeText(C.go_key_secret(k)) }

func keyEncrypt(k *cKey, u User) (string, error) {
	id, idn := text(u.ID)
	name, namen := optional(u.Name)
	email, emailn := optional(u.Email)
	return takeText(C.go_key_encrypt(k, id, idn, name, namen, email, emailn))
}

func keyringEncrypt(r *cKeyring, u User) (string, error) {
	id, idn := text(u.ID)
	name, namen := optional(u.Name)
	email, emailn := optional(u.Email)
	return takeText(C.go_keyring_encrypt(r, id, idn, name, namen, email, emailn))
}

func oneShotEncrypt(secret string, u User) (string, error) {
	s, sn := text(secret)
	id, idn := text(u.ID)
	name, namen := optional(u.Name)
	email, emailn := optional(u.Email)
	return takeText(C.go_encrypt_user_token(s, sn, id, idn, name, namen, email, emailn))
}

func testingEncrypt(k *cKey, nonce [12]byte, u User) (string, error) {
	id, idn := text(u.ID)
	name, namen := optional(u.Name)
	email, emailn := optional(u.Email)
	return takeText(C.go_testing_encrypt(k, (*C.uint8_t)(unsafe.Pointer(&nonce[0])), id, idn, name, namen, email, emailn))
}

func keyDecrypt(k *cKey, token string) (User, error) {
	t, tn := text(token)
	return takeUser(C.go_key_decrypt(k, t, tn))
}

func keyringDecrypt(r *cKeyring, token string) (User, error) {
	t, tn := text(token)
	return takeUser(C.go_keyring_decrypt(r, t, tn))
}

func oneShotDecrypt(secret, token string) (User, error) {
	s, sn := text(secret)
	t, tn := text(token)
	return takeUser(C.go_decrypt_user_token(s, sn, t, tn))
}

func scriptTag(src, assistantID, token string) (string, error) {
	s, sn := text(src)
	a, an := text(assistantID)
	t, tn := optional(token)
	return takeText(C.go_script_tag(s, sn, a, an, t, tn))
}

// testingPanic makes the library panic; the boundary turns it into an error.
func testingPanic() error {
	_, err := takeText(C.go_testing_panic())
	return err
}
