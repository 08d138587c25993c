/*
 * The C ABI's test program: every conformance vector of
 * tests/vectors/vectors.json (as generated C tables, see gen_vectors.py)
 * through teamweb_identity.h, plus the boundary's own rules (NULL
 * arguments, statuses, messages, freeing, threads). `make test` runs it
 * linked against the static library, the shared library, and under
 * AddressSanitizer + LeakSanitizer; every allocation it is handed is freed,
 * so a leak anywhere shows up there.
 */
#define _GNU_SOURCE
#define TW_TESTING
#include "teamweb_identity.h"
#include "vectors.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int passed, failed;

static void check(int ok, const char *what, const char *name) {
  if (ok) {
    passed++;
  } else {
    failed++;
    if (failed <= 40) fprintf(stderr, "FAIL %s: %s\n", what, name);
  }
}

static int same(const char *p, size_t n, bytes_t want) {
  if (want.p == NULL) return p == NULL && n == 0;
  return p != NULL && n == want.n && memcmp(p, want.p, n) == 0 && p[n] == '\0';
}

static int is_code(tw_status st, bytes_t code) {
  const char *name = tw_status_code(st);
  return strlen(name) == code.n && memcmp(name, code.p, code.n) == 0;
}

static tw_user user_of(ident_t i) {
  tw_user u = {i.id.p, i.id.n, i.name.p, i.name.n, i.email.p, i.email.n};
  return u;
}

static int opened_as(const tw_identity *got, ident_t want) {
  return same(got->id, got->id_len, want.id) && same(got->name, got->name_len, want.name) &&
         same(got->email, got->email_len, want.email);
}

static tw_key *key_of(bytes_t secret) {
  tw_key *key = NULL;
  if (tw_key_from_base64(secret.p, secret.n, &key, NULL) != TW_STATUS_OK) return NULL;
  return key;
}

static void valid(void) {
  for (size_t i = 0; i < valid_vectors_count; i++) {
    const valid_vector *v = &valid_vectors[i];
    const char *name = v->name.p;
    tw_key *key = key_of(v->secret);
    check(key != NULL, "valid: key", name);
    if (!key) continue;
    tw_user u = user_of(v->identity);

    char *token = NULL, *err = (char *)"stale";
    size_t len = 0;
    tw_status st = tw_testing_encrypt_with_nonce(key, (const uint8_t *)v->nonce.p, &u, &token, &len, &err);
    check(st == TW_STATUS_OK && same(token, len, v->token), "valid: fixed-nonce token", name);
    check(err == NULL, "valid: error_out NULL after a success", name);
    tw_string_free(token);

    tw_identity who = {0};
    st = tw_key_decrypt(key, v->token.p, v->token.n, &who, NULL);
    check(st == TW_STATUS_OK && opened_as(&who, v->decrypted), "valid: decrypt", name);
    tw_identity_free(&who);

    /* A random-nonce token of the same identity opens to the same. */
    token = NULL;
    st = tw_key_encrypt(key, &u, &token, NULL, NULL);
    check(st == TW_STATUS_OK && token && strlen(token) == v->token.n && memcmp(token, v->token.p, 16) != 0,
          "valid: random-nonce token", name);
    st = tw_decrypt_user_token(v->secret.p, v->secret.n, token, strlen(token), &who, NULL);
    check(st == TW_STATUS_OK && opened_as(&who, v->decrypted), "valid: one-shot decrypt", name);
    tw_identity_free(&who);
    tw_string_free(token);

    token = NULL;
    st = tw_encrypt_user_token(v->secret.p, v->secret.n, &u, &token, &len, NULL);
    check(st == TW_STATUS_OK && len == v->token.n, "valid: one-shot encrypt", name);
    st = tw_key_decrypt(key, token, len, &who, NULL);
    check(st == TW_STATUS_OK && opened_as(&who, v->decrypted), "valid: one-shot token opens", name);
    tw_identity_free(&who);
    tw_string_free(token);
    tw_key_free(key);
  }
}

static void refused_identities(void) {
  tw_key *key = key_of(valid_vectors[0].secret);
  tw_keyring *ring = NULL;
  const tw_key *keys[] = {key};
  tw_keyring_new(keys, 1, &ring, NULL);
  static const uint8_t nonce[12] = {1, 2, 3};
  for (size_t i = 0; i < invalid_identities_count; i++) {
    const identity_vector *v = &invalid_identities[i];
    tw_user u = user_of(v->identity);
    char *token = (char *)"stale", *err = (char *)"stale";
    size_t token_len = 99;
    tw_status st = tw_key_encrypt(key, &u, &token, &token_len, &err);
    /* Outputs are set on entry: a failed call leaves no stale pointer. */
    check(token == NULL && token_len == 0, "invalid identity: token_out NULL after failure", v->name.p);
    check(is_code(st, v->code) && err != NULL && strlen(err) > 0, "invalid identity: key", v->name.p);
    tw_string_free(err);
    err = (char *)"stale";
    token = (char *)"stale";
    st = tw_keyring_encrypt(ring, &u, &token, NULL, &err);
    check(token == NULL && err != NULL && strcmp(err, "stale") != 0, "invalid identity: keyring outputs", v->name.p);
    check(is_code(st, v->code), "invalid identity: keyring", v->name.p);
    tw_string_free(err);
    st = tw_encrypt_user_token(valid_vectors[0].secret.p, valid_vectors[0].secret.n, &u, &token, NULL, NULL);
    check(is_code(st, v->code), "invalid identity: one-shot", v->name.p);
    st = tw_testing_encrypt_with_nonce(key, nonce, &u, &token, NULL, NULL);
    check(is_code(st, v->code), "invalid identity: fixed nonce", v->name.p);
    check(token == NULL, "invalid identity: no token", v->name.p);
  }
  tw_keyring_free(ring);
  tw_key_free(key);
}

