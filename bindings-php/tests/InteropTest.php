<?php
declare(strict_types=1);

use PHPUnit\Framework\TestCase;
use TeamwebIdentity\AuthenticationFailedException;
use TeamwebIdentity\IdentityKey;
use TeamwebIdentity\Testing;
use TeamwebIdentity\UserIdentity;

use function TeamwebIdentity\decryptUserToken;

/**
 * Tokens made by the extension open with PHP's own openssl_decrypt
 * (aes-256-gcm), and tokens made with openssl_encrypt + json_encode (the
 * public page's flow in PHP) open with the extension.
 */
final class InteropTest extends TestCase
{
    private const IDENTITIES = [
        ['id' => 'user_123', 'name' => 'Alice', 'email' => 'alice@example.com'],
        ['id' => 'u2'],
        ['id' => 'Zoë "ZZ" Ünal', 'name' => "漢字 😀 </script> \u{2028}", 'email' => 'zoë@例え.jp'],
        ['id' => 'back\\slash', 'name' => 'quote"d'],
        ['id' => 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'],
    ];

    private IdentityKey $key;
    private string $raw;

    protected function setUp(): void
    {
        $this->key = IdentityKey::generate();
        $this->raw = base64_decode($this->key->secretBase64(), true);
    }

    /** The public page's snippet, in PHP. */
    private function opensslEncrypt(string $plaintext, ?string $nonce = null): string
    {
        $nonce ??= random_bytes(12);
        $ciphertext = openssl_encrypt($plaintext, 'aes-256-gcm', $this->raw, OPENSSL_RAW_DATA, $nonce, $tag, '', 16);
        return base64_encode($nonce . $ciphertext . $tag);
    }

    private function opensslDecrypt(string $token): string|false
    {
        $raw = base64_decode($token, true);
        return openssl_decrypt(substr($raw, 12, -16), 'aes-256-gcm', $this->raw, OPENSSL_RAW_DATA, substr($raw, 0, 12), substr($raw, -16));
    }

    private static function json(array $identity): string
    {
        return json_encode($identity, JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_LINE_TERMINATORS | JSON_THROW_ON_ERROR);
    }

    public function testExtensionTokensOpenWithOpenssl(): void
    {
        foreach (self::IDENTITIES as $identity) {
            $token = $this->key->encrypt(...$identity);
            $plaintext = $this->opensslDecrypt($token);
            $this->assertSame(self::json($identity), $plaintext);
            $this->assertSame(12 + strlen($plaintext) + 16, strlen(base64_decode($token)));
        }
        // An int id is written as a JSON string of its decimal text.
        $this->assertSame('{"id":"42"}', $this->opensslDecrypt($this->key->encrypt(42)));
        $this->assertSame('{"id":"-9223372036854775808"}', $this->opensslDecrypt($this->key->encrypt(PHP_INT_MIN)));
    }

    public function testOpensslTokensOpenWithTheExtension(): void
    {
        foreach (self::IDENTITIES as $identity) {
            $token = $this->opensslEncrypt(self::json($identity));
            $want = new UserIdentity(...$identity);
            $this->assertEquals($want, $this->key->decrypt($token));
            $this->assertEquals($want, decryptUserToken($this->key->secretBase64(), $token));
        }
        // What other encoders write: spacing, \u escapes, integer ids, nulls, extra keys, URL-safe base64.
        $token = $this->opensslEncrypt('{ "email" : null, "id" : 42, "name" : "Zo\u00eb", "extra": [1] }');
        $this->assertEquals(new UserIdentity('42', 'Zoë'), $this->key->decrypt($token));
        $this->assertSame('42', $this->key->decrypt(rtrim(strtr($token, '+/', '-_'), '='))->id);
        // json_encode's defaults (escaped slashes and unicode) too.
        $this->assertEquals(new UserIdentity('a/b', 'é'), $this->key->decrypt($this->opensslEncrypt(json_encode(['id' => 'a/b', 'name' => 'é']))));
    }

    public function testSameNonceSameBytesAsOpenssl(): void
    {
        $nonce = random_bytes(12);
        foreach (self::IDENTITIES as $identity) {
            $this->assertSame(
                $this->opensslEncrypt(self::json($identity), $nonce),
                Testing::encryptWithNonce($this->key, $nonce, ...$identity),
            );
        }
    }

    public function testAChangedByteIsRefused(): void
    {
        $raw = base64_decode($this->key->encrypt('u1'));
        foreach ([0, 12, strlen($raw) - 1] as $i) {
            $bad = $raw;
            $bad[$i] = chr(ord($bad[$i]) ^ 1);
            try {
                $this->key->decrypt(base64_encode($bad));
                $this->fail("byte $i changed, yet the token opened");
            } catch (AuthenticationFailedException $e) {
                $this->assertSame('authentication_failed', $e->errorCode());
            }
        }
    }
}
