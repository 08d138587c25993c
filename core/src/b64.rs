//! Base64 as the SPEC reads it: the standard or the URL-safe alphabet (not
//! both in one text), padding optional, but padding that is present must be
//! the right amount, and the unused low bits of the last character must be
//! zero (so every byte string has exactly two accepted spellings per
//! alphabet).
//!
//! Written for short texts (a token is about 100 characters), where
//! general-purpose engines spend most of their time on set-up. Where the CPU
//! has SSSE3 (every x86-64 CPU since about 2008), whole blocks go through
//! vector loops (12 bytes to 16 characters and back, with no table in
//! memory; W. Mula and D. Lemire, "Faster Base64 Encoding and Decoding
//! Using AVX2 Instructions", 2018, in their 128-bit form); table-driven
//! scalar loops do the rest, and every refusal, so its reason and position
//! come from one place. The tests check the vector loops against the scalar
//! ones and both against the `base64` crate. The secret has its own
//! constant-time codec (`secret_b64`).

/// Why a text is not base64. Never carries the text itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Problem {
    Empty,
    /// A character outside the alphabet, at this character position.
    InvalidCharacter(usize),
    MixedAlphabets,
    BadPadding,
    /// The length cannot be base64 (a lone final character).
    BadLength,
    /// The last character has non-zero unused bits.
    TrailingBits,
}

impl Problem {
    pub(crate) fn describe(self) -> String {
        match self {
            Problem::Empty => "it is empty".to_owned(),
            Problem::InvalidCharacter(at) => format!(
                "it is not base64: character {} is outside the base64 alphabet",
                at + 1
            ),
            Problem::MixedAlphabets => {
                "it is not base64: it mixes the standard (+/) and URL-safe (-_) alphabets".to_owned()
            }
            Problem::BadPadding => "it is not base64: its '=' padding is wrong".to_owned(),
            Problem::BadLength => "it is not base64: its length is impossible for base64".to_owned(),
            Problem::TrailingBits => {
                "it is not base64: its last character has non-zero unused bits".to_owned()
            }
        }
    }
}

const STANDARD: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const URL_SAFE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const INVALID: u8 = 0xff;

const fn decode_table(alphabet: &[u8; 64]) -> [u8; 256] {
    let mut table = [INVALID; 256];
    let mut i = 0;
    while i < 64 {
        table[alphabet[i] as usize] = i as u8;
        i += 1;
    }
    table
}

/// Two output characters for every 12-bit value: half the lookups of one
/// table per character.
static PAIRS: [[u8; 2]; 4096] = {
    let mut table = [[0u8; 2]; 4096];
    let mut i = 0;
    while i < 4096 {
        table[i] = [STANDARD[i >> 6], STANDARD[i & 63]];
        i += 1;
    }
    table
};

static DECODE_STANDARD: [u8; 256] = decode_table(STANDARD);
static DECODE_URL_SAFE: [u8; 256] = decode_table(URL_SAFE);

/// Padded standard base64, the form every token takes (tokens are encoded
/// with [`encode_into`]; the secret with `secret_b64`, in constant time).
#[cfg(test)]
fn encode(bytes: &[u8]) -> String {
    let mut out = Vec::new();
    encode_into(bytes, &mut out);
    // Every byte written is ASCII.
    String::from_utf8(out).unwrap_or_default()
}

/// [`encode`] into `out`, replacing what it held.
pub(crate) fn encode_into(bytes: &[u8], out: &mut Vec<u8>) {
    out.clear();
    // Zero-filled (a plain memset), then every byte is written below.
    out.resize(bytes.len().div_ceil(3) * 4, 0);
    let done = vector::encode_prefix(bytes, out);
    encode_scalar(&bytes[done..], &mut out[done / 3 * 4..]);
}

/// Encodes `bytes` into `out`, which holds exactly the encoded length.
fn encode_scalar(bytes: &[u8], out: &mut [u8]) {
    let full = bytes.len() / 3;
    for (src, dst) in bytes.chunks_exact(3).zip(out.chunks_exact_mut(4)) {
        let n = usize::from(src[0]) << 16 | usize::from(src[1]) << 8 | usize::from(src[2]);
        let (hi, lo) = (PAIRS[n >> 12], PAIRS[n & 0xfff]);
        dst.copy_from_slice(&[hi[0], hi[1], lo[0], lo[1]]);
    }
    let tail = &mut out[full * 4..];
    match bytes[full * 3..] {
        [a] => tail.copy_from_slice(&[STANDARD[usize::from(a >> 2)], STANDARD[usize::from(a & 3) << 4], b'=', b'=']),
        [a, b] => tail.copy_from_slice(&[
            STANDARD[usize::from(a >> 2)],
            STANDARD[usize::from(a & 3) << 4 | usize::from(b >> 4)],
            STANDARD[usize::from(b & 15) << 2],
            b'=',
        ]),
        _ => {}
    }
}

