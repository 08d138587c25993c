/**
 * Make and open identity tokens for TeamWeb AI's chat widget.
 *
 * A customer's server tells the widget who a logged-in visitor is by
 * encrypting `{ id, name, email }` with the channel's identity secret
 * (AES-256-GCM) and putting the result on the widget's script tag as
 * `data-user-token`. This package is a native addon over the project's Rust
 * core, so it makes byte-for-byte the same tokens as the Python, Kotlin and
 * Rust packages.
 *
 * @example
 * ```ts
 * import { IdentityKey, widgetScriptTag } from 'teamweb-identity'
 *
 * const key = IdentityKey.fromBase64(process.env.TEAMWEB_IDENTITY_SECRET!) // once, at startup
 * const token = key.encrypt({ id: user.id, name: user.name, email: user.email })
 * const tag = widgetScriptTag('https://teamweb.example/static/js/chat-widget.js', 123, token)
 * ```
 *
 * Every token gets a fresh random 96-bit nonce; make at most 2^32 tokens per
 * secret (NIST SP 800-38D, section 8.3) and rotate with
 * {@link IdentityKeyring} well before.
 *
 * @packageDocumentation
 */

/**
 * Who the visitor is, as given to {@link IdentityKey.encrypt}.
 *
 * Rules (checked by the core, identical in every language):
 * - `id` is required: a string with at least one non-whitespace character,
 *   or an integer (a safe integer `number` or a `bigint`), which becomes its
 *   decimal text; at most 256 UTF-8 bytes.
 * - `name` is optional (`undefined`, `null` or `""` mean absent); at most
 *   256 UTF-8 bytes.
 * - `email` is optional (`undefined`, `null` or `""` mean absent); at most
 *   254 UTF-8 bytes, no whitespace, an `@` with text on both sides of the
 *   last one.
 * - No field may hold control characters (U+0000–U+001F, U+007F–U+009F) or
 *   lone surrogates.
 *
 * A rule broken is an {@link InvalidIdentityError}; a field of the wrong
 * JavaScript type (a boolean, an object, a number that is not a safe
 * integer, ...) is a `TypeError`.
 */
export interface UserIdentityInput {
  /** The user's stable id in your application: a string, a safe integer or a bigint. */
  id: string | number | bigint
  /** Display name; `undefined`, `null` or `""` for none. */
  name?: string | null | undefined
  /** Email address; `undefined`, `null` or `""` for none. */
  email?: string | null | undefined
}

/**
 * An identity read back from a token by {@link IdentityKey.decrypt}.
 *
 * Absent fields are left out of the object (never `null`), as in the
 * token's own JSON: test with `'name' in identity` or
 * `identity.name !== undefined`.
 */
export interface UserIdentity {
  /** The id, always as text (an integer id comes back as its decimal text). */
  id: string
  /** The name, if the token has one. */
  name?: string
  /** The email, if the token has one. */
  email?: string
}

/**
 * An AES-256-GCM identity key: makes and opens tokens.
 *
 * Make one at startup with {@link IdentityKey.fromBase64} and keep it; it is
 * immutable. Its bytes never show: `String(key)`, `JSON.stringify(key)` and
 * `util.inspect(key)` all give `IdentityKey(<redacted>)`.
 *
 * A key object cannot be posted to a worker thread; pass
 * `key.secretBase64()` in `workerData` (treat it as the secret it is) and
 * call {@link IdentityKey.fromBase64} in the worker.
 */
export declare class IdentityKey {
  private constructor()

  /**
   * Reads a secret as the channel's settings page shows it: the base64 of
   * 32 bytes.
   *
   * Surrounding whitespace is ignored; the standard and the URL-safe
   * alphabets are accepted, with or without padding.
   *
   * @param secret - the identity secret, e.g. from `process.env.TEAMWEB_IDENTITY_SECRET`
   * @throws {@link InvalidSecretError} if it is not the base64 of exactly 32
   *   bytes; the message says what was wrong and never contains the secret
   * @throws `TypeError` if `secret` is not a string
   */
  static fromBase64(secret: string): IdentityKey

  /** A new random key, from 32 bytes of the operating system's CSPRNG. */
  static generate(): IdentityKey

  /**
   * The secret as padded standard base64 (44 characters), the form the
   * settings page uses. Treat the returned text as the secret it is.
   */
  secretBase64(): string

  /**
   * Makes a token for `identity`, with a fresh random nonce.
   *
   * @returns the token: standard padded base64 of nonce, ciphertext and tag
   * @throws {@link InvalidIdentityError} if the identity breaks a rule (see
   *   {@link UserIdentityInput})
   * @throws `TypeError` if `identity` is not an object or a field has the wrong type
   */
  encrypt(identity: UserIdentityInput): string

  /**
   * Opens a token made by any TeamWeb identity package or by the public
   * page's examples.
   *
   * @param token - the token; surrounding whitespace is ignored, standard or
   *   URL-safe base64 with or without padding
   * @returns the identity, with absent fields left out
   * @throws {@link MalformedTokenError} if it is not base64 of at least 28
   *   bytes, or longer than 8192 characters
   * @throws {@link AuthenticationFailedError} if it was made with another key or changed
   * @throws {@link InvalidPayloadError} if it decrypts to something other than an identity object
   * @throws `TypeError` if `token` is not a string
   */
  decrypt(token: string): UserIdentity

