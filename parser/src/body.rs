//! The cable body: banner, preamble fields (E.O., TAGS, SUBJECT, REF, Classified By), summary,
//! signers, numbered paragraphs and their clean text.

use crate::header::banner_word_at;
use crate::ids::{canonical_station, looks_like_id, make_id};
use crate::model::{Paragraph, Reference, Span};
use crate::text::{
    collapse_ws, find_ci, find_ci_from, find_str, find_word_ci, full_year, lines, lines_at, month_number, starts_with_ci,
    has_lowercase, trim_end_ws, trim_start_blanks, trim_start_ws, LineStarts,
};

/// The classification banner that opens a body: `C O N F I D E N T I A L SECTION 01 OF 05 TRIPOLI 000748`.
#[derive(Debug, Default, Clone)]
pub struct Banner<'a> {
    /// Where the banner line is, relative to the body.
    pub span: Span,
    /// The classification words as written.
    pub words: &'a str,
    /// The rest of the banner line after the classification words.
    pub rest: &'a str,
    /// The station as written (`SAN JOSE`).
    pub station_words: Option<String>,
    /// The serial as written (`000748`).
    pub serial: Option<String>,
}

/// Finds the first banner in `body` (within its first lines) and reads it: the first that names a
/// station and serial, else the first (a 2000-era telegram copied with its `PAGE 01` header opens
/// with `CONFIDENTIAL     PTQ2529` and has the full banner after its routing block).
pub fn find_banner(body: &str) -> Option<Banner<'_>> {
    let mut first: Option<Banner> = None;
    let limit = crate::text::floor_boundary(body, 4000);
    for line in lines_at(&body[..limit], 0) {
        let t = line.text.trim_start();
        let indent = line.text.len() - t.len();
        // "Cable dated:2005-11-29T14:19:00C O N F I D E N T I A L CAIRO 008938SIPDIS..."
        let (t, extra) = match t.strip_prefix("Cable dated:") {
            Some(r) if r.len() > 19 && r.is_char_boundary(19) => (&r[19..], indent + "Cable dated:".len() + 19),
            _ => (t, indent),
        };
        // Quote marks and commas left by a scrape in front of the banner: `","C O N F I D E N T I A L`.
        let after_junk = t.trim_start_matches(['"', ',']);
        let (t, extra) = (after_junk, extra + (t.len() - after_junk.len()));
        if let Some(wl) = banner_word_at(t) {
            let rest = &t[wl..];
            let mut b = Banner {
                span: Span::new(line.start + extra, line.end()),
                words: &t[..wl],
                rest,
                ..Banner::default()
            };
            read_station_serial(rest, &mut b);
            if b.serial.is_some() {
                return Some(b);
            }
            first.get_or_insert(b);
        }
    }
    first
}

/// Words in a banner between the classification and the station that are not part of the station.
const BANNER_QUALIFIERS: &[&str] = &[
    "SECTION", "OF", "E", "F", "T", "O", "EFTO", "SENSITIVE", "NOFORN", "SIPDIS", "NODIS", "EXDIS", "LIMDIS",
    "CORRECTED", "COPY", "FOR", "OFFICIAL", "USE", "ONLY", "SBU", "BUT", "UNCLASSIFIED", "USG", "ELECTRONIC",
    "AS", "SPECAT", "STADIS", "//", "-", "QQQQ", "CHANGE", "INFO", "ALDAC", "(SBU)", "CONFIDENTIAL", "SECRET",
];

fn read_station_serial(rest: &str, b: &mut Banner<'_>) {
    let toks: Vec<&str> = rest.split_whitespace().collect();
    // The first token that starts with three digits is the serial (glued residue allowed: 008938SIPDIS).
    let Some(k) = toks.iter().position(|t| {
        let d = t.bytes().take_while(u8::is_ascii_digit).count();
        d >= 3 && (d == t.len() || t.as_bytes()[d].is_ascii_alphabetic() || t.as_bytes()[d] == b'.')
    }) else {
        return;
    };
    if k == 0 {
        return;
    }
    // Section numbers ("SECTION 01 OF 05") come before the station: skip them and qualifiers.
    let mut j = k;
    while j > 0 {
        let w = toks[j - 1];
        if BANNER_QUALIFIERS.iter().any(|q| q.eq_ignore_ascii_case(w)) || w.bytes().all(|c| c.is_ascii_digit()) || !w.bytes().all(|c| c.is_ascii_alphabetic()) {
            break;
        }
        j -= 1;
    }
    // A redacted station (`XXXXXXXXXXXX 000004`) names none: the FM line and DE serial will.
    if j == k || toks[j..k].iter().all(|t| t.bytes().all(|c| c == b'X')) {
        return;
    }
    // The station's words, upper case, one space between them.
    let mut station = String::with_capacity(toks[j..k].iter().map(|t| t.len() + 1).sum());
    for (n, t) in toks[j..k].iter().enumerate() {
        if n > 0 {
            station.push(' ');
        }
        station.push_str(t);
    }
    station.make_ascii_uppercase();
    let digits = toks[k].bytes().take_while(u8::is_ascii_digit).count();
    b.station_words = Some(station);
    b.serial = Some(toks[k][..digits].to_string());
}

/// The reference id a banner implies, given the cable's year.
pub fn banner_id(b: &Banner<'_>, year: u32) -> Option<String> {
    let st = b.station_words.as_deref()?;
    let serial = b.serial.as_deref()?;
    Some(make_id(year, &canonical_station(st), serial))
}

/// Classification from the banner and the NOFORN / SBU markings near it, as WikiLeaks lists it.
pub fn classification(banner: &Banner<'_>, preamble: &str) -> String {
    let w: String = banner.words.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_uppercase();
    let base = if w.contains("ONFIDENTIAL") {
        "CONFIDENTIAL"
    } else if w.contains("ECRET") {
        "SECRET"
    } else {
        "UNCLASSIFIED"
    };
    let head = &preamble[..crate::text::floor_boundary(preamble, 1500)];
    let noforn = banner.rest.contains("NOFORN") || noforn_line(head);
    if base == "UNCLASSIFIED" {
        let sensitive = find_word_ci(banner.rest, "SENSITIVE", 0).is_some()
            || find_ci(banner.rest, "FOR OFFICIAL USE ONLY").is_some()
            || w.contains("SENSITIVEBUTUNCLASSIFIED")
            || w.contains("LIMITEDOFFICIALUSE")
            || sensitive_line(head);
        if sensitive {
            return "UNCLASSIFIED//FOR OFFICIAL USE ONLY".into();
        }
        return "UNCLASSIFIED".into();
    }
    if noforn {
        format!("{base}//NOFORN")
    } else {
        base.into()
    }
}

fn noforn_line(head: &str) -> bool {
    // A line that is, or starts with, NOFORN (also "NOFORN SIPDIS", "NOFORN//", "Noforn" in a
    // text a scrape lower-cased), or follows SIPDIS on its line ("SIPDIS NOFORN", "SIPDIS, NOFORN").
    let mut pos = 0;
    while let Some(p) = find_ci_from(head, "NOFORN", pos) {
        let line_start = memchr::memrchr(b'\n', &head.as_bytes()[..p]).map_or(0, |i| i + 1);
        let before = head[line_start..p].trim().trim_end_matches(',').trim_end();
        let after_sipdis = before.len() >= 6 && before.as_bytes()[before.len() - 6..].eq_ignore_ascii_case(b"SIPDIS");
        if before.is_empty() || before.ends_with("//") || after_sipdis {
            return true;
        }
        pos = p + 6;
    }
    false
}

fn sensitive_line(head: &str) -> bool {
    let mut pos = 0;
    while let Some(p) = find_word_ci(head, "SENSITIVE", pos) {
        let line_start = memchr::memrchr(b'\n', &head.as_bytes()[..p]).map_or(0, |i| i + 1);
        let before = head[line_start..p].trim();
        let after = head[p + 9..].lines().next().unwrap_or("").trim();
        let in_subject = starts_with_ci(before, "SUBJ");
        let caption = &head[p..p + 9] == "SENSITIVE";
        if !in_subject
            && caption
            && (after.is_empty() || after.starts_with("SIPDIS") || after.starts_with("BUT UNCLASSIFIED") || (before.is_empty() && after.len() < 12))
        {
            return true;
        }
        pos = p + 9;
    }
    false
}

/// A paragraph start found in the body.
#[derive(Debug, Clone)]
struct ParaStart<'a> {
    /// Offset of the paragraph (its `¶` or number) in the body.
    at: usize,
    /// Number or letter.
    number: &'a str,
    /// Offset where the paragraph's own text begins (after number and marking).
    text_at: usize,
    marking: Option<&'a str>,
}

/// Reads a paragraph opener at the start of `s` (already left-trimmed): `¶5.`, `5. (C)`, `B.`.
/// Returns (number, length of the opener including any marking, marking).
fn opener(s: &str, pilcrow_required: bool) -> Option<(&str, usize, Option<&str>)> {
    let mut i = 0;
    let b = s.as_bytes();
    let has_pilcrow = s.starts_with('¶');
    if has_pilcrow {
        i += '¶'.len_utf8();
    } else if pilcrow_required {
        return None;
    }
    let num_start = i;
    while i < b.len() && b[i].is_ascii_digit() && i - num_start < 4 {
        i += 1;
    }
    let digits = i - num_start;
    if digits == 0 {
        if i < b.len() && b[i].is_ascii_uppercase() {
            i += 1;
        } else {
            return None;
        }
    } else if digits > 3 && !has_pilcrow {
        return None;
    }
    let number_end = i;
    if i >= b.len() || b[i] != b'.' {
        return None;
    }
    i += 1;
    // WikiLeaks anchored "N." followed by white space; "1.(C)" (no space) is accepted for numbers.
    let next = b.get(i).copied();
    match next {
        Some(b' ') | Some(b'\t') => {}
        Some(b'(') if digits > 0 => {}
        None if has_pilcrow => {}
        _ => return None,
    }
    if digits == 0 && !has_pilcrow {
        // A lettered paragraph must go on with text, not be an initial ("A. Smith").
        let after = s[i..].trim_start();
        if after.is_empty() {
            return None;
        }
    }
    let (mlen, marking) = marking_at(&s[i..]);
    Some((&s[num_start..number_end], i + mlen, marking))
}

/// A classification marking such as ` (C)` or `(S//NF)` at the start of `s`: its length and text.
fn marking_at(s: &str) -> (usize, Option<&str>) {
    let t = trim_start_blanks(s);
    let skipped = s.len() - t.len();
    if let Some(r) = t.strip_prefix('(') {
        if let Some(close) = r.find(')') {
            let m = &r[..close];
            if !m.is_empty() && m.len() <= 12 && m.bytes().all(|b| b.is_ascii_uppercase() || b == b'/' || b == b' ' || b == b'-') {
                let after = &r[close + 1..];
                let ws = after.len() - trim_start_blanks(after).len();
                return (skipped + 1 + close + 1 + ws, Some(m.trim()));
            }
        }
    }
    (skipped, None)
}

/// Finds paragraph starts in the body: lines opening with `¶N.` (or, without any `¶` in the text,
/// `N.`/`L.`), plus, for reflowed text, numbers that continue the sequence inside a line.
fn paragraph_starts(body: &str) -> Vec<ParaStart<'_>> {
    let pilcrows = body.contains('¶');
    let mut out = Vec::new();
    for line in lines_at(body, 0) {
        let t = trim_start_blanks(line.text);
        // What an opener must start with (a digit; a capital and a full stop; `¶`, C2 B6), checked
        // here before the full reading.
        let b = t.as_bytes();
        let may_open = match b.first() {
            Some(c) if c.is_ascii_digit() => true,
            Some(c) if c.is_ascii_uppercase() => b.get(1) == Some(&b'.'),
            Some(0xC2) => true,
            _ => false,
        };
        if !may_open {
            continue;
        }
        let indent = line.text.len() - t.len();
        if let Some((number, len, marking)) = opener(t, pilcrows) {
            let at = line.start + indent;
            out.push(ParaStart { at, number, text_at: at + len, marking });
        }
    }
    if pilcrows {
        return out;
    }
    // Reflowed text: "... HAPPENED? 17. (C) On the margins ..." continues the numbering inside a line.
    let mut i = 0;
    let mut result: Vec<ParaStart> = Vec::with_capacity(out.len());
    let mut last_num: Option<u32> = None;
    let mut search_from = 0;
    // Text with no paragraph at a line start (everything on a few long lines): find "1. (C)" inline.
    if out.is_empty() {
        if let Some(p) = find_inline(body, 1, 0, body.len()) {
            last_num = Some(1);
            search_from = p.text_at;
            result.push(p);
        }
    }
    loop {
        let next_known = out.get(i).map(|p| p.at).unwrap_or(body.len());
        if let Some(n) = last_num {
            let want = n + 1;
            if out.get(i).and_then(|p| p.number.parse::<u32>().ok()) != Some(want) {
                if let Some(p) = find_inline(body, want, search_from, next_known) {
                    last_num = Some(want);
                    search_from = p.text_at;
                    result.push(p);
                    continue;
                }
            }
        }
        let Some(p) = out.get(i) else { break };
        if let Ok(n) = p.number.parse::<u32>() {
            last_num = Some(n);
        }
        search_from = p.text_at;
        result.push(ParaStart { at: p.at, number: p.number, text_at: p.text_at, marking: p.marking });
        i += 1;
    }
    result
}

/// Finds `N.` followed by a marking like `(C)` inside running text, after a sentence end.
fn find_inline(body: &str, n: u32, from: usize, to: usize) -> Option<ParaStart<'_>> {
    let needle = format!("{n}.");
    let hay = &body[from..to];
    let mut pos = 0;
    while let Some(p) = find_str(&hay[pos..], &needle) {
        let at = pos + p;
        pos = at + needle.len();
        let before = hay[..at].trim_end_matches(' ');
        if before.len() == hay[..at].len() && at > 0 {
            continue; // glued to the previous word
        }
        let prev = before.chars().last();
        if !matches!(prev, Some('.') | Some('?') | Some('!') | Some('"') | Some(')') | Some(':') | Some('”') | Some('\n') | Some('-') | None)
            && !before.ends_with(|c: char| c.is_ascii_uppercase())
        {
            continue;
        }
        let after = &hay[at + needle.len()..];
        let (mlen, marking) = marking_at(after);
        if marking.is_none() {
            continue;
        }
        let abs = from + at;
        return Some(ParaStart { at: abs, number: &body[abs..abs + needle.len() - 1], text_at: abs + needle.len() + mlen, marking });
    }
    None
}

/// Splits the body into paragraphs (clean text) and returns them with the offset where the first
/// one starts (the end of the preamble). Offsets in spans are relative to `base` + body.
pub fn paragraphs(body: &str, base: usize) -> (Vec<Paragraph>, usize) {
    let starts = paragraph_starts(body);
    let occurrence = occurrences(&starts);
    let mut out: Vec<Paragraph> = Vec::with_capacity(starts.len());
    let mut pending_heading: Option<String> = None;
    for (k, s) in starts.iter().enumerate() {
        let mut end = starts.get(k + 1).map_or(body.len(), |n| n.at);
        let mut heading_after = None;
        if k + 1 < starts.len() {
            if let Some((cut, h)) = trailing_heading(&body[s.text_at.min(end)..end]) {
                end = s.text_at.min(end) + cut;
                heading_after = Some(h);
            }
        }
        let id = {
            let count = occurrence[k];
            let mut id = String::with_capacity(3 + s.number.len() + 4);
            id.push_str("par");
            id.push_str(s.number);
            if count > 1 {
                id.push('-');
                id.push_str(&count.to_string());
            }
            id
        };
        let raw = &body[s.text_at.min(end)..end];
        out.push(Paragraph {
            id,
            number: s.number.to_string(),
            marking: s.marking.map(str::to_string),
            text: clean_text(raw),
            heading: pending_heading.take(),
            span: Span::new(base + s.at, base + end),
        });
        pending_heading = heading_after;
    }
    let first = starts.first().map_or(body.len(), |s| s.at);
    (out, first)
}

