//! Self-contained share links and citations. A share link can carry the cable's text, compressed
//! (zlib, checked by Adler-32) and written in base64url, in the URL fragment: browsers never send
//! the fragment to the server, so the cable travels to the recipient without any server seeing it.
//! Pure: no browser, tested natively on the corpus.

use cable_parser::Cable;

/// Longest share link offered with the cable's text in it, in characters (the whole URL).
///
/// Why 16,000: address bars take far more (Chromium 2 MB, Firefox 1 MB, Safari ~80,000), so the
/// limit that matters is where people paste links: e-mail, Slack (messages up to 40,000
/// characters), Microsoft Teams (about 28,000), WhatsApp, Matrix and documents all keep a 16,000
/// character link whole; half of the 32,000 the issue names leaves room for the message around it.
/// Chats with short message caps (Discord 2,000, Telegram 4,096) need the short link, which the
/// share dialog always offers.
pub const LINK_LIMIT: usize = 16_000;

/// Longest payload read from a link: longer ones are refused before any decoding.
pub const MAX_PAYLOAD_CHARS: usize = 200_000;

/// Largest text a payload may expand to (guards against decompression bombs).
pub const MAX_TEXT_BYTES: usize = 4 * 1024 * 1024;

/// Version tag written first in every payload.
const PAYLOAD_VERSION: char = '1';

/// Why a link's cable text could not be read, in words for the person who opened it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PayloadError {
    /// Empty, or longer than [`MAX_PAYLOAD_CHARS`].
    Size(usize),
    /// A version this reader does not know (a newer reader made the link).
    Version,
    /// Characters that are not base64url.
    Characters,
    /// The compressed data is cut short or altered (the check sum does not match).
    Damaged,
    /// It would expand beyond [`MAX_TEXT_BYTES`].
    TooLarge,
    /// The text is not UTF-8.
    NotText,
}

impl PayloadError {
    /// What went wrong and what to do.
    pub fn message(&self) -> String {
        let what = match self {
            PayloadError::Size(0) => "the cable text in this link is empty".to_string(),
            PayloadError::Size(n) => format!("the cable text in this link is {n} characters long, more than any cable needs"),
            PayloadError::Version => "this link was made by a newer version of the reader".to_string(),
            PayloadError::Characters => "the cable text in this link contains characters a share link never has".to_string(),
            PayloadError::Damaged => "the cable text in this link is incomplete or altered (it was probably cut off when it was copied)".to_string(),
            PayloadError::TooLarge => "the cable text in this link expands to more than 4 MB, which no cable is".to_string(),
            PayloadError::NotText => "the cable text in this link is not text".to_string(),
        };
        format!("This link cannot be opened: {what}. Nothing was stored. Ask the sender to copy the whole link again, or for the short link.")
    }
}

/// The cable in the form a link carries it (see [`Cable::portable_text`]).
pub fn portable_text(c: &Cable) -> String {
    c.portable_text()
}

/// The payload of a self-contained link: a version character and the zlib-compressed text in
/// base64url (no padding).
pub fn encode_payload(text: &str) -> String {
    let packed = miniz_oxide::deflate::compress_to_vec_zlib(text.as_bytes(), 10);
    let mut out = String::with_capacity(1 + packed.len() * 4 / 3 + 4);
    out.push(PAYLOAD_VERSION);
    base64url_encode(&packed, &mut out);
    out
}

