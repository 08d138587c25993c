<?php
declare(strict_types=1);

use PHPUnit\Framework\TestCase;
use TeamwebIdentity\IdentityKey;

/**
 * PHP-FPM's and pcntl's fork(): a key made before the fork, used in every
 * child, never repeats a nonce (each is read from the OS at the call).
 */
final class ForkTest extends TestCase
{
    public function testForkedChildrenNeverRepeatANonce(): void
    {
        $this->assertTrue(function_exists('pcntl_fork'), 'php-cli has pcntl');
        $key = IdentityKey::generate();
        $key->encrypt('warm-up');
        $children = 4;
        $perChild = 200;
        $pipes = [];
        for ($c = 0; $c < $children; $c++) {
            $pair = stream_socket_pair(STREAM_PF_UNIX, STREAM_SOCK_STREAM, STREAM_IPPROTO_IP);
            $pid = pcntl_fork();
            $this->assertNotSame(-1, $pid);
            if ($pid === 0) {
                fclose($pair[0]);
                $nonces = '';
                for ($i = 0; $i < $perChild; $i++) {
                    $nonces .= substr(base64_decode($key->encrypt("u$i")), 0, 12);
                }
                fwrite($pair[1], $nonces);
                fclose($pair[1]);
                // Leave without running PHPUnit's shutdown in the child.
                posix_kill(getmypid(), SIGKILL);
            }
            fclose($pair[1]);
            $pipes[$pid] = $pair[0];
        }
        $seen = [];
        for ($i = 0; $i < $perChild; $i++) {
            $seen[substr(base64_decode($key->encrypt("p$i")), 0, 12)] = true;
        }
        foreach ($pipes as $pid => $pipe) {
            $nonces = stream_get_contents($pipe);
            fclose($pipe);
            pcntl_waitpid($pid, $status);
            $this->assertSame(12 * $perChild, strlen($nonces));
            foreach (str_split($nonces, 12) as $nonce) {
                $seen[$nonce] = true;
            }
        }
        $this->assertCount(($children + 1) * $perChild, $seen, 'a nonce repeated across fork()');
    }
}
