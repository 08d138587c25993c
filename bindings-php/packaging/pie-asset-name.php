<?php
// The name PIE's `pre-packaged-binary` download looks for, for the PHP that
// runs this script and the extension built for it (docs of PIE's
// download-url-method):
//   php_{ExtensionName}-{Version}_php{X.Y}-{Arch}-{OS}-{Libc}-{TSMode}.zip
// (Debug omitted: release builds). Arch is x86_64 or arm64; OS linux or
// darwin; Libc glibc, musl or bsdlibc; TSMode nts or zts. Windows is named
// as PIE names Windows DLL archives (the PECL convention):
//   php_{ExtensionName}-{Version}-{X.Y}-{ts|nts}-{compiler}-{arch}.zip
declare(strict_types=1);

$version = phpversion('teamweb_identity');
if ($version === false) {
    fwrite(STDERR, "run with -d extension=<the built extension>\n");
    exit(1);
}
$php = PHP_MAJOR_VERSION . '.' . PHP_MINOR_VERSION;
$arch = match (strtolower(php_uname('m'))) {
    'x86_64', 'amd64' => 'x86_64',
    'aarch64', 'arm64' => 'arm64',
    default => strtolower(php_uname('m')),
};
$ts = PHP_ZTS ? 'zts' : 'nts';
if (PHP_OS_FAMILY === 'Windows') {
    // PHP_EXTRA_VERSION-free compiler tag, e.g. "vs16", as PHP's own Windows builds report it.
    $compiler = preg_match('/Visual C\+\+ (\d+)/', php_uname() . ' ' . (ini_get('php.compiler') ?: ''), $m) ? 'vs' . $m[1] : 'vs16';
    echo "php_teamweb_identity-{$version}-{$php}-" . (PHP_ZTS ? 'ts' : 'nts') . "-{$compiler}-{$arch}.zip\n";
    exit(0);
}
[$os, $libc] = match (PHP_OS_FAMILY) {
    'Darwin' => ['darwin', 'bsdlibc'],
    'BSD' => ['bsd', 'bsdlibc'],
    // The libc this PHP process runs on, from its own memory map.
    default => ['linux', str_contains((string) @file_get_contents('/proc/self/maps'), 'ld-musl') ? 'musl' : 'glibc'],
};
echo "php_teamweb_identity-{$version}_php{$php}-{$arch}-{$os}-{$libc}-{$ts}.zip\n";