/// SSSE3 loops: encoding 12 bytes to 16 characters per step (a token of 96
/// bytes takes 7 steps, and the scalar loop does the last 12 bytes), and
/// decoding back, each step checking its 16 characters first.
#[cfg(target_arch = "x86_64")]
mod vector {
    use std::arch::x86_64::{
        __m128i, _mm_add_epi8, _mm_and_si128, _mm_cmpeq_epi8, _mm_cmpgt_epi8, _mm_loadu_si128, _mm_madd_epi16,
        _mm_maddubs_epi16, _mm_movemask_epi8, _mm_mulhi_epu16, _mm_mullo_epi16, _mm_or_si128, _mm_set1_epi32,
        _mm_set1_epi8, _mm_setr_epi8, _mm_setzero_si128, _mm_shuffle_epi8, _mm_srli_epi32, _mm_storeu_si128,
        _mm_subs_epu8,
    };

    /// Encodes the longest prefix of `bytes` that the vector loop can take
    /// (steps of 12 bytes, each reading 16) into the start of `out`, and
    /// returns its length in bytes (a multiple of 3).
    pub(super) fn encode_prefix(bytes: &[u8], out: &mut [u8]) -> usize {
        if bytes.len() < 16 || !std::is_x86_feature_detected!("ssse3") {
            return 0;
        }
        // SAFETY: the CPU has SSSE3 (checked just above).
        unsafe { encode_ssse3(bytes, out) }
    }

    /// # Safety
    /// The CPU must support SSSE3.
    #[target_feature(enable = "ssse3")]
    unsafe fn encode_ssse3(bytes: &[u8], out: &mut [u8]) -> usize {
        let mut done = 0;
        // SAFETY: every load reads the 16 bytes of `src` and every store
        // writes the 16 bytes of `dst`, both slices of exactly that length;
        // the rest are register operations the CPU supports.
        unsafe {
            // Each 32-bit lane gets the bytes b1 b0 b2 b1 of one 3-byte group.
            let spread = _mm_setr_epi8(1, 0, 2, 1, 4, 3, 5, 4, 7, 6, 8, 7, 10, 9, 11, 10);
            // Character = index + offset, the offset chosen by the range of
            // the index: [0] 26..=51, [1..=10] 52..=61, [11] 62, [12] 63, [13] 0..=25.
            let offsets = _mm_setr_epi8(71, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -19, -16, 65, 0, 0);
            while let (Some(src), Some(dst)) = (bytes.get(done..done + 16), out.get_mut(done / 3 * 4..done / 3 * 4 + 16)) {
                let input = _mm_shuffle_epi8(_mm_loadu_si128(src.as_ptr().cast::<__m128i>()), spread);
                // Index a (bits 15..10 of the low word) and c (bits 11..6 of
                // the high word) shifted down to bytes 0 and 2...
                let ac = _mm_mulhi_epu16(_mm_and_si128(input, _mm_set1_epi32(0x0fc0_fc00)), _mm_set1_epi32(0x0400_0040));
                // ...and b (bits 9..4, low word) and d (bits 5..0, high word) up to bytes 1 and 3.
                let bd = _mm_mullo_epi16(_mm_and_si128(input, _mm_set1_epi32(0x003f_03f0)), _mm_set1_epi32(0x0100_0010));
                let indices = _mm_or_si128(ac, bd);
                let mut range = _mm_subs_epu8(indices, _mm_set1_epi8(51));
                let below_26 = _mm_cmpgt_epi8(_mm_set1_epi8(26), indices);
                range = _mm_or_si128(range, _mm_and_si128(below_26, _mm_set1_epi8(13)));
                let chars = _mm_add_epi8(indices, _mm_shuffle_epi8(offsets, range));
                _mm_storeu_si128(dst.as_mut_ptr().cast::<__m128i>(), chars);
                done += 12;
            }
        }
        done
    }