/// The text of a payload made by [`encode_payload`]; anything else is refused with a reason.
pub fn decode_payload(payload: &str) -> Result<String, PayloadError> {
    let payload = payload.trim();
    if payload.is_empty() || payload.len() > MAX_PAYLOAD_CHARS {
        return Err(PayloadError::Size(payload.len()));
    }
    let rest = payload.strip_prefix(PAYLOAD_VERSION).ok_or(PayloadError::Version)?;
    let packed = base64url_decode(rest).ok_or(PayloadError::Characters)?;
    let bytes = miniz_oxide::inflate::decompress_to_vec_zlib_with_limit(&packed, MAX_TEXT_BYTES).map_err(|e| match e.status {
        miniz_oxide::inflate::TINFLStatus::HasMoreOutput => PayloadError::TooLarge,
        _ => PayloadError::Damaged,
    })?;
    String::from_utf8(bytes).map_err(|_| PayloadError::NotText)
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

fn base64url_encode(bytes: &[u8], out: &mut String) {
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, &b)| n | (u32::from(b) << (16 - 8 * i)));
        let chars = chunk.len() + 1;
        for i in 0..chars {
            out.push(B64[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
}

fn base64url_decode(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let mut acc = 0u32;
    let mut bits = 0;
    for b in s.bytes() {
        let v = match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'-' => 62,
            b'_' => 63,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    // A lone trailing character (6 bits) cannot come from whole bytes.
    (bits < 6).then_some(out)
}

/// Where a quote stands in a text: an exact match first, else one that ignores case and runs of
/// white space (a selection copied from the page may differ in both). Byte range in `text`.
pub fn quote_range(text: &str, quote: &str) -> Option<(usize, usize)> {
    let quote = quote.trim();
    if quote.is_empty() {
        return None;
    }
    if let Some(i) = text.find(quote) {
        return Some((i, i + quote.len()));
    }
    // Normalised forms of both, each character of the text's form remembering its byte offset.
    let mut norm = String::with_capacity(text.len());
    let mut offsets = Vec::with_capacity(text.len());
    let mut last_space = true;
    for (i, ch) in text.char_indices() {
        if ch.is_whitespace() {
            if !last_space {
                norm.push(' ');
                offsets.push(i);
            }
            last_space = true;
        } else {
            for low in ch.to_lowercase() {
                norm.push(low);
                offsets.push(i);
            }
            last_space = false;
        }
    }
    offsets.push(text.len());
    let want: String = quote.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
    let at = norm.find(&want)?;
    // Byte offsets in `norm` → character index → byte offset in `text`.
    let start_char = norm[..at].chars().count();
    let end_char = start_char + want.chars().count();
    let start = offsets[start_char];
    let last = offsets[end_char - 1];
    let end = last + text[last..].chars().next().map_or(0, char::len_utf8);
    Some((start, end))
}

/// How a citation is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CitationFormat {
    /// One line of plain text.
    Plain,
    /// A Markdown link with the details.
    Markdown,
    /// A BibTeX `@misc` entry.
    Bibtex,
}

impl CitationFormat {
    /// Every format, in the order the dialog offers them.
    pub const ALL: [CitationFormat; 3] = [CitationFormat::Plain, CitationFormat::Markdown, CitationFormat::Bibtex];

    /// The format's name as shown.
    pub fn label(self) -> &'static str {
        match self {
            CitationFormat::Plain => "Plain text",
            CitationFormat::Markdown => "Markdown",
            CitationFormat::Bibtex => "BibTeX",
        }
    }
}

/// What a citation points at: the cable and optionally paragraphs (numbers as written).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CitationTarget {
    /// Paragraph numbers, `["5"]` or `["3", "5"]` for a range.
    pub paragraphs: Vec<String>,
    /// The link to give.
    pub url: String,
}

fn month_name(m: &str) -> Option<(&'static str, &'static str)> {
    const M: [(&str, &str); 12] = [
        ("January", "jan"),
        ("February", "feb"),
        ("March", "mar"),
        ("April", "apr"),
        ("May", "may"),
        ("June", "jun"),
        ("July", "jul"),
        ("August", "aug"),
        ("September", "sep"),
        ("October", "oct"),
        ("November", "nov"),
        ("December", "dec"),
    ];
    m.parse::<usize>().ok().filter(|n| (1..=12).contains(n)).map(|n| M[n - 1])
}

/// `2009-09-17 10:10` → `17 September 2009`.
fn long_date(created: &str) -> Option<String> {
    let d = created.get(..10)?;
    let (y, rest) = d.split_once('-')?;
    let (m, day) = rest.split_once('-')?;
    let (name, _) = month_name(m)?;
    Some(format!("{} {name} {y}", day.trim_start_matches('0')))
}

fn bibtex_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '{' | '}' | '%' | '&' | '$' | '#' | '_' => {
                out.push('\\');
                out.push(ch);
            }
            '\\' => out.push_str("\\textbackslash{}"),
            '^' => out.push_str("\\^{}"),
            '~' => out.push_str("\\~{}"),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

fn markdown_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        if matches!(ch, '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|') {
            out.push('\\');
        }
        out.push(if ch == '\n' { ' ' } else { ch });
    }
    out
}

