//! Turning what a person pasted or dropped into library records, and records back into cables.
//! Pure: no browser, so it is tested natively.

use crate::storage::StoredCable;
use cable_parser::input::{csv_cable, CsvRecord};
use cable_parser::{parse_cable, parse_with, Cable, Meta, Options, SourceFormat};
use std::collections::HashMap;

/// Largest input read at once (a paste or one file). The bulk `cables.csv` needs streaming import.
pub const MAX_INPUT_BYTES: usize = 64 * 1024 * 1024;

/// A library key for a cable: its canonical id, or a hash of its text when it names none.
pub fn key_for(cable: &Cable) -> String {
    match cable.key() {
        Some(k) if !k.is_empty() && k.len() <= 64 && k.bytes().all(|b| b.is_ascii_alphanumeric()) => k.to_string(),
        _ => format!("TEXT-{:016X}", fnv1a(cable.text.as_bytes())),
    }
}

fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf29ce484222325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x100000001b3);
    }
    h
}

/// Why an input was not taken, in words that say what was expected.
#[derive(Debug, Clone, PartialEq)]
pub struct Rejected(pub String);

/// Reads an input into records to store (one per cable found), with the parsed cables.
/// `source` is `paste`, `sample` or the file name; `file_name` supplies an id when the text lacks it.
pub fn records_from_input(text: &str, source: &str, file_name: Option<&str>, now_ms: f64) -> Result<Vec<(StoredCable, Cable)>, Rejected> {
    if text.len() > MAX_INPUT_BYTES {
        return Err(Rejected(format!(
            "This input is {:.1} MB; the reader takes up to {} MB at once. Split it, or open the files one by one.",
            text.len() as f64 / 1e6,
            MAX_INPUT_BYTES / (1024 * 1024)
        )));
    }
    let hint = file_name.and_then(cable_parser::id_from_file_name);
    let parsed = parse_with(text, &Options { id_hint: hint });
    if parsed.cables.is_empty() {
        let msg = parsed
            .diagnostics
            .first()
            .map(|d| d.message.clone())
            .unwrap_or_else(|| "No cable found in this text.".to_string());
        return Err(Rejected(msg));
    }
    let single = parsed.cables.len() == 1;
    Ok(parsed
        .cables
        .into_iter()
        .map(|c| {
            let key = key_for(&c);
            let (original, meta) = if single {
                (text.to_string(), None)
            } else {
                (c.text.clone(), Some(meta_of(&c)))
            };
            (StoredCable { key, original, meta, source: source.to_string(), added_ms: now_ms }, c)
        })
        .collect())
}

/// The record and cable of one row of `cables.csv` (its own text plus the row's metadata).
pub fn record_from_csv(rec: CsvRecord, source: &str, now_ms: f64) -> (StoredCable, Cable) {
    let c = csv_cable(rec);
    let meta = meta_of(&c);
    (StoredCable { key: key_for(&c), original: c.text.clone(), meta: Some(meta), source: source.to_string(), added_ms: now_ms }, c)
}

fn meta_of(c: &Cable) -> Meta {
    Meta {
        reference_id: c.reference_id.clone(),
        created: c.created.clone(),
        released: c.released.clone(),
        classification: c.classification.clone(),
        origin: c.origin.clone(),
        title: c.title.clone(),
        media_urls: c.media_urls.clone(),
    }
}

/// A fingerprint of a cable's text that ignores layout (see [`Cable::text_fingerprint`]).
pub fn text_fingerprint(c: &Cable) -> u64 {
    c.text_fingerprint()
}

/// Where an imported cable goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Placement {
    /// A cable the library did not hold: stored under this key.
    New(String),
    /// Another text of a cable the library holds: stored as a further version under this key.
    Version(String),
    /// The same text as a cable held under this key: not stored again.
    Duplicate(String),
}