static void secrets(void) {
  for (size_t i = 0; i < invalid_secrets_count; i++) {
    const secret_vector *v = &invalid_secrets[i];
    tw_key *key = (tw_key *)&key; /* anything but NULL: must become NULL */
    char *err = NULL;
    tw_status st = tw_key_from_base64(v->secret.p, v->secret.n, &key, &err);
    check(is_code(st, v->expect) && key == NULL, "invalid secret", v->name.p);
    /* The message never contains the secret (checked for secrets long
       enough not to occur in ordinary words). */
    check(err != NULL && (v->secret.n < 8 || !memmem(err, strlen(err), v->secret.p, v->secret.n)),
          "invalid secret: message without the secret", v->name.p);
    tw_string_free(err);
    tw_identity who = {0};
    st = tw_decrypt_user_token(v->secret.p, v->secret.n, valid_vectors[0].token.p, valid_vectors[0].token.n, &who, NULL);
    check(is_code(st, v->expect), "invalid secret: one-shot", v->name.p);
  }
  for (size_t i = 0; i < secret_spellings_count; i++) {
    const secret_vector *v = &secret_spellings[i];
    tw_key *key = key_of(v->secret);
    char *secret = NULL;
    size_t len = 0;
    check(key && tw_key_secret_base64(key, &secret, &len, NULL) == TW_STATUS_OK && same(secret, len, v->expect),
          "secret spelling", v->name.p);
    tw_string_free(secret);
    tw_key_free(key);
  }
}

static void tokens(void) {
  for (size_t i = 0; i < invalid_tokens_count; i++) {
    const token_vector *v = &invalid_tokens[i];
    tw_key *key = key_of(v->secret);
    tw_keyring *ring = NULL;
    const tw_key *keys[] = {key};
    tw_keyring_new(keys, 1, &ring, NULL);
    tw_identity who = {0};
    char *err = NULL;
    tw_status st = tw_key_decrypt(key, v->token.p, v->token.n, &who, &err);
    check(is_code(st, v->code) && who.id == NULL && err != NULL, "invalid token: key", v->name.p);
    tw_string_free(err);
    st = tw_keyring_decrypt(ring, v->token.p, v->token.n, &who, NULL);
    check(is_code(st, v->code) && who.id == NULL, "invalid token: keyring", v->name.p);
    st = tw_decrypt_user_token(v->secret.p, v->secret.n, v->token.p, v->token.n, &who, NULL);
    check(is_code(st, v->code), "invalid token: one-shot", v->name.p);
    tw_identity_free(&who);
    tw_keyring_free(ring);
    tw_key_free(key);
  }
  for (size_t i = 0; i < foreign_tokens_count; i++) {
    const token_vector *v = &foreign_tokens[i];
    tw_key *key = key_of(v->secret);
    tw_identity who = {0};
    tw_status st = tw_key_decrypt(key, v->token.p, v->token.n, &who, NULL);
    check(st == TW_STATUS_OK && opened_as(&who, v->decrypted), "foreign token", v->name.p);
    tw_identity_free(&who);
    tw_key_free(key);
  }
}

static void keyring(void) {
  tw_key *old = NULL, *new_ = NULL, *other = NULL;
  tw_key_generate(&old, NULL);
  tw_key_generate(&new_, NULL);
  tw_key_generate(&other, NULL);
  tw_user u = {"u1", 2, "Ann", 3, NULL, 0};
  char *old_token = NULL, *ring_token = NULL, *other_token = NULL;
  tw_key_encrypt(old, &u, &old_token, NULL, NULL);
  tw_key_encrypt(other, &u, &other_token, NULL, NULL);

  tw_keyring *ring = NULL;
  const tw_key *keys[] = {new_, old};
  check(tw_keyring_new(keys, 2, &ring, NULL) == TW_STATUS_OK && ring, "keyring: new", "");
  tw_key_free(old); /* the keyring holds its own copies */
  tw_identity who = {0};
  check(tw_keyring_decrypt(ring, old_token, strlen(old_token), &who, NULL) == TW_STATUS_OK &&
            strcmp(who.id, "u1") == 0 && strcmp(who.name, "Ann") == 0 && who.email == NULL,
        "keyring: opens the old key's token", "");
  tw_identity_free(&who);
  tw_identity_free(&who); /* twice is harmless */
  check(tw_keyring_decrypt(ring, other_token, strlen(other_token), &who, NULL) == TW_STATUS_AUTHENTICATION_FAILED,
        "keyring: refuses a third key's token", "");
  check(tw_keyring_encrypt(ring, &u, &ring_token, NULL, NULL) == TW_STATUS_OK &&
            tw_key_decrypt(new_, ring_token, strlen(ring_token), &who, NULL) == TW_STATUS_OK,
        "keyring: encrypts with its first key", "");
  tw_identity_free(&who);

  tw_keyring *empty = (tw_keyring *)&empty;
  char *err = NULL;
  check(tw_keyring_new(NULL, 0, &empty, &err) == TW_STATUS_INVALID_SECRET && empty == NULL && err,
        "keyring: no keys is invalid_secret", "");
  tw_string_free(err);
  const tw_key *with_null[] = {new_, NULL};
  check(tw_keyring_new(with_null, 2, &empty, NULL) == TW_STATUS_BAD_ARGUMENT, "keyring: a NULL key", "");

  tw_string_free(old_token);
  tw_string_free(ring_token);
  tw_string_free(other_token);
  tw_keyring_free(ring);
  tw_key_free(new_);
  tw_key_free(other);
}

