//! Byte-scanning helpers shared by the parser: lines with offsets, case-insensitive search, tokens.

use memchr::{memchr, memchr2, memchr3, memchr3_iter};

/// A line of text with its byte offset; `text` excludes the line break.
#[derive(Debug, Clone, Copy)]
pub struct Line<'a> {
    /// Offset of the first byte of the line in the scanned text.
    pub start: usize,
    /// The line without its terminating `\n`.
    pub text: &'a str,
}

impl<'a> Line<'a> {
    /// Offset one past the last byte of the line (before the `\n`).
    pub fn end(&self) -> usize {
        self.start + self.text.len()
    }
}

/// Iterates over the lines of `s`, starting at byte offset `base`.
pub struct Lines<'a> {
    s: &'a str,
    pos: usize,
    base: usize,
}

impl<'a> Iterator for Lines<'a> {
    type Item = Line<'a>;
    fn next(&mut self) -> Option<Line<'a>> {
        if self.pos >= self.s.len() {
            return None;
        }
        let rest = &self.s.as_bytes()[self.pos..];
        let len = memchr(b'\n', rest).unwrap_or(rest.len());
        let line = Line { start: self.base + self.pos, text: &self.s[self.pos..self.pos + len] };
        self.pos += len + 1;
        Some(line)
    }
}

/// The lines of `s`, with offsets counted from `base`.
pub fn lines_at(s: &str, base: usize) -> Lines<'_> {
    Lines { s, pos: 0, base }
}

/// The lines of `s`, with offsets from the start of `s`.
pub fn lines(s: &str) -> Lines<'_> {
    lines_at(s, 0)
}

/// The start of the line holding a place, for places asked in increasing order: each search for
/// the line break goes back only to the place asked before, so a scan over many places of one long
/// line stays linear (a search back to the line's start from each place would be quadratic). A
/// place before the last one starts over from the text's start.
#[derive(Debug, Default, Clone, Copy)]
pub struct LineStarts {
    /// The place asked last, and the start of its line.
    last: (usize, usize),
}

impl LineStarts {
    /// Start of the line of `s` that holds byte `p`.
    pub fn at(&mut self, s: &str, p: usize) -> usize {
        if p < self.last.0 {
            self.last = (0, 0);
        }
        let (from, start) = self.last;
        let line_start = memchr::memrchr(b'\n', &s.as_bytes()[from..p]).map_or(start, |i| from + i + 1);
        self.last = (p, line_start);
        line_start
    }
}

/// Finds `needle` (ASCII, given in upper case) in `hay`, ignoring ASCII case.
pub fn find_ci(hay: &str, needle: &str) -> Option<usize> {
    find_ci_from(hay, needle, 0)
}

/// Like [`find_ci`], starting the search at byte `from`.
pub fn find_ci_from(hay: &str, needle: &str, from: usize) -> Option<usize> {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    if n.is_empty() {
        return Some(from.min(h.len()));
    }
    // The needle's rarest byte in both cases.
    // The needle's first and last bytes are compared before the whole: folding case with 0x20
    // may call two different non-letters alike, never two bytes equal but for case unlike.
    let (first, last) = (n[0] | 0x20, n[n.len() - 1] | 0x20);
    pivot_scan(h, n, from, |b, s| memchr2(b.to_ascii_uppercase(), b.to_ascii_lowercase(), s), |w| {
        w[0] | 0x20 == first && w[w.len() - 1] | 0x20 == last && w.eq_ignore_ascii_case(n)
    })
}

/// Finds `needle` in `hay` (exact case): a scan for the needle's rarest byte, then a comparison.
/// For the parser's short fixed needles this is much cheaper than `str::find`, which builds a
/// two-way searcher on every call.
pub fn find_str(hay: &str, needle: &str) -> Option<usize> {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    if n.is_empty() {
        return Some(0);
    }
    // First and last bytes before the whole (a call to `memcmp`).
    pivot_scan(h, n, 0, memchr, |w| w[0] == n[0] && w[w.len() - 1] == n[n.len() - 1] && w == n)
}