/// The versions the library holds of each cable (by canonical key), with their fingerprints: decides
/// whether an imported cable is new, a further version or a duplicate.
#[derive(Debug, Default, Clone)]
pub struct Versions {
    by_key: HashMap<String, Vec<(String, u64)>>,
}

/// The base key of a version key (`09TRIPOLI748_v2` → `09TRIPOLI748`).
pub fn base_key(key: &str) -> &str {
    match key.rfind("_v") {
        Some(i) if i > 0 && key[i + 2..].bytes().all(|b| b.is_ascii_digit()) && key.len() > i + 2 => &key[..i],
        _ => key,
    }
}

impl Versions {
    /// Records a cable already stored under `key`.
    pub fn insert(&mut self, key: &str, fingerprint: u64) {
        let list = self.by_key.entry(base_key(key).to_string()).or_default();
        list.retain(|(k, _)| k != key);
        list.push((key.to_string(), fingerprint));
    }

    /// Forgets a deleted cable.
    pub fn remove(&mut self, key: &str) {
        if let Some(list) = self.by_key.get_mut(base_key(key)) {
            list.retain(|(k, _)| k != key);
        }
    }

    /// Forgets everything.
    pub fn clear(&mut self) {
        self.by_key.clear();
    }

    /// Where a cable with this key and fingerprint goes (and records it there).
    pub fn place(&mut self, key: &str, fingerprint: u64) -> Placement {
        let list = self.by_key.entry(key.to_string()).or_default();
        if let Some((k, _)) = list.iter().find(|(_, f)| *f == fingerprint) {
            return Placement::Duplicate(k.clone());
        }
        if list.is_empty() {
            list.push((key.to_string(), fingerprint));
            return Placement::New(key.to_string());
        }
        let mut n = list.len() + 1;
        while list.iter().any(|(k, _)| *k == format!("{key}_v{n}")) {
            n += 1;
        }
        let k = format!("{key}_v{n}");
        list.push((k.clone(), fingerprint));
        Placement::Version(k)
    }
}

/// Re-reads a stored record with the current parser.
pub fn cable_from_record(rec: &StoredCable) -> Option<Cable> {
    match &rec.meta {
        Some(meta) => Some(parse_cable(rec.original.clone(), meta.clone(), SourceFormat::Raw, Some(&rec.key))),
        None => {
            let hint = if rec.key.starts_with("TEXT-") { None } else { Some(base_key(&rec.key).to_string()) };
            let parsed = parse_with(&rec.original, &Options { id_hint: hint });
            let mut cables = parsed.cables;
            let pos = cables.iter().position(|c| key_for(c) == base_key(&rec.key)).unwrap_or(0);
            if cables.is_empty() {
                None
            } else {
                Some(cables.swap_remove(pos))
            }
        }
    }
}

/// Decodes file bytes as text: UTF-8, with invalid sequences replaced; binary files are refused.
pub fn decode_file(name: &str, bytes: &[u8]) -> Result<String, Rejected> {
    let head = &bytes[..bytes.len().min(8192)];
    if head.contains(&0) {
        return Err(Rejected(format!(
            "{name} is a binary file, not text. Expected a cable as text (.txt), a saved WikiLeaks page (.html) or cables.csv."
        )));
    }
    Ok(String::from_utf8_lossy(bytes).into_owned())
}

/// UTF-8 text arriving in pieces (a large file read a slice at a time), decoded as the browser's
/// `TextDecoder` does in streaming mode: a byte order mark at the start is dropped, a character cut
/// at a piece's end waits for the next piece, invalid bytes become U+FFFD. Done here instead of by
/// `TextDecoder`, the bytes already in Wasm memory become the `String` the csv reader takes with
/// one validation pass, instead of a JavaScript string made from them and copied back.
#[derive(Debug, Default)]
pub struct Utf8Pieces {
    /// The bytes of a character cut at the last piece's end.
    carry: Vec<u8>,
    /// Whether any byte was decoded yet (a byte order mark is only dropped at the start).
    started: bool,
}

