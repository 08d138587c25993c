<?php

// Stubs for teamweb_identity

namespace TeamwebIdentity {
    /**
     * AES-GCM refused the token: another key made it, or it was changed (`authentication_failed`).
     */
    final class AuthenticationFailedException extends \TeamwebIdentity\IdentityTokenException {
        public function __construct() {}

        /**
         * The stable error code of this kind.
         *
         * @return string
         */
        public function errorCode(): string {}
    }

    /**
     * An AES-256-GCM identity key, parsed once from the channel's secret.
     *
     * Make one per secret (at start-up, e.g. in a service container) and use
     * it for every token. A key never shows its bytes: `var_dump`, `print_r`,
     * `var_export` and `json_encode` show no property, it cannot be serialised
     * (`serialize()` throws) or cloned, and its 32 bytes and expanded AES/GHASH
     * keys are wiped when it is freed.
     */
    final class IdentityKey {
        public function __construct() {}

        /**
         * Opens a token made with this key.
         *
         * @throws MalformedTokenException|AuthenticationFailedException|InvalidPayloadException
         *
         * @param string $token
         * @return \TeamwebIdentity\UserIdentity
         */
        public function decrypt(string $token): \TeamwebIdentity\UserIdentity {}

        /**
         * A token for this identity, with a fresh nonce from the OS's CSPRNG.
         *
         * @param string|int $id the user's id (an int becomes its decimal text)
         * @param ?string $name optional; null or "" is absent
         * @param ?string $email optional; null or "" is absent
         * @throws InvalidIdentityException
         *
         * @param mixed $id
         * @param string|null $name
         * @param string|null $email
         * @return string
         */
        public function encrypt(mixed $id, ?string $name = null, ?string $email = null): string {}

        /**
         * The key of a secret as the channel's settings page shows it: the
         * base64 of 32 bytes (standard or URL-safe alphabet, padding optional,
         * surrounding whitespace ignored).
         *
         * @throws InvalidSecretException (its message never contains the secret)
         *
         * @param string $secret
         * @return \TeamwebIdentity\IdentityKey
         */
        public static function fromBase64(string $secret): \TeamwebIdentity\IdentityKey {}

        /**
         * A new key from 32 bytes of the operating system's CSPRNG.
         *
         * @return \TeamwebIdentity\IdentityKey
         */
        public static function generate(): \TeamwebIdentity\IdentityKey {}

        /**
         * The secret of this key as padded standard base64 (44 characters).
         * The returned string is a PHP string: PHP does not wipe it.
         *
         * @return string
         */
        public function secretBase64(): string {}
    }

    /**
     * Several keys, for rotating the secret without breaking tokens in flight:
     * encrypts with the first key, decrypts with each key in turn (moving on
     * only when a key's authentication fails). Not serialisable, like a key.
     */
    final class IdentityKeyring {
        /**
         * @param IdentityKey[] $keys the encrypting key first
         * @throws InvalidSecretException when $keys is empty
         *
         * @param array $keys
         */
        public function __construct(array $keys) {}

        /**
         * Opens a token with whichever key made it.
         *
         * @throws MalformedTokenException|AuthenticationFailedException|InvalidPayloadException
         *
         * @param string $token
         * @return \TeamwebIdentity\UserIdentity
         */
        public function decrypt(string $token): \TeamwebIdentity\UserIdentity {}

        /**
         * A token made with the first key. See IdentityKey::encrypt().
         *
         * @param string|int $id
         * @throws InvalidIdentityException
         *
         * @param mixed $id
         * @param string|null $name
         * @param string|null $email
         * @return string
         */
        public function encrypt(mixed $id, ?string $name = null, ?string $email = null): string {}
    }

    /**
     * Any error of this extension: the secret, the identity or the token was
     * refused. `errorCode()` gives the stable code, the same in every language
     * of the SDK; `getMessage()` says what was wrong and never contains a
     * secret, a key or a token.
     */
    abstract class IdentityTokenException extends \RuntimeException {
        public function __construct() {}

        /**
         * The stable error code: `invalid_secret`, `invalid_identity`,
         * `malformed_token`, `authentication_failed` or `invalid_payload`.
         *
         * @return string
         */
        abstract public function errorCode(): string;
    }