/// Finds the non-empty needle `n` in `h` from byte `from`: `find` scans for the needle's rarest
/// byte ([`pivot`]), `same` then compares the whole needle around each place found.
fn pivot_scan(h: &[u8], n: &[u8], from: usize, find: impl Fn(u8, &[u8]) -> Option<usize>, same: impl Fn(&[u8]) -> bool) -> Option<usize> {
    if from + n.len() > h.len() {
        return None;
    }
    let k = pivot(n);
    let mut pos = from + k;
    let last = h.len() - n.len() + k; // last position the pivot can be at
    while pos <= last {
        let at = pos + find(n[k], &h[pos..=last])? - k;
        if same(&h[at..at + n.len()]) {
            return Some(at);
        }
        pos = at + k + 1;
    }
    None
}

/// Index of the byte of `needle` least frequent in cable text (English letter frequencies;
/// punctuation and digits count as rare), to scan for.
fn pivot(needle: &[u8]) -> usize {
    /// Rank of each byte: 100 minus its place in "ETAOIN..." (either case) for letters, 200 for
    /// a space, 0 for anything else (rare); lower is rarer.
    const RANK: [u8; 256] = {
        const COMMON: &[u8] = b"ETAOINSRHLDCUMFPGWYBVKXJQZ"; // most to least frequent
        let mut t = [0u8; 256];
        let mut p = 0;
        while p < COMMON.len() {
            t[COMMON[p] as usize] = 100 - p as u8;
            t[COMMON[p].to_ascii_lowercase() as usize] = 100 - p as u8;
            p += 1;
        }
        t[b' ' as usize] = 200;
        t
    };
    let mut best = 0;
    let mut best_rank = u8::MAX;
    for (i, &b) in needle.iter().enumerate() {
        let rank = RANK[b as usize];
        if rank < best_rank {
            // Nothing is rarer than a byte of rank 0 (the first one wins ties, as before).
            if rank == 0 {
                return i;
            }
            best = i;
            best_rank = rank;
        }
    }
    best
}

/// A quick test of membership in a fixed list of upper-case words: for each first letter `A`..`Z`,
/// the lengths (bit n: n bytes, up to 63) of the words starting with it. Most words that are not
/// in the list are ruled out by one look, without a search through it.
pub struct FirstLetterLengths([u64; 26]);

impl FirstLetterLengths {
    /// The table of `words` (each must start with `A`..`Z` and be shorter than 64 bytes: checked
    /// when the table is built, at compile time for a `const`).
    pub const fn of(words: &[&str]) -> Self {
        let mut t = [0u64; 26];
        let mut i = 0;
        while i < words.len() {
            let b = words[i].as_bytes();
            assert!(b[0].is_ascii_uppercase() && b.len() < 64);
            t[(b[0] - b'A') as usize] |= 1 << b.len();
            i += 1;
        }
        FirstLetterLengths(t)
    }

    /// False when no word of the list has `s`'s first letter and length (then `s` is not in it).
    pub fn may_hold(&self, s: &str) -> bool {
        let b = s.as_bytes();
        match b.first() {
            Some(c @ b'A'..=b'Z') if b.len() < 64 => self.0[(c - b'A') as usize] & (1 << b.len()) != 0,
            _ => false,
        }
    }
}

/// ASCII white space as `char::is_whitespace` counts it.
fn is_ascii_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0B | 0x0C)
}

/// `str::trim_end`, with a byte loop for ASCII white space (the parser trims every line); text
/// ending in a non-ASCII character is left to `str::trim_end` (U+2028, no-break space...).
pub fn trim_end_ws(s: &str) -> &str {
    let b = s.as_bytes();
    let mut e = b.len();
    while e > 0 && is_ascii_ws(b[e - 1]) {
        e -= 1;
    }
    if e > 0 && b[e - 1] >= 0x80 {
        return s[..e].trim_end();
    }
    &s[..e]
}

/// `str::trim_start`, with a byte loop for ASCII white space (see [`trim_end_ws`]).
pub fn trim_start_ws(s: &str) -> &str {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() && is_ascii_ws(b[i]) {
        i += 1;
    }
    if i < b.len() && b[i] >= 0x80 {
        return s[i..].trim_start();
    }
    &s[i..]
}