static void script_tags(void) {
  char *tag = NULL;
  size_t len = 0;
  const char *src = "https://x.test/w.js?a=1&b=2";
  tw_status st = tw_widget_script_tag(src, strlen(src), "123", 3, "tok+/=", 6, &tag, &len, NULL);
  const char *want =
      "<script src=\"https://x.test/w.js?a=1&amp;b=2\" data-assistant-id=\"123\" data-user-token=\"tok+/=\"></script>";
  check(st == TW_STATUS_OK && strcmp(tag, want) == 0 && len == strlen(want), "script tag", tag ? tag : "");
  tw_string_free(tag);
  st = tw_widget_script_tag("/w.js", 5, "a\"b'<>&", 7, NULL, 0, &tag, NULL, NULL);
  want = "<script src=\"/w.js\" data-assistant-id=\"a&quot;b&#x27;&lt;&gt;&amp;\"></script>";
  check(st == TW_STATUS_OK && tag && strstr(tag, "data-user-token") == NULL && strstr(tag, "&quot;b") &&
            strstr(tag, "&lt;&gt;&amp;"),
        "script tag without token, escaped", tag ? tag : "");
  tw_string_free(tag);
  /* Ill-formed UTF-8 is never an error: each ill-formed sequence, and each
     3-byte encoded surrogate (WTF-8), becomes one U+FFFD (the core's rule). */
  char *err = (char *)"stale";
  st = tw_widget_script_tag("\xff", 1, "1\xed\xa0\x80", 4, NULL, 0, &tag, &len, &err);
  check(st == TW_STATUS_OK && err == NULL && tag &&
            strcmp(tag, "<script src=\"\xEF\xBF\xBD\" data-assistant-id=\"1\xEF\xBF\xBD\"></script>") == 0,
        "script tag: ill-formed UTF-8 becomes U+FFFD", tag ? tag : "");
  tw_string_free(tag);
}

/* ---- The buffer-filling functions (_into, _utf16): no allocation. ---- */

/* WTF-8 (UTF-8 that may hold 3-byte surrogates, as the vectors write a lone
   surrogate) to UTF-16; -1 for bytes that are not WTF-8. */
static long utf16_of(bytes_t text, uint16_t *out, size_t room) {
  size_t n = 0;
  const unsigned char *p = (const unsigned char *)text.p;
  for (size_t i = 0; i < text.n;) {
    unsigned c = p[i], cp, len;
    if (c < 0x80) cp = c, len = 1;
    else if ((c & 0xE0) == 0xC0) cp = c & 0x1F, len = 2;
    else if ((c & 0xF0) == 0xE0) cp = c & 0x0F, len = 3;
    else if ((c & 0xF8) == 0xF0) cp = c & 0x07, len = 4;
    else return -1;
    if (i + len > text.n) return -1;
    for (unsigned k = 1; k < len; k++) {
      if ((p[i + k] & 0xC0) != 0x80) return -1;
      cp = cp << 6 | (p[i + k] & 0x3F);
    }
    i += len;
    if (n + 2 > room) return -1;
    if (cp >= 0x10000) {
      cp -= 0x10000;
      out[n++] = (uint16_t)(0xD800 | cp >> 10);
      out[n++] = (uint16_t)(0xDC00 | (cp & 0x3FF));
    } else {
      out[n++] = (uint16_t)cp;
    }
  }
  return (long)n;
}

typedef struct { uint16_t id[2048], name[2048], email[2048]; long id_n, name_n, email_n; } u16_ident;

static int u16_of(ident_t i, u16_ident *u) {
  u->id_n = utf16_of(i.id, u->id, 2048);
  u->name_n = i.name.p ? utf16_of(i.name, u->name, 2048) : 0;
  u->email_n = i.email.p ? utf16_of(i.email, u->email, 2048) : 0;
  return u->id_n >= 0 && u->name_n >= 0 && u->email_n >= 0;
}

/* The fields a decrypt-into call wrote, against the vector's. */
static int fields_are(const char *out, size_t written, const size_t lens[3], ident_t want) {
  bytes_t w[3] = {want.id, want.name, want.email};
  size_t at = 0;
  for (int f = 0; f < 3; f++) {
    size_t wn = w[f].p ? w[f].n : 0;
    if (lens[f] != wn || memcmp(out + at, w[f].p ? w[f].p : "", wn) != 0) return 0;
    at += wn;
  }
  return at == written;
}

