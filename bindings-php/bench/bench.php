<?php
// Speed of the teamweb_identity extension against the public page's flow
// written in plain PHP (make -C bindings-php bench), in one process,
// interleaved rounds, median per call.
//
// The peer is the page's example in PHP: per token it decodes the base64
// secret, json_encode's the identity, draws 12 random bytes (random_bytes)
// and encrypts with openssl_encrypt('aes-256-gcm'), then base64-encodes
// nonce || ct || tag; its decrypt decodes the secret and the token, opens it
// with openssl_decrypt and json_decode's it. The extension uses one
// IdentityKey parsed once (its documented use): target >= 2x the peer both
// ways. The one-shot functions, which parse the secret per call like the
// peer, are reported too.
//
// Writes the rows of the bench table to --json (target/bench/php.json).
declare(strict_types=1);

use TeamwebIdentity\IdentityKey;

use function TeamwebIdentity\decryptUserToken;
use function TeamwebIdentity\encryptUserToken;
use function TeamwebIdentity\widgetScriptTag;

const ROUNDS = 11;
const CALLS = 20_000;
const TARGET = 2.0;

$jsonPath = null;
if (($i = array_search('--json', $argv, true)) !== false) {
    $jsonPath = $argv[$i + 1];
}

$key = IdentityKey::generate();
$secret = $key->secretBase64();
[$uid, $name, $email] = ['user_123', 'Alice', 'alice@example.com'];

$peerEncrypt = function () use ($secret, $uid, $name, $email): string {
    $raw = base64_decode($secret);
    $nonce = random_bytes(12);
    $ct = openssl_encrypt(json_encode(['id' => $uid, 'name' => $name, 'email' => $email]), 'aes-256-gcm', $raw, OPENSSL_RAW_DATA, $nonce, $tag);
    return base64_encode($nonce . $ct . $tag);
};
$token = $peerEncrypt();
$peerDecrypt = function () use ($secret, $token): array {
    $raw = base64_decode($token);
    $json = openssl_decrypt(substr($raw, 12, -16), 'aes-256-gcm', base64_decode($secret), OPENSSL_RAW_DATA, substr($raw, 0, 12), substr($raw, -16));
    return json_decode($json, true);
};

$fns = [
    'peer encrypt' => $peerEncrypt,
    'key encrypt' => fn () => $key->encrypt($uid, $name, $email),
    'encryptUserToken' => fn () => encryptUserToken($secret, $uid, $name, $email),
    'peer decrypt' => $peerDecrypt,
    'key decrypt' => fn () => $key->decrypt($token),
    'decryptUserToken' => fn () => decryptUserToken($secret, $token),
    'widgetScriptTag' => fn () => widgetScriptTag('https://teamweb.example/static/js/chat-widget.js', 123, $token),
];

// The two agree before anything is timed.
$opened = $key->decrypt($peerEncrypt());
if ([$opened->id, $opened->name, $opened->email] !== [$uid, $name, $email]) {
    fwrite(STDERR, "the extension cannot open the peer's token\n");
    exit(1);
}
$back = base64_decode($key->encrypt($uid, $name, $email));
$json = openssl_decrypt(substr($back, 12, -16), 'aes-256-gcm', base64_decode($secret), OPENSSL_RAW_DATA, substr($back, 0, 12), substr($back, -16));
if (json_decode((string) $json, true) !== ['id' => $uid, 'name' => $name, 'email' => $email]) {
    fwrite(STDERR, "the peer cannot open the extension's token\n");
    exit(1);
}

function per_call_ns(callable $fn, int $calls): float
{
    $start = hrtime(true);
    for ($i = 0; $i < $calls; $i++) {
        $fn();
    }
    return (hrtime(true) - $start) / $calls;
}

function median(array $values): float
{
    sort($values);
    $n = count($values);
    return $n % 2 ? $values[intdiv($n, 2)] : ($values[$n / 2 - 1] + $values[$n / 2]) / 2;
}

foreach ($fns as $fn) {
    per_call_ns($fn, intdiv(CALLS, 4)); // warm-up
}
$times = array_fill_keys(array_keys($fns), []);
for ($r = 0; $r < ROUNDS; $r++) {
    foreach ($fns as $label => $fn) {
        $times[$label][] = per_call_ns($fn, CALLS);
    }
}
$med = array_map('median', $times);

$ratio = fn (string $peer, string $ours) => $med[$peer] / $med[$ours];
$speed = fn (float $r) => $r >= 1 ? sprintf('%.2fx faster', $r) : sprintf('%.2fx slower', 1 / $r);
$enc = $ratio('peer encrypt', 'key encrypt');
$dec = $ratio('peer decrypt', 'key decrypt');
$enc1 = $ratio('peer encrypt', 'encryptUserToken');
$dec1 = $ratio('peer decrypt', 'decryptUserToken');

printf("PHP %s, %s, teamweb_identity %s; median of %d interleaved rounds of %d calls\n",
    PHP_VERSION, OPENSSL_VERSION_TEXT, phpversion('teamweb_identity'), ROUNDS, CALLS);
foreach ($med as $label => $ns) {
    printf("  %-20s %8.2f us/call\n", $label, $ns / 1000);
}
printf("  encrypt (key kept) vs the page's flow in PHP openssl: %s (target >= %.0fx)\n", $speed($enc), TARGET);
printf("  decrypt (key kept) vs the page's flow in PHP openssl: %s (target >= %.0fx)\n", $speed($dec), TARGET);
printf("  one-shots (secret parsed per call, like the peer): encrypt %s, decrypt %s\n", $speed($enc1), $speed($dec1));

$row = fn (string $metric, string $value, string $target, bool $ok) => ['package' => 'php', 'metric' => $metric, 'value' => $value, 'target' => $target, 'ok' => $ok];
$rows = [
    $row('encrypt vs PHP openssl example (key kept)', $speed($enc), '>= 2x faster', $enc >= TARGET),
    $row('decrypt vs PHP openssl example (key kept)', $speed($dec), '>= 2x faster', $dec >= TARGET),
    $row('encryptUserToken vs PHP openssl example (both parse per call)', $speed($enc1), '(info)', true),
    $row('decryptUserToken vs PHP openssl example (both parse per call)', $speed($dec1), '(info)', true),
    $row('widgetScriptTag', sprintf('%.2f us', $med['widgetScriptTag'] / 1000), '(info)', true),
];
if ($jsonPath !== null) {
    file_put_contents($jsonPath, json_encode($rows, JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES) . "\n");
}
exit(array_reduce($rows, fn ($ok, $r) => $ok && $r['ok'], true) ? 0 : 1);
