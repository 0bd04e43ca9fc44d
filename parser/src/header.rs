//! The routing header: where it ends, and what it says (transmission id, precedence, date-time
//! group, sender, addressees).

use crate::model::{Recipient, Span};
use crate::text::{lines_at, starts_with_ci};

/// Where the header and body of a cable text are, and whether it is a partial extract.
#[derive(Debug, Clone, Copy)]
pub struct Split {
    /// The routing header (may be empty).
    pub header: Span,
    /// The body.
    pub body: Span,
    /// True when the header is the "partial extract" notice.
    pub partial: bool,
}

/// The notice WikiLeaks puts in place of the header of partial extracts.
pub const PARTIAL_NOTICE: &str = "This record is a partial extract of the original cable";

/// Classification words that open a cable body (the banner), longest first.
const BANNER_WORDS: &[&str] = &[
    "C O N F I D E N T I A L",
    // A spaced banner whose first space slipped (so is `SE C R E T` below).
    "CO N F I D E N T I A L",
    "O N F I D E N T I A L",
    "SS E C R E T",
    "E C R E T",
    "S E C R E T",
    "SE C R E T",
    "U N C L A S",
    "LIMITED OFFICIAL USE",
    "SENSITIVE BUT UNCLASSIFIED",
    "UNCLASSIFIED",
    "CONFIDENTIAL",
    "UNCLAS",
    "SECRET",
];

/// If `s` starts with a classification banner word, its length.
pub fn banner_word_at(s: &str) -> Option<usize> {
    // The first two letters of the banner words, tested before any word (this runs on most lines).
    let b = s.as_bytes();
    match (b.first().map(u8::to_ascii_uppercase), b.get(1).map(u8::to_ascii_uppercase)) {
        (Some(b'C' | b'O' | b'E' | b'S' | b'U'), Some(b' ')) | (Some(b'S'), Some(b'S' | b'E')) | (Some(b'L'), Some(b'I')) | (Some(b'U'), Some(b'N')) | (Some(b'C'), Some(b'O')) => {
            BANNER_WORDS.iter().find(|w| w.as_bytes()[..2].eq_ignore_ascii_case(&b[..2]) && starts_with_ci(s, w)).map(|w| w.len())
        }
        _ => None,
    }
}

/// A banner glued to the end of the last header line (`...EUCOMCSAFUNCLASSIFIED SECTION 01 OF 01`):
/// the offset in `line` where it starts.
fn glued_banner(line: &str) -> Option<usize> {
    let b = line.as_bytes();
    let mut from = 1;
    // Candidate positions: the first letters of the banner words (C, S, U), after the line's start.
    while from < b.len() {
        let Some(off) = memchr::memchr3(b'C', b'S', b'U', &b[from..]) else { break };
        let p = from + off;
        from = p + 1;
        // The second letter of each banner word: ' ' (spaced), N (UNCLAS), O (CONFIDENTIAL), E (SECRET).
        if !matches!(b.get(p + 1), Some(b' ' | b'N' | b'O' | b'E')) {
            continue;
        }
        let Some(w) = ["C O N F I D E N T I A L", "S E C R E T", "UNCLASSIFIED", "UNCLAS", "CONFIDENTIAL", "SECRET"]
            .into_iter()
            .find(|w| b[p..].starts_with(w.as_bytes()))
        else {
            continue;
        };
        {
            let rest = &line[p + w.len()..];
            // A banner ends with a serial number or goes on with SECTION / E F T O / a station.
            let has_number = rest.split_whitespace().any(|t| t.len() >= 3 && t.bytes().take(3).all(|b| b.is_ascii_digit()));
            if has_number && rest.len() < 120 {
                return Some(p);
            }
        }
    }
    None
}