static void into_functions(void) {
  size_t cap = tw_token_max_len(), icap = tw_identity_max_len();
  check(cap >= 1000 && cap < 8192 && icap >= 6000 && icap < 8192, "sizes: tw_token_max_len, tw_identity_max_len", "");
  char *out = malloc(cap > icap ? cap : icap);
  char msg[256];
  static u16_ident u16;
  /* One tw_out for the UTF-8 and UTF-16 calls, set up once (77: a stale
     value each call must reset). */
  tw_out o = {out, cap, 77, 77, 77, 77, msg, sizeof msg, 77};
  tw_out d = {out, icap, 0, 0, 0, 0, NULL, 0, 0};
#define LENS(x) ((size_t[]){(x).id_len, (x).name_len, (x).email_len})
  for (size_t i = 0; i < valid_vectors_count; i++) {
    const valid_vector *v = &valid_vectors[i];
    const char *name = v->name.p;
    tw_key *key = key_of(v->secret);
    tw_keyring *ring = NULL;
    const tw_key *keys[] = {key};
    tw_keyring_new(keys, 1, &ring, NULL);
    tw_user u = user_of(v->identity);
    const uint8_t *nonce = (const uint8_t *)v->nonce.p;

    /* UTF-8 in, buffers out. */
    o.message_len = 77;
    tw_status st = tw_key_encrypt_into(key, &u, &o);
    check(st == TW_STATUS_OK && o.written == v->token.n && o.message_len == 0 && msg[0] == 0 && o.id_len == 0,
          "into: key encrypt", name);
    static char own[1024];
    memcpy(own, out, o.written);
    st = tw_key_decrypt_into(key, own, o.written, &d);
    check(st == TW_STATUS_OK && fields_are(out, d.written, LENS(d), v->decrypted), "into: key decrypt (own token)", name);
    st = tw_key_decrypt_into(key, v->token.p, v->token.n, &d);
    check(st == TW_STATUS_OK && fields_are(out, d.written, LENS(d), v->decrypted), "into: key decrypt", name);
    st = tw_keyring_decrypt_into(ring, v->token.p, v->token.n, &d);
    check(st == TW_STATUS_OK && fields_are(out, d.written, LENS(d), v->decrypted), "into: keyring decrypt", name);
    st = tw_decrypt_user_token_into(v->secret.p, v->secret.n, v->token.p, v->token.n, &d);
    check(st == TW_STATUS_OK && fields_are(out, d.written, LENS(d), v->decrypted), "into: one-shot decrypt", name);
    st = tw_keyring_encrypt_into(ring, &u, &o);
    check(st == TW_STATUS_OK && o.written == v->token.n, "into: keyring encrypt", name);
    st = tw_encrypt_user_token_into(v->secret.p, v->secret.n, &u, &o);
    check(st == TW_STATUS_OK && o.written == v->token.n, "into: one-shot encrypt", name);

    /* UTF-16 in, through a tw_out. */
    if (u16_of(v->identity, &u16)) {
      const uint16_t *nm = v->identity.name.p ? u16.name : NULL, *em = v->identity.email.p ? u16.email : NULL;
      tw_user_utf16 w = {u16.id, u16.id_n, nm, u16.name_n, em, u16.email_n};
      o.message_len = 77;
      st = tw_testing_encrypt_with_nonce_utf16(key, nonce, &w, &o);
      check(st == TW_STATUS_OK && o.written == v->token.n && memcmp(out, v->token.p, o.written) == 0 && o.message_len == 0,
            "utf16: fixed-nonce token", name);
      st = tw_key_encrypt_utf16(key, &w, &o);
      check(st == TW_STATUS_OK && o.written == v->token.n, "utf16: key encrypt", name);
      st = tw_keyring_encrypt_utf16(ring, &w, &o);
      check(st == TW_STATUS_OK && o.written == v->token.n, "utf16: keyring encrypt", name);
      static uint16_t secret16[64];
      long sn = utf16_of(v->secret, secret16, 64);
      st = tw_encrypt_user_token_utf16(secret16, sn, &w, &o);
      check(st == TW_STATUS_OK && o.written == v->token.n, "utf16: one-shot encrypt", name);
      static uint16_t token16[8192];
      long tn = utf16_of(v->token, token16, 8192);
      st = tw_key_decrypt_utf16(key, token16, tn, &d);
      check(st == TW_STATUS_OK && fields_are(out, d.written, LENS(d), v->decrypted), "utf16: key decrypt", name);
      st = tw_keyring_decrypt_utf16(ring, token16, tn, &d);
      check(st == TW_STATUS_OK && fields_are(out, d.written, LENS(d), v->decrypted), "utf16: keyring decrypt", name);
      st = tw_decrypt_user_token_utf16(secret16, sn, token16, tn, &d);
      check(st == TW_STATUS_OK && fields_are(out, d.written, LENS(d), v->decrypted), "utf16: one-shot decrypt", name);
      tw_key *k16 = NULL;
      check(tw_key_from_base64_utf16(secret16, sn, &k16, NULL) == TW_STATUS_OK && k16, "utf16: key from secret", name);
      tw_key_free(k16);
    }
    tw_keyring_free(ring);
    tw_key_free(key);
  }

  /* Refusals: the code, and the core's message in the caller's buffer. */
  tw_key *key = key_of(valid_vectors[0].secret);
  for (size_t i = 0; i < invalid_identities_count; i++) {
    const identity_vector *v = &invalid_identities[i];
    tw_user u = user_of(v->identity);
    o.written = 77;
    tw_status st = tw_key_encrypt_into(key, &u, &o);
    check(is_code(st, v->code) && o.written == 0 && o.message_len > 0 && o.message_len == strlen(msg),
          "into: refused identity", v->name.p);
    if (u16_of(v->identity, &u16)) {
      tw_user_utf16 w = {u16.id, u16.id_n, v->identity.name.p ? u16.name : NULL, u16.name_n,
                         v->identity.email.p ? u16.email : NULL, u16.email_n};
      o.written = 77;
      st = tw_key_encrypt_utf16(key, &w, &o);
      check(is_code(st, v->code) && o.written == 0 && o.message_len > 0 && o.message_len == strlen(msg),
            "utf16: refused identity", v->name.p);
    }
  }
  for (size_t i = 0; i < invalid_tokens_count; i++) {
    const token_vector *v = &invalid_tokens[i];
    tw_key *k = key_of(v->secret);
    tw_out r = {out, icap, 77, 77, 77, 77, msg, sizeof msg, 77};
    tw_status st = tw_key_decrypt_into(k, v->token.p, v->token.n, &r);
    check(is_code(st, v->code) && r.written == 0 && r.id_len == 0 && r.message_len > 0, "into: refused token", v->name.p);
    tw_key_free(k);
  }

  /* Lone surrogates: refused in an identity field, U+FFFD in a token (not
     base64, so malformed). */
  const uint16_t lone[] = {'u', 0xD800};
  tw_user_utf16 lone_user = {lone, 2, NULL, 0, NULL, 0};
  tw_status st = tw_key_encrypt_utf16(key, &lone_user, &o);
  check(st == TW_STATUS_INVALID_IDENTITY && strstr(msg, "id"), "utf16: lone surrogate in id refused", msg);
  o.capacity = icap;
  st = tw_key_decrypt_utf16(key, lone, 2, &o);
  check(st == TW_STATUS_MALFORMED_TOKEN && o.id_len == 0, "utf16: lone surrogate in token", "");
  check(tw_key_encrypt_utf16(key, &lone_user, NULL) == TW_STATUS_BAD_ARGUMENT, "utf16: NULL out", "");
  check(tw_key_encrypt_utf16(key, NULL, &o) == TW_STATUS_BAD_ARGUMENT && strstr(msg, "user is NULL"), "utf16: NULL user",
        msg);

  /* A token's UTF-16 length alone: past 2 x 65,536 units it cannot be one. */
  st = tw_token_check_utf16_len(131072, &o);
  check(st == TW_STATUS_OK && o.message_len == 0, "utf16 length: at the bound", "");
  st = tw_token_check_utf16_len((size_t)100 * 1000 * 1000, &o);
  check(st == TW_STATUS_MALFORMED_TOKEN && strcmp(msg, "malformed token: it is longer than 8192 characters") == 0 &&
            o.message_len == strlen(msg),
        "utf16 length: past the bound, the core's message", msg);

  /* Too small: the length needed, then the call again with room. */
  tw_user u = {"user-1", 6, "Ann", 3, NULL, 0};
  tw_out s = {out, 10, 0, 0, 0, 0, msg, sizeof msg, 0};
  st = tw_key_encrypt_into(key, &u, &s);
  size_t needed = s.written;
  check(st == TW_STATUS_BUFFER_TOO_SMALL && needed > 10 && strcmp(tw_status_code(st), "buffer_too_small") == 0 &&
            s.message_len > 0,
        "into: too small gives the length needed", "");
  s.capacity = needed;
  st = tw_key_encrypt_into(key, &u, &s);
  check(st == TW_STATUS_OK && s.written == needed, "into: exactly the length needed", "");
  char token[128];
  memcpy(token, out, s.written);
  size_t token_n = s.written;
  s.capacity = 5;
  st = tw_key_decrypt_into(key, token, token_n, &s);
  check(st == TW_STATUS_BUFFER_TOO_SMALL && s.written == 9 && s.id_len == 0, "into: decrypt too small", "");
  s.capacity = 9;
  st = tw_key_decrypt_into(key, token, token_n, &s);
  check(st == TW_STATUS_OK && s.written == 9 && s.id_len == 6 && s.name_len == 3 && s.email_len == 0 &&
            memcmp(out, "user-1Ann", 9) == 0,
        "into: decrypt fields and lengths", "");
  tw_out none = {NULL, 0, 0, 0, 0, 0, NULL, 0, 0};
  st = tw_key_encrypt_into(key, &u, &none);
  check(st == TW_STATUS_BUFFER_TOO_SMALL && none.written == needed, "into: NULL buffer asks for the length", "");

  /* The message is cut to fit (at a character boundary) and terminated. */
  tw_user empty = {"", 0, NULL, 0, NULL, 0};
  char small[8];
  tw_out cut = {out, cap, 0, 0, 0, 0, small, sizeof small, 0};
  st = tw_key_encrypt_into(key, &empty, &cut);
  check(st == TW_STATUS_INVALID_IDENTITY && cut.message_len == 7 && small[7] == 0 && strncmp(small, "id ", 3) == 0,
        "into: message cut to fit", small);
  check(tw_key_encrypt_into(key, &u, NULL) == TW_STATUS_BAD_ARGUMENT, "into: NULL out", "");
  check(tw_key_decrypt_into(NULL, token, token_n, &o) == TW_STATUS_BAD_ARGUMENT && strstr(msg, "key is NULL"),
        "into: NULL key", msg);

  /* The script tag into a buffer, from UTF-8 and UTF-16. */
  const char *want = "<script src=\"/w.js\" data-assistant-id=\"a&amp;b\" data-user-token=\"t\"></script>";
  st = tw_widget_script_tag_into("/w.js", 5, "a&b", 3, "t", 1, &o);
  check(st == TW_STATUS_OK && o.written == strlen(want) && memcmp(out, want, o.written) == 0, "into: script tag", "");
  const uint16_t src16[] = {'/', 'w', '.', 'j', 's'}, aid16[] = {'a', '&', 'b'}, tok16[] = {'t'};
  tw_out t = {out, cap, 0, 0, 0, 0, NULL, 0, 0};
  st = tw_widget_script_tag_utf16(src16, 5, aid16, 3, tok16, 1, &t);
  check(st == TW_STATUS_OK && t.written == strlen(want) && memcmp(out, want, t.written) == 0, "utf16: script tag", "");
  const uint16_t lone_aid[] = {'1', 0xDC00};
  st = tw_widget_script_tag_utf16(src16, 5, lone_aid, 2, NULL, 0, &t);
  check(st == TW_STATUS_OK && t.written > 0 &&
            memmem(out, t.written, "data-assistant-id=\"1\xEF\xBF\xBD\"", 24) != NULL,
        "utf16: script tag, lone surrogate becomes U+FFFD", "");
  t.capacity = 10;
  st = tw_widget_script_tag_utf16(src16, 5, aid16, 3, tok16, 1, &t);
  check(st == TW_STATUS_BUFFER_TOO_SMALL && t.written == strlen(want), "utf16: script tag too small", "");
  s.capacity = 10;
  st = tw_widget_script_tag_into("/w.js", 5, "1", 1, NULL, 0, &s);
  check(st == TW_STATUS_BUFFER_TOO_SMALL && s.written > 10, "into: script tag too small", "");
  tw_key_free(key);
  free(out);
}