  /** Always `IdentityKey(<redacted>)`. */
  toString(): string

  /** Always `IdentityKey(<redacted>)`, so `JSON.stringify` never shows the secret. */
  toJSON(): string
}

/**
 * Several keys, for rotating the secret without breaking tokens in flight.
 *
 * Encrypts with the first key; decrypts with each key in turn, moving on
 * only when a key fails with {@link AuthenticationFailedError}.
 *
 * @example
 * ```ts
 * const ring = new IdentityKeyring([IdentityKey.fromBase64(newSecret), IdentityKey.fromBase64(oldSecret)])
 * ring.decrypt(tokenMadeWithOldSecret)
 * ```
 */
export declare class IdentityKeyring {
  /**
   * @param keys - the keys, the encrypting one first
   * @throws {@link InvalidSecretError} if `keys` is empty
   * @throws `TypeError` if `keys` is not iterable or holds something other than an {@link IdentityKey}
   */
  constructor(keys: Iterable<IdentityKey>)

  /** The keys, the encrypting one first (a frozen array). */
  readonly keys: readonly IdentityKey[]

  /** Makes a token with the first key. Errors as {@link IdentityKey.encrypt}. */
  encrypt(identity: UserIdentityInput): string

  /** Opens a token with whichever key made it. Errors as {@link IdentityKey.decrypt}. */
  decrypt(token: string): UserIdentity

  /** `IdentityKeyring(<n> keys, <redacted>)`. */
  toString(): string

  /** Same as {@link IdentityKeyring.toString}. */
  toJSON(): string
}

/**
 * Makes a token from the secret text in one call.
 *
 * Parsing the secret expands the AES key each time; a server that makes
 * many tokens should keep one {@link IdentityKey} instead.
 *
 * @throws {@link InvalidSecretError}, {@link InvalidIdentityError}, `TypeError`
 */
export declare function encryptUserToken(secret: string, identity: UserIdentityInput): string

/**
 * Opens a token with the secret text in one call. See {@link IdentityKey.decrypt}.
 *
 * @throws {@link InvalidSecretError}, {@link MalformedTokenError},
 *   {@link AuthenticationFailedError}, {@link InvalidPayloadError}, `TypeError`
 */
export declare function decryptUserToken(secret: string, token: string): UserIdentity

/**
 * The `<script>` tag that loads the chat widget:
 * `<script src="…" data-assistant-id="…" data-user-token="…"></script>`,
 * with every value HTML-attribute-escaped (`& < > " '`). Never refuses
 * text: each lone surrogate in `src`, `assistantId` or `userToken` becomes
 * U+FFFD, the same in every language of the SDK.
 *
 * @param src - the widget script's URL
 * @param assistantId - the assistant's id: a string, a safe integer or a bigint
 *   (of at most 851 bits, the bound of an integer `id`)
 * @param userToken - a token from {@link IdentityKey.encrypt}; without one
 *   (`undefined` or `null`) the tag has no `data-user-token` attribute
 * @throws {@link InvalidIdentityError} for a bigint `assistantId` wider than 851 bits
 * @throws `TypeError` if an argument has the wrong type
 */
export declare function widgetScriptTag(
  src: string,
  assistantId: string | number | bigint,
  userToken?: string | null,
): string

/** The five stable error codes, the same in every language of the SDK. */
export type IdentityTokenErrorCode =
  | 'invalid_secret'
  | 'invalid_identity'
  | 'malformed_token'
  | 'authentication_failed'
  | 'invalid_payload'

/**
 * Base class of every error about secrets, identities and tokens. Catch it
 * to handle them all; test `err.code` or `instanceof` a subclass to tell
 * them apart. No message ever contains a secret, a key or a token.
 */
export declare class IdentityTokenError extends Error {
  /**
   * @param message - what went wrong
   * @param code - the stable error code
   */
  constructor(message: string, code: IdentityTokenErrorCode)
  /** The stable error code. */
  readonly code: IdentityTokenErrorCode
}

/** The secret is not the base64 of exactly 32 bytes, or a keyring is empty (`invalid_secret`). */
export declare class InvalidSecretError extends IdentityTokenError {
  /** @param message - what went wrong */
  constructor(message: string)
  readonly code: 'invalid_secret'
}

/** The identity breaks one of the identity rules (`invalid_identity`). */
export declare class InvalidIdentityError extends IdentityTokenError {
  /** @param message - what went wrong */
  constructor(message: string)
  readonly code: 'invalid_identity'
}

/** The token is not base64 of at least 28 bytes, or is over 8192 characters (`malformed_token`). */
export declare class MalformedTokenError extends IdentityTokenError {
  /** @param message - what went wrong */
  constructor(message: string)
  readonly code: 'malformed_token'
}

/** AES-GCM refused the token: another key, or a changed byte (`authentication_failed`). */
export declare class AuthenticationFailedError extends IdentityTokenError {
  /** @param message - what went wrong */
  constructor(message: string)
  readonly code: 'authentication_failed'
}

/** The token decrypted, but its plaintext is not an identity object (`invalid_payload`). */
export declare class InvalidPayloadError extends IdentityTokenError {
  /** @param message - what went wrong */
  constructor(message: string)
  readonly code: 'invalid_payload'
}
