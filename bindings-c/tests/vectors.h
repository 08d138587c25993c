/* The shapes of the generated vector tables (gen_vectors.py). */
#ifndef TW_TEST_VECTORS_H
#define TW_TEST_VECTORS_H
#include <stddef.h>

/* Bytes with a length; p == NULL means absent (JSON null or missing). */
typedef struct { const char *p; size_t n; } bytes_t;

typedef struct { bytes_t id, name, email; } ident_t;

typedef struct {
  bytes_t name, secret, nonce;
  ident_t identity;
  bytes_t token;
  ident_t decrypted;
} valid_vector;

typedef struct { bytes_t name; ident_t identity; bytes_t code; } identity_vector;

/* invalid_secrets: expect = the code; secret_spellings: expect = secret_base64. */
typedef struct { bytes_t name, secret, expect; } secret_vector;

/* invalid_tokens: code set; foreign_tokens: decrypted set. */
typedef struct { bytes_t name, secret, token, code; ident_t decrypted; } token_vector;

#define TABLE(type, name) extern const type name[]; extern const size_t name##_count;
TABLE(valid_vector, valid_vectors)
TABLE(identity_vector, invalid_identities)
TABLE(secret_vector, invalid_secrets)
TABLE(secret_vector, secret_spellings)
TABLE(token_vector, invalid_tokens)
TABLE(token_vector, foreign_tokens)
#undef TABLE
#endif