    /// Decodes the longest prefix of `chars` made of whole 16-character
    /// blocks of the standard alphabet (no padding) into the start of
    /// `out`, writing 16 bytes a block (12 decoded, 4 zeros that the next
    /// block or the caller's table loop overwrites); returns its length in
    /// characters (a multiple of 16).
    pub(super) fn decode_prefix(chars: &[u8], out: &mut [u8]) -> usize {
        if chars.len() < 16 || !std::is_x86_feature_detected!("ssse3") {
            return 0;
        }
        // SAFETY: the CPU has SSSE3 (checked just above).
        unsafe { decode_ssse3(chars, out) }
    }

    /// # Safety
    /// The CPU must support SSSE3.
    #[target_feature(enable = "ssse3")]
    unsafe fn decode_ssse3(chars: &[u8], out: &mut [u8]) -> usize {
        let mut done = 0;
        // SAFETY: every load reads the 16 bytes of `src` and every store
        // writes the 16 bytes of `dst`, both slices of exactly that length;
        // the rest are register operations the CPU supports.
        unsafe {
            // A character is in the alphabet when the classes of its low and
            // high nibbles share no bit: bit 4 is "never" (control, `@`...,
            // non-ASCII), bits 0-3 the allowed low nibbles of 0x2_, 0x3_,
            // 0x4_/0x6_, 0x5_/0x7_ (`+/`, digits, `A-O a-o`, `P-Z p-z`).
            let class_lo = _mm_setr_epi8(0x15, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x13, 0x1a, 0x1b, 0x1b, 0x1b, 0x1a);
            let class_hi = _mm_setr_epi8(0x10, 0x10, 0x01, 0x02, 0x04, 0x08, 0x04, 0x08, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10);
            // Value = character + offset by high nibble; `/` (0x2f) takes
            // slot 1, `+` slot 2.
            let offsets = _mm_setr_epi8(0, 16, 19, 4, -65, -65, -71, -71, 0, 0, 0, 0, 0, 0, 0, 0);
            // The three bytes of each 32-bit lane, big-endian, packed to the front.
            let pack = _mm_setr_epi8(2, 1, 0, 6, 5, 4, 10, 9, 8, 14, 13, 12, -1, -1, -1, -1);
            let low_nibble = _mm_set1_epi8(0x0f);
            while let (Some(src), Some(dst)) = (chars.get(done..done + 16), out.get_mut(done / 4 * 3..done / 4 * 3 + 16)) {
                let input = _mm_loadu_si128(src.as_ptr().cast::<__m128i>());
                let hi = _mm_and_si128(_mm_srli_epi32(input, 4), low_nibble);
                let lo = _mm_and_si128(input, low_nibble);
                let clash = _mm_and_si128(_mm_shuffle_epi8(class_lo, lo), _mm_shuffle_epi8(class_hi, hi));
                if _mm_movemask_epi8(_mm_cmpgt_epi8(clash, _mm_setzero_si128())) != 0 {
                    break;
                }
                let slash = _mm_cmpeq_epi8(input, _mm_set1_epi8(0x2f));
                let values = _mm_add_epi8(input, _mm_shuffle_epi8(offsets, _mm_add_epi8(hi, slash)));
                // Four 6-bit values to two 12-bit halves, then to 24 bits a lane.
                let halves = _mm_maddubs_epi16(values, _mm_set1_epi32(0x0140_0140));
                let lanes = _mm_madd_epi16(halves, _mm_set1_epi32(0x0001_1000));
                _mm_storeu_si128(dst.as_mut_ptr().cast::<__m128i>(), _mm_shuffle_epi8(lanes, pack));
                done += 16;
            }
        }
        done
    }
}

/// Other targets: the scalar loops do it all.
#[cfg(not(target_arch = "x86_64"))]
mod vector {
    pub(super) fn encode_prefix(_bytes: &[u8], _out: &mut [u8]) -> usize {
        0
    }

    pub(super) fn decode_prefix(_chars: &[u8], _out: &mut [u8]) -> usize {
        0
    }
}

/// How many bytes `text` decodes to at most.
pub(crate) fn decoded_len_bound(text: &str) -> usize {
    text.len() / 4 * 3 + 3
}

/// Decodes `text` (already trimmed by the caller) into `out`, which must
/// have room for [`decoded_len_bound`] bytes; returns the length written.
pub(crate) fn decode_to_slice(text: &str, out: &mut [u8]) -> Result<usize, Problem> {
    decode_to_slice_via(text, out, vector::decode_prefix)
}