/// For each paragraph start, how many starts so far have its number, itself included (1 for the
/// first `3.`, 2 for a second `3.`, which gets the id `par3-2`). The numbers are sorted, not hashed:
/// nearly every cable has a few distinct ones.
fn occurrences(starts: &[ParaStart<'_>]) -> Vec<u32> {
    let mut order: Vec<u32> = (0..starts.len() as u32).collect();
    // Stable: within one number, the starts stay in text order.
    order.sort_by_key(|&i| starts[i as usize].number);
    let mut out = vec![1; starts.len()];
    for w in 1..order.len() {
        let (prev, this) = (order[w - 1] as usize, order[w] as usize);
        if starts[prev].number == starts[this].number {
            out[this] = out[prev] + 1;
        }
    }
    out
}

/// A section heading at the end of a paragraph's raw text (the lines before the next paragraph):
/// upper-case lines of at most 90 characters, not ending like a sentence, in a paragraph that is
/// itself in mixed case. Returns where the heading starts and its text.
fn trailing_heading(raw: &str) -> Option<(usize, String)> {
    let mut cut = None;
    let mut parts: Vec<&str> = Vec::new();
    let mut end = raw.len();
    loop {
        let before = raw[..end].trim_end_matches([' ', '\t', '\n', '\r']);
        if before.is_empty() {
            break;
        }
        let line_start = memchr::memrchr(b'\n', before.as_bytes()).map_or(0, |i| i + 1);
        let line = before[line_start..].trim();
        let is_rule = !line.is_empty() && line.len() <= 90 && line.bytes().all(|b| b == b'-' || b == b'=' || b == b'_' || b == b' ');
        // (Cheapest tests first.)
        let heading_like = line.len() <= 90
            && !line.ends_with(['.', ',', ';', ':'])
            && line != "SIPDIS"
            && !has_lowercase(line)
            && line.chars().filter(|c| c.is_alphabetic()).nth(2).is_some()
            && !is_marker_line(line);
        if is_rule && parts.is_empty() {
            end = line_start;
            continue;
        }
        if !heading_like || line_start == 0 {
            break;
        }
        parts.push(line);
        cut = Some(line_start);
        end = line_start;
        if parts.len() >= 2 {
            break;
        }
    }
    let cut = match cut {
        Some(c) => c,
        None => return inline_heading(raw),
    };
    // The paragraph itself must be mixed case, or every wrapped line of an all-caps cable would do.
    if !has_lowercase(&raw[..cut]) {
        return None;
    }
    parts.reverse();
    Some((cut, parts.join(" ")))
}

/// A heading run into the end of a reflowed paragraph: `... did. WHAT REALLY HAPPENED?` — two or
/// more upper-case words after a sentence end.
fn inline_heading(raw: &str) -> Option<(usize, String)> {
    let t = raw.trim_end();
    let mut start = t.len();
    let mut words = 0;
    let mut letters = 0;
    for (i, w) in t.rsplit(' ').enumerate() {
        let w_start = start - w.len();
        if w.is_empty() {
            start = w_start.saturating_sub(1);
            continue;
        }
        let upper = !w.chars().any(char::is_lowercase) && w.chars().any(char::is_alphabetic);
        let sentence_end = w.ends_with(['.', '?', '!', '"', ']', ')', '”']);
        if upper && (i == 0 || !sentence_end) {
            words += 1;
            letters += w.chars().filter(|c| c.is_alphabetic()).count();
            start = w_start.saturating_sub(1);
            continue;
        }
        if sentence_end && words >= 2 && letters >= 8 && has_lowercase(&t[..w_start]) {
            let h = t[start..].trim();
            return Some((start, h.to_string()));
        }
        return None;
    }
    None
}

/// True for a page marker line: `TRIPOLI 00000748 002.2 OF 005` or `PAGE 02 ROME 02045 01 OF 06 121721Z`.
pub fn is_marker_line(t: &str) -> bool {
    let t = t.trim();
    if t.starts_with("PAGE ") && t.as_bytes().get(5).is_some_and(u8::is_ascii_digit) {
        return true;
    }
    find_page_marker(t).is_some_and(|(s, e)| s == 0 && e == t.len())
}

/// Position of " OF " in `b` (a plain scan: lines are short, and building a searcher per line
/// costs more than it saves).
fn find_of(b: &[u8]) -> Option<usize> {
    let mut i = 0;
    while i + 4 <= b.len() {
        let off = memchr::memchr(b'F', &b[i + 2..])?;
        let f = i + 2 + off;
        if f + 1 < b.len() && b[f - 1] == b'O' && b[f - 2] == b' ' && b[f + 1] == b' ' {
            return Some(f - 2);
        }
        i = f - 1;
    }
    None
}

/// Finds a new-style page marker (`STATION 00000748 002.2 OF 005`) in `t`: start and end.
pub fn find_page_marker(t: &str) -> Option<(usize, usize)> {
    let b = t.as_bytes();
    let mut pos = 0;
    // Page markers need " OF " followed by digits: look for the byte pair "OF" only where it could be.
    while let Some(p) = find_of(&b[pos..]) {
        let of = pos + p;
        pos = of + 4;
        // After: three digits.
        let after = &b[of + 4..];
        if after.len() < 3 || !after[..3].iter().all(u8::is_ascii_digit) || after.get(3).is_some_and(u8::is_ascii_digit) {
            continue;
        }
        // Before: NNN or NNN.N, spaces, 8 digits, a space, station words.
        let mut i = of;
        let mut j = i;
        while j > 0 && (b[j - 1].is_ascii_digit() || b[j - 1] == b'.') {
            j -= 1;
        }
        if i - j < 3 {
            continue;
        }
        i = j;
        while i > 0 && b[i - 1] == b' ' {
            i -= 1;
        }
        let mut k = i;
        while k > 0 && b[k - 1].is_ascii_digit() {
            k -= 1;
        }
        if i - k != 8 || k == 0 || b[k - 1] != b' ' {
            continue;
        }
        // Station: up to three upper-case words.
        let mut s = k - 1;
        let mut words = 0;
        while words < 3 && s > 0 && b[s - 1].is_ascii_uppercase() {
            let mut w = s;
            while w > 0 && b[w - 1].is_ascii_uppercase() {
                w -= 1;
            }
            s = w;
            words += 1;
            if s > 0 && b[s - 1] == b' ' && s > 1 && b[s - 2].is_ascii_uppercase() && words < 3 {
                // Maybe another station word (SAN JOSE); only take it if it is upper-case.
                s -= 1;
            } else {
                break;
            }
        }
        if b.get(s) == Some(&b' ') {
            s += 1;
        }
        if words == 0 {
            continue;
        }
        return Some((s, of + 7));
    }
    None
}

/// True for a banner line repeated at the top of each section (`C O N F I D E N T I A L SECTION 02 OF 05 ...`).
fn is_section_banner(t: &str) -> bool {
    banner_word_at(t).is_some() && (find_ci(t, "SECTION").is_some() || t.split_whitespace().last().is_some_and(|w| w.len() >= 5 && w.bytes().all(|b| b.is_ascii_digit())))
}

/// A searcher for three spaces, built once.
static THREE_SPACES: std::sync::LazyLock<memchr::memmem::Finder<'static>> = std::sync::LazyLock::new(|| memchr::memmem::Finder::new(b"   "));

/// True for a line laid out as a table: it starts with two spaces, or has a run of three spaces
/// or a tab inside.
fn is_tabular(b: &[u8]) -> bool {
    b.starts_with(b"  ") || memchr::memchr(b'\t', b).is_some() || THREE_SPACES.find(b).is_some()
}

/// Clean text of a paragraph: page markers, section banners and SIPDIS lines removed, wrapped lines
/// joined with spaces, blank lines kept as paragraph breaks, tables (runs of spaces) kept as lines.
pub fn clean_text(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut pending_break = false;
    // What no line can have when the whole text lacks it, looked for once instead of per line: a
    // page marker needs " OF ", a table a tab or three spaces.
    static OF: std::sync::LazyLock<memchr::memmem::Finder<'static>> = std::sync::LazyLock::new(|| memchr::memmem::Finder::new(b" OF "));
    let may_have_marker = OF.find(raw.as_bytes()).is_some();
    let may_be_tabular = memchr::memchr(b'\t', raw.as_bytes()).is_some() || THREE_SPACES.find(raw.as_bytes()).is_some();
    for line in lines(raw) {
        let mut owned;
        let mut t = trim_end_ws(line.text);
        // A scrape that ends every line with a backslash (" \\"): no text of the cable's.
        if let Some(rest) = t.strip_suffix('\\') {
            t = trim_end_ws(rest);
        }
        let tt = trim_start_ws(t);
        if tt.is_empty() {
            pending_break = !out.is_empty();
            continue;
        }
        let marker = if may_have_marker { find_page_marker(t) } else { None };
        let whole_line_marker = marker.is_some_and(|(s, e)| t[..s].trim().is_empty() && t[e..].trim().is_empty());
        // Page furniture of old telegrams: a classification alone on its line (page header/footer).
        let lone_classification = matches!(tt, "CONFIDENTIAL" | "UNCLASSIFIED" | "SECRET" | "LIMITED OFFICIAL USE" | "UNCLAS");
        if tt == "SIPDIS" || lone_classification || whole_line_marker || (tt.starts_with("PAGE ") && is_marker_line(tt)) || is_section_banner(tt) {
            continue;
        }
        // Inline page markers in reflowed text.
        if let Some((s, e)) = marker {
            owned = String::with_capacity(t.len());
            let mut rest = t;
            let (mut s, mut e) = (s, e);
            loop {
                owned.push_str(rest[..s].trim_end());
                rest = &rest[e..];
                if !rest.is_empty() && !owned.is_empty() {
                    owned.push(' ');
                }
                match find_page_marker(rest) {
                    Some((a, b)) => {
                        s = a;
                        e = b;
                    }
                    None => break,
                }
            }
            owned.push_str(rest.trim_start());
            t = owned.as_str();
        }
        // (A line rebuilt around a marker may have gained a run of spaces: tested in full.)
        let tabular = if may_be_tabular || marker.is_some() { is_tabular(t.as_bytes()) } else { t.starts_with("  ") };
        if out.is_empty() {
            out.push_str(t.trim_start());
        } else if pending_break {
            out.push_str("\n\n");
            out.push_str(if tabular { t } else { t.trim_start() });
        } else if tabular {
            out.push('\n');
            out.push_str(t);
        } else {
            out.push(' ');
            out.push_str(t.trim_start());
        }
        pending_break = false;
    }
    out
}

/// The value after a label such as `SUBJECT:` up to the end of its logical block.
fn label_value<'a>(pre: &'a str, labels: &[&str]) -> Option<(usize, &'a str)> {
    // At line start (after optional spaces / markup) or after whitespace in a run-on line. The
    // places are tried in increasing order (per label, or in the shared scan), so each one's line
    // start is found by searching back only to the place before: linear also on one long line
    // with a label-like word every few bytes.
    let mut line_starts = LineStarts::default();
    let mut valid = |p: usize, lab: &str| {
        let line_start = line_starts.at(pre, p);
        let before = &pre[line_start..p];
        before.trim().is_empty() || (lab.ends_with(':') && (before.ends_with(' ') || before.ends_with('>') || before.ends_with(|c: char| c.is_ascii_digit())))
    };
    // Labels that share their first three letters (REF:, REFS:, REFTEL: ...): one scan for those
    // letters, each place tried against the labels in order. The answer is the one looking for
    // each label in turn gives: the first label found anywhere, at its first place. (No label
    // overlaps itself, so no place is passed over that the label-by-label search would try.)
    let prefix = labels.first().and_then(|l| l.get(..3)).unwrap_or("");
    if labels.len() > 1 && prefix.len() == 3 && labels.iter().all(|l| l.get(..3).is_some_and(|p| p.eq_ignore_ascii_case(prefix))) {
        let mut best: Option<(usize, usize)> = None; // (label index, place)
        let mut pos = 0;
        while let Some(p) = find_ci_from(pre, prefix, pos) {
            pos = p + 1;
            for (k, lab) in labels.iter().enumerate() {
                if best.is_some_and(|(bk, _)| bk <= k) {
                    break;
                }
                if starts_with_ci(&pre[p..], lab) && valid(p, lab) {
                    best = Some((k, p));
                    break;
                }
            }
            if best.is_some_and(|(bk, _)| bk == 0) {
                break;
            }
        }
        return best.map(|(k, p)| (p, &pre[p + labels[k].len()..]));
    }
    for lab in labels {
        let mut pos = 0;
        while let Some(p) = find_ci_from(pre, lab, pos) {
            pos = p + lab.len();
            if valid(p, lab) {
                return Some((p, &pre[p + lab.len()..]));
            }
        }
    }
    None
}

/// Where a subject or tag value stops: at a blank line, or a line that starts another field.
fn block_end(v: &str, stop_words: &[&str]) -> usize {
    let mut end = 0;
    for (i, line) in lines_at(v, 0).enumerate() {
        let t = line.text.trim();
        if i > 0
            && (t.is_empty() || stop_words.iter().any(|w| starts_with_ci(t, w)) || opener(t, false).is_some() || t.starts_with('¶') || is_marker_line(t)) {
                break;
            }
        end = line.end();
        if i > 12 {
            break;
        }
    }
    end
}

const FIELD_STARTS: &[&str] = &[
    "REF", "CLASSIFIED BY", "CLASSIFIED BY:", "E.O.", "EO 12958", "TAGS", "SUBJECT", "SUMMARY", "DERIVED FROM",
    "REASON", "1.", "SIPDIS", "(U)", "(C)", "(S)", "(SBU)", "BEGIN SUMMARY", "---", "===", "***",
];

/// The subject line.
pub fn subject(pre: &str) -> Option<(usize, String)> {
    subject_text(pre, true)
}

/// The subject line as written (a leading marking such as `(S)` kept).
pub fn subject_raw(pre: &str) -> Option<(usize, String)> {
    subject_text(pre, false)
}