/// True when `line` (trimmed) looks like a line of a routing header outside the address blocks.
fn is_routing_line(t: &str) -> bool {
    if t.is_empty() {
        return true;
    }
    let b = t.as_bytes();
    if t.starts_with("VZCZC") || t.starts_with("DE ") || t.starts_with("ZNY ") || t.starts_with("ZNR ")
        || t.starts_with("FM ") || t.starts_with("TO ") || t.starts_with("INFO ") || t.starts_with("ZEN")
        || t.starts_with("ACTION ") || t.starts_with("XMT ") || t == "BT" || t.starts_with("ZFR")
        || t.starts_with("ZDK") || t.starts_with("ZUI") || t.starts_with("ZOC") || t.starts_with("ZZH")
        || t.starts_with("TOR ") || t.starts_with("PAGE ") || t.starts_with("ORIGIN ")
        || (t.contains("-0") && t.split_whitespace().all(|w| w.contains('-') || w.starts_with('/') || w == "INFO" || w.starts_with("---")))
    {
        return true;
    }
    // Continuation of a precedence line: routing indicators only ("RUEHVK RUEHYG").
    if t.split_whitespace().all(|w| (4..=8).contains(&w.len()) && w.starts_with('R') && w.bytes().all(|c| c.is_ascii_uppercase())) {
        return true;
    }
    // Precedence lines: "OO RUEHBC RUEHDE", "RR RUEHWEB", and date-time group lines "O P 171049Z SEP 09".
    if b.len() >= 3 && matches!(b[0], b'O' | b'P' | b'R' | b'Z') && (b[1] == b' ' || (b[1] == b[0] && b[2] == b' ')) {
        return true;
    }
    dtg_in(t).is_some()
}

/// True when the first line of a text starts a routing header.
pub fn starts_routing(first: &str) -> bool {
    let t = first.trim();
    t.starts_with("VZCZC") || t.starts_with("FM ") || t.starts_with("ORIGIN ") || t.starts_with("INFO  LOG-") || t.starts_with("ACTION ") || dtg_in(t).is_some_and(|(s, _)| s <= 6)
}

/// Finds a date-time group (`171049Z SEP 09`) in `t`: its start and end.
pub fn dtg_in(t: &str) -> Option<(usize, usize)> {
    let b = t.as_bytes();
    let mut i = 0;
    while i + 14 <= b.len() {
        if b[i..i + 6].iter().all(u8::is_ascii_digit)
            && b[i + 6] == b'Z'
            && b[i + 7] == b' '
            && (i == 0 || b[i - 1] == b' ')
            && crate::text::month_number(&t[i + 8..]).is_some()
            && b[i + 11] == b' '
            && b[i + 12].is_ascii_digit()
            && b[i + 13].is_ascii_digit()
            && (i + 14 == b.len() || !b[i + 14].is_ascii_digit())
        {
            return Some((i, i + 14));
        }
        i += 1;
    }
    None
}

/// Where the header ends and the body begins in a whole cable text.
pub fn split(text: &str) -> Split {
    let start = text.len() - text.trim_start().len();
    let trimmed = &text[start..];
    if starts_with_ci(trimmed, PARTIAL_NOTICE) {
        // The notice ends with "not available." or at the end of its line.
        let line_end = trimmed.find('\n').unwrap_or(trimmed.len());
        let mut end = line_end;
        if let Some(p) = trimmed[..line_end].find("not available.") {
            end = p + "not available.".len();
        }
        let body_start = if end == line_end { (start + line_end + 1).min(text.len()) } else { start + end };
        return Split { header: Span::new(start, start + end), body: Span::new(body_start, text.len()), partial: true };
    }
    let first_line = trimmed.lines().next().unwrap_or("");
    if !starts_routing(first_line) {
        // A forwarded cable (an e-mail's "Sent:/To:/Subject:" lines first): the routing header may
        // start a few lines down.
        let window = &trimmed[..crate::text::floor_boundary(trimmed, 2000)];
        let vz = lines_at(window, start).find(|l| l.text.starts_with("VZCZC") && l.start > start);
        return match vz {
            Some(l) => {
                let inner = split(&text[l.start..]);
                Split {
                    header: Span::new(l.start + inner.header.start, l.start + inner.header.end),
                    body: Span::new(l.start + inner.body.start, text.len()),
                    partial: inner.partial,
                }
            }
            None => Split { header: Span::new(start, start), body: Span::new(start, text.len()), partial: false },
        };
    }
    let mut in_addresses = false;
    let mut header_end = start;
    for line in lines_at(trimmed, start) {
        let t = line.text.trim();
        let indent = line.text.len() - line.text.trim_start().len();
        if banner_word_at(t).is_some() {
            return Split { header: Span::new(start, header_end), body: Span::new(line.start + indent, text.len()), partial: false };
        }
        let opens_block = t.starts_with("TO ") || t.starts_with("INFO ") || t.starts_with("XMT ") || t.starts_with("ACTION ") || t == "TO" || t == "INFO";
        if opens_block {
            in_addresses = true;
        }
        if in_addresses {
            if let Some(p) = glued_banner(line.text) {
                return Split {
                    header: Span::new(start, line.start + p),
                    body: Span::new(line.start + p, text.len()),
                    partial: false,
                };
            }
            if !opens_block && (looks_like_residue(t) || !is_addressee_line(t)) {
                return Split { header: Span::new(start, header_end), body: Span::new(line.start + indent, text.len()), partial: false };
            }
        } else if !is_routing_line(t) {
            return Split { header: Span::new(start, header_end), body: Span::new(line.start + indent, text.len()), partial: false };
        }
        if !t.is_empty() {
            header_end = line.end();
        }
    }
    // No body found: everything is header.
    Split { header: Span::new(start, text.len()), body: Span::new(text.len(), text.len()), partial: false }
}

