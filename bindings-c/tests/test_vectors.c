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

    char *token = NULL, *err = NULL;
    size_t len = 0;
    tw_status st = tw_testing_encrypt_with_nonce(key, (const uint8_t *)v->nonce.p, &u, &token, &len, &err);
    check(st == TW_STATUS_OK && same(token, len, v->token), "valid: fixed-nonce token", name);
    check(err == NULL, "valid: no message on success", name);
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
    char *token = (char *)"untouched", *err = NULL;
    tw_status st = tw_key_encrypt(key, &u, &token, NULL, &err);
    check(is_code(st, v->code) && err != NULL && strlen(err) > 0, "invalid identity: key", v->name.p);
    tw_string_free(err);
    err = NULL;
    st = tw_keyring_encrypt(ring, &u, &token, NULL, &err);
    check(is_code(st, v->code), "invalid identity: keyring", v->name.p);
    tw_string_free(err);
    st = tw_encrypt_user_token(valid_vectors[0].secret.p, valid_vectors[0].secret.n, &u, &token, NULL, NULL);
    check(is_code(st, v->code), "invalid identity: one-shot", v->name.p);
    st = tw_testing_encrypt_with_nonce(key, nonce, &u, &token, NULL, NULL);
    check(is_code(st, v->code), "invalid identity: fixed nonce", v->name.p);
    check(strcmp(token, "untouched") == 0, "invalid identity: no token", v->name.p);
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
  char *err = NULL;
  st = tw_widget_script_tag("\xff", 1, "1", 1, NULL, 0, &tag, NULL, &err);
  check(st == TW_STATUS_BAD_ARGUMENT && err && strstr(err, "UTF-8"), "script tag: not UTF-8", "");
  tw_string_free(err);
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
  threads();
  fflush(stderr);
  printf("c abi: %d passed, %d failed (vectors: %zu valid, %zu invalid identities, %zu invalid secrets, "
         "%zu spellings, %zu invalid tokens, %zu foreign tokens)\n",
         passed, failed, valid_vectors_count, invalid_identities_count, invalid_secrets_count, secret_spellings_count,
         invalid_tokens_count, foreign_tokens_count);
  fflush(stdout);
  return failed ? 1 : 0;
}
