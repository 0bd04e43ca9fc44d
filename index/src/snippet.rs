//! Snippets and highlighting: where the searched words occur in a text, and a short window of text
//! around the first of them, as plain-text segments (never HTML).

use crate::tokens::{for_each_word, for_each_word_while, normalize_into};
use serde::{Deserialize, Serialize};

/// A piece of a snippet: text, and whether it is a match.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Segment {
    /// The words.
    pub text: String,
    /// A matched word.
    pub hit: bool,
}

fn matches(norm: &str, terms: &[String]) -> bool {
    terms.iter().any(|t| match t.strip_suffix('*') {
        Some(prefix) => norm.starts_with(prefix),
        None => norm == t,
    })
}

/// Byte ranges of the words of `text` that match `terms` (normalized words; `*` ends a prefix).
pub fn highlight_ranges(text: &str, terms: &[String]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    if terms.is_empty() {
        return out;
    }
    let mut buf = String::new();
    for_each_word(text, |w, s, e| {
        normalize_into(w, &mut buf);
        if matches(&buf, terms) {
            out.push((s, e));
        }
    });
    out
}

/// Byte offset of the first word of `text` that matches `terms`.
pub fn first_match(text: &str, terms: &[String]) -> Option<usize> {
    if terms.is_empty() {
        return None;
    }
    let mut buf = String::new();
    let mut found = None;
    for_each_word_while(text, |w, s, _| {
        normalize_into(w, &mut buf);
        if matches(&buf, terms) {
            found = Some(s);
            return false;
        }
        true
    });
    found
}

fn floor_boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// About `max_bytes` of `text` around the first match of `terms`, matches marked; the start of the
/// text when nothing matches. Whitespace is collapsed; `…` marks cut ends.
pub fn snippet(text: &str, terms: &[String], max_bytes: usize) -> Vec<Segment> {
    let first = first_match(text, terms).unwrap_or(0);
    let mut start = floor_boundary(text, first.saturating_sub(max_bytes / 3));
    if start > 0 {
        // Start at a word.
        if let Some(sp) = text[start..first].find(char::is_whitespace) {
            start += sp + 1;
        }
    }
    let mut end = floor_boundary(text, start + max_bytes);
    if end < text.len() {
        if let Some(sp) = text[..end].rfind(char::is_whitespace) {
            if sp > first {
                end = sp;
            }
        }
    }
    // Matches within the window only.
    let hits: Vec<(usize, usize)> = highlight_ranges(&text[start..end], terms).into_iter().map(|(s, e)| (s + start, e + start)).collect();
    let mut out: Vec<Segment> = Vec::new();
    let push = |out: &mut Vec<Segment>, s: &str, hit: bool| {
        let collapsed = s.split_whitespace().collect::<Vec<_>>().join(" ");
        let lead = s.starts_with(char::is_whitespace) && !collapsed.is_empty();
        let trail = s.ends_with(char::is_whitespace) && !collapsed.is_empty();
        let t = format!("{}{}{}", if lead { " " } else { "" }, collapsed, if trail { " " } else { "" });
        let t = if collapsed.is_empty() && !s.is_empty() { " ".to_string() } else { t };
        if !t.is_empty() {
            out.push(Segment { text: t, hit });
        }
    };
    if start > 0 {
        out.push(Segment { text: "…".into(), hit: false });
    }
    let mut at = start;
    for &(s, e) in hits.iter().filter(|(s, e)| *s >= start && *e <= end) {
        push(&mut out, &text[at..s], false);
        push(&mut out, &text[s..e], true);
        at = e;
    }
    push(&mut out, &text[at..end], false);
    if end < text.len() {
        out.push(Segment { text: "…".into(), hit: false });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_words_and_prefixes() {
        let text = "The Embassy met Qadhafi.  Uranium and URANIUM-related fuel, TRIPOLI 000677.";
        let r = highlight_ranges(text, &["uran*".into(), "677".into()]);
        let words: Vec<&str> = r.iter().map(|(s, e)| &text[*s..*e]).collect();
        assert_eq!(words, ["Uranium", "URANIUM", "000677"]);
    }

    #[test]
    fn snippet_windows_the_first_match() {
        let text = format!("{} needle {}", "word ".repeat(200), "tail ".repeat(200));
        let s = snippet(&text, &["needle".into()], 120);
        assert_eq!(s.first().map(|x| x.text.as_str()), Some("…"));
        assert_eq!(s.last().map(|x| x.text.as_str()), Some("…"));
        assert!(s.iter().any(|x| x.hit && x.text == "needle"));
        let len: usize = s.iter().map(|x| x.text.len()).sum();
        assert!(len < 140, "{len}");
    }

    #[test]
    fn multibyte_text_never_splits_a_character() {
        let text = "é".repeat(300) + " needle " + &"ü".repeat(300);
        for max in [1, 7, 50, 121, 333] {
            let s = snippet(&text, &["needle".into()], max);
            assert!(!s.is_empty());
        }
    }
}