/* Outputs are set on entry, whatever fails (issue 17). */
static void stale_outputs(void) {
  tw_key *key = key_of(valid_vectors[0].secret);
  tw_user u = {"u1", 2, NULL, 0, NULL, 0};
  char *token = (char *)"stale", *err = (char *)"stale";
  size_t len = 99;
  check(tw_key_encrypt(NULL, &u, &token, &len, &err) == TW_STATUS_BAD_ARGUMENT && token == NULL && len == 0 && err &&
            strcmp(err, "stale") != 0,
        "stale: NULL key clears token_out and len", "");
  tw_string_free(err);
  token = (char *)"stale";
  err = (char *)"stale";
  check(tw_key_encrypt(key, &u, &token, &len, &err) == TW_STATUS_OK && err == NULL && token && len > 0,
        "stale: error_out NULL after a success", "");
  char *copy = token;
  tw_identity who = {(char *)"stale", 5, (char *)"stale", 5, (char *)"stale", 5};
  check(tw_key_decrypt(NULL, copy, len, &who, NULL) == TW_STATUS_BAD_ARGUMENT && who.id == NULL && who.name == NULL &&
            who.email == NULL && who.id_len == 0,
        "stale: NULL key empties identity_out", "");
  tw_identity who2 = {(char *)"stale", 5, NULL, 0, NULL, 0};
  check(tw_keyring_decrypt(NULL, copy, len, &who2, NULL) == TW_STATUS_BAD_ARGUMENT && who2.id == NULL,
        "stale: NULL keyring empties identity_out", "");
  tw_identity who3 = {(char *)"stale", 5, NULL, 0, NULL, 0};
  check(tw_decrypt_user_token("x", 1, copy, len, &who3, NULL) == TW_STATUS_INVALID_SECRET && who3.id == NULL,
        "stale: bad secret empties identity_out", "");
  tw_string_free(copy);
  tw_keyring *ring = (tw_keyring *)&ring;
  check(tw_keyring_new(NULL, 0, &ring, NULL) == TW_STATUS_INVALID_SECRET && ring == NULL, "stale: empty keyring", "");
  char *secret = (char *)"stale";
  size_t slen = 99;
  check(tw_key_secret_base64(NULL, &secret, &slen, NULL) == TW_STATUS_BAD_ARGUMENT && secret == NULL && slen == 0,
        "stale: secret_out", "");
  char *tag = (char *)"stale";
  size_t tlen = 99;
  check(tw_widget_script_tag(NULL, 0, "1", 1, NULL, 0, &tag, &tlen, NULL) == TW_STATUS_BAD_ARGUMENT && tag == NULL &&
            tlen == 0,
        "stale: tag_out", "");
  tw_key *k = (tw_key *)&k;
  check(tw_key_from_base64(NULL, 0, &k, NULL) == TW_STATUS_BAD_ARGUMENT && k == NULL, "stale: key_out", "");
  tw_key_free(key);
}