/// `s.chars().any(char::is_lowercase)`, 64 bytes at a time: a block of ASCII without a lower-case
/// letter is passed over in one branch-free (vectorised) test, and only blocks with a lower-case
/// letter or a non-ASCII byte are looked at char by char. (All-caps telegrams have no lower case
/// at all, and the parser asks this of whole paragraphs.)
pub fn has_lowercase(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0; // always a char boundary
    while i < b.len() {
        let end = (i + 64).min(b.len());
        let hit = b[i..end].iter().fold(0u8, |acc, &c| acc | u8::from(c.wrapping_sub(b'a') < 26) | (c & 0x80));
        if hit == 0 {
            i = end; // follows an ASCII byte
            continue;
        }
        let mut j = end;
        while !s.is_char_boundary(j) {
            j += 1;
        }
        if s[i..j].chars().any(char::is_lowercase) {
            return true;
        }
        i = j;
    }
    false
}

/// `s` without leading spaces and tabs (`trim_start_matches([' ', '\t'])`, a byte loop).
pub fn trim_start_blanks(s: &str) -> &str {
    let n = s.bytes().take_while(|&b| b == b' ' || b == b'\t').count();
    &s[n..]
}

/// True when `s` starts with `prefix`, ignoring ASCII case.
pub fn starts_with_ci(s: &str, prefix: &str) -> bool {
    s.len() >= prefix.len() && s.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
}

/// True for a byte that can be part of a word (ASCII letter or digit).
pub fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric()
}

/// True when the match `hay[at..at+len]` is not glued to letters or digits on either side.
pub fn is_word_bounded(hay: &str, at: usize, len: usize) -> bool {
    let b = hay.as_bytes();
    (at == 0 || !is_word_byte(b[at - 1])) && (at + len >= b.len() || !is_word_byte(b[at + len]))
}

/// Finds `needle` as a whole word, ignoring ASCII case.
pub fn find_word_ci(hay: &str, needle: &str, from: usize) -> Option<usize> {
    let mut pos = from;
    while let Some(at) = find_ci_from(hay, needle, pos) {
        if is_word_bounded(hay, at, needle.len()) {
            return Some(at);
        }
        pos = at + 1;
    }
    None
}

