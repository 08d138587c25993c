<?php
declare(strict_types=1);

use PHPUnit\Framework\TestCase;
use TeamwebIdentity\IdentityKey;
use TeamwebIdentity\IdentityTokenException;
use TeamwebIdentity\Testing;

use function TeamwebIdentity\decryptUserToken;
use function TeamwebIdentity\encryptUserToken;

/** Every conformance vector of tests/vectors/vectors.json. */
final class VectorsTest extends TestCase
{
    private static function errorCode(callable $call): string
    {
        try {
            $call();
        } catch (IdentityTokenException $e) {
            return $e->errorCode();
        }
        return 'no error';
    }

    public function testValidVectorsMakeTheSameBytesAndOpen(): void
    {
        $valid = vectors()['valid'];
        $this->assertGreaterThan(40, count($valid));
        foreach ($valid as $v) {
            $key = IdentityKey::fromBase64($v['secret']);
            [$id, $name, $email] = identity($v['identity']);
            $token = Testing::encryptWithNonce($key, hex2bin($v['nonce']), $id, $name, $email);
            $this->assertSame($v['token'], $token, $v['name']);
            $want = $v['decrypted'];
            $opened = $key->decrypt($v['token']);
            $this->assertSame([$want['id'], $want['name'], $want['email']], [$opened->id, $opened->name, $opened->email], $v['name']);
            // Named arguments and the random-nonce path open to the same identity.
            $again = $key->decrypt($key->encrypt(id: $id, email: $email, name: $name));
            $this->assertEquals($opened, $again, $v['name']);
            $this->assertEquals($opened, decryptUserToken($v['secret'], encryptUserToken($v['secret'], $id, $name, $email)));
        }
    }

    public function testInvalidIdentitiesAreRefusedWithTheirCode(): void
    {
        $key = IdentityKey::generate();
        foreach (vectors()['invalid_identities'] as $v) {
            [$id, $name, $email] = identity($v['identity']);
            $this->assertSame($v['code'], self::errorCode(fn () => $key->encrypt($id, $name, $email)), $v['name']);
            $this->assertSame($v['code'], self::errorCode(
                fn () => Testing::encryptWithNonce($key, str_repeat("\1", 12), $id, $name, $email),
            ), $v['name']);
        }
    }

    public function testInvalidSecretsAreRefused(): void
    {
        foreach (vectors()['invalid_secrets'] as $v) {
            $secret = text($v['secret']);
            $this->assertSame($v['code'], self::errorCode(fn () => IdentityKey::fromBase64($secret)), $v['name']);
            $this->assertSame($v['code'], self::errorCode(fn () => encryptUserToken($secret, 'u1')), $v['name']);
        }
    }

    public function testSecretSpellingsParseToTheSameKey(): void
    {
        foreach (vectors()['secret_spellings'] as $v) {
            $this->assertSame($v['secret_base64'], IdentityKey::fromBase64(text($v['secret']))->secretBase64(), $v['name']);
        }
    }

    public function testInvalidTokensAreRefusedWithTheirCode(): void
    {
        foreach (vectors()['invalid_tokens'] as $v) {
            $key = IdentityKey::fromBase64($v['secret']);
            $token = text($v['token']);
            $this->assertSame($v['code'], self::errorCode(fn () => $key->decrypt($token)), $v['name']);
            $this->assertSame($v['code'], self::errorCode(fn () => decryptUserToken($v['secret'], $token)), $v['name']);
        }
    }

    public function testForeignTokensOpen(): void
    {
        foreach (vectors()['foreign_tokens'] as $v) {
            $want = $v['decrypted'];
            $opened = IdentityKey::fromBase64($v['secret'])->decrypt(text($v['token']));
            $this->assertSame([$want['id'], $want['name'], $want['email']], [$opened->id, $opened->name, $opened->email], $v['name']);
        }
    }
}
