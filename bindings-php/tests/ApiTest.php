<?php
declare(strict_types=1);

use PHPUnit\Framework\TestCase;
use TeamwebIdentity\AuthenticationFailedException;
use TeamwebIdentity\IdentityKey;
use TeamwebIdentity\IdentityKeyring;
use TeamwebIdentity\IdentityTokenException;
use TeamwebIdentity\InvalidIdentityException;
use TeamwebIdentity\InvalidPayloadException;
use TeamwebIdentity\InvalidSecretException;
use TeamwebIdentity\MalformedTokenException;
use TeamwebIdentity\Testing;
use TeamwebIdentity\UserIdentity;

use function TeamwebIdentity\decryptUserToken;
use function TeamwebIdentity\encryptUserToken;
use function TeamwebIdentity\widgetScriptTag;

/** The PHP API of docs/FORMAT.md section 6: names, errors, keys, the script tag. */
final class ApiTest extends TestCase
{
    private const SECRET = 'q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq80=';

    public function testTheSuiteRunsTheBuiltExtension(): void
    {
        $this->assertTrue(extension_loaded('teamweb_identity'));
        $this->assertSame(realpath(TEAMWEB_PHP_EXT), realpath(TEAMWEB_PHP_EXT));
        $this->assertSame('0.1.0', phpversion('teamweb_identity'));
        $this->assertContains('TeamwebIdentity\\widgetScriptTag', get_extension_funcs('teamweb_identity'));
    }

    public function testRoundTripWithNamedArguments(): void
    {
        $key = IdentityKey::fromBase64(self::SECRET);
        $who = $key->decrypt($key->encrypt('user_123', email: 'alice@example.com'));
        $this->assertSame(['user_123', null, 'alice@example.com'], [$who->id, $who->name, $who->email]);
        $this->assertSame('42', $key->decrypt($key->encrypt(id: 42))->id);
        $this->assertSame(self::SECRET, $key->secretBase64());
        $this->assertSame('u', decryptUserToken(self::SECRET, encryptUserToken(self::SECRET, id: 'u', name: 'N'))->id);
        // "" is absent, in equality too.
        $this->assertEquals(new UserIdentity('u', ''), $key->decrypt($key->encrypt('u', '')));
        $this->assertNull($key->decrypt($key->encrypt('u', '', ''))->name);
        $this->assertNotEquals(new UserIdentity('u', 'a'), new UserIdentity('u', 'b'));
    }

    public function testUserIdentityIsReadOnly(): void
    {
        $who = new UserIdentity(7, 'Ann');
        $this->assertSame('7', $who->id);
        $this->expectException(\Throwable::class);
        $who->id = 'x';
    }

    public function testTheErrorHierarchy(): void
    {
        $classes = [
            InvalidSecretException::class => 'invalid_secret',
            InvalidIdentityException::class => 'invalid_identity',
            MalformedTokenException::class => 'malformed_token',
            AuthenticationFailedException::class => 'authentication_failed',
            InvalidPayloadException::class => 'invalid_payload',
        ];
        $this->assertTrue((new ReflectionClass(IdentityTokenException::class))->isAbstract());
        $this->assertTrue(is_subclass_of(IdentityTokenException::class, \RuntimeException::class));
        foreach (array_keys($classes) as $class) {
            $this->assertTrue(is_subclass_of($class, IdentityTokenException::class), $class);
            $this->assertTrue((new ReflectionClass($class))->isFinal(), $class);
        }
        $key = IdentityKey::generate();
        $other = IdentityKey::generate();
        $calls = [
            InvalidSecretException::class => fn () => IdentityKey::fromBase64('c2hvcnQ='),
            InvalidIdentityException::class => fn () => $key->encrypt('   '),
            MalformedTokenException::class => fn () => $key->decrypt('not base64!'),
            AuthenticationFailedException::class => fn () => $key->decrypt($other->encrypt('u')),
        ];
        // A token whose plaintext is not an identity object, made with openssl.
        $raw = base64_decode($key->secretBase64());
        $nonce = random_bytes(12);
        $ct = openssl_encrypt('[1]', 'aes-256-gcm', $raw, OPENSSL_RAW_DATA, $nonce, $tag);
        $calls[InvalidPayloadException::class] = fn () => $key->decrypt(base64_encode($nonce . $ct . $tag));
        foreach ($calls as $class => $call) {
            try {
                $call();
                $this->fail("$class was not thrown");
            } catch (IdentityTokenException $e) {
                $this->assertInstanceOf($class, $e);
                $this->assertSame($classes[$class], $e->errorCode());
                $this->assertNotSame('', $e->getMessage());
            }
        }
    }

    public function testMessagesAreTheCoresAndNeverEchoTheInput(): void
    {
        try {
            IdentityKey::fromBase64('c2hvcnQ=');
            $this->fail('no error');
        } catch (InvalidSecretException $e) {
            $this->assertSame('invalid secret: it decodes to 5 bytes; the secret must be the base64 of 32 bytes', $e->getMessage());
        }
        $secret = base64_encode(random_bytes(31));
        try {
            IdentityKey::fromBase64($secret);
            $this->fail('no error');
        } catch (InvalidSecretException $e) {
            $this->assertStringNotContainsString($secret, $e->getMessage());
        }
        $key = IdentityKey::generate();
        $token = IdentityKey::generate()->encrypt('u');
        try {
            $key->decrypt($token);
            $this->fail('no error');
        } catch (AuthenticationFailedException $e) {
            $this->assertStringNotContainsString($token, $e->getMessage());
            $this->assertStringNotContainsString(substr($token, 0, 16), (string) $e);
        }
    }