/// Collapses every run of whitespace (including U+2028) into one space and trims the ends.
pub fn collapse_ws(s: &str) -> String {
    if s.is_ascii() || !has_other_ws(s) {
        return collapse_ws_bytewise(s);
    }
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// True when `s` has white space that [`collapse_ws_bytewise`] does not take for it: a vertical tab,
/// or white space beyond ASCII (U+0085, U+00A0, U+1680, U+2000..U+205F, U+3000). Text that has
/// none (most cables with a `¶` or an accent) is collapsed byte-wise: the bytes of other characters
/// are never ASCII white space.
fn has_other_ws(s: &str) -> bool {
    let b = s.as_bytes();
    // The first byte of each white-space character beyond ASCII: C2, E1, E2 or E3.
    memchr::memchr(0x0B, b).is_some()
        || memchr3_iter(0xC2, 0xE1, 0xE2, b).chain(memchr::memchr_iter(0xE3, b)).any(|i| s[i..].chars().next().is_some_and(char::is_whitespace))
}

/// [`collapse_ws`] for text without [`has_other_ws`] white space, byte by byte. Most white space
/// in cable text is already a single space between words; only line breaks, tabs and runs of
/// spaces need rewriting. Those are found with
/// SIMD searches (the next of each kind is kept until passed) and the text between them is copied
/// whole, instead of going word by word.
fn collapse_ws_bytewise(s: &str) -> String {
    let b = s.as_bytes();
    let is_ws = |c: u8| matches!(c, b' ' | b'\t' | b'\n' | b'\r' | b'\x0C');
    let mut out = String::with_capacity(s.len());
    let mut i = b.iter().position(|&c| !is_ws(c)).unwrap_or(b.len());
    // The next line break or tab, the next two spaces, the next form feed.
    let find_ctrl = |from: usize| memchr3(b'\n', b'\r', b'\t', &b[from..]).map_or(b.len(), |p| from + p);
    static TWO_SPACES: std::sync::LazyLock<memchr::memmem::Finder<'static>> = std::sync::LazyLock::new(|| memchr::memmem::Finder::new(b"  "));
    let find_double = |from: usize| TWO_SPACES.find(&b[from..]).map_or(b.len(), |p| from + p);
    let find_ff = |from: usize| memchr::memchr(0x0C, &b[from..]).map_or(b.len(), |p| from + p);
    let (mut ctrl, mut double, mut ff) = (find_ctrl(i), find_double(i), find_ff(i));
    while i < b.len() {
        if ctrl < i {
            ctrl = find_ctrl(i);
        }
        if double < i {
            double = find_double(i);
        }
        if ff < i {
            ff = find_ff(i);
        }
        // Start of the next run of white space that is not one space between two words.
        let mut j = ctrl.min(double).min(ff);
        if j > i && b[j - 1] == b' ' && j < b.len() {
            j -= 1;
        }
        out.push_str(&s[i..j]);
        let k = j + b[j..].iter().position(|&c| !is_ws(c)).unwrap_or(b.len() - j);
        if k == b.len() {
            break;
        }
        if k > j {
            out.push(' ');
        }
        i = k;
    }
    // A single trailing space (not a run, so not found above) is trimmed here.
    let trimmed = out.trim_end_matches(' ').len();
    out.truncate(trimmed);
    out
}

/// Largest char boundary of `s` that is `<= i`.
pub fn floor_boundary(s: &str, i: usize) -> usize {
    if i >= s.len() {
        return s.len();
    }
    let mut i = i;
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// True when every byte of `s` is an ASCII digit and `s` is not empty.
pub fn all_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// Strips leading zeros from a run of digits, keeping one `0` for zero.
pub fn strip_zeros(s: &str) -> &str {
    let t = s.trim_start_matches('0');
    if t.is_empty() && !s.is_empty() {
        "0"
    } else {
        t
    }
}

/// Three-letter English month abbreviation (any case) to its number.
pub fn month_number(s: &str) -> Option<u32> {
    const MONTHS: [&str; 12] = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
    if s.len() < 3 {
        return None;
    }
    let head = &s.as_bytes()[..3];
    MONTHS.iter().position(|m| head.eq_ignore_ascii_case(m.as_bytes())).map(|i| i as u32 + 1)
}

/// A two-digit year as a four-digit year (cables run from the 1960s to 2010).
pub fn full_year(yy: u32) -> u32 {
    if yy >= 100 {
        yy
    } else if yy >= 50 {
        1900 + yy
    } else {
        2000 + yy
    }
}

/// Title-cases each space-separated word: `PORT AU PRINCE` becomes `Port Au Prince`.
pub fn title_case(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut start_of_word = true;
    for c in s.chars() {
        if c == ' ' || c == '-' {
            start_of_word = true;
            out.push(c);
        } else if start_of_word {
            out.extend(c.to_uppercase());
            start_of_word = false;
        } else {
            out.extend(c.to_lowercase());
        }
    }
    out
}

/// Test inputs: strings made of `parts`, string `n` spelling `n` in base `parts.len()` (one part
/// per digit), for every `step`-th `n` below `limit` — every short mix of the parts, in order.
#[cfg(test)]
pub(crate) fn every_mix<'a>(parts: &'a [&'a str], limit: u64, step: u64) -> impl Iterator<Item = String> + 'a {
    (0..limit).step_by(step as usize).map(move |n| {
        let mut t = String::new();
        let mut k = n;
        while k > 0 {
            t.push_str(parts[(k % parts.len() as u64) as usize]);
            k /= parts.len() as u64;
        }
        t
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `pivot` stops at the first byte of rank 0; the answer is still the first byte of least
    /// rank, as a full look through the needle gives. Checked on every needle of up to three
    /// bytes from letters of each frequency, a space, a digit and punctuation.
    #[test]
    fn pivot_is_the_first_rarest_byte() {
        let rank = |b: u8| {
            let common = b"ETAOINSRHLDCUMFPGWYBVKXJQZ";
            match common.iter().position(|&c| c == b.to_ascii_uppercase()) {
                Some(p) => 100 - p as u32,
                None if b == b' ' => 200,
                None => 0,
            }
        };
        let first_rarest = |n: &[u8]| (0..n.len()).min_by_key(|&i| (rank(n[i]), i)).unwrap();
        let alphabet = b"EeZq 7:.";
        let mut needles: Vec<Vec<u8>> = alphabet.iter().map(|&a| vec![a]).collect();
        for _ in 0..2 {
            let longer: Vec<Vec<u8>> = needles.iter().flat_map(|n| alphabet.iter().map(move |&a| [n.as_slice(), &[a]].concat())).collect();
            needles.extend(longer);
        }
        for n in &needles {
            assert_eq!(pivot(n), first_rarest(n), "{:?}", String::from_utf8_lossy(n));
        }
        assert_eq!(pivot(b" OF "), 2);
        assert_eq!(pivot(b"REF:"), 3);
    }

    #[test]
    fn find_ci_matches_any_case() {
        assert_eq!(find_ci("xx Subject: y", "SUBJECT:"), Some(3));
        assert_eq!(find_ci("abc", "ABCD"), None);
        assert_eq!(find_word_ci("TAGSX TAGS", "TAGS", 0), Some(6));
    }

    #[test]
    fn find_str_agrees_with_str_find() {
        let hays = ["", "a", "SUBJECT: X REF: Y REF: Z", " REFTEL REF A x 1. (C) 1.(S)", "aaaa aaab", "for reasons 1.4 (b) and (d)", "é REF: ü"];
        let needles = ["", " REF:", "REF", "aab", "aaab", "a", " 1. (", " 1.(", "(d)", "reason", "x", "ü", "zzzz", "for reasons 1.4 (b) and (d)!"];
        for h in hays {
            for n in needles {
                assert_eq!(find_str(h, n), h.find(n), "{h:?} {n:?}");
            }
        }
    }

    #[test]
    fn lines_have_offsets() {
        let v: Vec<_> = lines("a\nbc\n\nd").map(|l| (l.start, l.text)).collect();
        assert_eq!(v, vec![(0, "a"), (2, "bc"), (5, ""), (6, "d")]);
    }

    #[test]
    fn title_case_words() {
        assert_eq!(title_case("PORT AU PRINCE"), "Port Au Prince");
        assert_eq!(collapse_ws("  a \n b\u{2028}c "), "a b c");
        // The ASCII path against the word-by-word definition, on every mix of words and spaces.
        let parts = ["A", "BC", " ", "  ", "\n", "\r\n", "\t", "\x0C", "\x0B", ".", "  \n "];
        for t in every_mix(&parts, 200_000, 7) {
            let words: Vec<&str> = t.split_ascii_whitespace().collect();
            assert_eq!(collapse_ws(&t), words.join(" "), "{t:?}");
        }
        // Beyond ASCII, against the definition with every white-space character Unicode names.
        let parts = ["¶1.", "é", " ", "\n", "\x0B", "\u{85}", "\u{a0}", "\u{1680}", "\u{2007}", "\u{2028}", "\u{202f}", "\u{205f}", "\u{3000}", "\u{2030}", "A"];
        for t in every_mix(&parts, 200_000, 5) {
            let words: Vec<&str> = t.split_whitespace().collect();
            assert_eq!(collapse_ws(&t), words.join(" "), "{t:?}");
        }
        let text = "ab\ncd\n\nef gh\n";
        let mut ls = LineStarts::default();
        for p in [0, 1, 3, 4, 6, 7, 10, 2, 9] {
            assert_eq!(ls.at(text, p), text[..p].rfind('\n').map_or(0, |i| i + 1), "{p}");
        }
        let long_caps = "THE MINISTER SAID ".repeat(10);
        for t in ["", "A", "a", "ABC DEF", "ABCé", "ABCÉ", "ÉÉÉ", "Éa", "ǅ", &long_caps, &format!("{long_caps}x"), &format!("{long_caps}É{long_caps}"), &format!("{long_caps}É{long_caps}ß")] {
            assert_eq!(has_lowercase(t), t.chars().any(char::is_lowercase), "{t:?}");
        }
        for t in ["", " ", "  a b \t\r\n", "\u{2028} a\u{a0}", "x\u{2028}", "\u{3000}\u{b}y\u{c}", "é ", " é"] {
            assert_eq!(trim_end_ws(t), t.trim_end(), "{t:?}");
            assert_eq!(trim_start_ws(t), t.trim_start(), "{t:?}");
        }
    }
}