    /**
     * The identity breaks an identity rule (`invalid_identity`): empty or over-long id, bad email, control characters, invalid UTF-8.
     */
    final class InvalidIdentityException extends \TeamwebIdentity\IdentityTokenException {
        public function __construct() {}

        /**
         * The stable error code of this kind.
         *
         * @return string
         */
        public function errorCode(): string {}
    }

    /**
     * The token decrypted, but its content is not an identity (`invalid_payload`).
     */
    final class InvalidPayloadException extends \TeamwebIdentity\IdentityTokenException {
        public function __construct() {}

        /**
         * The stable error code of this kind.
         *
         * @return string
         */
        public function errorCode(): string {}
    }

    /**
     * The secret is not the base64 of exactly 32 bytes (`invalid_secret`), or a keyring was given no key.
     */
    final class InvalidSecretException extends \TeamwebIdentity\IdentityTokenException {
        public function __construct() {}

        /**
         * The stable error code of this kind.
         *
         * @return string
         */
        public function errorCode(): string {}
    }

    /**
     * The token is not base64 of at least 28 bytes, or is over 8,192 characters (`malformed_token`).
     */
    final class MalformedTokenException extends \TeamwebIdentity\IdentityTokenException {
        public function __construct() {}

        /**
         * The stable error code of this kind.
         *
         * @return string
         */
        public function errorCode(): string {}
    }

    /**
     * Entry points for tests only.
     */
    final class Testing {
        public function __construct() {}

        /**
         * A token made with the given 12-byte nonce instead of a fresh random
         * one: for conformance tests only. A nonce used twice under one key
         * breaks AES-GCM (anyone can then forge tokens); never use this outside
         * tests.
         *
         * @param string $nonce 12 raw bytes
         * @param string|int $id
         * @throws InvalidIdentityException
         *
         * @param \TeamwebIdentity\IdentityKey $key
         * @param string $nonce
         * @param mixed $id
         * @param string|null $name
         * @param string|null $email
         * @return string
         */
        public static function encryptWithNonce(\TeamwebIdentity\IdentityKey $key, string $nonce, mixed $id, ?string $name = null, ?string $email = null): string {}
    }

    /**
     * Who the visitor is: `id`, and `name` and `email` (null when absent).
     * Read-only. `decrypt()` returns one; `new UserIdentity($id, $name,
     * $email)` builds one (checking that the text is UTF-8; the identity rules
     * are checked when a token is made). `""` is absent, so `==` holds between
     * an identity and its own round trip.
     */
    final class UserIdentity {
        /**
         * The user's email, or null.
         *
         * @var string|null
         */
        public readonly ?string $email;

        /**
         * The user's id, as text (an int id is its decimal text).
         *
         * @var string
         */
        public readonly string $id;

        /**
         * The user's name, or null.
         *
         * @var string|null
         */
        public readonly ?string $name;

        /**
         * @param string|int $id
         * @throws InvalidIdentityException when a field is not UTF-8
         *
         * @param mixed $id
         * @param string|null $name
         * @param string|null $email
         */
        public function __construct(mixed $id, ?string $name = null, ?string $email = null) {}
    }

    /**
     * Opens a token with the secret in one call.
     *
     * @throws InvalidSecretException|MalformedTokenException|AuthenticationFailedException|InvalidPayloadException
     *
     * @param string $secret
     * @param string $token
     * @return \TeamwebIdentity\UserIdentity
     */
    function decryptUserToken(string $secret, string $token): \TeamwebIdentity\UserIdentity {}

    /**
     * A token for this identity from the secret in one call. A server that
     * makes many tokens should keep one IdentityKey instead.
     *
     * @param string|int $id
     * @throws InvalidSecretException|InvalidIdentityException
     *
     * @param string $secret
     * @param mixed $id
     * @param string|null $name
     * @param string|null $email
     * @return string
     */
    function encryptUserToken(string $secret, mixed $id, ?string $name = null, ?string $email = null): string {}

    /**
     * The widget's `<script>` tag, every value HTML-attribute-escaped; no
     * `data-user-token` attribute when $userToken is null. Text that is not
     * UTF-8 is shown with U+FFFD; this never throws for a string.
     *
     * @param string|int $assistantId
     *
     * @param string $src
     * @param mixed $assistantId
     * @param string|null $userToken
     * @return string
     */
    function widgetScriptTag(string $src, mixed $assistantId, ?string $userToken = null): string {}
}