fn subject_text(pre: &str, clean: bool) -> Option<(usize, String)> {
    let (at, mut v) = label_value(pre, &["SUBJECT:", "SUBJ:", "SUBJECT", "UBJECT:"])?;
    // "SUBJECT:" alone on its line: the subject is on the next non-empty line.
    let first_line = v.lines().next().unwrap_or("");
    if first_line.trim().trim_start_matches(':').trim().is_empty() {
        let skip = v.len() - v.trim_start_matches([' ', '\t', '\n', '\r', ':']).len();
        v = &v[skip..];
    }
    let mut end = block_end(v, FIELD_STARTS);
    // A wrapped subject is in the case of its first line: an upper-case subject does not go on
    // into a mixed-case sentence, and a banner line ends it.
    let first_end = v.find('\n').unwrap_or(v.len());
    let first_upper = !has_lowercase(&v[..first_end]);
    if v[..first_end].trim_end().ends_with("...") {
        end = end.min(first_end); // cut off by WikiLeaks
    }
    for line in lines_at(&v[..end], 0).skip(1) {
        let t = line.text.trim();
        let banner_inside = ["UNCLAS ", "C O N F", "S E C R E T", "CONFIDENTIAL ", "SECRET "].iter().any(|b| find_str(t, b).is_some());
        if banner_word_at(t).is_some() || banner_inside || (first_upper && has_lowercase(t)) {
            end = line.start;
            break;
        }
    }
    let collapsed = collapse_ws(&v[..end]);
    let mut s = collapsed.as_str();
    // Run-on text: cut at REF:, Classified By, a page marker, a caption, or an inline first paragraph.
    for cut in [" REF:", " REFS:", " REFTEL", " Ref:", " Refs:", "Classified By", "CLASSIFIED BY", "Classified by", " REF A", " Sensitive but", " SENSITIVE BUT"] {
        if let Some(p) = find_str(s, cut) {
            s = &s[..p];
        }
    }
    // The REF line glued to the subject's last word (`VISIT TO EGYPTREF: CAIRO 493`).
    if let Some(p) = find_str(s, "REF: ").filter(|&p| p > 0) {
        s = &s[..p];
    }
    if let Some((p, _)) = find_page_marker(s) {
        s = &s[..p];
    }
    if let Some(p) = find_str(s, " 1. (").or_else(|| find_str(s, " 1.(")) {
        s = &s[..p];
    }
    let mut out = collapse_ws(&s.replace('\\', " "));
    if clean {
        // Leading classification marker "(C)" / "(SBU)"; trailing " (U)".
        let (ml, m) = marking_at(&out);
        if m.is_some() {
            out = out[ml..].trim().to_string();
        }
        if out.ends_with(')') {
            if let Some(open) = out.rfind(" (") {
                let inner = &out[open + 2..out.len() - 1];
                if !inner.is_empty() && inner.len() <= 6 && inner.bytes().all(|b| b.is_ascii_uppercase() || b == b'/') {
                    out.truncate(open);
                }
            }
        }
    }
    let out = out.trim().trim_start_matches(':').trim().to_string();
    if out.is_empty() {
        None
    } else {
        Some((at, out))
    }
}

/// The TAGS list.
pub fn tags(pre: &str) -> Option<(usize, Vec<String>)> {
    let Some((at, v)) = label_value(pre, &["TAGS:", "TAGS", "TAG:", "TAGES:", "TAS:", "TABS:", "TGS:", "AGS:", "TAG "]) else {
        return unlabelled_tags(pre);
    };
    let mut end = v.find('\n').unwrap_or(v.len());
    // Continuation lines: the line ends with a comma, or the next line holds only more tag codes.
    loop {
        let line = &v[..end];
        let next_start = end + 1;
        if next_start >= v.len() {
            break;
        }
        let next_line_end = v[next_start..].find('\n').map_or(v.len(), |p| next_start + p);
        let next = v[next_start..next_line_end].trim();
        let labelled = ["SUBJ", "REF", "CLASSIFIED", "E.O", "EO ", "SIPDIS", "NOFORN", "SENSITIVE", "DEPT", "FOR ", "PASS"].iter().any(|l| starts_with_ci(next, l));
        let cont = line.trim_end().ends_with(',')
            || (next.len() <= 60
                && !next.contains(':')
                && !has_lowercase(next)
                && !next.starts_with('¶')
                && opener(next, false).is_none()
                && banner_word_at(next).is_none()
                // A page marker (`BAKU 00000478 001.2 OF 003`) or a line with a bare number
                // (a subject's wrapped rest: `DISCUSS HAITI ..., 19 AUGUST 2005`) holds no tags.
                && find_page_marker(next).is_none()
                && !next.split([' ', ',']).any(crate::text::all_digits));
        if cont && !next.is_empty() && !labelled {
            end = next_line_end;
        } else {
            break;
        }
    }
    let mut s = &v[..end];
    if let Some(p) = find_ci(s, "SUBJECT") {
        s = &s[..p];
    }
    if let Some(p) = find_ci(s, "SUBJ:") {
        s = &s[..p];
    }
    let s = s.replace("<strong>", " ").replace("</strong>", " ");
    Some((at, split_tags(&s)))
}

/// A tag list without its label (`EFIN, ECON, EINV, PGOV, CH` after the E.O. line): a line of at
/// least three comma-separated tag codes near the top.
fn unlabelled_tags(pre: &str) -> Option<(usize, Vec<String>)> {
    for line in lines_at(&pre[..crate::text::floor_boundary(pre, 1500)], 0) {
        let t = line.text.trim();
        let parts: Vec<&str> = t.split(',').map(str::trim).collect();
        if parts.len() >= 3 && parts.iter().all(|p| tag_shaped(p)) {
            return Some((line.start, split_tags(t)));
        }
    }
    None
}

/// Multi-word tags WikiLeaks' cables use, kept together.
const MULTI_WORD_TAGS: &[&str] = &[
    "HUMAN RIGHTS", "COUNTRY CLEARANCE", "ISRAELI PALESTINIAN AFFAIRS", "GAZA DISENGAGEMENT", "ECONOMY AND FINANCE",
    "ITALY NATIONAL ELECTIONS", "ITALIAN POLITICS", "IRAQI FREEDOM", "FOREIGN POL", "MEDIA REACTION REPORT",
    "TIP IN TURKEY", "GOI EXTERNAL", "GOI INTERNAL", "ENVIRONMENT SCIENCE AND TECHNOLOGY", "ECONOMIC AFFAIRS",
    "POLITICAL AFFAIRS", "COUNTER TERRORISM", "AVIAN INFLUENZA", "NUCLEAR ENERGY", "ZIMBABWE POLITICS",
    "PEACE PROCESS", "TRADE POLICY", "TERRORIST FINANCE", "WEAPONS OF MASS DESTRUCTION", "DEMOCRACY PROMOTION",
];

/// True for a token shaped like a TAGS code: two letters (geographic), or four letters starting with a
/// subject/program letter.
fn tag_shaped(t: &str) -> bool {
    let b = t.as_bytes();
    b.iter().all(u8::is_ascii_uppercase) && (b.len() == 2 || (b.len() == 4 && matches!(b[0], b'A' | b'B' | b'C' | b'E' | b'K' | b'M' | b'O' | b'P' | b'S' | b'T')))
}

/// Splits fused tags (`KFRDKIRFCVIS...`, `ITPHUM`, `VEPREL`) into 2- and 4-letter codes, when the whole
/// token splits that way.
fn split_fused(t: &str) -> Option<Vec<String>> {
    // Fused lists are short; longer runs of letters are not tags (and must not cost more than linear).
    if t.len() < 6 || t.len() > 64 || !t.bytes().all(|b| b.is_ascii_uppercase()) {
        return None;
    }
    let b = t.as_bytes();
    // Dynamic programming over positions: from[i] = length of the piece that ends at i.
    // cost[i]: fewest two-letter pieces in a split of t[..i] (usize::MAX: none).
    let mut from = vec![0usize; b.len() + 1];
    let mut cost = vec![usize::MAX; b.len() + 1];
    cost[0] = 0;
    for i in 0..b.len() {
        if cost[i] == usize::MAX {
            continue;
        }
        for n in [4usize, 2] {
            // A country code only first or last; it costs 2, 3 at the start: codes usually come
            // last ("...SMIGEG").
            if n == 2 && i != 0 && i + n != b.len() {
                continue;
            }
            let c = cost[i] + if n == 2 { 2 + usize::from(i == 0) } else { 0 };
            if i + n <= b.len() && c < cost[i + n] && tag_shaped(&t[i..i + n]) {
                cost[i + n] = c;
                from[i + n] = n;
            }
        }
    }
    if cost[b.len()] == usize::MAX {
        return None;
    }
    let mut out = Vec::new();
    let mut i = b.len();
    while i > 0 {
        let n = from[i];
        out.push(t[i - n..i].to_string());
        i -= n;
    }
    out.reverse();
    // At most one two-letter (country) code, first or last: "ITPHUM", "...SMIGEG".
    let twos: Vec<usize> = out.iter().enumerate().filter(|(_, p)| p.len() == 2).map(|(i, _)| i).collect();
    let fine = twos.is_empty() || (twos.len() == 1 && (twos[0] == 0 || twos[0] == out.len() - 1));
    fine.then_some(out)
}

/// Splits a TAGS list written with commas, spaces or both: multi-word tags kept together, person
/// tags (`OVIP (STEINBERG, JAMES B.)` or `OVIP RICE CONDOLEEZZA`) as `SURNAME, GIVEN`, fused tags
/// split, duplicates and SIPDIS dropped, page markers and residue cut off.
pub fn split_tags(s: &str) -> Vec<String> {
    let mut s = s.trim().trim_start_matches(':').trim().to_ascii_uppercase();
    // Page-marker residue run into the tag line.
    for cut in [" UNCLASSIFIED ", " CONFIDENTIAL ", " SECRET ", " PAGE 0", " LIMITED OFFICIAL USE"] {
        if let Some(p) = find_str(&s, cut) {
            s.truncate(p);
        }
    }
    let mut out: Vec<String> = Vec::new();
    // Tags already taken: a linear look through `out` for the usual handful, a set past that (a
    // tag line can be any length, and the cost must stay linear).
    let mut seen_tags: std::collections::HashSet<String> = std::collections::HashSet::new();
    let mut push = |t: &str, out: &mut Vec<String>| {
        // (A byte-pair scan: `str::contains` builds a two-way searcher on every call.)
        let person = t.as_bytes().windows(2).any(|w| w == b", ");
        let t = t.trim_matches(|c: char| (c == '.' && !person) || c == ' ' || c == '(' || c == ')' || c == ',' || c == ':');
        // (No tag without a letter or digit: a scrape's line-end backslash is none.)
        if t.is_empty() || t == "SIPDIS" || t == "TAGS" || !t.bytes().any(|b| b.is_ascii_alphanumeric()) && t.is_ascii() {
            return;
        }
        const FEW: usize = 16;
        let new = if out.len() < FEW {
            !out.iter().any(|o| o == t)
        } else {
            if seen_tags.is_empty() {
                seen_tags.extend(out.iter().cloned());
            }
            seen_tags.insert(t.to_string())
        };
        if new {
            out.push(t.to_string());
        }
    };
    // Parenthesised persons first: "OVIP (STEINBERG, JAMES B.)".
    let mut rest = String::with_capacity(s.len());
    let mut i = 0;
    while let Some(open) = s[i..].find('(') {
        let open = i + open;
        rest.push_str(&s[i..open]);
        match s[open..].find(')') {
            Some(close) => {
                let inner = s[open + 1..open + close].trim();
                if inner.contains(',') || inner.split_whitespace().count() >= 2 {
                    rest.push_str(" \u{1}");
                    rest.push_str(&inner.replace(' ', "\u{2}").replace(',', "\u{3}"));
                    rest.push_str("\u{1} ");
                } else {
                    rest.push(' ');
                    rest.push_str(inner);
                    rest.push(' ');
                }
                i = open + close + 1;
            }
            None => {
                i = open + 1;
            }
        }
    }
    rest.push_str(&s[i..]);
    let words: Vec<&str> = rest.split(|c: char| c.is_whitespace() || c == ',' || c == ';').filter(|w| !w.is_empty()).collect();
    let mut k = 0;
    let mut after_ovip = false;
    while k < words.len() {
        let w = words[k];
        if w.starts_with('\u{1}') {
            let person = w.trim_matches('\u{1}').replace('\u{2}', " ").replace('\u{3}', ",");
            push(&person, &mut out);
            k += 1;
            continue;
        }
        // Multi-word tags.
        let mut matched = false;
        // (Every multi-word tag has a space: its first word is `w` when it starts with `w `.)
        let starts_multi = MULTI_WORD_TAGS.iter().any(|mw| mw.len() > w.len() && mw.as_bytes()[w.len()] == b' ' && mw.starts_with(w));
        for mw in MULTI_WORD_TAGS.iter().filter(|_| starts_multi) {
            let parts: Vec<&str> = mw.split(' ').collect();
            if k + parts.len() <= words.len() && words[k..k + parts.len()].iter().zip(&parts).all(|(a, b)| a == b) {
                push(mw, &mut out);
                k += parts.len();
                matched = true;
                break;
            }
        }
        if matched {
            continue;
        }
        // A person after OVIP written without parentheses: two words that are not tag codes.
        if after_ovip && k + 1 < words.len() && !tag_shaped(w) && !tag_shaped(words[k + 1]) && w.len() > 2 && words[k + 1].len() > 2
            && w.bytes().all(|b| b.is_ascii_uppercase()) && words[k + 1].bytes().all(|b| b.is_ascii_uppercase() || b == b'.')
        {
            push(&format!("{}, {}", w, words[k + 1]), &mut out);
            k += 2;
            after_ovip = false;
            continue;
        }
        after_ovip = w == "OVIP";
        match split_fused(w) {
            Some(parts) if !tag_shaped(w) => {
                for p in parts {
                    push(&p, &mut out);
                }
            }
            _ => push(w, &mut out),
        }
        k += 1;
    }
    out
}

/// `E.O. 12958: DECL: 9/17/2019` as `2019-09-17`.
pub fn declassify_on(pre: &str) -> Option<String> {
    // The first DECL that gives a date: not "(DECL CHANGE)" in a subject, "(DECL INFO)" in a
    // correction's caption, or a page's "DECL..." cut short before the whole text.
    let mut from = 0;
    while let Some(at) = find_ci_from(pre, "DECL", from) {
        from = at + 4;
        let v = &pre[at + 4..];
        let v = &v[..crate::text::floor_boundary(v, v.find('\n').unwrap_or(v.len()).min(80))];
        // "DECL: 03/22/2016", "DECLl: 10/29/2018", "DECL ON: 07/01/2019", "DECL: DECL: 06/09/2016",
        // "DECL 03/9/2017" (no colon).
        let colon = v.find(':').filter(|&c| c <= 6);
        let mut d = colon.map_or(v, |c| &v[c + 1..]).trim_start_matches([':', ' ']);
        if starts_with_ci(d, "DECL") {
            d = d[4..].trim_start_matches([':', ' ']);
        }
        if let Some(date) = parse_decl_date(d) {
            return Some(date);
        }
    }
    None
}

fn parse_decl_date(d: &str) -> Option<String> {
    let tok: String = d.chars().take_while(|c| c.is_ascii_digit() || *c == '/' || *c == '-' || *c == '.').collect();
    let parts: Vec<&str> = tok.split(['/', '-', '.']).filter(|p| !p.is_empty()).collect();
    if parts.len() != 3 {
        return None;
    }
    let nums: Vec<u32> = parts.iter().filter_map(|p| p.parse().ok()).collect();
    if nums.len() != 3 {
        return None;
    }
    let (y, m, dd) = if parts[0].len() == 4 {
        (nums[0], nums[1], nums[2])
    } else {
        let y = if parts[2].len() == 4 { nums[2] } else { 2000 + nums[2] };
        (y, nums[0], nums[1])
    };
    if !(1..=12).contains(&m) || !(1..=31).contains(&dd) || !(1950..=2100).contains(&y) {
        return None;
    }
    Some(format!("{y:04}-{m:02}-{dd:02}"))
}

/// Where the reason starts after a classifier's name (in lower case): "for reasons", "Reason(s)",
/// a split "REA SONS", "- 1.4", "E.O. 12958"...
const REASON_MARKERS: [&str; 21] = [
    " for re", " f or re", " fr re", " f0r ", "reason", "reas0n", "rea sons", "re asons", "- 1.", "(b)", "(d)", "e.o. 1",
    "e.o 1", "e.o.1", " per ", " based ", " under 1", " under sec", " for 12958", " for for", " for 1.",
];

