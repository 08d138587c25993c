<?php
declare(strict_types=1);

use PHPUnit\Framework\TestCase;
use TeamwebIdentity\IdentityKey;
use TeamwebIdentity\UserIdentity;

/** examples/php served by `php -S` on loopback with the built extension. */
final class ExampleTest extends TestCase
{
    private function freePort(): int
    {
        $server = stream_socket_server('tcp://127.0.0.1:0');
        $port = (int) substr(strrchr(stream_socket_get_name($server, false), ':'), 1);
        fclose($server);
        return $port;
    }

    /** @return array{0: string, 1: array<string>} the body and the headers */
    private function get(string $url): array
    {
        $context = stream_context_create(['http' => ['ignore_errors' => true, 'timeout' => 10]]);
        $body = file_get_contents($url, false, $context);
        return [$body, $http_response_header];
    }

    public function testThePageIdentifiesTheLoggedInUser(): void
    {
        $key = IdentityKey::generate();
        $port = $this->freePort();
        $env = getenv();
        $env['TEAMWEB_IDENTITY_SECRET'] = $key->secretBase64();
        $example = TEAMWEB_REPO . '/examples/php';
        $command = [PHP_BINARY, '-d', 'extension=' . TEAMWEB_PHP_EXT, '-S', "127.0.0.1:$port", "$example/index.php"];
        $server = proc_open($command, [0 => ['pipe', 'r'], 1 => ['file', '/dev/null', 'w'], 2 => ['file', '/dev/null', 'w']], $pipes, $example, $env);
        $this->assertIsResource($server);
        try {
            $url = "http://127.0.0.1:$port/";
            for ($i = 0; $i < 100 && @fsockopen('127.0.0.1', $port) === false; $i++) {
                usleep(50_000);
            }
            $tokens = [];
            foreach ([1, 2] as $_) {
                [$page, $headers] = $this->get($url);
                $this->assertStringContainsString('200', $headers[0]);
                $this->assertContains('Cache-Control: private, no-store', $headers);
                $this->assertMatchesRegularExpression('~<script src="https://teamweb\.example/static/js/chat-widget\.js" data-assistant-id="123" data-user-token="[^"]+"></script>~', $page);
                preg_match('~data-user-token="([^"]*)"~', $page, $m);
                $token = html_entity_decode($m[1], ENT_QUOTES | ENT_HTML5);
                $this->assertEquals(new UserIdentity('4711', "Zoë O'Brien", 'zoe@example.com'), $key->decrypt($token));
                $this->assertStringContainsString('Hello, Zoë O&apos;Brien', $page);
                $tokens[] = $token;
            }
            $this->assertNotSame($tokens[0], $tokens[1], 'each page gets a fresh token');
            [$page] = $this->get("{$url}signed-out");
            $this->assertStringContainsString('<script src="https://teamweb.example/static/js/chat-widget.js" data-assistant-id="123"></script>', $page);
            [, $headers] = $this->get("{$url}nope");
            $this->assertStringContainsString('404', $headers[0]);
        } finally {
            proc_terminate($server);
            proc_close($server);
        }
    }
}
