//! Turning what a person pasted or dropped into library records, and records back into cables.
//! Pure: no browser, so it is tested natively.

use crate::storage::StoredCable;
use cable_parser::{parse_cable, parse_with, Cable, Meta, Options, SourceFormat};

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
                let meta = Meta {
                    reference_id: c.reference_id.clone(),
                    created: c.created.clone(),
                    released: c.released.clone(),
                    classification: c.classification.clone(),
                    origin: c.origin.clone(),
                    title: c.title.clone(),
                    media_urls: c.media_urls.clone(),
                };
                (c.text.clone(), Some(meta))
            };
            (StoredCable { key, original, meta, source: source.to_string(), added_ms: now_ms }, c)
        })
        .collect())
}

/// Re-reads a stored record with the current parser.
pub fn cable_from_record(rec: &StoredCable) -> Option<Cable> {
    match &rec.meta {
        Some(meta) => Some(parse_cable(rec.original.clone(), meta.clone(), SourceFormat::Raw, Some(&rec.key))),
        None => {
            let hint = if rec.key.starts_with("TEXT-") { None } else { Some(rec.key.clone()) };
            let parsed = parse_with(&rec.original, &Options { id_hint: hint });
            let mut cables = parsed.cables;
            let pos = cables.iter().position(|c| key_for(c) == rec.key).unwrap_or(0);
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