impl Utf8Pieces {
    /// The text of `piece` (after what the last piece left); `last`: no piece follows, so a cut
    /// character at the end is invalid.
    pub fn decode(&mut self, mut piece: Vec<u8>, last: bool) -> String {
        if !self.carry.is_empty() {
            let mut joined = std::mem::take(&mut self.carry);
            joined.extend_from_slice(&piece);
            piece = joined;
        }
        if !self.started {
            if piece.len() < 3 && b"\xEF\xBB\xBF".starts_with(&piece) && !last {
                // Too short to tell whether it is a byte order mark yet.
                self.carry = piece;
                return String::new();
            }
            self.started = true;
            if piece.starts_with(b"\xEF\xBB\xBF") {
                piece.drain(..3);
            }
        }
        let complete = if last { piece.len() } else { complete_utf8_len(&piece) };
        self.carry = piece.split_off(complete);
        match String::from_utf8(piece) {
            Ok(text) => text,
            Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
        }
    }
}

/// The length of `b` without a character cut at its end: the start of a last sequence that its
/// lead byte says is longer than what follows it (an invalid sequence is left whole, to be
/// replaced).
fn complete_utf8_len(b: &[u8]) -> usize {
    // A sequence is at most four bytes: its lead byte is among the last four.
    for back in 1..=b.len().min(4) {
        let at = b.len() - back;
        let byte = b[at];
        if byte & 0xC0 == 0x80 {
            continue; // a continuation byte: the lead is further back
        }
        let need = match byte {
            0xC2..=0xDF => 2,
            0xE0..=0xEF => 3,
            0xF0..=0xF4 => 4,
            _ => 1,
        };
        return if need > back { at } else { b.len() };
    }
    b.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_in_pieces_decodes_as_text_whole() {
        // Characters of one to four bytes, a byte order mark, invalid bytes (a lone continuation,
        // a cut sequence, an overlong form, a surrogate), cut at every place into two and three
        // pieces: the same text as the whole decoded at once (what `TextDecoder` gives: the mark
        // dropped, each maximal invalid part one U+FFFD).
        let samples: [&[u8]; 5] = [
            "¶1. (C) Tripoli — “fuel” 𝄞 ok".as_bytes(),
            b"\xEF\xBB\xBF\"1\",\"x\"",
            b"ab\x80cd\xE2\x82ef\xC0\xAFgh\xED\xA0\x80ij\xF0\x9F\x98",
            b"\xEF\xBB",
            b"\xE2\x82\xAC\xEF\xBB\xBF",
        ];
        for whole in samples {
            let body = whole.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(whole);
            let expect = String::from_utf8_lossy(body).into_owned();
            let mut once = Utf8Pieces::default();
            assert_eq!(once.decode(whole.to_vec(), true), expect);
            for i in 0..=whole.len() {
                for j in i..=whole.len() {
                    let mut d = Utf8Pieces::default();
                    let mut got = d.decode(whole[..i].to_vec(), false);
                    got += &d.decode(whole[i..j].to_vec(), false);
                    got += &d.decode(whole[j..].to_vec(), true);
                    assert_eq!(got, expect, "{whole:?} cut at {i} and {j}");
                }
            }
        }
    }

    const SEED: &str = include_str!("../public/samples/09TRIPOLI748-page.txt");

    #[test]
    fn seed_page_becomes_one_record_kept_verbatim() {
        let recs = records_from_input(SEED, "paste", None, 1.0).unwrap();
        assert_eq!(recs.len(), 1);
        let (rec, cable) = &recs[0];
        assert_eq!(rec.key, "09TRIPOLI748");
        assert_eq!(rec.original, SEED);
        assert_eq!(cable.paragraphs.len(), 19);
        let again = cable_from_record(rec).unwrap();
        assert_eq!(again.paragraphs.len(), 19);
        assert_eq!(again.subject, cable.subject);
    }

    #[test]
    fn bad_inputs_are_rejected_with_reasons() {
        let e = records_from_input("   \n ", "paste", None, 0.0).unwrap_err();
        assert!(e.0.contains("empty"), "{}", e.0);
        let e = records_from_input("Hello, this is a shopping list: eggs, milk.", "paste", None, 0.0).unwrap_err();
        assert!(e.0.contains("No cable found"), "{}", e.0);
        assert!(decode_file("x.bin", b"\x00\x01\x02").unwrap_err().0.contains("binary"));
    }

    #[test]
    fn oversized_input_is_refused_before_parsing() {
        let big = "x".repeat(MAX_INPUT_BYTES + 1);
        let e = records_from_input(&big, "huge.txt", Some("huge.txt"), 0.0).unwrap_err();
        assert!(e.0.contains("MB"), "{}", e.0);
    }

    #[test]
    fn two_cables_in_one_paste_become_two_records() {
        let a = "VZCZCXRO1\nO 171049Z SEP 09\nFM AMEMBASSY TRIPOLI\nTO RUEHC/SECSTATE WASHDC IMMEDIATE 5271\nC O N F I D E N T I A L TRIPOLI 000748\n\nSUBJECT: ONE\n\n1. (C) First.\n";
        let b = "VZCZCXRO2\nO 181049Z SEP 09\nFM AMEMBASSY CAIRO\nTO RUEHC/SECSTATE WASHDC IMMEDIATE 5272\nUNCLAS CAIRO 000123\n\nSUBJECT: TWO\n\n1. (U) Second.\n";
        let text = format!("{a}\n{b}");
        let recs = records_from_input(&text, "paste", None, 0.0).unwrap();
        let keys: Vec<_> = recs.iter().map(|r| r.0.key.as_str()).collect();
        assert_eq!(keys, ["09TRIPOLI748", "09CAIRO123"]);
        for (rec, c) in &recs {
            assert_eq!(cable_from_record(rec).unwrap().subject, c.subject);
        }
    }

    #[test]
    fn same_text_is_a_duplicate_other_text_a_version() {
        let mut v = Versions::default();
        assert_eq!(v.place("09TRIPOLI748", 1), Placement::New("09TRIPOLI748".into()));
        assert_eq!(v.place("09TRIPOLI748", 1), Placement::Duplicate("09TRIPOLI748".into()));
        assert_eq!(v.place("09TRIPOLI748", 2), Placement::Version("09TRIPOLI748_v2".into()));
        assert_eq!(v.place("09TRIPOLI748", 2), Placement::Duplicate("09TRIPOLI748_v2".into()));
        v.remove("09TRIPOLI748_v2");
        assert_eq!(v.place("09TRIPOLI748", 3), Placement::Version("09TRIPOLI748_v2".into()));
        assert_eq!(base_key("09TRIPOLI748_v2"), "09TRIPOLI748");
        assert_eq!(base_key("09TRIPOLI748"), "09TRIPOLI748");
        assert_eq!(base_key("TEXT-ABC_v"), "TEXT-ABC_v");
    }

    #[test]
    fn layout_does_not_change_the_fingerprint() {
        let wrapped = records_from_input(SEED, "paste", None, 0.0).unwrap().remove(0).1;
        let c = wrapped.clone();
        let reflowed_text = c.text.replace('\n', "\n ");
        let reflowed = parse_with(&reflowed_text, &Options::default()).cables.remove(0);
        assert_eq!(text_fingerprint(&wrapped), text_fingerprint(&reflowed));
        let mut other = reflowed_text.clone();
        other.push_str(" One more sentence.");
        let changed = parse_with(&other, &Options::default()).cables.remove(0);
        assert_ne!(text_fingerprint(&wrapped), text_fingerprint(&changed));
    }
}