/// True for a line of a TO/INFO block: upper case, no field label of the body.
fn is_addressee_line(t: &str) -> bool {
    if t.is_empty() {
        return true;
    }
    if t.bytes().any(|b| b.is_ascii_lowercase()) || t.starts_with('¶') {
        return false;
    }
    const BODY_STARTS: &[&str] = &[
        "SIPDIS", "E.O.", "EO 12958", "E O 12958", "TAGS", "SUBJ", "REF", "CLASSIFIED BY", "NOFORN", "SENSITIVE",
        "DEPT FOR", "DEPARTMENT FOR", "STATE FOR", "PASS TO", "FOR ", "1. ", "1.(", "SUMMARY", "NODIS", "EXDIS",
        "LIMDIS", "CORRECTED COPY", "SPECIAL HANDLING",
    ];
    !BODY_STARTS.iter().any(|w| t.starts_with(w))
}

/// Lines that start a database record pasted into some bodies (`102374`, `id: 101791`, `<<142612>>`,
/// `2006-05-05 15:15:00`, a tab-separated record).
fn looks_like_residue(t: &str) -> bool {
    (t.len() >= 5 && t.len() <= 7 && t.bytes().all(|b| b.is_ascii_digit()))
        || t.starts_with("id: ")
        || t.starts_with("<<")
        || t.starts_with("Cable dated:")
        || (t.len() >= 10 && t.as_bytes()[4] == b'-' && t.as_bytes()[..4].iter().all(u8::is_ascii_digit) && t.as_bytes()[0] != b'0')
        || t.contains('\t')
}

/// What the routing header says.
#[derive(Debug, Default, Clone)]
pub struct HeaderFields {
    /// First `VZCZC...` token.
    pub transmission_id: Option<String>,
    /// Precedence prosigns before the date-time group (`O P`).
    pub precedence: Option<String>,
    /// The date-time group (`171049Z SEP 09`).
    pub date_time_group: Option<String>,
    /// The `FM` line without `FM`.
    pub from: Option<String>,
    /// The `TO` block.
    pub recipients: Vec<Recipient>,
    /// The `INFO` block.
    pub info_recipients: Vec<Recipient>,
    /// The serial of the `DE` line (`#0748/01` gives `0748`).
    pub de_serial: Option<String>,
}

const PRECEDENCES: &[&str] = &["NIACT IMMEDIATE", "FLASH", "IMMEDIATE", "PRIORITY", "ROUTINE"];

/// The name without a precedence that ends it, and the precedence.
fn strip_precedence(name: &str) -> Option<(&str, &'static str)> {
    PRECEDENCES.iter().find_map(|p| {
        let at = name.len().checked_sub(p.len() + 1)?;
        (name.ends_with(p) && name.as_bytes()[at] == b' ').then(|| (name[..at].trim_end(), *p))
    })
}