/// The `Classified By:` line: person and reason.
pub fn classified_by(pre: &str) -> Option<(String, Option<String>)> {
    // "CLASSIFIED BY", not "DECLASSIFIED BY NARA".
    let mut pos = 0;
    let at = loop {
        let p = find_ci_from(pre, "CLASSIFIED BY", pos)?;
        let b = pre.as_bytes();
        // Glued to a subject that has no line break after it ("...VISIT TO CAIROClassified By:"),
        // but not DE-, RE- or UNCLASSIFIED BY.
        let glued = b[p] == b'C' && p >= 2 && !["DE", "RE", "UN"].iter().any(|w| b[p - 2..p].eq_ignore_ascii_case(w.as_bytes()));
        if p == 0 || !b[p - 1].is_ascii_alphabetic() && b[p - 1] != b'-' || glued {
            break p;
        }
        pos = p + 1;
    };
    let mut v = &pre[at + "CLASSIFIED BY".len()..];
    v = v.trim_start_matches([':', ' ']);
    // "Classified By: Classified by Economic Minister-Counsellor ..."
    if v.starts_with("(U)") || v.starts_with("(C)") || v.starts_with("(SBU)") {
        v = v[v.find(')').map_or(0, |p| p + 1)..].trim_start();
    }
    if starts_with_ci(v, "CLASSIFIED BY") {
        v = v["CLASSIFIED BY".len()..].trim_start_matches([':', ' ']);
    }
    // The line and its wrapped continuation, up to a blank line or a paragraph.
    let mut end = 0;
    for (i, line) in lines_at(v, 0).enumerate() {
        let t = line.text.trim();
        if i > 0 && (t.is_empty() || opener(t.trim_start_matches('¶'), false).is_some() || t.starts_with('¶')) {
            break;
        }
        end = line.end();
        if i >= 3 {
            break;
        }
    }
    let text = collapse_ws(&v[..end]);
    // A page cut short ("CLASSIFIED BY: Hodge...") followed by the whole text in a record: the
    // next line of the kind.
    if text.ends_with("...") {
        if let Some(later) = classified_by(&pre[at + "CLASSIFIED BY".len()..]) {
            return Some(later);
        }
    }
    // Where the reason starts: "Reason(s)", "for reasons", a split "REA SONS", "1.4", "- 1.5".
    let lower = text.to_ascii_lowercase();
    // The first place any marker starts (one pass, each place tried against the markers only when
    // its byte can start one).
    let lb = lower.as_bytes();
    let mut cut = (0..lb.len())
        .find(|&i| may_start_reason(lb[i], lb.get(i + 1).copied()) && REASON_MARKERS.iter().any(|m| lb[i..].starts_with(m.as_bytes())))
        .unwrap_or(text.len());
    // A classification section number ("1.4", ": 1.2") ends the name too.
    for i in 1..lb.len().saturating_sub(2) {
        if lb[i] == b'1' && lb[i + 1] == b'.' && lb[i + 2].is_ascii_digit() && !lb[i - 1].is_ascii_alphanumeric() {
            cut = cut.min(i);
            break;
        }
    }
    let who_text = text[..cut].replace(':', " ");
    let mut who = who_text.trim().trim_end_matches([',', ';', ':', '-', '(']).trim();
    if !(who.ends_with("Jr.") || who.ends_with("JR.") || who.ends_with("Sr.")) {
        who = who.trim_end_matches('.');
    }
    let reason = (cut < text.len()).then(|| {
        let r = &text[cut..];
        let mut r = r.trim_start_matches(|c: char| c.is_ascii_alphabetic() || c == ' ' || c == ':' || c == '-');
        // What follows on the same or the next line: a heading (`------- SUMMARY -------`,
        // `(S//NF) Summary`), a first paragraph (`1. (C) ...`), a scrape's backslashes.
        let lower = r.to_ascii_lowercase();
        // (One pass: a place is tried only when its byte can start a marker.)
        let lb = lower.as_bytes();
        let stop = (0..lb.len()).find(|&i| matches!(lb[i], b'-' | b'\\' | b' ' | b's' | b'(') && REASON_RUN_ON.iter().any(|m| lb[i..].starts_with(m.as_bytes())));
        if let Some(p) = stop {
            r = &r[..p];
        }
        reason_codes(r).to_string()
    });
    let person = classifier_name(who);
    Some((person, reason.filter(|r| !r.is_empty())))
}

/// Where a classification reason's run-on begins (lower case): the markings of a heading or
/// paragraph (never `(c)`, a reason's own letter), a heading rule, a summary heading, a first
/// paragraph, a scrape's backslashes.
/// Whether a place whose first two bytes are `a`, `b` can start one of the [`REASON_MARKERS`]
/// (most places cannot: the markers are tried only where this holds).
fn may_start_reason(a: u8, b: Option<u8>) -> bool {
    matches!((a, b), (b' ', Some(b'f' | b'p' | b'b' | b'u')) | (b'r', Some(b'e')) | (b'-', Some(b' ')) | (b'(', Some(b'b' | b'd')) | (b'e', Some(b'.' | b'o')))
}

const REASON_RUN_ON: &[&str] = &["---", "\\", " summary", "summary:", " 1. (", " 1.(", "(s//nf)", "(c//nf)", "(s)", "(u)", "(sbu)", "(s/nf)"];

/// Words of titles, offices and bureaus that come with a classifier's name.
const ROLE_WORDS: &[&str] = &[
    "AMBASSADOR", "AMB", "CHARGE", "CHARGÉ", "D'AFFAIRES", "DAFFAIRES", "AFFAIRES", "DE", "A.I", "AI", "CDA", "DCM",
    "A/DCM", "ADCM", "POLCOUNS", "POLCOUN", "POLOFF", "ECONOFF", "ECONCOUNS", "POL/ECON", "POL/ECONOFF", "POL/MIL",
    "P/E", "POLECON", "ECON/POL", "ECON", "POL", "OFFICER", "OFF", "COUNSELOR", "COUNSELLOR", "MINISTER",
    "MINISTER-COUNSELOR", "MINISTER-COUNSELLOR", "M-C", "POLITICAL", "ECONOMIC", "POLITICAL/ECONOMIC", "SECTION", "CHIEF",
    "DEPUTY", "ACTING", "PRINCIPAL", "DIRECTOR", "ASSISTANT", "SECRETARY", "UNDER", "CONSUL", "GENERAL",
    "CONSUL-GENERAL", "CONSUL GENERAL", "CONGEN", "HEAD", "MISSION", "SPECIAL", "ENVOY", "AFFAIRS", "MGMT", "RSO",
    "PAO", "DAO", "LEGATT", "ADMIN", "COORDINATOR", "REPRESENTATIVE", "PERMANENT", "DATT", "USEU", "USUN", "ISN",
    "PRT", "UNIT", "OFFICE", "EMBASSY", "CONSULATE", "U.S", "US", "DEPARTMENT", "STATE", "BUREAU", "INR", "EUR",
    "NEA", "WHA", "EAP", "SCA", "DRL", "PM", "AF", "IO", "FOR", "AND", "OF", "THE", "TO", "PO", "DPO", "ECONMINCOUNS",
    "POLMINCOUNS", "MINCOUNS", "EXECUTIVE", "SENIOR", "ADVISOR", "ADVISER", "ATTACHE", "COMMERCIAL", "PUBLIC",
    "MANAGEMENT", "REGIONAL", "SECURITY", "DEFENSE", "MILITARY", "GOVERNANCE", "SUB-NATIONAL", "POL-MIL", "POLMIL",
    "ECON-POL", "POL-ECON", "CHARGE'", "ACTG", "DEP", "ASST", "SECY", "DIR", "COUNS", "CONS", "DEPUTY-CHIEF",
    "COUN", "MIN", "MINISTER-COUNSELOUR", "ECMIN", "ECPO", "POLMINCONS", "ECONMINCONS", "MEMBER", "USDEL", "LTC", "COL",
    "MAJ", "CAPT", "LT", "GEN", "ADM", "CDR", "COLONEL", "MAJOR", "CAPTAIN", "LIEUTENANT", "AMBASSADOR-AT-LARGE",
    "AMBASSADOR-DESIGNATE", "CONSUL-GENERAL", "CG", "PRINCIPAL-OFFICER", "INTERIM", "TEMPORARY", "NATIONAL",
    "PDAS", "DAS", "IPO", "CHAIRMAN", "MC", "ARSO", "ECOPOL", "EMIN", "BASED", "UPON", "UNDER", "AIT", "DEPUTY-DIRECTOR",
    "POLITICAL-MILITARY", "POLITICAL-ECONOMIC", "ECONOMIC-POLITICAL", "LEGAL", "CONSULAR", "CHIEF-OF-MISSION", "COM",
];

/// True for a token of a person's name: capitalised (not a title word), an initial, or a suffix.
fn name_token(w: &str) -> bool {
    let core = w.trim_end_matches(['.', ',']);
    if core.is_empty() {
        return false;
    }
    // Upper case on the stack for a short ASCII word (nearly all), else allocated.
    let mut buf = [0u8; 48];
    let owned;
    let upper: &str = if core.is_ascii() && core.len() <= buf.len() {
        let b = &mut buf[..core.len()];
        b.copy_from_slice(core.as_bytes());
        b.make_ascii_uppercase();
        std::str::from_utf8(b).unwrap_or_default()
    } else {
        owned = core.to_uppercase();
        &owned
    };
    if is_role_word(upper) {
        return false;
    }
    if upper.starts_with("AMB") || upper.starts_with("ABASS") || upper.starts_with("AMAB") || upper.as_bytes().windows(6).any(|w| w == b"SSADOR")
        || upper.starts_with("COUNSE") || upper.starts_with("COUNCIL") || upper.starts_with("COUNSL")
    {
        return false; // misspelt titles ("Ambassaor")
    }
    if core == "0" {
        return true; // an initial O typed as zero ("LEE 0. COLDREN")
    }
    let first = core.chars().next().unwrap_or(' ');
    first.is_uppercase() && core.chars().all(|c| c.is_alphabetic() || c == '.' || c == '-' || c == '\'' || c == '0')
}

/// The first letters and lengths of the [`ROLE_WORDS`]: most name words are ruled out without a
/// look through the list.
const ROLE_WORD_LENGTHS: crate::text::FirstLetterLengths = crate::text::FirstLetterLengths::of(ROLE_WORDS);

/// True when `upper` (upper case) is one of the [`ROLE_WORDS`].
fn is_role_word(upper: &str) -> bool {
    ROLE_WORD_LENGTHS.may_hold(upper) && ROLE_WORDS.contains(&upper)
}

/// The reason's own words at the start of `r`, without what a reflowed text ran on with
/// (`1.4 (b), (d) Mr. President, ...`, `1.4 B AND D REFS: A) ABU DHABI 199`): section numbers
/// (`1.4`, `1/4`, `1.4b`), their letters however listed (`(b)(d)`, `(B,D)`, `b/d`, `b&d`, `(b)
/// an d (d)`), after a leading `E.O. 12958` or "for reasons". A paragraph's marking run on after
/// them (`1.4 (b) and (d). (C) Poloff discussed ...`) is not a letter of theirs.
fn reason_codes(r: &str) -> &str {
    // One piece of a code token: a number (`1`, `4`, `12958`), a letter a-h, a number and its
    // letter (`4b`), or a joining word.
    fn code_piece(p: &str) -> bool {
        let digits = p.bytes().take_while(u8::is_ascii_digit).count();
        let rest = &p[digits..];
        rest.is_empty()
            || (rest.len() == 1 && matches!(rest.as_bytes()[0].to_ascii_lowercase(), b'a'..=b'h'))
            || (digits == 0 && ["and", "an", "nd", "or"].iter().any(|w| w.eq_ignore_ascii_case(rest)))
    }
    fn code_token(t: &str) -> bool {
        // Punctuation alone only as one mark ("&", "(", ")."): "--" is no part of a code.
        let punctuation_only = !t.bytes().any(|b| b.is_ascii_alphanumeric());
        if punctuation_only {
            return t.trim_end_matches(['.', ',', ';', ':']).len() <= 1;
        }
        t.eq_ignore_ascii_case("a") || t.split(['(', ')', ',', '/', '&', '+', '-', '.', ';', ':']).all(code_piece)
    }
    let starts_section = |t: &str| {
        let t = t.trim_start_matches(['(', ',', ';', '.', ':']);
        t.starts_with('1') && !t.starts_with("12958")
    };
    let offset = |t: &str| t.as_ptr() as usize - r.as_ptr() as usize;
    // Where the codes start: the first section number among the first words ("E.O. 12958,
    // reasons 1.4 (b)"), else the first letter ("E.O. 12958 reasons (b) and (d)").
    let first_letter = |t: &&str| t.contains('(') && t.bytes().any(|b| b.is_ascii_alphabetic()) && code_token(t);
    let starts_with_code = r.split_whitespace().next().is_some_and(|t| starts_section(t) || (t.starts_with('(') && code_token(t)));
    let start = if starts_with_code {
        0
    } else {
        r.split_whitespace().take(8).find(|t| starts_section(t)).or_else(|| r.split_whitespace().take(6).find(first_letter)).map_or(0, offset)
    };
    let r = &r[start..];
    let offset = |t: &str| t.as_ptr() as usize - r.as_ptr() as usize;
    let toks: Vec<&str> = r.split_whitespace().collect();
    if toks.first().is_some_and(|t| t.as_bytes()[0].is_ascii_digit() && !starts_section(t)) {
        return ""; // a date or a number that is no section ("3/9/2005 6:49 ...")
    }
    let mut end = 0;
    for (i, t) in toks.iter().enumerate() {
        let marking = *t == "(C)" && i > 0 && toks.get(i + 1).is_some_and(|n| !code_token(n));
        if marking || !code_token(t) {
            break;
        }
        end = offset(t) + t.len();
    }
    let mut out = r[..end].trim();
    // A list cut inside its parentheses ("1.5 (b, d, X6)"): up to the last whole part.
    if out.matches('(').count() > out.matches(')').count() && r[end..].contains(')') {
        out = out.rfind('(').map_or(out, |p| &out[..p]);
    }
    // No joining word or mark left at the end ("1.4 (b) and", "1.4 (d).").
    let out = loop {
        let trimmed = out.trim_end_matches(['.', ',', ';', ':', ' ', '&']);
        let last = trimmed.rsplit(' ').next().unwrap_or("");
        if ["and", "an", "or"].iter().any(|w| w.eq_ignore_ascii_case(last)) && last.len() < trimmed.len() {
            out = &trimmed[..trimmed.len() - last.len()];
        } else {
            break trimmed;
        }
    };
    // A reason starts with its section number or a letter in parentheses.
    if out.starts_with(['1', '(']) {
        out
    } else {
        ""
    }
}

/// The classification tool's "surname, given names, title" form (`Martinez, Vilma, Ambassador,
/// DOS, EXEC`; `Hodges, Heather M, Ambassador`): the name in reading order (`Vilma Martinez`).
fn surname_first(parts: &[&str]) -> Option<String> {
    let [surname, given, title, ..] = parts else { return None };
    let given_words: Vec<&str> = given.split_whitespace().collect();
    let title_word = title.split_whitespace().next()?.to_ascii_uppercase();
    let is_title = is_role_word(&title_word) || title_word == "DOS";
    let single_name = !surname.contains(' ') && name_token(surname) && !surname.bytes().all(|b| b == b'X');
    let given_ok = (1..=2).contains(&given_words.len()) && given_words[0].len() > 1 && given_words.iter().all(|w| name_token(w));
    (is_title && single_name && given_ok).then(|| format!("{given} {surname}"))
}

/// True for a word after which a signature may stand: one that ends a sentence or a label, or a
/// redaction (`XXXXXXXXXXXX`).
fn ends_a_sentence(word: &str) -> bool {
    word.ends_with(['.', '!', '?', '"', ')', ':']) || (word.len() >= 3 && word.bytes().all(|b| b == b'X'))
}

