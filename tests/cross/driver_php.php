<?php
// Cross-language driver for the PHP extension (tests/cross/PROTOCOL.md).
//
// Reads one JSON request per line on stdin, answers each with one JSON line
// on stdout. Run through tests/cross/driver-php, which loads the built
// extension with -d extension=. The plain peer is PHP's openssl_encrypt /
// openssl_decrypt (aes-256-gcm) over json_encode / json_decode, as a PHP
// backend following the public page would write it.
declare(strict_types=1);

use TeamwebIdentity\IdentityKey;
use TeamwebIdentity\IdentityKeyring;
use TeamwebIdentity\IdentityTokenException;
use TeamwebIdentity\Testing;
use TeamwebIdentity\UserIdentity;

use function TeamwebIdentity\widgetScriptTag;

require_once __DIR__ . '/../../bindings-php/tests/wtf8.php';

final class PeerFailed extends Exception {}
final class Unsupported extends Exception {}

/**
 * A protocol value as PHP: {"utf16": [...]} becomes the bytes a PHP string
 * holds for it (UTF-8, each lone surrogate in its 3-byte WTF-8 form:
 * bindings-php/tests/wtf8.php); {"bigint": "<decimal>"} a PHP int when it
 * fits in one (64 bits), else the answer is {"error": "unsupported"}.
 */
function value(mixed $v): mixed
{
    if (!is_array($v)) {
        return $v;
    }
    if (isset($v['bigint'])) {
        $int = filter_var($v['bigint'], FILTER_VALIDATE_INT);
        if ($int === false) {
            throw new Unsupported('PHP ints are 64-bit');
        }
        return $int;
    }
    return wtf8_from_utf16($v['utf16']);
}

/** @return array{0: mixed, 1: mixed, 2: mixed} */
function fields(array $identity): array
{
    return [value($identity['id'] ?? null), value($identity['name'] ?? null), value($identity['email'] ?? null)];
}

function as_json(UserIdentity $who): array
{
    return ['id' => $who->id, 'name' => $who->name, 'email' => $who->email];
}

function peer_encrypt(string $secret, array $identity): string
{
    $doc = [];
    foreach (['id', 'name', 'email'] as $k) {
        $v = value($identity[$k] ?? null);
        if ($v !== null && $v !== '') {
            $doc[$k] = is_int($v) ? (string) $v : $v;
        }
    }
    try {
        $json = json_encode($doc, JSON_THROW_ON_ERROR);
    } catch (JsonException $e) {
        throw new PeerFailed($e->getMessage());
    }
    $key = base64_decode($secret, true);
    $nonce = random_bytes(12);
    $ciphertext = openssl_encrypt($json, 'aes-256-gcm', (string) $key, OPENSSL_RAW_DATA, $nonce, $tag);
    if ($ciphertext === false) {
        throw new PeerFailed('openssl_encrypt');
    }
    return base64_encode($nonce . $ciphertext . $tag);
}

function peer_decrypt(string $secret, string $token): array
{
    $raw = base64_decode(strtr(trim($token), '-_', '+/'), true);
    if ($raw === false || strlen($raw) < 28) {
        throw new PeerFailed('base64');
    }
    $json = openssl_decrypt(substr($raw, 12, -16), 'aes-256-gcm', (string) base64_decode($secret), OPENSSL_RAW_DATA, substr($raw, 0, 12), substr($raw, -16));
    if ($json === false) {
        throw new PeerFailed('openssl_decrypt');
    }
    $doc = json_decode($json, true, 512, JSON_BIGINT_AS_STRING);
    $id = is_array($doc) ? ($doc['id'] ?? null) : null;
    if (!is_string($id) && !is_int($id)) {
        throw new PeerFailed('bad id');
    }
    $blank = fn ($v) => $v === null || $v === '' ? null : $v;
    return ['id' => (string) $id, 'name' => $blank($doc['name'] ?? null), 'email' => $blank($doc['email'] ?? null)];
}

function handle(array $req): mixed
{
    switch ($req['op']) {
        case 'encrypt_fixed':
            $key = IdentityKey::fromBase64(value($req['secret']));
            return Testing::encryptWithNonce($key, hex2bin($req['nonce']), ...fields($req['identity']));
        case 'encrypt':
            return IdentityKey::fromBase64(value($req['secret']))->encrypt(...fields($req['identity']));
        case 'decrypt':
            return as_json(IdentityKey::fromBase64(value($req['secret']))->decrypt(value($req['token'])));
        case 'secret':
            return IdentityKey::fromBase64(value($req['secret']))->secretBase64();
        case 'script_tag':
            return widgetScriptTag(value($req['src']), value($req['assistant_id']), value($req['token'] ?? null));
        case 'keyring_empty':
            new IdentityKeyring([]);
            return null;
        case 'round_trip':
            $key = IdentityKey::fromBase64(value($req['secret']));
            $opened = $key->decrypt($key->encrypt(...fields($req['identity'])));
            return ['identity' => as_json($opened), 'equal' => new UserIdentity(...fields($req['identity'])) == $opened];
        case 'identity_equal':
            return new UserIdentity(...fields($req['a'])) == new UserIdentity(...fields($req['b']));
        case 'peer_encrypt':
            return peer_encrypt($req['secret'], $req['identity']);
        case 'peer_decrypt':
            return peer_decrypt($req['secret'], $req['token']);
        default:
            throw new TypeError('unknown op');
    }
}

function answer(string $line): array
{
    try {
        return ['ok' => handle(json_decode($line, true, 512, JSON_THROW_ON_ERROR))];
    } catch (IdentityTokenException $e) {
        return ['error' => $e->errorCode(), 'message' => $e->getMessage()];
    } catch (Unsupported) {
        return ['error' => 'unsupported'];
    } catch (PeerFailed) {
        return ['error' => 'peer_failed'];
    } catch (TypeError | ValueError | ArgumentCountError | Error) {
        return ['error' => 'type_error'];
    }
}

while (($line = fgets(STDIN)) !== false) {
    if (trim($line) === '') {
        continue;
    }
    fwrite(STDOUT, json_encode(answer($line), JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_THROW_ON_ERROR) . "\n");
    fflush(STDOUT);
}