/// [`decode_to_slice`] with `prefix` as the vector loop (the tests also run
/// it with none, to check the two agree).
fn decode_to_slice_via(text: &str, out: &mut [u8], prefix: fn(&[u8], &mut [u8]) -> usize) -> Result<usize, Problem> {
    let bytes = text.as_bytes();
    if bytes.is_empty() {
        return Err(Problem::Empty);
    }
    let pad = bytes.iter().rev().take(2).take_while(|&&b| b == b'=').count();
    if pad > 0 && bytes.len() % 4 != 0 {
        return Err(Problem::BadPadding);
    }
    let body = &bytes[..bytes.len() - pad];
    let out = out.get_mut(..decoded_len_bound(text)).ok_or(Problem::BadLength)?;
    // Whole blocks of standard-alphabet characters go through the vector
    // loop, which stops at the first block holding anything else; the table
    // loop reads (and, if need be, explains) the rest.
    let skip = prefix(body, out);
    let standard = decode_with(&DECODE_STANDARD, &body[skip..], pad, &mut out[skip / 4 * 3..])
        .map(|n| skip / 4 * 3 + n)
        .map_err(|stop| match stop {
            Stop::Invalid(at) => Stop::Invalid(skip + at),
            other => other,
        });
    // Standard alphabet first; a URL-safe character switches to the other
    // table, where a standard-only character then means a mixed text.
    let at = match standard {
        Err(Stop::Invalid(at)) if matches!(bytes[at], b'-' | b'_') => match decode_with(&DECODE_URL_SAFE, body, pad, out) {
            Err(Stop::Invalid(at)) if matches!(bytes[at], b'+' | b'/') => return Err(Problem::MixedAlphabets),
            other => other,
        },
        other => other,
    };
    at.map_err(|stop| match stop {
        Stop::Problem(p) => p,
        Stop::Invalid(at) if bytes[at] == b'=' => Problem::BadPadding,
        Stop::Invalid(at) => Problem::InvalidCharacter(text[..at].chars().count()),
    })
}

enum Stop {
    /// The byte at this index is not in the alphabet.
    Invalid(usize),
    Problem(Problem),
}

fn decode_with(table: &[u8; 256], body: &[u8], pad: usize, out: &mut [u8]) -> Result<usize, Stop> {
    let full = body.len() / 4;
    // Two quads (8 characters, 6 bytes) a step while they last.
    let pairs = full / 2;
    for i in 0..pairs {
        let q = &body[i * 8..i * 8 + 8];
        let v = [
            table[usize::from(q[0])], table[usize::from(q[1])], table[usize::from(q[2])], table[usize::from(q[3])],
            table[usize::from(q[4])], table[usize::from(q[5])], table[usize::from(q[6])], table[usize::from(q[7])],
        ];
        // Valid values are below 64; INVALID has the top bits set.
        if v.iter().fold(0, |acc, &x| acc | x) >= 64 {
            let at = i * 8 + v.iter().position(|&x| x == INVALID).unwrap_or(0);
            return Err(Stop::Invalid(at));
        }
        let n = v.iter().fold(0u64, |acc, &x| acc << 6 | u64::from(x));
        out[i * 6..i * 6 + 6].copy_from_slice(&n.to_be_bytes()[2..]);
    }
    if full % 2 == 1 {
        let at = pairs * 8;
        let q = &body[at..at + 4];
        let v = [table[usize::from(q[0])], table[usize::from(q[1])], table[usize::from(q[2])], table[usize::from(q[3])]];
        if (v[0] | v[1] | v[2] | v[3]) >= 64 {
            return Err(Stop::Invalid(at + v.iter().position(|&x| x == INVALID).unwrap_or(0)));
        }
        let n = v.iter().fold(0u32, |acc, &x| acc << 6 | u32::from(x));
        out[pairs * 6..pairs * 6 + 3].copy_from_slice(&n.to_be_bytes()[1..]);
    }
    let written = full * 3;
    let rest = &body[full * 4..];
    let mut values = [0u8; 3];
    for (k, &ch) in rest.iter().enumerate() {
        values[k] = table[usize::from(ch)];
        if values[k] == INVALID {
            return Err(Stop::Invalid(full * 4 + k));
        }
    }
    let tail: &[u8] = match (rest.len(), pad) {
        (0, 0) => &[],
        (2, 0 | 2) if values[1] & 15 != 0 => return Err(Stop::Problem(Problem::TrailingBits)),
        (2, 0 | 2) => &[values[0] << 2 | values[1] >> 4],
        (3, 0 | 1) if values[2] & 3 != 0 => return Err(Stop::Problem(Problem::TrailingBits)),
        (3, 0 | 1) => &[values[0] << 2 | values[1] >> 4, values[1] << 4 | values[2] >> 2],
        (1, 0) => return Err(Stop::Problem(Problem::BadLength)),
        _ => return Err(Stop::Problem(Problem::BadPadding)),
    };
    let dst = out.get_mut(written..written + tail.len()).ok_or(Stop::Problem(Problem::BadLength))?;
    dst.copy_from_slice(tail);
    Ok(written + tail.len())
}