/// True for a particle inside a surname (`van`, `De`, `della`).
pub fn is_name_particle(w: &str) -> bool {
    const PARTICLES: &[&str] = &["van", "von", "der", "den", "de", "da", "das", "del", "della", "di", "du", "la", "le", "ter", "bin", "al", "el"];
    PARTICLES.iter().any(|p| p.eq_ignore_ascii_case(w))
}

fn classifier_name(who: &str) -> String {
    // The person is the run of name words at the end of the first comma-separated part that has
    // one ("Gene A. Cretz, Ambassador, ..."; "Ambassador Gene A. Cretz"; "Charge d'affaires, a.i.
    // Donald Petterson"), plus a suffix part ("Jr.", "III").
    // A telegram writes an apostrophe as a comma: "Daniel O,Grady".
    let mended;
    let who = if who.contains(" O,") || who.contains(" D,") {
        let b = who.as_bytes();
        let mut s = who.to_string();
        for (i, _) in who.match_indices(',').filter(|&(i, _)| i >= 2 && matches!(b[i - 1], b'O' | b'D') && b[i - 2] == b' ' && b.get(i + 1).is_some_and(u8::is_ascii_uppercase)) {
            s.replace_range(i..i + 1, "'");
        }
        mended = s;
        mended.as_str()
    } else {
        who
    };
    let parts: Vec<&str> = who.split(',').map(str::trim).collect();
    if let Some(name) = surname_first(&parts) {
        return name;
    }
    for (pi, part) in parts.iter().enumerate() {
        let mut words: Vec<&str> = part.split_whitespace().collect();
        // Trailing lower-case residue ("a.i.", "a.y.") is not part of the name.
        while words.last().is_some_and(|w| w.chars().all(|c| !c.is_uppercase())) {
            words.pop();
        }
        let mut start = words.len();
        while start > 0 {
            // A particle between two name words belongs to the name ("Carol van Voorst", "Velia M.
            // De Pirro").
            let particle = start >= 2 && start < words.len() && is_name_particle(words[start - 1]) && name_token(words[start - 2]);
            if !(particle || name_token(words[start - 1])) {
                break;
            }
            start -= 1;
        }
        let run = &words[start..];
        let full_words = run.iter().filter(|w| w.trim_end_matches('.').len() > 1).count();
        let after_title = start > 0;
        if run.is_empty() || full_words == 0 || (run.len() < 2 && !(pi == 0 && parts.len() > 1) && !after_title) {
            continue;
        }
        // At most three full words; "AMBASSADOR TO SUDAN TIMOTHY CARNEY" keeps the last ones.
        let mut run: Vec<&str> = run.to_vec();
        while run.iter().filter(|w| w.trim_end_matches('.').len() > 1 && !is_name_particle(w)).count() > 3 {
            run.remove(0);
        }
        if start > 0 && ["TO", "OF", "FOR", "IN"].contains(&words[start - 1].to_uppercase().as_str()) && run.len() >= 3 {
            run.remove(0);
        }
        let mut name = run.join(" ").trim_end_matches([',', ';']).to_string();
        if name.ends_with('.') && !run.last().is_some_and(|w| w.len() == 2 || w.eq_ignore_ascii_case("Jr.")) {
            name.pop();
        }
        if let Some(next) = parts.get(pi + 1) {
            let n = next.trim_end_matches('.');
            if ["JR", "SR", "II", "III", "IV"].contains(&n.to_uppercase().as_str()) {
                name.push_str(", ");
                name.push_str(next.trim_end_matches(|c| c == '.' && !n.eq_ignore_ascii_case("JR") && !n.eq_ignore_ascii_case("SR")));
            }
        }
        return name;
    }
    String::new()
}

/// The REF block: references, each with the id of the cable it names when it is a cable.
pub fn references(pre: &str, year: u32, own_id: Option<&str>) -> Vec<Reference> {
    let Some((_, v)) = label_value(pre, &["REF:", "REFS:", "REF(S):", "REFTEL:", "REFTELS:", "REFERENCE:", "REFERENCES:", "REF "]) else {
        return Vec::new();
    };
    // The block runs to a blank line followed by a non-reference line, or a field label.
    let mut end = 0;
    for (i, line) in lines_at(v, 0).enumerate() {
        let t = line.text.trim();
        if i > 0 && (starts_with_ci(t, "CLASSIFIED BY") || starts_with_ci(t, "SUMMARY") || (opener(t.trim_start_matches('¶'), false).is_some_and(|o| o.0.bytes().all(|b| b.is_ascii_digit()))) || starts_with_ci(t, "1.") || is_marker_line(t)) {
            break;
        }
        if i > 0 && t.is_empty() {
            // Continue only if the next non-blank line is a lettered bullet.
            let rest = &v[line.end()..];
            let next = rest.trim_start();
            let nt = next.trim_start_matches('¶');
            let is_bullet = nt.len() > 2 && nt.as_bytes()[0].is_ascii_uppercase() && (nt.as_bytes()[1] == b'.' || nt.as_bytes()[1] == b')');
            let paren_bullet = nt.len() > 3 && nt.as_bytes()[0] == b'(' && nt.as_bytes()[2] == b')';
            let next_line = nt.lines().next().unwrap_or("").trim();
            // The wrapped rest of a reference: "00723  (C) Brasilia 01392", "DE JANEIRO 1291".
            let continuation = next_line.len() <= 60
                && (next_line.as_bytes().first().is_some_and(u8::is_ascii_digit)
                    || (!next_line.chars().any(char::is_lowercase) && next_line.bytes().any(|b| b.is_ascii_digit()) && !next_line.contains(':')))
                && opener(next_line, false).is_none()
                && !starts_with_ci(next_line, "CLASSIFIED");
            if !is_bullet && !paren_bullet && !continuation {
                break;
            }
        }
        end = line.end();
        if i > 40 {
            break;
        }
    }
    let mut block = &v[..end];
    for cut in ["Classified By", "CLASSIFIED BY", "Classified by"] {
        if let Some(p) = find_str(block, cut) {
            block = &block[..p];
        }
    }
    if let Some((p, _)) = find_page_marker(block) {
        block = &block[..p];
    }
    let block = strip_old_page_markers(&block.replace('¶', ""));
    split_references(&block, year, own_id)
}

