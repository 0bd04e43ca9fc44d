//! Words of a text as the index sees them: runs of letters and digits, lower-cased; numbers lose
//! their leading zeros, so `TRIPOLI 677` finds `TRIPOLI 000677`.

/// One word of a text: its normalized form and its byte range in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// The normalized word (lower case; numbers without leading zeros).
    pub norm: String,
    /// Byte offset of the word's first byte.
    pub start: usize,
    /// Byte offset just past the word.
    pub end: usize,
}

/// Normalizes one word: lower case; an all-digit word loses leading zeros (`000677` → `677`).
pub fn normalize(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    normalize_into(word, &mut out);
    out
}

/// [`normalize`] into a reused buffer (cleared first).
pub fn normalize_into(word: &str, out: &mut String) {
    out.clear();
    if !word.is_empty() && word.bytes().all(|b| b.is_ascii_digit()) {
        out.push_str(without_leading_zeros(word));
        return;
    }
    if word.is_ascii() {
        out.push_str(word);
        out.make_ascii_lowercase();
    } else {
        out.extend(word.chars().flat_map(char::to_lowercase));
    }
}

/// A number of ASCII digits in normal form: without its leading zeros, `0` when all are zeros.
fn without_leading_zeros(digits: &str) -> &str {
    let trimmed = digits.trim_start_matches('0');
    if trimmed.is_empty() {
        "0"
    } else {
        trimmed
    }
}

/// Calls `f(word, start, end)` for every word of `text`, without allocating.
pub fn for_each_word(text: &str, mut f: impl FnMut(&str, usize, usize)) {
    for_each_word_while(text, |w, s, e| {
        f(w, s, e);
        true
    });
}

/// Like [`for_each_word`], stopping as soon as `f` returns false.
pub fn for_each_word_while(text: &str, mut f: impl FnMut(&str, usize, usize) -> bool) {
    let bytes = text.as_bytes();
    // The byte length of the character at `i`, and whether it is a letter or digit (ASCII by
    // byte, anything else by its character).
    let char_at = |i: usize| -> (usize, bool) {
        let b = bytes[i];
        if b < 0x80 {
            (1, b.is_ascii_alphanumeric())
        } else {
            (char_len(b), word_char_at(text, i))
        }
    };
    let mut i = 0;
    while i < bytes.len() {
        let (n, word) = char_at(i);
        if !word {
            i += n;
            continue;
        }
        let start = i;
        i += n;
        loop {
            // ASCII letters and digits, the common case, without the general test.
            while i < bytes.len() && bytes[i].is_ascii_alphanumeric() {
                i += 1;
            }
            if i < bytes.len() && bytes[i] >= 0x80 {
                let (n, word) = char_at(i);
                if word {
                    i += n;
                    continue;
                }
            }
            break;
        }
        if !f(&text[start..i], start, i) {
            return;
        }
    }
}

/// What a byte is to [`for_each_term`]: a separator (0), a lower-case letter or digit
/// ([`LOWER`]), an upper-case letter ([`UPPER`]) or a byte of a character beyond ASCII
/// ([`BEYOND`], looked at by the general path).
const BYTE_CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = if c >= 0x80 {
            BEYOND
        } else if c.is_ascii_uppercase() {
            UPPER
        } else if c.is_ascii_alphanumeric() {
            LOWER
        } else {
            0
        };
        b += 1;
    }
    t
};
const LOWER: u8 = 1;
const UPPER: u8 = 2;
const BEYOND: u8 = 4;

/// Calls `f(term)` for every word of `text` in its normalized form: the same terms as
/// [`for_each_word`] followed by [`normalize`], in one pass over ASCII text; a word already in
/// normal form is passed as it is in `text`, one to change is made in the reused `buf`.
pub fn for_each_term(text: &str, buf: &mut String, mut f: impl FnMut(&str)) {
    let bytes = text.as_bytes();
    let n = bytes.len();
    let mut i = 0;
    while i < n {
        let c = BYTE_CLASS[bytes[i] as usize];
        if c == 0 {
            i += 1;
            continue;
        }
        let start = i;
        if c != BEYOND {
            let mut seen = 0;
            while i < n {
                let c = BYTE_CLASS[bytes[i] as usize];
                if c == 0 || c == BEYOND {
                    break;
                }
                seen |= c;
                i += 1;
            }
            if i == n || BYTE_CLASS[bytes[i] as usize] == 0 {
                let word = &text[start..i];
                if bytes[start] == b'0' && word.bytes().all(|b| b.is_ascii_digit()) {
                    f(without_leading_zeros(word));
                } else if seen & UPPER != 0 {
                    buf.clear();
                    buf.push_str(word);
                    buf.make_ascii_lowercase();
                    f(buf);
                } else {
                    f(word);
                }
                continue;
            }
        }
        // A character beyond ASCII at `i`, in or before a word: the general path, from `start`
        // (a character boundary), for one word.
        let mut end = n;
        for_each_word_while(&text[start..], |w, _, e| {
            normalize_into(w, buf);
            f(buf);
            end = start + e;
            false
        });
        i = end;
    }
}

fn char_len(lead: u8) -> usize {
    match lead {
        0xF0..=0xFF => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

fn word_char_at(text: &str, i: usize) -> bool {
    text.get(i..).and_then(|s| s.chars().next()).is_some_and(char::is_alphanumeric)
}

/// Every word of `text`, normalized, with its byte range.
pub fn tokens(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    for_each_word(text, |w, start, end| out.push(Token { norm: normalize(w), start, end }));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`for_each_term`] against its definition: [`for_each_word`], then [`normalize`].
    fn terms_by_definition(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        for_each_word(text, |w, _, _| out.push(normalize(w)));
        out
    }

    fn terms_fast(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut buf = String::new();
        for_each_term(text, &mut buf, |t| out.push(t.to_string()));
        out
    }

    #[test]
    fn terms_in_one_pass_are_the_normalized_words() {
        let parts = ["", "TRIPOLI", "000677", "0", "00", "a0", "É", "té", "«", "—", " ", "-", "x1", "Ω9", "\u{2028}", "٣", "ǅ", ".", "0é"];
        for a in parts {
            for b in parts {
                for c in parts {
                    let text = format!("{a}{b}{c}");
                    assert_eq!(terms_fast(&text), terms_by_definition(&text), "{text:?}");
                }
            }
        }
        for text in ["Qadhafi's «Café» naïve—ÉTÉ", "TRIPOLI 000677, para 0 and 09TRIPOLI748", "ÀB 007é 0070 ÉÉ0", "x\u{0301}y 00\u{0660}"] {
            assert_eq!(terms_fast(text), terms_by_definition(text), "{text:?}");
        }
    }

    #[test]
    fn numbers_lose_leading_zeros() {
        let t: Vec<String> = tokens("TRIPOLI 000677, para 0 and 09TRIPOLI748").into_iter().map(|t| t.norm).collect();
        assert_eq!(t, ["tripoli", "677", "para", "0", "and", "09tripoli748"]);
    }

    #[test]
    fn spans_point_into_the_text_and_unicode_words_stay_whole() {
        let text = "Qadhafi's «Café» naïve—ÉTÉ";
        let toks = tokens(text);
        let words: Vec<&str> = toks.iter().map(|t| &text[t.start..t.end]).collect();
        assert_eq!(words, ["Qadhafi", "s", "Café", "naïve", "ÉTÉ"]);
        assert_eq!(toks[4].norm, "été");
    }
}