/* ---- A heap search (as bindings-python/tests/test_memory.py): once a
   keyring of five keys is freed, no copy of the key's AES schedule is left
   in the process's writable memory (a keyring whose key list grew left
   them in the freed smaller list). ---- */

static const char *SEARCH_SECRET = "nD5x0loI9LbhJ32TxaBPG2jS4DqWsVx/JOipDTtsH1c=";
/* key || round key 2 of SEARCH_SECRET's AES-256 schedule, each byte + 1, so
   this table is not itself a match. */
static const char *SHIFTED_HEX =
    "9d3f72d35b09f5b7e2287e94c6a1501c69d3e13b97b25d8025e9aa0e3c6d2058ceff2b3198f7df8777d2a416b472ed0f";

static unsigned char shifted[48];
static unsigned char chunk[1 << 20];

static int heap_holds_key(void) {
  FILE *maps = fopen("/proc/self/maps", "r");
  FILE *mem = fopen("/proc/self/mem", "rb");
  if (!maps || !mem) {
    if (maps) fclose(maps);
    if (mem) fclose(mem);
    return -1;
  }
  setvbuf(mem, NULL, _IONBF, 0);
  int found = 0;
  char line[512];
  while (!found && fgets(line, sizeof line, maps)) {
    unsigned long start, end;
    char perms[8], path[256] = "";
    if (sscanf(line, "%lx-%lx %7s %*s %*s %*s %255s", &start, &end, perms, path) < 3) continue;
    if (perms[0] != 'r' || perms[1] != 'w' || (path[0] && strcmp(path, "[heap]") != 0)) continue;
    for (unsigned long pos = start; pos < end && !found; pos += sizeof chunk - sizeof shifted) {
      size_t want = end - pos < sizeof chunk ? end - pos : sizeof chunk;
      if (fseeko(mem, (off_t)pos, SEEK_SET) != 0) break;
      size_t n = fread(chunk, 1, want, mem);
      for (size_t i = 0; i + sizeof shifted <= n && !found; i++) {
        if ((unsigned char)(chunk[i] + 1) != shifted[0]) continue;
        size_t k = 1;
        while (k < sizeof shifted && (unsigned char)(chunk[i + k] + 1) == shifted[k]) k++;
        found = k == sizeof shifted;
      }
      if (n < want) break;
    }
  }
  memset(chunk, 0, sizeof chunk);
  fclose(maps);
  fclose(mem);
  return found;
}