    public function testExceptionsSayWhereTheCallWasWithoutItsArguments(): void
    {
        $secret = base64_encode(random_bytes(31));
        $line = __LINE__ + 2;
        try {
            IdentityKey::fromBase64($secret);
            $this->fail('no error');
        } catch (InvalidSecretException $e) {
            $this->assertSame(__FILE__, $e->getFile());
            $this->assertSame($line, $e->getLine());
            $this->assertSame('TeamwebIdentity\\IdentityKey', $e->getTrace()[0]['class']);
            $this->assertSame('fromBase64', $e->getTrace()[0]['function']);
            $this->assertArrayNotHasKey('args', $e->getTrace()[0]);
            $this->assertStringNotContainsString($secret, (string) $e);
            $this->assertStringNotContainsString($secret, print_r($e->getTrace(), true));
        }
    }

    public function testEmptyKeyringIsInvalidSecret(): void
    {
        try {
            new IdentityKeyring([]);
            $this->fail('no error');
        } catch (InvalidSecretException $e) {
            $this->assertSame('invalid_secret', $e->errorCode());
        }
        $this->expectException(\TypeError::class);
        new IdentityKeyring(['not a key']);
    }

    public function testKeyringRotation(): void
    {
        $old = IdentityKey::generate();
        $new = IdentityKey::generate();
        $ring = new IdentityKeyring([$new, $old]);
        $this->assertSame('u1', $ring->decrypt($old->encrypt('u1'))->id);
        $this->assertSame('u2', $new->decrypt($ring->encrypt('u2', name: 'N'))->id);
        $this->expectException(AuthenticationFailedException::class);
        $ring->decrypt(IdentityKey::generate()->encrypt('u3'));
    }

    public function testKeysNeverShowTheirBytes(): void
    {
        $key = IdentityKey::fromBase64(self::SECRET);
        $ring = new IdentityKeyring([$key]);
        $raw = base64_decode(self::SECRET);
        foreach ([$key, $ring] as $object) {
            ob_start();
            var_dump($object);
            print_r($object);
            var_export($object);
            $shown = ob_get_clean() . json_encode($object) . print_r((array) $object, true);
            foreach ([self::SECRET, $raw, bin2hex($raw), substr(self::SECRET, 0, 12)] as $secret) {
                $this->assertStringNotContainsString($secret, $shown);
            }
            $this->assertSame('{}', json_encode($object));
            try {
                serialize($object);
                $this->fail('a key was serialised');
            } catch (\Exception $e) {
                $this->assertStringContainsString('is not allowed', $e->getMessage());
            }
        }
        $this->expectException(\Error::class);
        $copy = clone $key;
    }

    public function testTypeErrors(): void
    {
        $key = IdentityKey::generate();
        foreach ([1.5, true, null, [], new \stdClass()] as $bad) {
            try {
                $key->encrypt($bad);
                $this->fail('accepted ' . get_debug_type($bad));
            } catch (\TypeError $e) {
                $this->assertStringContainsString('must be of type string|int', $e->getMessage());
            }
        }
        $this->expectException(\ValueError::class);
        Testing::encryptWithNonce($key, 'short', 'u');
    }

    public function testStrictUtf8ForFieldsLenientForSecretsAndTokens(): void
    {
        $key = IdentityKey::generate();
        foreach (["a\xff", "\xed\xa0\x80", "\xc3"] as $bad) {
            try {
                $key->encrypt($bad);
                $this->fail('accepted ' . bin2hex($bad));
            } catch (InvalidIdentityException $e) {
                $this->assertSame('invalid_identity', $e->errorCode());
            }
        }
        $this->expectException(InvalidSecretException::class);
        IdentityKey::fromBase64("\xff" . self::SECRET);
    }

    public function testTokensOverTheCapAreMalformed(): void
    {
        $this->expectException(MalformedTokenException::class);
        IdentityKey::generate()->decrypt(str_repeat('A', 8193));
    }

    public function testWidgetScriptTag(): void
    {
        $this->assertSame(
            '<script src="https://x.test/w.js?a=1&amp;b=2" data-assistant-id="123" data-user-token="tok+/="></script>',
            widgetScriptTag('https://x.test/w.js?a=1&b=2', 123, 'tok+/='),
        );
        $this->assertSame('<script src="/w.js" data-assistant-id="a&quot;b&#x27;"></script>', widgetScriptTag('/w.js', "a\"b'"));
        $this->assertSame(
            '<script src="/w.js" data-assistant-id="9223372036854775807"></script>',
            widgetScriptTag(src: '/w.js', assistantId: PHP_INT_MAX, userToken: null),
        );
        // Ill-formed UTF-8 (and an encoded surrogate, counted once) becomes U+FFFD; never an error.
        $this->assertSame("<script src=\"/\u{FFFD}\u{FFFD}\" data-assistant-id=\"1\"></script>", widgetScriptTag("/\xff\xed\xa0\x80", 1));
    }
}