/// A citation of a cable (and paragraphs), in the given format.
pub fn citation(c: &Cable, key: &str, target: &CitationTarget, format: CitationFormat) -> String {
    let id = c.reference_id.clone().or_else(|| c.canonical_id.clone()).unwrap_or_else(|| key.to_string());
    let subject = c.subject.clone().or_else(|| c.title.clone()).unwrap_or_else(|| "(no subject)".to_string());
    let origin = c.origin.clone().or_else(|| c.from.clone());
    let date = c.created.as_deref().and_then(long_date);
    let pars = match target.paragraphs.as_slice() {
        [] => None,
        [one] => Some(format!("¶{one}")),
        [first, .., last] => Some(format!("¶{first}–{last}")),
    };
    let class = c.classification.clone();
    match format {
        CitationFormat::Plain | CitationFormat::Markdown => {
            let md = format == CitationFormat::Markdown;
            let esc = |s: &str| if md { markdown_escape(s) } else { s.to_string() };
            let mut parts = Vec::new();
            if let Some(o) = &origin {
                parts.push(esc(o));
            }
            parts.push(if md { format!("“{}”", esc(&subject)) } else { format!("“{subject}”") });
            let mut cable = format!("cable {}", if md { format!("[{}]({})", esc(&id), target.url) } else { id.clone() });
            if let Some(p) = &pars {
                cable.push_str(&format!(", {p}"));
            }
            parts.push(cable);
            if let Some(d) = &date {
                parts.push(d.clone());
            }
            if let Some(cl) = &class {
                parts.push(esc(cl));
            }
            if let Some(r) = c.released.as_deref().and_then(|r| r.get(..10)) {
                parts.push(format!("released by WikiLeaks {r}"));
            }
            let mut s = parts.join(", ");
            s.push('.');
            if !md {
                s.push(' ');
                s.push_str(&target.url);
            }
            s
        }
        CitationFormat::Bibtex => {
            let cite_key: String = format!("{id}{}", target.paragraphs.first().map(|p| format!("p{p}")).unwrap_or_default())
                .chars()
                .filter(|ch| ch.is_ascii_alphanumeric())
                .collect();
            let mut lines = vec![format!("@misc{{{cite_key},")];
            if let Some(o) = &origin {
                lines.push(format!("  author = {{{{{}}}}},", bibtex_escape(o)));
            }
            lines.push(format!("  title = {{{{{}}}}},", bibtex_escape(&subject)));
            let mut how = format!("Diplomatic cable {}", bibtex_escape(&id));
            if let Some(cl) = &class {
                how.push_str(&format!(", {}", bibtex_escape(cl)));
            }
            if let Some(p) = &pars {
                how.push_str(&format!(", {}", p.replace('¶', "para.~").replace('–', "--")));
            }
            lines.push(format!("  howpublished = {{{how}}},"));
            if let Some(created) = &c.created {
                if let Some(y) = created.get(..4) {
                    lines.push(format!("  year = {{{}}},", bibtex_escape(y)));
                }
                if let Some((_, abbr)) = created.get(5..7).and_then(month_name) {
                    lines.push(format!("  month = {abbr},"));
                }
            }
            let mut note = Vec::new();
            if let Some(cr) = &c.created {
                note.push(format!("Created {}", bibtex_escape(cr)));
            }
            if let Some(r) = &c.released {
                note.push(format!("released by WikiLeaks {}", bibtex_escape(r)));
            }
            if !note.is_empty() {
                lines.push(format!("  note = {{{}}},", note.join("; ")));
            }
            lines.push(format!("  url = {{{}}}", target.url.replace(['{', '}'], "")));
            lines.push("}".to_string());
            lines.join("\n")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64url_round_trips_every_length() {
        for n in 0..70u8 {
            let bytes: Vec<u8> = (0..n).map(|i| i.wrapping_mul(37).wrapping_add(n)).collect();
            let mut s = String::new();
            base64url_encode(&bytes, &mut s);
            assert!(s.bytes().all(|b| B64.contains(&b)));
            assert_eq!(base64url_decode(&s).as_deref(), Some(&bytes[..]), "length {n}");
        }
        assert_eq!(base64url_decode("A"), None);
        assert_eq!(base64url_decode("ab=c"), None);
    }

    #[test]
    fn payloads_round_trip_and_refuse_damage() {
        let text = "UNCLASSIFIED\nSUBJECT: ÜBER ALLES\n\n1. (U) Text. ".repeat(40);
        let p = encode_payload(&text);
        assert!(p.len() < text.len() / 3, "compressed to {} of {}", p.len(), text.len());
        assert_eq!(decode_payload(&p).as_deref(), Ok(text.as_str()));
        // Cut short, altered, wrong version, foreign characters, empty.
        assert_eq!(decode_payload(&p[..p.len() - 6]), Err(PayloadError::Damaged));
        let mut altered = p.clone().into_bytes();
        let mid = altered.len() / 2;
        altered[mid] = if altered[mid] == b'A' { b'B' } else { b'A' };
        assert!(decode_payload(std::str::from_utf8(&altered).unwrap()).is_err());
        assert_eq!(decode_payload(&format!("9{}", &p[1..])), Err(PayloadError::Version));
        assert_eq!(decode_payload("1<script>alert(1)</script>"), Err(PayloadError::Characters));
        assert_eq!(decode_payload(""), Err(PayloadError::Size(0)));
        assert_eq!(decode_payload(&"1A".repeat(MAX_PAYLOAD_CHARS)), Err(PayloadError::Size(2 * MAX_PAYLOAD_CHARS)));
        assert!(decode_payload("1AAAA").is_err());
    }

    #[test]
    fn decompression_bombs_are_refused() {
        let bomb = vec![b'A'; MAX_TEXT_BYTES + 10];
        let mut p = String::from("1");
        base64url_encode(&miniz_oxide::deflate::compress_to_vec_zlib(&bomb, 10), &mut p);
        assert!(p.len() < 20_000);
        assert_eq!(decode_payload(&p), Err(PayloadError::TooLarge));
        let binary = [0xff, 0xfe, 0x00, 0x80];
        let mut p = String::from("1");
        base64url_encode(&miniz_oxide::deflate::compress_to_vec_zlib(&binary, 10), &mut p);
        assert_eq!(decode_payload(&p), Err(PayloadError::NotText));
    }

    #[test]
    fn quotes_are_found_despite_case_and_spacing() {
        let text = "The  Leader's son\nsaid: Über alles, the end.";
        assert_eq!(quote_range(text, "said: Über"), Some((18, 29)));
        let (s, e) = quote_range(text, "leader's SON said").unwrap();
        assert_eq!(&text[s..e], "Leader's son\nsaid");
        let (s, e) = quote_range(text, "über ALLES").unwrap();
        assert_eq!(&text[s..e], "Über alles");
        assert_eq!(quote_range(text, "not there"), None);
        assert_eq!(quote_range(text, "   "), None);
    }

    fn cable() -> Cable {
        let mut c = cable_parser::parse("UNCLASSIFIED\nSUBJECT: X\n\n1. Text.").cables.remove(0);
        c.reference_id = Some("09TRIPOLI748".into());
        c.subject = Some("LIBYA: {50%} & more_".into());
        c.origin = Some("Embassy Tripoli".into());
        c.created = Some("2009-09-17 10:10".into());
        c.released = Some("2011-01-31 21:09".into());
        c.classification = Some("CONFIDENTIAL".into());
        c
    }

    #[test]
    fn citations_name_cable_paragraphs_and_link() {
        let c = cable();
        let t = CitationTarget { paragraphs: vec!["3".into(), "5".into()], url: "https://u.github.io/r/#/cable/09TRIPOLI748/par3..par5".into() };
        let plain = citation(&c, "09TRIPOLI748", &t, CitationFormat::Plain);
        assert_eq!(
            plain,
            "Embassy Tripoli, “LIBYA: {50%} & more_”, cable 09TRIPOLI748, ¶3–5, 17 September 2009, CONFIDENTIAL, released by WikiLeaks 2011-01-31. https://u.github.io/r/#/cable/09TRIPOLI748/par3..par5"
        );
        let md = citation(&c, "09TRIPOLI748", &t, CitationFormat::Markdown);
        assert!(md.contains("[09TRIPOLI748](https://u.github.io/r/#/cable/09TRIPOLI748/par3..par5)"), "{md}");
        assert!(md.contains("more\\_"), "{md}");
        let bib = citation(&c, "09TRIPOLI748", &t, CitationFormat::Bibtex);
        assert!(bib.starts_with("@misc{09TRIPOLI748p3,"), "{bib}");
        assert!(bib.contains("title = {{LIBYA: \\{50\\%\\} \\& more\\_}}"), "{bib}");
        assert!(bib.contains("month = sep,") && bib.contains("year = {2009},") && bib.contains("para.~3--5"), "{bib}");
        // Braces from the subject cannot close the entry early.
        let opens = bib.matches('{').count() - bib.matches("\\{").count();
        let closes = bib.matches('}').count() - bib.matches("\\}").count();
        assert_eq!(opens, closes, "{bib}");
    }
}
