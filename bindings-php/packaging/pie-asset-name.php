<?php
// The name PIE looks for in a GitHub release, for the PHP that runs this
// script and the extension built for it (run it as
// `php -d extension=<the built extension> pie-asset-name.php`).
//
// {Version} is what PIE calls the package's version: Composer's "pretty"
// version, which for a release read from a Git tag is the tag itself, so
// `v0.2.0` for the tag v0.2.0 (the release pipeline's version check makes
// the tag "v" + the version the extension reports).
//
// Linux and macOS, PIE's `pre-packaged-binary` download
// (src/Platform/PrePackagedBinaryAssetName.php; it also accepts the name
// without the -nts suffix, and .tgz):
//   php_{ExtensionName}-{Version}_php{X.Y}-{Arch}-{OS}-{Libc}-{nts|zts}.zip
// Arch x86_64 or arm64; OS linux or darwin; Libc glibc, musl or bsdlibc
// (Debug omitted: release builds). The archive holds teamweb_identity.so.
//
// Windows, PIE's Windows download (src/Platform/WindowsExtensionAssetName.php,
// docs/extension-maintainers.md "Windows Support"):
//   php_{ExtensionName}-{Version}-{X.Y}-{ts|nts}-{Compiler}-{Arch}.zip
// Compiler from `php -i`'s "PHP Extension Build" (API...,NTS,VS16 -> vs16),
// Arch from its "Architecture" (x64 -> x86_64), all lower case; the archive
// holds the DLL under the same name with .dll, which PIE installs as
// ext\php_{ExtensionName}.dll.
declare(strict_types=1);

$version = phpversion('teamweb_identity');
if ($version === false) {
    fwrite(STDERR, "run with -d extension=<the built extension>\n");
    exit(1);
}
$tag = 'v' . $version;
$php = PHP_MAJOR_VERSION . '.' . PHP_MINOR_VERSION;

if (PHP_OS_FAMILY === 'Windows') {
    ob_start();
    phpinfo(INFO_GENERAL);
    $info = (string) ob_get_clean();
    $compiler = null;
    if (preg_match('/^PHP Extension Build => (\S+)/m', $info, $m)) {
        foreach (explode(',', $m[1]) as $part) {
            if (preg_match('/^V[CS]\d+$/', $part)) {
                $compiler = strtolower($part);
            }
        }
    }
    $arch = preg_match('/^Architecture => (\S+)/m', $info, $m) ? match ($m[1]) {
        'x64', 'x86_64', 'AMD64' => 'x86_64',
        'arm64' => 'arm64',
        default => 'x86',
    } : null;
    if ($compiler === null || $arch === null) {
        fwrite(STDERR, "php -i shows no compiler (PHP Extension Build) or Architecture\n");
        exit(1);
    }
    echo strtolower("php_teamweb_identity-{$tag}-{$php}-" . (PHP_ZTS ? 'ts' : 'nts') . "-{$compiler}-{$arch}") . ".zip\n";
    exit(0);
}

$arch = match (strtolower(php_uname('m'))) {
    'x86_64', 'amd64' => 'x86_64',
    'aarch64', 'arm64' => 'arm64',
    default => strtolower(php_uname('m')),
};
$ts = PHP_ZTS ? 'zts' : 'nts';
[$os, $libc] = match (PHP_OS_FAMILY) {
    'Darwin' => ['darwin', 'bsdlibc'],
    'BSD' => ['bsd', 'bsdlibc'],
    // The libc this PHP process runs on, from its own memory map.
    default => ['linux', str_contains((string) @file_get_contents('/proc/self/maps'), 'ld-musl') ? 'musl' : 'glibc'],
};
echo strtolower("php_teamweb_identity-{$tag}_php{$php}-{$arch}-{$os}-{$libc}-{$ts}") . ".zip\n";