static void heap_search(void) {
#if defined(__SANITIZE_ADDRESS__)
  printf("heap search: skipped under AddressSanitizer (its allocator keeps freed blocks in quarantine)\n");
  return;
#endif
  for (size_t i = 0; i < sizeof shifted; i++) sscanf(SHIFTED_HEX + 2 * i, "%2hhx", &shifted[i]);
  tw_key *key = NULL;
  tw_key_from_base64(SEARCH_SECRET, strlen(SEARCH_SECRET), &key, NULL);
  int live = heap_holds_key();
  if (live != 1) {
    printf("heap search: skipped (%s)\n", live < 0 ? "no /proc/self/mem" : "the key schedule is not laid out as searched for on this CPU");
    tw_key_free(key);
    return;
  }
  const tw_key *keys[] = {key, key, key, key, key};
  tw_keyring *ring = NULL;
  check(tw_keyring_new(keys, 5, &ring, NULL) == TW_STATUS_OK, "heap: a keyring of five keys", "");
  tw_keyring_free(ring);
  tw_key_free(key);
  check(heap_holds_key() == 0, "heap: no key schedule left once the keys and the keyring are freed", "");
}

static void boundary(void) {
  tw_key *key = NULL;
  char *err = NULL, *token = NULL;
  check(tw_key_from_base64(NULL, 0, &key, &err) == TW_STATUS_BAD_ARGUMENT && err, "NULL secret", "");
  tw_string_free(err);
  const char *secret = (const char *)valid_vectors[0].secret.p;
  check(tw_key_from_base64(secret, valid_vectors[0].secret.n, NULL, NULL) == TW_STATUS_BAD_ARGUMENT, "NULL key_out", "");
  key = key_of(valid_vectors[0].secret);
  tw_user u = {"u1", 2, NULL, 0, NULL, 0};
  tw_user no_id = {NULL, 0, NULL, 0, NULL, 0};
  check(tw_key_encrypt(NULL, &u, &token, NULL, NULL) == TW_STATUS_BAD_ARGUMENT, "NULL key", "");
  check(tw_key_encrypt(key, NULL, &token, NULL, NULL) == TW_STATUS_BAD_ARGUMENT, "NULL user", "");
  check(tw_key_encrypt(key, &no_id, &token, NULL, NULL) == TW_STATUS_BAD_ARGUMENT, "NULL id", "");
  check(tw_key_encrypt(key, &u, NULL, NULL, NULL) == TW_STATUS_BAD_ARGUMENT, "NULL token_out", "");
  check(tw_key_decrypt(key, "x", 1, NULL, NULL) == TW_STATUS_BAD_ARGUMENT, "NULL identity_out", "");
  tw_identity who = {0};
  check(tw_key_decrypt(key, NULL, 0, &who, NULL) == TW_STATUS_BAD_ARGUMENT, "NULL token", "");
  /* Embedded NUL: a text is its length, not its first NUL. */
  tw_user nul = {"a\0b", 3, NULL, 0, NULL, 0};
  check(tw_key_encrypt(key, &nul, &token, NULL, NULL) == TW_STATUS_INVALID_IDENTITY, "embedded NUL in id", "");
  /* Not UTF-8: the core's codes. */
  tw_user bad = {"\xc3\x28", 2, NULL, 0, NULL, 0};
  check(tw_key_encrypt(key, &bad, &token, NULL, NULL) == TW_STATUS_INVALID_IDENTITY, "id not UTF-8", "");
  check(tw_key_decrypt(key, "\xff\xfe", 2, &who, NULL) == TW_STATUS_MALFORMED_TOKEN, "token not UTF-8", "");
  tw_key *none = (tw_key *)&none;
  check(tw_key_from_base64("\xff", 1, &none, NULL) == TW_STATUS_INVALID_SECRET && none == NULL, "secret not UTF-8", "");
  /* Names of statuses. */
  check(strcmp(tw_status_code(TW_STATUS_OK), "ok") == 0 && strcmp(tw_status_code(TW_STATUS_PANIC), "panic") == 0 &&
            strcmp(tw_status_code(TW_STATUS_BAD_ARGUMENT), "bad_argument") == 0 &&
            strcmp(tw_status_code(TW_STATUS_AUTHENTICATION_FAILED), "authentication_failed") == 0 &&
            strcmp(tw_status_code(99), "unknown") == 0,
        "status names", "");
  /* Generated keys: 44-character secrets that round-trip. */
  tw_key *gen = NULL, *back = NULL;
  char *s = NULL;
  size_t n = 0;
  check(tw_key_generate(&gen, NULL) == TW_STATUS_OK && tw_key_secret_base64(gen, &s, &n, NULL) == TW_STATUS_OK &&
            n == 44 && tw_key_from_base64(s, n, &back, NULL) == TW_STATUS_OK,
        "generate", "");
  char *token2 = NULL;
  check(tw_key_encrypt(gen, &u, &token2, NULL, NULL) == TW_STATUS_OK &&
            tw_key_decrypt(back, token2, strlen(token2), &who, NULL) == TW_STATUS_OK && strcmp(who.id, "u1") == 0,
        "generated key round trip", "");
  tw_identity_free(&who);
  tw_string_free(token2);
  tw_string_free(s);
  tw_key_free(gen);
  tw_key_free(back);
  tw_key_free(key);
  /* A panic inside the library comes back as a status, and the process
     goes on (the panic's own message goes to stderr). */
  char *panic_message = NULL;
  fprintf(stderr, "(an expected panic, caught at the boundary, follows)\n");
  check(tw_testing_panic(&panic_message) == TW_STATUS_PANIC && panic_message &&
            strstr(panic_message, "internal error"),
        "panic caught at the boundary", "");
  tw_string_free(panic_message);
  check(tw_key_generate(&gen, NULL) == TW_STATUS_OK, "still working after a panic", "");
  tw_key_free(gen);
  tw_key_free(NULL);
  tw_keyring_free(NULL);
  tw_string_free(NULL);
  tw_identity_free(NULL);
}

