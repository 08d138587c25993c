<?php
declare(strict_types=1);

// The suite runs against the extension as a user loads it:
// php -d extension=<TEAMWEB_PHP_EXT> (the Makefile does this).
$ext = getenv('TEAMWEB_PHP_EXT');
if (!extension_loaded('teamweb_identity')) {
    fwrite(STDERR, "the teamweb_identity extension is not loaded; run: make -C bindings-php test\n");
    exit(1);
}
$loaded = (new ReflectionExtension('teamweb_identity'))->getName();
if ($ext === false || !is_file($ext)) {
    fwrite(STDERR, "TEAMWEB_PHP_EXT must name the built extension\n");
    exit(1);
}
define('TEAMWEB_REPO', getenv('TEAMWEB_REPO') ?: dirname(__DIR__, 2));
define('TEAMWEB_PHP_EXT', $ext);

/** The conformance vectors, tests/vectors/vectors.json. */
function vectors(): array
{
    static $vectors = null;
    return $vectors ??= json_decode(
        file_get_contents(TEAMWEB_REPO . '/tests/vectors/vectors.json'),
        true,
        512,
        JSON_THROW_ON_ERROR,
    );
}

require_once __DIR__ . '/wtf8.php';

/** A vector's text value: a string, or {"utf16": [code units]} as PHP bytes. */
function text(mixed $value): mixed
{
    return is_array($value) ? wtf8_from_utf16($value['utf16']) : $value;
}

/** A vector's identity as [$id, $name, $email]. */
function identity(array $identity): array
{
    return [text($identity['id']), text($identity['name'] ?? null), text($identity['email'] ?? null)];
}