/// Decodes `text` into a new vector.
pub(crate) fn decode_into(text: &str, out: &mut Vec<u8>) -> Result<(), Problem> {
    let start = out.len();
    out.resize(start + decoded_len_bound(text), 0);
    let n = decode_to_slice(text, &mut out[start..]);
    out.truncate(start + *n.as_ref().unwrap_or(&0));
    n.map(drop)
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
    use base64::engine::DecodePaddingMode;
    use base64::Engine as _;
    use proptest::prelude::*;

    fn dec(s: &str) -> Result<Vec<u8>, Problem> {
        let mut v = Vec::new();
        decode_into(s, &mut v).map(|_| v)
    }

    #[test]
    fn spellings() {
        assert_eq!(dec("+/8=").unwrap(), vec![0xfb, 0xff]);
        assert_eq!(dec("+/8").unwrap(), vec![0xfb, 0xff]);
        assert_eq!(dec("-_8=").unwrap(), vec![0xfb, 0xff]);
        assert_eq!(dec("-_8").unwrap(), vec![0xfb, 0xff]);
        assert_eq!(dec("QQ==").unwrap(), b"A");
        assert_eq!(dec("QQ").unwrap(), b"A");
        assert_eq!(encode(b""), "");
        assert_eq!(encode(b"A"), "QQ==");
        assert_eq!(encode(b"AB"), "QUI=");
        assert_eq!(encode(b"ABC"), "QUJD");
    }

    #[test]
    fn refusals() {
        assert_eq!(dec(""), Err(Problem::Empty));
        assert_eq!(dec("QQ="), Err(Problem::BadPadding));
        assert_eq!(dec("QQ==="), Err(Problem::BadPadding));
        assert_eq!(dec("QQ=A"), Err(Problem::BadPadding));
        assert_eq!(dec("Q==="), Err(Problem::BadPadding));
        assert_eq!(dec("QUJD===="), Err(Problem::BadPadding));
        assert_eq!(dec("QR=="), Err(Problem::TrailingBits));
        assert_eq!(dec("QR"), Err(Problem::TrailingBits));
        assert_eq!(dec("QUK"), Err(Problem::TrailingBits));
        assert_eq!(dec("Q"), Err(Problem::BadLength));
        assert_eq!(dec("QUJDQ"), Err(Problem::BadLength));
        assert_eq!(dec("+-AA"), Err(Problem::MixedAlphabets));
        assert_eq!(dec("ab*d"), Err(Problem::InvalidCharacter(2)));
        assert_eq!(dec("aé*d"), Err(Problem::InvalidCharacter(1)));
        assert_eq!(dec("ab d"), Err(Problem::InvalidCharacter(2)));
        assert_eq!(dec("===="), Err(Problem::BadPadding));
    }

    /// Every 6-bit value in every position of a vector step, at every
    /// length around the step boundaries.
    #[test]
    fn vector_encoder_covers_the_alphabet() {
        for len in 0..=64 {
            for shift in 0..64u32 {
                // Bytes whose 6-bit groups run through all 64 values.
                let bytes: Vec<u8> = (0..len as u32).map(|i| ((i * 97 + shift * 13) % 256) as u8).collect();
                let mut ours = Vec::new();
                encode_into(&bytes, &mut ours);
                assert_eq!(ours, base64::engine::general_purpose::STANDARD.encode(&bytes).into_bytes(), "len {len}");
            }
        }
        let all: Vec<u8> = (0..=255).collect();
        assert_eq!(encode(&all), base64::engine::general_purpose::STANDARD.encode(&all));
        // Runs of one byte reach both ends of the alphabet ('A', '/').
        for byte in [0x00, 0xff, 0xfb, 0xef, 0xbe] {
            let bytes = vec![byte; 60];
            assert_eq!(encode(&bytes), base64::engine::general_purpose::STANDARD.encode(&bytes));
        }
    }

    /// The table loop alone.
    fn dec_scalar(s: &str) -> Result<Vec<u8>, Problem> {
        let mut v = vec![0; decoded_len_bound(s)];
        decode_to_slice_via(s, &mut v, |_, _| 0).map(|n| v[..n].to_vec())
    }

    #[test]
    fn vector_decoder_covers_every_byte_in_every_lane() {
        let text = base64::engine::general_purpose::STANDARD.encode((0..=255u8).cycle().take(96).collect::<Vec<u8>>());
        assert_eq!(dec(&text), dec_scalar(&text));
        for lane in 0..16 {
            for byte in 0..=255u8 {
                let mut t = text.clone().into_bytes();
                t[16 + lane] = byte;
                if let Ok(t) = String::from_utf8(t) {
                    assert_eq!(dec(&t), dec_scalar(&t), "{t}");
                }
            }
        }
    }

    #[cfg(target_arch = "x86_64")]
    #[test]
    fn vector_decoder_runs_on_this_machine() {
        if std::is_x86_feature_detected!("ssse3") {
            let text = [b'A'; 40];
            // Two blocks (the second's store ends at byte 28 of 30), 8 left.
            assert_eq!(vector::decode_prefix(&text, &mut [0; 30]), 32);
            assert_eq!(vector::decode_prefix(&text, &mut [0; 27]), 16);
            let mut mixed = text;
            mixed[20] = b'-';
            assert_eq!(vector::decode_prefix(&mixed, &mut [0; 30]), 16);
        }
    }

    #[cfg(target_arch = "x86_64")]
    #[test]
    fn vector_encoder_runs_on_this_machine() {
        if std::is_x86_feature_detected!("ssse3") {
            // 28 bytes: two steps (the second reads bytes 12..28), 4 left.
            assert_eq!(vector::encode_prefix(&[7; 28], &mut [0; 40]), 24);
            assert_eq!(vector::encode_prefix(&[7; 15], &mut [0; 20]), 0);
        }
    }

    const fn engine(alphabet: &base64::alphabet::Alphabet, padding: DecodePaddingMode) -> GeneralPurpose {
        GeneralPurpose::new(
            alphabet,
            GeneralPurposeConfig::new().with_decode_allow_trailing_bits(false).with_decode_padding_mode(padding),
        )
    }

    /// What the `base64` crate makes of `text` under the same rules.
    fn reference(text: &str) -> Option<Vec<u8>> {
        use base64::alphabet::{STANDARD as S, URL_SAFE as U};
        let padded = text.ends_with('=');
        let mode = if padded { DecodePaddingMode::RequireCanonical } else { DecodePaddingMode::RequireNone };
        if text.is_empty() || (padded && text.len() % 4 != 0) {
            return None;
        }
        engine(&S, mode).decode(text).ok().or_else(|| engine(&U, mode).decode(text).ok())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]

        #[test]
        fn agrees_with_the_base64_crate(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
            let std = base64::engine::general_purpose::STANDARD.encode(&bytes);
            prop_assert_eq!(encode(&bytes), std.clone());
            if !bytes.is_empty() {
                prop_assert_eq!(dec(&std).unwrap(), bytes.clone());
                prop_assert_eq!(dec(std.trim_end_matches('=')).unwrap(), bytes.clone());
                let url = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&bytes);
                prop_assert_eq!(dec(&url).unwrap(), bytes);
            }
        }

        #[test]
        fn vector_and_scalar_encoders_agree(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
            let mut vector = Vec::new();
            encode_into(&bytes, &mut vector);
            let mut scalar = vec![0; vector.len()];
            encode_scalar(&bytes, &mut scalar);
            prop_assert_eq!(vector, scalar);
        }

        #[test]
        fn vector_and_table_decoders_agree(text in "[A-Za-z0-9+/]{0,90}[A-Za-z0-9+/_=*é -]{0,3}[A-Za-z0-9+/]{0,40}={0,2}") {
            prop_assert_eq!(dec(&text), dec_scalar(&text), "{}", text);
        }

        #[test]
        fn accepts_exactly_what_the_base64_crate_accepts(text in "[A-Za-z0-9+/_=-]{0,12}") {
            prop_assert_eq!(dec(&text).ok(), reference(&text), "{}", text);
        }
    }
}
