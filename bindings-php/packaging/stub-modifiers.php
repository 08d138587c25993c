<?php
// The second step of generating teamweb_identity.stub.php: cargo-php's
// stub (stdin) with what its generator leaves out, read from the loaded
// extension by Reflection, so that the stub is valid PHP for static
// analysers: `abstract`/`final` on classes, `abstract` on bodiless methods,
// and no default value on readonly properties (PHP forbids one).
// Run by `make stubs` and `make check-stubs` with -d extension=<the build>.
declare(strict_types=1);

$namespace = '';
$class = null;
$out = [];
foreach (explode("\n", stream_get_contents(STDIN)) as $line) {
    if (preg_match('/^\s*namespace ([\w\\\\]+)/', $line, $m)) {
        $namespace = $m[1];
    } elseif (preg_match('/^(\s*)class (\w+)/', $line, $m)) {
        $class = new ReflectionClass("$namespace\\$m[2]");
        $modifier = $class->isAbstract() ? 'abstract ' : ($class->isFinal() ? 'final ' : '');
        $line = $m[1] . $modifier . ltrim($line);
    } elseif ($class !== null && preg_match('/^(\s*)public (?:static )?function (\w+)\(.*\)[^{]*;$/', $line, $m)
        && $class->getMethod($m[2])->isAbstract()) {
        $line = $m[1] . 'abstract ' . ltrim($line);
    } elseif (preg_match('/^(\s*public readonly [^=;]+ \$\w+) = [^;]+;$/', $line, $m)) {
        $line = "$m[1];";
    }
    $out[] = $line;
}
echo implode("\n", $out);