/// Removes old-style page headers run into text: `CONFIDENTIAL PAGE 02 ROME 01196 01 OF 02 082030Z`.
fn strip_old_page_markers(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(p) = find_str(rest, "PAGE ") {
        let after = &rest[p + 5..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        // The header ends with a date-time like "082030Z" within a few words.
        let end = if digits == 2 {
            after[..crate::text::floor_boundary(after, 80)]
                .split_whitespace()
                .scan(0usize, |_, w| Some(w))
                .position(|w| w.len() == 7 && w.ends_with('Z') && w.as_bytes()[..6].iter().all(u8::is_ascii_digit))
                .and_then(|_| after.find('Z').map(|z| p + 5 + z + 1))
        } else {
            None
        };
        match end {
            Some(e) => {
                let mut head = &rest[..p];
                for w in ["CONFIDENTIAL", "UNCLASSIFIED", "SECRET", "LIMITED OFFICIAL USE"] {
                    if let Some(h) = head.trim_end().strip_suffix(w) {
                        head = h;
                    }
                }
                out.push_str(head);
                out.push(' ');
                rest = &rest[e..];
            }
            None => {
                out.push_str(&rest[..p + 5]);
                rest = &rest[p + 5..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn split_references(block: &str, year: u32, own_id: Option<&str>) -> Vec<Reference> {
    // Lettered lists: "A. STATE 1234 B. TRIPOLI 677", "(A) ...", "A) ...", "A: ...", on separate
    // lines or run on.
    let b = block.as_bytes();
    let mut starts: Vec<(usize, usize, String)> = Vec::new(); // (item start, text start, letter)
    let mut expect = b'A';
    let mut i = 0;
    while i + 1 < b.len() {
        let at_boundary = i == 0 || matches!(b[i - 1], b' ' | b'\n' | b'\t' | b';' | b',');
        if at_boundary {
            let (letter_at, paren) = if b[i] == b'(' { (i + 1, true) } else { (i, false) };
            let close = letter_at + 1;
            if close < b.len() && b[letter_at] == expect {
                // "A - Kabul 28": a dash after a space.
                let dash = !paren && b[close] == b' ' && b.get(close + 1) == Some(&b'-') && b.get(close + 2) == Some(&b' ');
                let close = if dash { close + 1 } else { close };
                let ok_close = dash || if paren { b[close] == b')' } else { matches!(b[close], b'.' | b')' | b':') };
                let after = close + 1;
                let followed = after >= b.len() || matches!(b[after], b' ' | b'\n' | b'\t') || (b[close] == b')' && b[after].is_ascii_alphanumeric());
                if ok_close && followed {
                    starts.push((i, after, (expect as char).to_string()));
                    expect += 1;
                    i = after;
                    continue;
                }
            }
        }
        i += 1;
    }
    let mut items: Vec<(Option<String>, String)> = Vec::new();
    let lettered = starts.len() >= 2 || (starts.len() == 1 && block[..starts[0].0].trim().is_empty());
    if lettered {
        // Text before "A." (e.g. "09 STATE 96625; A. ...") is an item of its own.
        let lead = collapse_ws(&block[..starts[0].0]);
        if !lead.trim_matches([';', ',', ' ']).is_empty() {
            items.push((None, lead));
        }
        for (k, (_, text_at, letter)) in starts.iter().enumerate() {
            let end = starts.get(k + 1).map_or(block.len(), |n| n.0);
            items.push((Some(letter.clone()), collapse_ws(&block[*text_at..end])));
        }
    } else {
        // Unlettered: items separated by ";" (or one item).
        for part in block.split(';') {
            let t = collapse_ws(part);
            if !t.is_empty() {
                items.push((None, t));
            }
        }
    }
    let mut out = Vec::new();
    for (bullet, text) in items {
        let mut text = text.trim().trim_start_matches(':').trim().trim_end_matches([';', ',']).trim();
        // A repeated label or bullet inside the item: "REF: KATHMANDU 2282", "A) STATE 70789", "REF A STATE".
        for _ in 0..2 {
            if starts_with_ci(text, "REF:") {
                text = text[4..].trim_start();
            } else if let Some(bl) = bullet.as_deref() {
                let bl_b = bl.as_bytes()[0];
                let tb = text.as_bytes();
                if starts_with_ci(text, "REF ") && tb.get(4) == Some(&bl_b) && tb.get(5) == Some(&b' ') {
                    text = text[6..].trim_start();
                } else if tb.len() > 2 && tb[0] == bl_b && (tb[1] == b')' || tb[1] == b'.') {
                    text = text[2..].trim_start();
                } else if tb.len() > 3 && tb[0] == b'(' && tb[1] == bl_b && tb[2] == b')' {
                    text = text[3..].trim_start();
                }
            }
        }
        if text.is_empty() {
            continue;
        }
        let mut ids = cable_ids_in(text, year);
        if ids.is_empty() {
            // "A) 6307": a bare serial is one of the cable's own station.
            let first = text.split_whitespace().next().unwrap_or("");
            let own_station = own_id.filter(|o| o.len() > 2 && o.is_char_boundary(2)).map(|o| o[2..].trim_end_matches(|c: char| c.is_ascii_digit()));
            if let Some(st) = own_station {
                if first.len() >= 3 && first.len() <= 6 && first.bytes().all(|b| b.is_ascii_digit()) && (text.len() == first.len() || text[first.len()..].trim().eq_ignore_ascii_case("AND PREVIOUS")) {
                    ids.push(make_id(year, st, first));
                }
            }
        }
        if ids.is_empty() {
            out.push(Reference { id: None, text: text.to_string(), bullet });
        } else {
            for id in ids {
                if own_id == Some(id.as_str()) {
                    continue;
                }
                out.push(Reference { id: Some(id), text: text.to_string(), bullet: bullet.clone() });
            }
        }
    }
    out
}

/// A token of a reference text: a slice of its upper-cased copy.
#[derive(Debug, Clone, Copy, PartialEq)]
enum RefTok<'a> {
    /// A number (serial or year).
    Num(&'a str),
    /// A number in parentheses, a year: `(08)`.
    ParenNum(&'a str),
    /// A word (upper-cased).
    Word(&'a str),
}

/// The tokens of a reference text, `up` being the text upper-cased with `¶` as a space. A piece
/// typed with a zero for an O (`0TTAWA`) or an O for a zero (`O1512`) is mended in `up` itself, so
/// every token is a slice of it (no token is allocated).
fn ref_tokens(up: &mut String) -> Vec<RefTok<'_>> {
    #[derive(Clone, Copy)]
    enum Kind {
        Num,
        ParenNum,
        Word,
    }
    let mut spans: Vec<(Kind, usize, usize)> = Vec::new();
    // The first byte of a piece to mend, and what it becomes.
    let mut mends: Vec<(usize, &'static str)> = Vec::new();
    {
        let base = up.as_ptr() as usize;
        let at = |sub: &str| sub.as_ptr() as usize - base;
        for raw in up.split(|c: char| c.is_whitespace() || c == ',' || c == ';' || c == ':' || c == '/' || c == '&') {
            if raw.is_empty() {
                continue;
            }
            // "(08)" is a year; other parentheses are separators: "(A)STATE" gives A, STATE.
            let trimmed = raw.trim_matches(|c| c == '(' || c == ')' || c == '.');
            if raw.starts_with('(') && raw.ends_with(')') && (trimmed.len() == 2 || trimmed.len() == 4) && trimmed.bytes().all(|b| b.is_ascii_digit()) {
                spans.push((Kind::ParenNum, at(trimmed), at(trimmed) + trimmed.len()));
                continue;
            }
            // "5049-01": a serial with the year after a dash.
            if let Some((a, b)) = trimmed.split_once('-') {
                if a.len() >= 2 && b.len() == 2 && a.bytes().all(|c| c.is_ascii_digit()) && b.bytes().all(|c| c.is_ascii_digit()) {
                    spans.push((Kind::Num, at(a), at(a) + a.len()));
                    spans.push((Kind::ParenNum, at(b), at(b) + b.len()));
                    continue;
                }
            }
            for piece in raw.split(['(', ')', '-']) {
                let piece = piece.trim_matches(|c: char| c == '.' || c == '\'' || c == '"');
                if piece.is_empty() {
                    continue;
                }
                let pb = piece.as_bytes();
                // A date-time group ("061207ZJAN09", "061207Z") is one word: no serial in it.
                if pb.len() >= 7 && pb[..6].iter().all(u8::is_ascii_digit) && pb[6] == b'Z' {
                    spans.push((Kind::Word, at(piece), at(piece) + piece.len()));
                    continue;
                }
                // Split letters from digits: "09DHAHRAN" -> 09 DHAHRAN; "2005PANAMA2342"; "0TTAWA" -> OTTAWA.
                // "O1512": a serial typed with the letter O for a zero.
                let first_digit = if pb.len() > 3 && pb[0] == b'0' && pb[1].is_ascii_alphabetic() {
                    mends.push((at(piece), "O"));
                    false
                } else if pb.len() > 2 && pb[0] == b'O' && pb[1..].iter().all(u8::is_ascii_digit) {
                    mends.push((at(piece), "0"));
                    true
                } else {
                    pb[0].is_ascii_digit()
                };
                let start = at(piece);
                let mut run = (first_digit, 0);
                for (i, c) in piece.char_indices().skip(1) {
                    let d = c.is_ascii_digit();
                    if d != run.0 {
                        spans.push((if run.0 { Kind::Num } else { Kind::Word }, start + run.1, start + i));
                        run = (d, i);
                    }
                }
                spans.push((if run.0 { Kind::Num } else { Kind::Word }, start + run.1, start + piece.len()));
            }
        }
    }
    for (i, by) in mends {
        up.replace_range(i..i + 1, by);
    }
    let up: &str = up;
    spans
        .into_iter()
        .map(|(kind, s, e)| match kind {
            Kind::Num => RefTok::Num(&up[s..e]),
            Kind::ParenNum => RefTok::ParenNum(&up[s..e]),
            Kind::Word => RefTok::Word(&up[s..e]),
        })
        .collect()
}

/// Short forms of stations used in references.
const REF_STATION_FIXES: &[(&str, &str)] = &[
    ("RIODEJAN", "RIODEJANEIRO"), ("RIODE", "RIODEJANEIRO"), ("RIO", "RIODEJANEIRO"), ("PORTA", "PORTAUPRINCE"),
    ("PORTAU", "PORTAUPRINCE"), ("ADDIS", "ADDISABABA"), ("SECSTATE", "STATE"), ("DEPT", "STATE"), ("USNATO", "USNATO"),
    ("USUN", "USUNNEWYORK"), ("USEU", "USEUBRUSSELS"), ("HAGUE", "THEHAGUE"), ("KUALA", "KUALALUMPUR"),
    ("HCMC", "HOCHIMINHCITY"), ("HOCHIMINH", "HOCHIMINHCITY"), ("SANJOSE", "SANJOSE"), ("NDJAMENA", "NDJAMENA"),
    ("HK", "HONGKONG"), ("USDOC", "USDOC"), ("SECDEF", "SECDEF"), ("TELAVIV", "TELAVIV"), ("USDAFAS", "USDAFAS"),
];

/// The station spelled by `words` (joined), if it is a known one; `fuzzy` also accepts a
/// misspelling of a long station name.
fn ref_station(words: &[&str], fuzzy: bool) -> Option<String> {
    // The letters of the words, joined, in a buffer on the stack (no station name is longer).
    let mut buf = [0u8; 48];
    let mut n = 0;
    for b in words.iter().flat_map(|w| w.bytes()).filter(u8::is_ascii_alphabetic) {
        if n == buf.len() {
            return None;
        }
        buf[n] = b;
        n += 1;
    }
    let joined = std::str::from_utf8(&buf[..n]).ok()?;
    if let Some((_, to)) = REF_STATION_FIXES.iter().find(|(from, _)| *from == joined) {
        return Some((*to).to_string());
    }
    if joined.len() < 3 {
        return None;
    }
    if crate::ids::is_station(joined) {
        return Some(joined.to_string());
    }
    // Misspellings of long station names only (short words are too often ordinary words).
    if fuzzy && joined.len() >= 6 {
        let c = canonical_station(joined);
        if crate::ids::is_station(&c) {
            return Some(c);
        }
    }
    None
}

/// Ids in order without duplicates (a set beside the list keeps this linear).
#[derive(Default)]
struct IdList {
    ids: Vec<String>,
    seen: std::collections::HashSet<String>,
}

impl IdList {
    fn push(&mut self, id: String) {
        if self.seen.insert(id.clone()) {
            self.ids.push(id);
        }
    }
}

/// A date written as one token, `09MAR07` or `17MAR2008`: day, month, year (not a cable id).
fn is_date_token(t: &str) -> bool {
    let b = t.as_bytes();
    (b.len() == 7 || b.len() == 9)
        && b[..2].iter().all(u8::is_ascii_digit)
        && crate::text::month_number(&t[2..]).is_some()
        && b[5..].iter().all(u8::is_ascii_digit)
}

/// Cable ids in a reference text: `TRIPOLI 677`, `08 STATE 12345`, `SECSTATE 200660`,
/// `09BAGHDAD123`, `2003 Sao Paulo 2199`, `ASUNCION 701 (08)`, `BRASILIA 2799 AND 2764`.
pub fn cable_ids_in(text: &str, year: u32) -> Vec<String> {
    let mut out = IdList::default();
    // Whole ids first ("09BAGHDAD123"), when a token is one.
    for tok in text.split(|c: char| c.is_whitespace() || c == ',' || c == ';') {
        let t = tok.trim_matches(|c: char| c == '(' || c == ')' || c == '.' || c == ':');
        if looks_like_id(t) && t.len() > 6 && !t[2..].starts_with("SECTION") && !is_date_token(t) {
            let id = crate::ids::canonical_id(t);
            out.push(id);
        }
    }
    if !out.ids.is_empty() {
        return out.ids;
    }
    // (ASCII text, the usual case, is upper-cased in one copy and has no `¶`.)
    let mut up = if text.is_ascii() { text.to_ascii_uppercase() } else { text.to_uppercase().replace('¶', " ") };
    let toks = ref_tokens(&mut up);
    let station_at = |k: usize| -> Option<(String, usize)> {
        // Longest run of up to four words naming a station.
        let mut buf = [""; 4];
        let mut len = 0;
        for t in toks.iter().skip(k).take(4) {
            match t {
                RefTok::Word(w) => {
                    buf[len] = w;
                    len += 1;
                }
                _ => break,
            }
        }
        let words = &buf[..len];
        // Exact names first; a misspelt one only right before a serial number.
        (1..=words.len()).rev().find_map(|n| ref_station(&words[..n], false).map(|s| (s, n))).or_else(|| {
            (1..=words.len()).rev().find_map(|n| {
                let serial_next = matches!(toks.get(k + n), Some(RefTok::Num(_)));
                if serial_next {
                    ref_station(&words[..n], true).map(|s| (s, n))
                } else {
                    None
                }
            })
        })
    };
    let year_of = |s: &str| -> Option<u32> {
        let n: u32 = s.parse().ok()?;
        match s.len() {
            2 => Some(full_year(n)),
            4 if (1960..=2011).contains(&n) => Some(n),
            _ => None,
        }
    };
    let mut k = 0;
    while k < toks.len() {
        let Some((station, n)) = (match &toks[k] {
            RefTok::Word(_) => station_at(k),
            _ => None,
        }) else {
            k += 1;
            continue;
        };
        // A year just before the station: "08 STATE", "2003 SAO PAULO".
        let mut y = year;
        if k > 0 {
            if let RefTok::Num(p) = &toks[k - 1] {
                if let Some(py) = year_of(p) {
                    y = py;
                }
            }
        }
        let mut j = k + n;
        while matches!(toks.get(j), Some(RefTok::Word("CABLE" | "CABLES" | "TEL" | "NO" | "NUMBER"))) {
            j += 1;
        }
        if let Some(RefTok::ParenNum(p)) = toks.get(j) {
            if let Some(py) = year_of(p) {
                y = py;
            }
            j += 1;
        }
        let Some(RefTok::Num(serial)) = toks.get(j) else {
            // "870 Ulaanbaatar", "377 KATHMANDU": the serial before the station.
            if k > 0 && !matches!(toks.get(j), Some(RefTok::Num(_))) {
                if let RefTok::Num(p) = &toks[k - 1] {
                    if p.len() >= 3 && year_of(p).is_none() {
                        let id = make_id(year, &station, p);
                        out.push(id);
                    }
                }
            }
            k += n;
            continue;
        };
        if serial.len() > 7 {
            k = j + 1;
            continue;
        }
        j += 1;
        // A year in parentheses after the serial: "ASUNCION 701 (08)".
        if let Some(RefTok::ParenNum(p)) = toks.get(j) {
            if let Some(py) = year_of(p) {
                y = py;
            }
            j += 1;
        }
        let mut serials = vec![(*serial, y)];
        // More serials of the same station: "2799 AND 2764", "11657 and 7743, 12155".
        loop {
            let (skip, next) = match (toks.get(j), toks.get(j + 1)) {
                (Some(RefTok::Word("AND")), Some(RefTok::Num(num))) => (2, num),
                (Some(RefTok::Num(num)), _) => (1, num),
                _ => break,
            };
            // A number followed by a station is the next reference's year.
            let after = j + skip;
            if matches!(toks.get(after), Some(RefTok::Word(_))) && station_at(after).is_some() {
                break;
            }
            if next.len() < 2 || next.len() > 7 {
                break;
            }
            j = after;
            // "0266 AND 02259 (2002)": a year in parentheses belongs to the serial before it.
            let mut sy = y;
            if let Some(RefTok::ParenNum(p)) = toks.get(j) {
                if let Some(py) = year_of(p) {
                    sy = py;
                }
                j += 1;
            }
            serials.push((*next, sy));
        }
        for (s, sy) in serials {
            let id = make_id(sy, &station, s);
            out.push(id);
        }
        k = j;
    }
    out.ids
}

/// Each SUMMARY (any case, any word) up to the first END SUMMARY (also split over a line, or
/// END OF SUMMARY), and that END's start: found once for both the end and the opener of a summary.
/// Without an END SUMMARY, every SUMMARY of the body.
fn summary_words(body: &str) -> (Vec<usize>, Option<usize>) {
    // Found from the word SUMMARY (rare) back to its END (a common word, and in lower case a
    // common letter triple): the first SUMMARY with an END before it gives the first END.
    let mut hits = Vec::new();
    let mut pos = 0;
    while let Some(q) = find_ci_from(body, "SUMMARY", pos) {
        hits.push(q);
        pos = q + 7; // (SUMMARY does not overlap itself)
        if let Some(p) = end_before_summary(body, q) {
            return (hits, Some(p));
        }
    }
    (hits, None)
}

/// The `END` of `END SUMMARY` / `END OF SUMMARY` whose SUMMARY is at `q`: `END` as a whole
/// word, then spaces or line breaks, then optionally `OF`, a space and any white space.
fn end_before_summary(body: &str, q: usize) -> Option<usize> {
    let end_word = |v: &str| {
        let v = v.trim_end_matches([' ', '\t', '\n', '\r']);
        let p = v.len().checked_sub(3)?;
        (v.is_char_boundary(p) && v[p..].eq_ignore_ascii_case("END") && crate::text::is_word_bounded(body, p, 3)).then_some(p)
    };
    let before = &body[..q];
    let w = before.trim_end();
    if w.len() < before.len() && before.as_bytes()[w.len()] == b' ' && w.len() >= 2 && w.is_char_boundary(w.len() - 2) && w[w.len() - 2..].eq_ignore_ascii_case("OF") {
        if let Some(p) = end_word(&w[..w.len() - 2]) {
            return Some(p);
        }
    }
    // "End introduction and summary."
    const INTRO: &str = "INTRODUCTION AND";
    if w.len() < before.len() && before.as_bytes()[w.len()] == b' ' && w.len() >= INTRO.len() && w.is_char_boundary(w.len() - INTRO.len()) && w[w.len() - INTRO.len()..].eq_ignore_ascii_case(INTRO) {
        let v = &w[..w.len() - INTRO.len()];
        if v.ends_with([' ', '\t', '\n', '\r']) {
            if let Some(p) = end_word(v) {
                return Some(p);
            }
        }
    }
    end_word(before)
}

/// A SUMMARY opener at `p` (the word SUMMARY): returns where the summary text starts.
fn summary_opener(body: &str, p: usize, line_starts: &mut LineStarts) -> Option<usize> {
    let line_start = line_starts.at(body, p);
    let before = body[line_start..p].trim().trim_start_matches('¶');
    let before_ok = before.is_empty()
        || before.ends_with(')')
        || before.ends_with('.')
        || before.eq_ignore_ascii_case("BEGIN")
        || before.ends_with("--")
        || (before.len() < 12 && opener(before, false).is_some())
        // "(S/NF) Introduction and Summary:", "Background & Summary", not "End Introduction and Summary."
        || (["INTRODUCTION AND", "INTRODUCTION &", "BACKGROUND AND", "BACKGROUND &"]
            .iter()
            .any(|w| before.len() >= w.len() && before.is_char_boundary(before.len() - w.len()) && before[before.len() - w.len()..].eq_ignore_ascii_case(w))
            && !starts_with_ci(before.rsplit(['.', ')']).next().unwrap_or("").trim_start(), "END "));
    if !before_ok {
        return None;
    }
    let mut q = p + 7;
    let after = &body[q..];
    let t = after.trim_start_matches(' ');
    q += after.len() - t.len();
    for tail in ["AND TABLE OF CONTENTS", "AND COMMENT", "/COMMENT", "AND ACTION REQUEST", "AND ACTION", "AND INTRODUCTION", "AND BACKGROUND", "/BACKGROUND"] {
        if starts_with_ci(t, tail) {
            q += tail.len();
            let t2 = &body[q..];
            return Some(q + (t2.len() - t2.trim_start_matches([':', '.', '-', ' ', '=']).len()));
        }
    }
    let first = t.chars().next();
    // "Summary:", "SUMMARY.", a heading on its own line (also "Summary \\" in a scrape that ends
    // its lines with a backslash), "Summary, Post convened ...".
    let comma_then_text = first == Some(',') && {
        let rest = t[1..].trim_start();
        rest.chars().next().is_some_and(char::is_uppercase) && !starts_with_ci(rest, "CONT") && !starts_with_ci(rest, "COMMENT")
    };
    if matches!(first, Some(':') | Some('.') | Some('-') | Some('=') | Some('\n') | Some('\r') | None) || comma_then_text || t.starts_with("\\\n") {
        let t2 = &body[q..];
        return Some(q + (t2.len() - t2.trim_start_matches([':', '.', '-', ' ', '=', '\n', '\r', ',', '\\']).len()));
    }
    None
}

/// Removes paragraph openers and markings from summary text: "1. (C)", "(SBU)".
fn strip_openers(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for line in s.lines() {
        let mut t = line.trim();
        if t.chars().all(|c| c == '-' || c == '=' || c == ' ') {
            continue;
        }
        let tt = t.trim_start_matches('¶');
        if let Some((_, len, _)) = opener(tt, false) {
            t = tt[len..].trim_start();
        }
        let (ml, m) = marking_at(t);
        if m.is_some() {
            t = t[ml..].trim_start();
        }
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(t);
    }
    out
}

/// The text between a SUMMARY opener and END SUMMARY; without END SUMMARY, the opener's paragraph;
/// without an opener but with END SUMMARY, from the first paragraph on.
pub fn summary(body: &str) -> Option<String> {
    let (hits, end) = summary_words(body);
    let limit = end.unwrap_or(body.len());
    // The last opener before END SUMMARY (or the first one when there is no END): a whole word.
    // (One ending right at the END is not possible: END follows a non-word byte.)
    let mut start = None;
    let mut line_starts = LineStarts::default();
    for &p in hits.iter().take_while(|&&q| q + 7 <= limit) {
        if !crate::text::is_word_bounded(body, p, 7) {
            continue;
        }
        if let Some(q) = summary_opener(body, p, &mut line_starts) {
            start = Some(q);
            if end.is_none() {
                break;
            }
        }
    }
    let text = match (start, end) {
        (Some(s), Some(e)) if s <= e => &body[s..e],
        (Some(s), None) => {
            let v = &body[s..];
            // To the paragraph's end: a blank line (in a scrape that ends its lines with a
            // backslash, a line of one).
            let e = find_str(v, "\n\n").or_else(|| find_str(v, "\n \n")).or_else(|| find_str(v, "\n \\\n")).unwrap_or(v.len());
            &v[..e]
        }
        (None, Some(e)) => {
            // From the first paragraph opener before END SUMMARY.
            let head = &body[..e];
            let first = lines_at(head, 0).find(|l| opener(l.text.trim_start().trim_start_matches('¶'), false).is_some())?;
            &head[first.start..]
        }
        _ => return None,
    };
    let s = strip_openers(text);
    // A scrape that ends its lines with a backslash: the backslashes are no text.
    let s = if s.contains("\\\n") { s.replace("\\\n", "\n") } else { s };
    let s = collapse_ws(s.trim_end_matches(['\\', ' ', '\n']));
    let mut s = s.trim().trim_end_matches(['(', '-', ' ']).trim().trim_end_matches("--").trim();
    // The closing words of an opener the END did not match ("End Introduction and Summary.").
    for closing in ["END INTRODUCTION AND SUMMARY", "END SUMMARY"] {
        let t = s.trim_end_matches(['.', ' ']);
        if t.len() >= closing.len() && t.is_char_boundary(t.len() - closing.len()) && t[t.len() - closing.len()..].eq_ignore_ascii_case(closing) {
            s = t[..t.len() - closing.len()].trim_end();
        }
    }
    if s.len() < 3 {
        None
    } else {
        Some(s.to_string())
    }
}

/// Signer surnames at the end of the body (`CRETZ`; `KEEGAN/PAAL` gives two). Trailing
/// classification lines, page markers, `NNNN` and notes after the signature are passed over.
pub fn signers(body: &str) -> Vec<String> {
    let tail_start = crate::text::floor_boundary(body, body.len().saturating_sub(700));
    let tail = &body[tail_start..];
    const JUNK: &[&str] = &["CONFIDENTIAL", "UNCLASSIFIED", "SECRET", "LIMITED OFFICIAL USE", "SENSITIVE BUT UNCLASSIFIED", "SENSITIVE", "FOR OFFICIAL USE ONLY", "NNNN", "NNN", "BT", "EXEMPT", "SIPDIS", "NOFORN", "UNQUOTE", "QUOTE", "REGARDS"];
    let mut candidate = None;
    let mut lines = tail.lines().rev();
    for line in lines.by_ref() {
        let t = line.trim().trim_end_matches('#').trim();
        let junk = t.is_empty()
            || t.chars().all(|c| !c.is_alphanumeric())
            // A page number under the signature.
            || crate::text::all_digits(t)
            || JUNK.iter().any(|j| j.eq_ignore_ascii_case(t))
            // A label line ("Drafted: ...", "date: ..."); a reflowed paragraph has colons too.
            || (t.contains(':') && t.len() < 100)
            || t.starts_with("NOTE")
            || t.starts_with("Declassified")
            || t.starts_with("Review ")
            || t.starts_with('#')
            || t.starts_with("***")
            || t.starts_with("<_protect>")
            || t.contains("CABLE ENDS")
            // A scrape's query ("SELECT * FROM `cable` ...").
            || t.starts_with("SELECT * FROM")
            || is_marker_line(t)
            || find_page_marker(t).is_some_and(|(a, _)| a == 0);
        if junk {
            continue;
        }
        candidate = Some(t);
        break;
    }
    let Some(mut t) = candidate else { return Vec::new() };
    // The line above, for a signature with full stops: "...End comment.\nGODFREY." and
    // "...Classified Website: XXXXXXXXXXXX\nSusman.." are signed, "...APPRECIATES
    // TRINIDAD'S\nASSISTANCE." is not; "Brownfield\nHAVEZ..." is a signature then a page cut short.
    let above = lines.map(|l| l.trim().trim_end_matches('\\').trim_end()).find(|l| !l.is_empty()).unwrap_or("");
    let above_ends = above.is_empty() || above.rsplit(' ').next().is_some_and(ends_a_sentence);
    let lone_word = |l: &str| !l.is_empty() && !l.contains(' ') && l.chars().next().is_some_and(char::is_uppercase) && l.chars().all(char::is_alphabetic);
    if t.ends_with("...") && lone_word(above) {
        t = above;
    }
    // The line's last words are enough (a reflowed paragraph is one long line).
    let mut words: Vec<&str> = t.split_whitespace().rev().take(8).collect();
    words.reverse();
    // A scrape's residue after the name ("STEVENS 0 02/20/2008"), a stray closing quote.
    while words.len() > 1 && words.last().is_some_and(|w| w.bytes().all(|b| b.is_ascii_digit() || b == b'/') || ["\"", "'", "\\"].contains(w)) {
        words.pop();
    }
    // A signature line with full stops ("GODFREY.", "Susman..").
    if let [only] = words.as_mut_slice() {
        if above_ends {
            *only = only.trim_end_matches('.');
        }
    }
    // A surname with a particle on its own line ("van Voorst").
    if let [particle, name] = words[..] {
        let mut cs = name.chars();
        if is_name_particle(particle) && name.len() >= 3 && cs.next().is_some_and(|c| c.is_ascii_uppercase()) && cs.all(|c| c.is_ascii_lowercase()) {
            return vec![format!("{particle} {name}").to_ascii_uppercase()];
        }
    }
    // A name glued to the sentence before it ("...at the Vatican table.ROONEY") or to a
    // redaction ("XXXXXXXXXXXXTUTTLE").
    if let Some(last) = words.pop() {
        let redaction = last.bytes().take_while(|&b| b == b'X').count();
        let glued = last.rfind(['.', '!', '?', '"', ')']).map(|p| p + 1).filter(|&p| p < last.len()).or((redaction >= 6 && redaction < last.len()).then_some(redaction));
        match glued {
            Some(p) => words.extend([&last[..p], &last[p..]]),
            None => words.push(last),
        }
    }
    let is_name = |w: &str| {
        w.len() >= 2
            && w.chars().all(|c| c.is_ascii_uppercase() || c == '\'' || c == '-' || c == '/')
            && w.chars().any(|c| c.is_ascii_uppercase())
            && !w.bytes().all(|b| b == b'X')
    };
    // The signature is the run of names that ends the last line (at most three words), at the
    // line's start or after a sentence's end, a redaction or a web address: in reflowed text it
    // is the last word(s) of the last paragraph ("... End comment. ERELI", "Visit London's
    // Classified Website: XXXXXXXXXXXX LEBARON").
    let mut start = words.len();
    while start > 0 && words.len() - start < 3 && is_name(words[start - 1]) {
        start -= 1;
    }
    // Reflowed text puts the telegram's MINIMIZE CONSIDERED before the name: `... 1908. MINIMIZE CONSIDERED SCOBEY`.
    if words.len() - start > 1 && words[start] == "MINIMIZE" && words.get(start + 1) == Some(&"CONSIDERED") {
        start += 2;
    }
    let follows_an_end = |before: &str| ends_a_sentence(before) || before.contains("http") || before == "CONSIDERED";
    // In mixed-case text a last word in capitals is the signature even without a full stop
    // before it ("... Cabinet Advisor for Iranian Affairs Ahmed Megahed SCOBEY").
    // (Not after a word that wants one more: "... and the GOL" is no signature.)
    const FUNCTION_WORDS: &[&str] = &["the", "of", "and", "to", "in", "by", "for", "with", "on", "at", "from", "a", "an", "or", "our", "its", "their"];
    let after_mixed_case = start + 1 == words.len()
        && start > 0
        && words[start].len() >= 3
        && has_lowercase(words[start - 1])
        && !FUNCTION_WORDS.contains(&words[start - 1]);
    let run: &[&str] = if start < words.len() && (start == 0 || follows_an_end(words[start - 1]) || after_mixed_case) {
        &words[start..]
    } else {
        // A signature in title case ("Murphy", "... (reftel E) Scobey"): one capitalised word
        // on its own line or after a sentence's end.
        let Some(w) = words.last().copied() else { return Vec::new() };
        let mut cs = w.chars();
        let title_case = w.len() >= 3 && cs.next().is_some_and(|c| c.is_ascii_uppercase()) && cs.all(|c| c.is_ascii_lowercase() || c == '-' || c == '\'');
        const NOT_SIGNATURES: &[&str] = &["Thanks", "Regards", "Cheers", "Comment", "Note", "Summary", "End", "Text", "Unquote", "Quote"];
        if title_case && (words.len() == 1 || follows_an_end(words[words.len() - 2])) && !NOT_SIGNATURES.contains(&w) {
            return vec![w.to_ascii_uppercase()];
        }
        return Vec::new();
    };
    // "... END COMMENT FURUTA-TOY": the closing words are not the name.
    let mut run = run;
    while run.len() > 1 && run[0] == "END" && ["COMMENT", "TEXT", "NOTE", "SUMMARY"].contains(&run[1]) {
        run = &run[2..];
    }
    // An addressee line at the end ("RUEHTRO/AMEMBASSY TRIPOLI") is no signature.
    if run.iter().any(|w| ["AMEMBASSY", "AMCONSUL", "USMISSION", "PRIORITY", "IMMEDIATE", "ROUTINE"].iter().any(|a| w.contains(a))) {
        return Vec::new();
    }
    let joined = run.join(" ");
    const NOT_NAMES: &[&str] = &["END COMMENT", "END SUMMARY", "END NOTE", "COMMENT", "END", "END TEXT", "YYY", "XXX", "MINIMIZE CONSIDERED"];
    if NOT_NAMES.contains(&joined.as_str()) || joined.bytes().all(|b| b == b'X' || b == b'Y') {
        return Vec::new();
    }
    joined.split('/').map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect()
}

/// Counts redaction runs: six or more `X`, `x` or Cyrillic `Х` in a row.
pub fn count_redactions(body: &str) -> usize {
    let b = body.as_bytes();
    let mut count = 0;
    let mut i = 0;
    // Jump between candidate bytes: 'X', 'x', and the lead byte of Cyrillic 'Х' (D0 A5) / 'х' (D1 85).
    // (D1 is looked for only in a text that has one: it is rare, and a fourth byte needs a second
    // search.)
    let has_d1 = memchr::memchr(0xD1, b).is_some();
    let next_candidate = |from: usize| {
        let x = memchr::memchr3(b'X', b'x', 0xD0, &b[from..]);
        let d1 = if has_d1 { memchr::memchr(0xD1, &b[from..]) } else { None };
        match (x, d1) {
            (Some(a), Some(c)) => Some(a.min(c)),
            (a, c) => a.or(c),
        }
    };
    while let Some(off) = next_candidate(i) {
        let mut j = i + off;
        let mut run = 0;
        loop {
            match b.get(j) {
                Some(b'X') | Some(b'x') => j += 1,
                Some(0xD0) if b.get(j + 1) == Some(&0xA5) => j += 2,
                Some(0xD1) if b.get(j + 1) == Some(&0x85) => j += 2,
                _ => break,
            }
            run += 1;
        }
        if run >= 6 {
            count += 1;
        }
        i = if j > i + off { j } else { i + off + 1 };
        if i >= b.len() {
            break;
        }
    }
    count
}

/// Dates some partial extracts carry near the start of the body: `Tuesday, 03 July 2001, 12:03`
/// (first line, or after the routing block of a 2000-era telegram copied with its `PAGE 01`
/// header), `Cable dated:2005-11-29T14:19:00`, or a bare date-time group `291359Z Nov 00` as the
/// first line. Returns `YYYY-MM-DD HH:MM`.
pub fn partial_date(body: &str) -> Option<String> {
    let head = body[..crate::text::floor_boundary(body, 200)].trim_start();
    if let Some(r) = head.strip_prefix("Cable dated:") {
        let r = r.as_bytes();
        if r.len() >= 16 && r[4] == b'-' && r[10] == b'T' {
            let s = std::str::from_utf8(&r[..16]).ok()?;
            return Some(format!("{} {}", &s[..10], &s[11..16]));
        }
    }
    let first = head.lines().next()?;
    if let Some(d) = weekday_date(first) {
        return Some(d);
    }
    // "291359Z Nov 00"
    let t = first.trim();
    if t.len() <= 16 && t.as_bytes().get(6) == Some(&b'Z') {
        if let Some(d) = dtg_to_datetime(&t.to_ascii_uppercase()) {
            return Some(d);
        }
    }
    // A weekday date line further down, before the banner (after a copied routing block).
    let near = &body[..crate::text::floor_boundary(body, 3000)];
    near.lines().take(60).find_map(weekday_date)
}

/// `Tuesday, 03 July 2001, 12:03` as `2001-07-03 12:03`.
fn weekday_date(line: &str) -> Option<String> {
    const DAYS: [&str; 7] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
    // (The cheap test first: the line must start with a day's name.)
    let start = line.trim_start();
    if !DAYS.iter().any(|d| start.starts_with(d)) {
        return None;
    }
    let parts: Vec<&str> = line.split(',').map(str::trim).collect();
    if parts.len() < 3 || !DAYS.contains(&parts[0]) {
        return None;
    }
    let dmy: Vec<&str> = parts[1].split_whitespace().collect();
    if dmy.len() != 3 {
        return None;
    }
    let d: u32 = dmy[0].parse().ok()?;
    let m = month_number(dmy[1])?;
    let y: u32 = dmy[2].parse().ok()?;
    let hm = parts[2];
    (hm.len() >= 5 && hm.as_bytes()[2] == b':' && (1..=31).contains(&d)).then(|| Some(format!("{y:04}-{m:02}-{d:02} {}", hm.get(..5)?)))?
}

/// Converts a date-time group (`171049Z SEP 09`) to `YYYY-MM-DD HH:MM`.
pub fn dtg_to_datetime(dtg: &str) -> Option<String> {
    // By byte position: anything not cut at character boundaries there is not a date-time group.
    let day: u32 = dtg.get(0..2)?.parse().ok()?;
    let hh = dtg.get(2..4)?;
    let mm = dtg.get(4..6)?;
    let month = month_number(dtg.get(8..11)?)?;
    let yy: u32 = dtg.get(12..14)?.parse().ok()?;
    Some(format!("{:04}-{:02}-{:02} {}:{}", full_year(yy), month, day, hh, mm))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The definition [`summary_words`]' END SUMMARY is a faster form of: the first whole word END followed by
    /// spaces or line breaks, optionally `OF` + space + white space or `INTRODUCTION AND` + space, then SUMMARY.
    fn end_summary_by_definition(body: &str) -> Option<usize> {
        let mut pos = 0;
        while let Some(p) = find_word_ci(body, "END", pos) {
            pos = p + 3;
            let rest = body[p + 3..].trim_start_matches([' ', '\t', '\n', '\r']);
            let rest = if starts_with_ci(rest, "OF ") { rest[3..].trim_start() } else { rest };
            let rest = if starts_with_ci(rest, "INTRODUCTION AND ") { rest["INTRODUCTION AND ".len()..].trim_start() } else { rest };
            if starts_with_ci(rest, "SUMMARY") {
                return Some(p);
            }
        }
        None
    }

    #[test]
    fn label_value_takes_the_first_label_in_the_list_not_the_first_in_the_text() {
        let labels = ["REF:", "REFS:", "REFTEL:", "REF "];
        let pre = "SUBJECT: X\nREFTEL: STATE 1\nXREF: NOT A LABEL HERE\nREF: TRIPOLI 2\n";
        let (at, v) = label_value(pre, &labels).unwrap();
        assert_eq!(&pre[at..at + 4], "REF:");
        assert!(v.starts_with(" TRIPOLI 2"), "{v:?}");
        let (at, _) = label_value("REFTEL: STATE 1\nrefs: A\n", &labels).unwrap();
        assert_eq!(at, 16, "REFS: (second in the list) before REFTEL: (third)");
        assert!(label_value("PREFERENCE: none\n", &labels).is_none());
    }

    #[test]
    fn redaction_runs_of_every_x() {
        assert_eq!(count_redactions("MET XXXXXXXXXXXX AND xxxxxx."), 2);
        assert_eq!(count_redactions("XXXXX only five"), 0);
        // Cyrillic Х and х, alone or mixed, also before a later Latin X.
        assert_eq!(count_redactions("ХХХХХХ and хххххх, then XXXXXX"), 3);
        assert_eq!(count_redactions("xхXХxх"), 1);
    }

    #[test]
    fn every_reason_marker_starts_with_a_byte_the_scan_tries() {
        // `classified_by` tries a place only when its byte can start a marker.
        for m in REASON_MARKERS {
            assert!(may_start_reason(m.as_bytes()[0], m.as_bytes().get(1).copied()), "{m}");
        }
        for m in REASON_RUN_ON {
            assert!(matches!(m.as_bytes()[0], b'-' | b'\\' | b' ' | b's' | b'('), "{m}");
        }
    }

    #[test]
    fn end_summary_agrees_with_its_definition() {
        let parts = ["END", "end", "OF", "of", " ", "\n", "\u{2028}", "SUMMARY", "Summary", "X", ".", "INTRODUCTION AND"];
        for t in crate::text::every_mix(&parts, 600_000, 3) {
            assert_eq!(summary_words(&t).1, end_summary_by_definition(&t), "{t:?}");
        }
    }


    #[test]
    fn every_multi_word_tag_has_a_space() {
        // `split_tags` finds a multi-word tag by its first word followed by a space.
        assert!(MULTI_WORD_TAGS.iter().all(|t| t.contains(' ')));
        assert_eq!(split_tags("PREL HUMAN RIGHTS KPAL"), ["PREL", "HUMAN RIGHTS", "KPAL"]);
    }

    #[test]
    fn page_markers() {
        assert!(is_marker_line("TRIPOLI 00000748  002.2 OF 005"));
        assert!(is_marker_line("PAGE 02        ROME  02045  01 OF 06  121721Z"));
        let t = "about the TRIPOLI 00000748 002.2 OF 005 whereabouts";
        let (s, e) = find_page_marker(t).unwrap();
        assert_eq!(&t[s..e], "TRIPOLI 00000748 002.2 OF 005");
    }

    #[test]
    fn openers() {
        assert_eq!(opener("¶5. (C) Text", true).map(|o| (o.0, o.2)), Some(("5", Some("C"))));
        assert_eq!(opener("1.(C) Summary", false).map(|o| o.0), Some("1"));
        assert!(opener("U.S. officials", false).is_none());
        assert!(opener("2009. The year", false).is_none());
    }

    #[test]
    fn decl_dates() {
        assert_eq!(declassify_on("E.O. 12958: DECL: 9/17/2019 \n").as_deref(), Some("2019-09-17"));
        assert_eq!(declassify_on("E.O. 12958: DECL: 03/27/17\n").as_deref(), Some("2017-03-27"));
        assert_eq!(declassify_on("E.O. 12958: N/A\n"), None);
        let cases = [
            ("SUBJECT: BELARUS (DECL CHANGE)\nEO 12958 DECL: 03/22/2016\n", "2016-03-22"),
            ("C O R R E C T E D  C O P Y (DECL INFO)\n\nE.O. 12958: DECL: 11/12/2017\n", "2017-11-12"),
            ("E.O. 12958: DECL...\n\nrecord\nE.O. 12958: DECL: 04/24/2018\n", "2018-04-24"),
            ("E.O. 12958: DECL: DECL: 06/09/2016\n", "2016-06-09"),
            ("E.O. 12958: DECL 03/9/2017\n", "2017-03-09"),
            ("E.O. 12958: DECLl: 10/29/2018\n", "2018-10-29"),
            ("E.O. 12958: DECL ON: 07/01/2019\n", "2019-07-01"),
        ];
        for (pre, want) in cases {
            assert_eq!(declassify_on(pre).as_deref(), Some(want), "{pre:?}");
        }
        assert_eq!(declassify_on("E.O. 12958: DECL: 1.6 FIVE YEARS AFTER CLOSURE\n"), None);
    }

    #[test]
    fn reference_ids() {
        assert_eq!(cable_ids_in("TRIPOLI 677", 2009), vec!["09TRIPOLI677"]);
        assert_eq!(cable_ids_in("08 SECSTATE 200660", 2009), vec!["08STATE200660"]);
        assert_eq!(cable_ids_in("BUENOS AIRES 001673", 2007), vec!["07BUENOSAIRES1673"]);
    }

    #[test]
    fn a_date_time_group_in_a_reference_is_no_serial() {
        // 09BAKU20: an intelligence report's number and date-time group, then two cables.
        let refs = references("REF: a. Iir 6 941 0165 09//usdao baku//061207zjan09\n(notal)\nb. 08 baku 1119\n", 2009, Some("09BAKU20"));
        let ids: Vec<_> = refs.iter().filter_map(|r| r.id.as_deref()).collect();
        assert_eq!(ids, ["08BAKU1119"]);
        assert_eq!(cable_ids_in("BAKU 061207Z JAN 09", 2009), Vec::<String>::new());
        assert_eq!(cable_ids_in("BAKU 1207", 2009), ["09BAKU1207"], "a serial still reads");
    }

    #[test]
    fn noforn_lines() {
        for head in ["NOFORN\n", "SIPDIS, NOFORN\n", "SIPDIS NOFORN\n", "Noforn\nsipdis\n", "sipdis, noforn\n", "SIPDIS\n\nNOFORN SIPDIS\n", "//NOFORN\n"] {
            assert!(noforn_line(head), "{head:?}");
        }
        for head in ["SUBJECT: THE NOFORN RULES\n", "TAGS: PREL\nSEE NOFORN ANNEX\n", "SIPDIS\n"] {
            assert!(!noforn_line(head), "{head:?}");
        }
    }

    #[test]
    fn banners_with_a_slipped_space() {
        let b = find_banner("CO N F I D E N T I A L SECTION 01 OF 06 PARIS 001501 \n\nNOFORN \n").unwrap();
        assert_eq!((b.station_words.as_deref(), b.serial.as_deref()), (Some("PARIS"), Some("001501")));
        assert_eq!(classification(&b, "NOFORN \nSIPDIS\n"), "CONFIDENTIAL//NOFORN");
        let b = find_banner("SE C R E T TUNIS 000193 \n").unwrap();
        assert_eq!(classification(&b, ""), "SECRET");
        // A redacted station names none (the FM line and DE serial will).
        let b = find_banner("SE C R E T SECTION 01 OF 02 XXXXXXXXXXXX 000004 \n").unwrap();
        assert_eq!((b.station_words, b.serial), (None, None));
    }

    #[test]
    fn classifiers() {
        let who = |line: &str| classified_by(line).map(|(p, r)| (p, r.unwrap_or_default()));
        let cases = [
            ("Classified By: Amb. Carol van Voorst for reasons 1.4 (b) and (d).", "Carol van Voorst", "1.4 (b) and (d)"),
            ("Classified By: PolCouns Velia M. De Pirro for reasons 12958: 1.4 (b)(d)", "Velia M. De Pirro", "1.4 (b)(d)"),
            ("CLASSIFIED BY: Martinez, Vilma, Ambassador, DOS, EXEC; REASON: 1.4(B), (D)", "Vilma Martinez", "1.4(B), (D)"),
            ("CLASSIFIED BY: Hodges, Heather M, Ambassador, State, EXEC; REASON: \n1.4(D)", "Heather M Hodges", "1.4(D)"),
            ("Classified By: A/DCM Daniel O,Grady for reason 1.4(d).", "Daniel O'Grady", "1.4(d)"),
            ("Classified By: Gene A. Cretz, Ambassador, reasons 1.4 (b), (d)", "Gene A. Cretz", "1.4 (b), (d)"),
            ("SUBJECT: BRIEFING FOR AMBASSADOR CROCKER'S VISIT TO CAIROClassified By: DEPUTY CHIEF OF MISSION STUART JONES. REASONS: 1.4 (B) and (D)", "STUART JONES", "1.4 (B) and (D)"),
            ("Classified By: Ambassador Christopher W. Dell under Section 1.4b/d", "Christopher W. Dell", "1.4b/d"),
            // A page cut short, then the whole text in a record.
            ("CLASSIFIED BY: Hodge...\n\nid: 1\nCLASSIFIED BY: Ambassador Heather Hodges, reason 1.4 (D)", "Heather Hodges", "1.4 (D)"),
        ];
        for (line, person, reason) in cases {
            assert_eq!(who(line), Some((person.to_string(), reason.to_string())), "{line:?}");
        }
        // Declassified, reclassified: no classifier.
        assert_eq!(who("DECLASSIFIED BY NARA ON 2010"), None);
        assert_eq!(who("the case may be later reclassified by the Fiscalia"), None);
    }

    #[test]
    fn reasons_end_where_their_codes_end() {
        let cases = [
            ("1.4 (b), (d) Mr. President, it is an honor", "1.4 (b), (d)"),
            ("1.4 B AND D REFS: A) ABU DHABI 199 B) ABU DHABI 170", "1.4 B AND D"),
            ("1.4 (b) and (d). (C) Poloff discussed reftel points", "1.4 (b) and (d)"),
            ("1.4 b, d (C) Embassy London passed reftel points", "1.4 b, d"),
            ("1.4 (b) an d (d)", "1.4 (b) an d (d)"),
            ("1.4 (b/d ).", "1.4 (b/d )"),
            ("1.4 (B),(C) and(D)", "1.4 (B),(C) and(D)"),
            ("1.4 (a)(b)(c), and (d)", "1.4 (a)(b)(c), and (d)"),
            ("1.4b and d", "1.4b and d"),
            ("1/4 (B), (D), (E), and (G)", "1/4 (B), (D), (E), and (G)"),
            (".O. 12958, reasons 1.4 (b) and (d)", "1.4 (b) and (d)"),
            (".O. 12958 reasons (b) and (d)", "(b) and (d)"),
            (". Blome for reasons 1.4 (b) and (d)", "1.4 (b) and (d)"),
            ("1.5 (b, d, X6)", "1.5"),
            ("1.4(D) EXPLOSIONS NEAR TBILISI; AIRPORT REMAINS OPEN", "1.4(D)"),
            ("1.4 (b) and (d). 1.KEY POINTS -- (C) On June 7", "1.4 (b) and (d)"),
            ("... 3/9/2005 6:49 C O N F I D E N T I A L PRAGUE 000337", ""),
        ];
        for (r, want) in cases {
            assert_eq!(reason_codes(r), want, "{r:?}");
        }
    }

    #[test]
    fn a_date_in_one_token_is_no_cable_id() {
        assert!(cable_ids_in("HOWARD-KESHAP E-MAIL 09MAR07", 2007).is_empty());
        assert!(cable_ids_in("TD-314/020552-08 17MAR2008", 2008).is_empty());
        assert_eq!(cable_ids_in("09BAGHDAD123", 2009), ["09BAGHDAD123"]);
        assert_eq!(cable_ids_in("07MARSEILLE12", 2007), ["07MARSEILLE12"], "a station that begins like a month");
    }

    #[test]
    fn a_line_end_backslash_is_no_tag() {
        assert_eq!(split_tags("IR MNUC PARM SZ \\"), ["IR", "MNUC", "PARM", "SZ"]);
    }

    #[test]
    fn clean_text_drops_a_scrapes_line_end_backslashes() {
        let raw = "Swiss State Secretary Gerber told U/S \\\nHormats on January 25. \\\n \\\nHe said more.\\";
        assert_eq!(clean_text(raw), "Swiss State Secretary Gerber told U/S Hormats on January 25.\n\nHe said more.");
        assert_eq!(clean_text("a path C:\\TEMP\\ and more"), "a path C:\\TEMP\\ and more", "a backslash inside a line stays");
    }

    #[test]
    fn summaries_under_more_headings() {
        let cases = [
            ("¶1. (S/NF) Introduction and Summary: The Garcia Administration acted. It worked. End Introduction and Summary.\n¶2. (C) More.", "The Garcia Administration acted. It worked."),
            ("¶1. Summary, Post convened a mini-Dublin Group meeting on November 18.\n\n¶2. Next.", "Post convened a mini-Dublin Group meeting on November 18."),
            ("------- \\\nSummary \\\n------- \\\n \\\n¶1. (C) Swiss State Secretary Gerber told U/S \\\nHormats on January 25 of a ruling. \\\n \\\n¶2. (C) Gerber said more.", "Swiss State Secretary Gerber told U/S Hormats on January 25 of a ruling."),
            ("SUMMARY AND BACKGROUND: French participants met. END SUMMARY.", "French participants met."),
            ("¶1. (C) Introduction and summary: Musharraf met them. End introduction and summary.\n¶2. (C) Detail.", "Musharraf met them."),
        ];
        for (body, want) in cases {
            assert_eq!(summary(body).as_deref(), Some(want), "{body:?}");
        }
        // A later "Summary, continued" is no opener of its own.
        assert_eq!(summary("¶1. Summary: One. End summary.\n¶5. Summary, continued: two.").as_deref(), Some("One."));
        // "End Introduction and Summary." is a close, not an opener.
        assert_eq!(summary("¶1. Text here. End Introduction and Summary.\n\nHeading Of A Section\n").as_deref(), Some("Text here."));
    }

    #[test]
    fn signers_of_reflowed_and_scraped_texts() {
        let cases: [(&str, &[&str]); 14] = [
            ("Post has no evidence to support the assertions of Iranian funding of, and influence over, the movements: none. End comment. ERELI", &["ERELI"]),
            ("Poland is assured an important place at the Vatican table.ROONEY", &["ROONEY"]),
            ("The UK Mission in Kyiv will extend an invitation to the U.S. Ambassador or Charge to attend the speech.  Visit London's Classified Website: XXXXXXXXXXXX LEBARON", &["LEBARON"]),
            ("The UK Mission in Kyiv will extend an invitation to the U.S. Ambassador or Charge to attend the speech.  Visit London's Classified Website: XXXXXXXXXXXXTUTTLE", &["TUTTLE"]),
            ("The UK Mission in Kyiv will extend an invitation to the U.S. Ambassador or Charge to attend the speech.  Visit London's Classified Website: XXXXXXXXXXXX\nSusman..", &["SUSMAN"]),
            ("Post does not recommend such a visit. \nSTEVENS 0 02/20/2008", &["STEVENS"]),
            ("in order to do so, we must lay the groundwork. \n\nWHITE \"", &["WHITE"]),
            ("according to our contacts. (reftel E) Scobey", &["SCOBEY"]),
            ("Cabinet Advisor for Iranian Affairs Ahmed Megahed SCOBEY", &["SCOBEY"]),
            ("End comment. \nGODFREY.", &["GODFREY"]),
            ("expertise. \n \n \nvan Voorst", &["VAN VOORST"]),
            ("End Comment. \nDUDDY \n\n=======================CABLE ENDS============================", &["DUDDY"]),
            ("End Comment. \nGOLDBERG\nSELECT * FROM `cable` WHERE `id` = '90016' ORDER BY `date` ASC", &["GOLDBERG"]),
            ("despite Chavez's efforts.\n\nBrownfield\nHAVEZ...", &["BROWNFIELD"]),
        ];
        for (body, want) in cases {
            assert_eq!(signers(body), want, "{body:?}");
        }
        let unsigned = [
            "PLEASE CABLE CONCURRENCE. BRIDGETOWN APPRECIATES TRINIDAD'S \nASSISTANCE.",
            "This cable has been cleared by the office of U/S \nPadilla.",
            "the ties between the two countries and the GOL",
            "RUEHTRO/AMEMBASSY TRIPOLI",
            "End comment. Thanks",
        ];
        for body in unsigned {
            assert_eq!(signers(body), Vec::<String>::new(), "{body:?}");
        }
    }

    #[test]
    fn signer_at_end() {
        assert_eq!(signers("text.\n\nCRETZ\n"), vec!["CRETZ"]);
        assert_eq!(signers("... did not. CRETZ"), vec!["CRETZ"]);
        assert_eq!(signers("KEEGAN/PAAL\n"), vec!["KEEGAN", "PAAL"]);
    }
}