/* Threads: one key shared by 8 threads, 2,000 tokens each; every nonce
   (the first 16 base64 characters = the 12 nonce bytes) distinct. */
enum { THREADS = 8, PER_THREAD = 2000 };
static tw_key *shared_key;
static char nonces[THREADS * PER_THREAD][17];

static void *worker(void *arg) {
  size_t t = (size_t)arg;
  tw_user u = {"thread-user", 11, "T", 1, NULL, 0};
  for (size_t i = 0; i < PER_THREAD; i++) {
    char *token = NULL;
    if (tw_key_encrypt(shared_key, &u, &token, NULL, NULL) != TW_STATUS_OK) return (void *)1;
    memcpy(nonces[t * PER_THREAD + i], token, 16);
    nonces[t * PER_THREAD + i][16] = 0;
    tw_string_free(token);
  }
  return NULL;
}

static int by_text(const void *a, const void *b) { return strcmp(a, b); }

static void threads(void) {
  tw_key_generate(&shared_key, NULL);
  pthread_t th[THREADS];
  for (size_t t = 0; t < THREADS; t++) pthread_create(&th[t], NULL, worker, (void *)t);
  int ok = 1;
  for (size_t t = 0; t < THREADS; t++) {
    void *r;
    pthread_join(th[t], &r);
    ok &= r == NULL;
  }
  qsort(nonces, THREADS * PER_THREAD, sizeof nonces[0], by_text);
  size_t repeats = 0;
  for (size_t i = 1; i < THREADS * PER_THREAD; i++) repeats += strcmp(nonces[i - 1], nonces[i]) == 0;
  check(ok && repeats == 0, "threads: 8 x 2000 tokens, no repeated nonce", "");
  tw_key_free(shared_key);
}

int main(void) {
  valid();
  refused_identities();
  secrets();
  tokens();
  keyring();
  script_tags();
  boundary();
  stale_outputs();
  into_functions();
  threads();
  heap_search();
  fflush(stderr);
  printf("c abi: %d passed, %d failed (vectors: %zu valid, %zu invalid identities, %zu invalid secrets, "
         "%zu spellings, %zu invalid tokens, %zu foreign tokens)\n",
         passed, failed, valid_vectors_count, invalid_identities_count, invalid_secrets_count, secret_spellings_count,
         invalid_tokens_count, foreign_tokens_count);
  fflush(stdout);
  return failed ? 1 : 0;
}
