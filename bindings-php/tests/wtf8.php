<?php
declare(strict_types=1);

/**
 * The bytes a PHP string holds for text given as UTF-16 code units: UTF-8,
 * with each lone surrogate in its 3-byte WTF-8 form (ED A0..BF xx), which is
 * not UTF-8. Used by the PHPUnit suite (vectors) and the cross-language
 * driver (tests/cross/driver_php.php) for {"utf16": [...]} values.
 *
 * @param list<int> $units
 */
function wtf8_from_utf16(array $units): string
{
    $out = '';
    for ($i = 0, $n = count($units); $i < $n; $i++) {
        $u = $units[$i];
        if ($u >= 0xD800 && $u <= 0xDBFF && $i + 1 < $n && $units[$i + 1] >= 0xDC00 && $units[$i + 1] <= 0xDFFF) {
            $u = 0x10000 + (($u - 0xD800) << 10) + ($units[++$i] - 0xDC00);
        }
        $out .= match (true) {
            $u < 0x80 => chr($u),
            $u < 0x800 => chr(0xC0 | $u >> 6) . chr(0x80 | $u & 0x3F),
            $u < 0x10000 => chr(0xE0 | $u >> 12) . chr(0x80 | $u >> 6 & 0x3F) . chr(0x80 | $u & 0x3F),
            default => chr(0xF0 | $u >> 18) . chr(0x80 | $u >> 12 & 0x3F) . chr(0x80 | $u >> 6 & 0x3F) . chr(0x80 | $u & 0x3F),
        };
    }
    return $out;
}