/// The name without the message control number that ends it, and the number: three digits or
/// more (`AMEMBASSY DHAKA 757`), a range of them (`AMEMBASSY KYIV NIACT IMMEDIATE 7881-7884`), or
/// four glued to the last word (`SECSTATE WASHDC0000`).
fn strip_mcn(name: &str) -> Option<(&str, &str)> {
    let digits = crate::text::all_digits;
    let (head, last) = match name.rfind(' ') {
        Some(sp) => (&name[..sp], &name[sp + 1..]),
        None => ("", name),
    };
    let range = last.split_once('-').is_some_and(|(a, b)| a.len() >= 3 && digits(a) && digits(b));
    if !head.is_empty() && ((last.len() >= 3 && digits(last)) || range) {
        return Some((head.trim_end(), last));
    }
    // Bytes, not a slice of the text: `w` may fall inside a character.
    let b = last.as_bytes();
    let word = b.len().checked_sub(4).filter(|&w| w >= 3 && b[w..].iter().all(u8::is_ascii_digit) && b[..w].iter().all(u8::is_ascii_uppercase))?;
    Some((name[..name.len() - 4].trim_end(), &last[word..]))
}

/// True for a line in an address list that is no address: a scrape's metadata (`Cable dated:...`,
/// `DATE: ...`, tab- or comma-separated fields), a date, a bare number, or a banner the body split
/// did not recognise (`CO N F I D E N T I A L SECTION 01 OF 06 PARIS`).
fn not_an_address(t: &str) -> bool {
    let b = t.as_bytes();
    // `2009-02-05` (four digits, a dash, two more, a dash, room for the day) or `/2008 `; found
    // from their dashes and slashes, which few address lines have.
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    let date = memchr::memchr_iter(b'-', b).any(|d| d >= 4 && d + 6 <= b.len() && b[d + 3] == b'-' && digits(d - 4..d))
        || memchr::memchr_iter(b'/', b).any(|s| s + 6 <= b.len() && b[s + 5] == b' ' && digits(s + 1..s + 5));
    // Office symbols after `//` may hold colons (`SECDEF WASHDC//USDP:PDUSDP/ISA:EUR//`).
    let address = crate::text::find_str(t, "//").map_or(t, |p| &t[..p]);
    t.contains('\t') || address.contains([':', ',']) || date || crate::text::all_digits(t) || crate::text::find_str(t, " SECTION 0").is_some()
}

/// Parses one addressee line such as `RUEHC/SECSTATE WASHDC IMMEDIATE 5271`.
pub fn parse_recipient(line: &str) -> Option<Recipient> {
    let mut t = line.trim();
    if t.is_empty() || t == "BT" || t.starts_with("XMT") || t.starts_with("PAGE ") {
        return None;
    }
    let mut route = None;
    if let Some(slash) = t.find('/') {
        let r = &t[..slash];
        if (3..=8).contains(&r.len()) && r.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()) {
            route = Some(r.to_string());
            t = &t[slash + 1..];
        }
    }
    let mut name = t.trim();
    // `NAME PRECEDENCE MCN`, also `NAME MCN PRECEDENCE` (`AMEMBASSY LONDON 8778 PRIORITY`).
    let mut precedence = strip_precedence(name).map(|(rest, p)| {
        name = rest;
        p
    });
    let mut mcn = None;
    if let Some((rest, m)) = strip_mcn(name) {
        mcn = Some(m.to_string());
        name = rest;
        if precedence.is_none() {
            precedence = strip_precedence(name).map(|(rest, p)| {
                name = rest;
                p
            });
        }
    }
    let precedence = precedence.map(str::to_string);
    if name.is_empty() {
        return None;
    }
    Some(Recipient { route, name: name.to_string(), precedence, mcn })
}

/// Reads the fields of a routing header.
pub fn parse_header(header: &str) -> HeaderFields {
    let mut f = HeaderFields::default();
    #[derive(PartialEq)]
    enum Block {
        None,
        To,
        Info,
    }
    let mut block = Block::None;
    for line in crate::text::lines(header).map(|l| l.text) {
        let t = line.trim();
        if f.transmission_id.is_none() {
            if let Some(p) = crate::text::find_str(t, "VZCZC") {
                let tok = t[p..].split_whitespace().next().unwrap_or("");
                f.transmission_id = Some(tok.to_string());
                continue;
            }
        }
        if let Some(rest) = t.strip_prefix("DE ") {
            if let Some(h) = rest.find('#') {
                let serial: String = rest[h + 1..].chars().take_while(|c| c.is_ascii_digit()).collect();
                if !serial.is_empty() {
                    f.de_serial = Some(serial);
                }
            }
            continue;
        }
        if f.date_time_group.is_none() {
            if let Some((s, e)) = dtg_in(t) {
                let prec = t[..s].trim();
                // Inside an address list, only a line that is a date-time group and its precedence
                // (`O 071310Z JAN 10` after a distribution block's `INFO LOG-00 ...`) is one.
                let alone = e == t.len() && prec.len() <= 3 && prec.bytes().all(|b| b.is_ascii_uppercase() || b == b' ');
                if block == Block::None || alone {
                    f.date_time_group = Some(t[s..e].to_string());
                    if !prec.is_empty() {
                        f.precedence = Some(prec.to_string());
                    }
                    block = Block::None;
                    continue;
                }
            }
        }
        if let Some(rest) = t.strip_prefix("FM ") {
            f.from = Some(rest.trim().to_string());
            block = Block::None;
            // The addressees follow the FM line. An INFO list before it is a received telegram's
            // distribution (2000-era `PAGE 01` blocks: `ACTION AF-00`, `INFO LOG-00 NP-00 ...`,
            // then `----8A8E0D 271459Z /38`), not an addressee.
            f.recipients.clear();
            f.info_recipients.clear();
            continue;
        }
        let (rest, new_block) = if let Some(r) = t.strip_prefix("TO ") {
            (r, Some(Block::To))
        } else if t == "TO" {
            ("", Some(Block::To))
        } else if let Some(r) = t.strip_prefix("INFO ") {
            (r, Some(Block::Info))
        } else if t == "INFO" {
            ("", Some(Block::Info))
        } else {
            (t, None)
        };
        if let Some(b) = new_block {
            block = b;
        }
        if t.starts_with("XMT") || t == "BT" {
            block = Block::None;
            continue;
        }
        if block != Block::None && not_an_address(rest) {
            block = Block::None;
            continue;
        }
        let list = match block {
            Block::To => &mut f.recipients,
            Block::Info => &mut f.info_recipients,
            Block::None => continue,
        };
        if let Some(r) = parse_recipient(rest) {
            list.push(r);
        }
    }
    f
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recipient_parts() {
        let r = parse_recipient("RUEHC/SECSTATE WASHDC IMMEDIATE 5271").unwrap();
        assert_eq!(r.route.as_deref(), Some("RUEHC"));
        assert_eq!(r.name, "SECSTATE WASHDC");
        assert_eq!(r.precedence.as_deref(), Some("IMMEDIATE"));
        assert_eq!(r.mcn.as_deref(), Some("5271"));
        let r = parse_recipient("RHEHAAA/NSC WASHINGTON DC").unwrap();
        assert_eq!(r.name, "NSC WASHINGTON DC");
        assert_eq!(r.mcn, None);
    }

    #[test]
    fn recipient_control_numbers_in_every_written_form() {
        let r = parse_recipient("RUEHLO/AMEMBASSY LONDON 8778 PRIORITY").unwrap();
        assert_eq!((r.name.as_str(), r.precedence.as_deref(), r.mcn.as_deref()), ("AMEMBASSY LONDON", Some("PRIORITY"), Some("8778")));
        let r = parse_recipient("ZEN/AMEMBASSY KYIV NIACT IMMEDIATE 7881-7884").unwrap();
        assert_eq!((r.name.as_str(), r.precedence.as_deref(), r.mcn.as_deref()), ("AMEMBASSY KYIV", Some("NIACT IMMEDIATE"), Some("7881-7884")));
        let r = parse_recipient("RUEHKA/AMEMBASSY DHAKA 757").unwrap();
        assert_eq!((r.name.as_str(), r.mcn.as_deref()), ("AMEMBASSY DHAKA", Some("757")));
        let r = parse_recipient("RUEHUNV/USMISSION UNVIE VIENNA0162").unwrap();
        assert_eq!((r.name.as_str(), r.mcn.as_deref()), ("USMISSION UNVIE VIENNA", Some("0162")));
        // Numbers that are part of a name stay in it.
        for name in ["CTF 72", "AFOSI DET 522 INCIRLIK AB TU", "CDR650THMIGP SHAPE BE", "DIRNSA 55-1 REPORTING FT GEORGE G MEADE MD", "USFJ //J5/JO21//"] {
            let r = parse_recipient(name).unwrap();
            assert_eq!((r.name.as_str(), r.mcn), (name, None), "{name}");
        }
    }

    #[test]
    fn fuzz_crash_a_control_number_test_inside_a_character() {
        // cargo fuzz: the glued-number test sliced `~-\u{FC}/22` four bytes from its end, inside `\u{FC}`.
        let input = b"INFO  LOG- \nF~-4. 0F\nX\\.~-\nF~-4. 0F\n LOG- \xe6\nF~-4. 0F\nX\\.~-\xfc/22\nVZCZCW)L.T7H3-123X__,5";
        let text = String::from_utf8_lossy(input);
        let _ = crate::parse(&text);
        assert_eq!(parse_recipient("X\\.~-\u{FFFD}/22").map(|r| r.mcn), Some(None));
        assert_eq!(strip_mcn("AB \u{FFFD}\u{FFFD}22"), None);
    }

    #[test]
    fn lines_that_are_no_address_end_the_list() {
        let header = "FM AMEMBASSY KUWAIT\nTO SECSTATE WASHDC 0001\nINFO GULF COOPERATION COUNCIL COLLECTIVE\n\nRHEHNSC/NSC WASHDC\nDATE: 2009-02-05 16:36:00\nCSE C R E T SECTION 01 OF 02 SHENYANG\n";
        let f = parse_header(header);
        let names: Vec<_> = f.info_recipients.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["GULF COOPERATION COUNCIL COLLECTIVE", "NSC WASHDC"], "an empty line does not end the list; metadata and a banner do");
        for line in ["Cable dated:2002-11-15T12:40:00", "Wednesday, 29 November 2000, 13:59", "9/22/2008 14:07 CONFIDENTIAL", "2009-06-23 10:45:00\t09BERN260\tEmbassy Bern", "167579", "NCLAS SECTION 01 OF 02 BRASILIA"] {
            assert!(not_an_address(line), "{line}");
        }
        for line in ["SECDEF WASHDC//USDP:PDUSDP/ISA:EUR//", "RUEHC/SECSTATE WASHDC 0001", "COMUSJAPAN YOKOTA AB JA//J5/JO21//", ""] {
            assert!(!not_an_address(line), "{line}");
        }
    }

    #[test]
    fn split_glued_header() {
        let t = "VZCZCXYZ\nRR RUEHWEB\nDE RUEHVL #0068 0391111\nR 081111Z FEB 08\nFM AMCONSUL VLADIVOSTOK\nTO RUEHC/SECSTATE WASHDC 0001\nINFO AMCONSUL VLADIVOSTOKUNCLAS VLADIVOSTOK 000068\n\nSIPDIS\n";
        let s = split(t);
        assert!(t[s.body.start..].starts_with("UNCLAS VLADIVOSTOK 000068"));
        assert!(t[..s.header.end].ends_with("AMCONSUL VLADIVOSTOK"));
    }

    #[test]
    fn every_banner_word_passes_the_quick_test() {
        for w in BANNER_WORDS {
            assert_eq!(banner_word_at(w), Some(w.len()), "{w}");
            assert_eq!(banner_word_at(&w.to_ascii_lowercase()), Some(w.len()), "{w}");
        }
    }

    #[test]
    fn dtg_found() {
        assert_eq!(dtg_in("O P 171049Z SEP 09"), Some((4, 18)));
        assert_eq!(dtg_in("no date"), None);
    }
}
