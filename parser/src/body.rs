//! The cable body: banner, preamble fields (E.O., TAGS, SUBJECT, REF, Classified By), summary,
//! signers, numbered paragraphs and their clean text.

use crate::header::banner_word_at;
use crate::ids::{canonical_station, looks_like_id, make_id};
use crate::model::{Paragraph, Reference, Span};
use crate::text::{
    collapse_ws, find_ci, find_ci_from, find_word_ci, full_year, lines_at, month_number, starts_with_ci,
};

/// The classification banner that opens a body: `C O N F I D E N T I A L SECTION 01 OF 05 TRIPOLI 000748`.
#[derive(Debug, Default, Clone)]
pub struct Banner {
    /// Where the banner line is, relative to the body.
    pub span: Span,
    /// The classification words as written.
    pub words: String,
    /// The rest of the banner line after the classification words.
    pub rest: String,
    /// The station as written (`SAN JOSE`).
    pub station_words: Option<String>,
    /// The serial as written (`000748`).
    pub serial: Option<String>,
}

/// Finds the first banner in `body` (within its first lines) and reads it.
pub fn find_banner(body: &str) -> Option<Banner> {
    let limit = crate::text::floor_boundary(body, 4000);
    for line in lines_at(&body[..limit], 0) {
        let t = line.text.trim_start();
        let indent = line.text.len() - t.len();
        // "Cable dated:2005-11-29T14:19:00C O N F I D E N T I A L CAIRO 008938SIPDIS..."
        let (t, extra) = match t.strip_prefix("Cable dated:") {
            Some(r) if r.len() > 19 => (&r[19..], indent + "Cable dated:".len() + 19),
            _ => (t, indent),
        };
        if let Some(wl) = banner_word_at(t) {
            let rest = &t[wl..];
            let mut b = Banner {
                span: Span::new(line.start + extra, line.end()),
                words: t[..wl].to_string(),
                rest: rest.to_string(),
                ..Banner::default()
            };
            read_station_serial(rest, &mut b);
            return Some(b);
        }
    }
    None
}

/// Words in a banner between the classification and the station that are not part of the station.
const BANNER_QUALIFIERS: &[&str] = &[
    "SECTION", "OF", "E", "F", "T", "O", "EFTO", "SENSITIVE", "NOFORN", "SIPDIS", "NODIS", "EXDIS", "LIMDIS",
    "CORRECTED", "COPY", "FOR", "OFFICIAL", "USE", "ONLY", "SBU", "BUT", "UNCLASSIFIED", "USG", "ELECTRONIC",
    "AS", "SPECAT", "STADIS", "//", "-", "QQQQ", "CHANGE", "INFO", "ALDAC", "(SBU)", "CONFIDENTIAL", "SECRET",
];

fn read_station_serial(rest: &str, b: &mut Banner) {
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
        let upper = w.to_ascii_uppercase();
        if BANNER_QUALIFIERS.contains(&upper.as_str()) || w.bytes().all(|c| c.is_ascii_digit()) || !w.bytes().all(|c| c.is_ascii_alphabetic()) {
            break;
        }
        j -= 1;
    }
    if j == k {
        return;
    }
    let station: Vec<&str> = toks[j..k].to_vec();
    // Drop a fused "E F T O" run in front of the station.
    let station = station.join(" ");
    let serial: String = toks[k].chars().take_while(|c| c.is_ascii_digit()).collect();
    b.station_words = Some(station.to_ascii_uppercase());
    b.serial = Some(serial);
}

/// The reference id a banner implies, given the cable's year.
pub fn banner_id(b: &Banner, year: u32) -> Option<String> {
    let st = b.station_words.as_deref()?;
    let serial = b.serial.as_deref()?;
    Some(make_id(year, &canonical_station(st), serial))
}

/// Classification from the banner and the NOFORN / SBU markings near it, as WikiLeaks lists it.
pub fn classification(banner: &Banner, preamble: &str) -> String {
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
        let sensitive = find_word_ci(&banner.rest, "SENSITIVE", 0).is_some()
            || find_ci(&banner.rest, "FOR OFFICIAL USE ONLY").is_some()
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
    // A line that is, or starts with, NOFORN (also "NOFORN SIPDIS", "NOFORN//").
    let mut pos = 0;
    while let Some(p) = head[pos..].find("NOFORN").map(|i| i + pos) {
        let line_start = head[..p].rfind('\n').map_or(0, |i| i + 1);
        let before = head[line_start..p].trim();
        if before.is_empty() || before.ends_with("//") || before.ends_with("SIPDIS") {
            return true;
        }
        pos = p + 6;
    }
    false
}

fn sensitive_line(head: &str) -> bool {
    let mut pos = 0;
    while let Some(p) = find_word_ci(head, "SENSITIVE", pos) {
        let line_start = head[..p].rfind('\n').map_or(0, |i| i + 1);
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
struct ParaStart {
    /// Offset of the paragraph (its `¶` or number) in the body.
    at: usize,
    /// Number or letter.
    number: String,
    /// Offset where the paragraph's own text begins (after number and marking).
    text_at: usize,
    marking: Option<String>,
}

/// Reads a paragraph opener at the start of `s` (already left-trimmed): `¶5.`, `5. (C)`, `B.`.
/// Returns (number, length of the opener including any marking, marking).
fn opener(s: &str, pilcrow_required: bool) -> Option<(String, usize, Option<String>)> {
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
    let number = s[num_start..i].to_string();
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
    Some((number, i + mlen, marking))
}

/// A classification marking such as ` (C)` or `(S//NF)` at the start of `s`: its length and text.
fn marking_at(s: &str) -> (usize, Option<String>) {
    let t = s.trim_start_matches([' ', '\t']);
    let skipped = s.len() - t.len();
    if let Some(r) = t.strip_prefix('(') {
        if let Some(close) = r.find(')') {
            let m = &r[..close];
            if !m.is_empty() && m.len() <= 12 && m.bytes().all(|b| b.is_ascii_uppercase() || b == b'/' || b == b' ' || b == b'-') {
                let after = &r[close + 1..];
                let ws = after.len() - after.trim_start_matches([' ', '\t']).len();
                return (skipped + 1 + close + 1 + ws, Some(m.trim().to_string()));
            }
        }
    }
    (skipped, None)
}

/// Finds paragraph starts in the body: lines opening with `¶N.` (or, without any `¶` in the text,
/// `N.`/`L.`), plus, for reflowed text, numbers that continue the sequence inside a line.
fn paragraph_starts(body: &str) -> Vec<ParaStart> {
    let pilcrows = body.contains('¶');
    let mut out = Vec::new();
    for line in lines_at(body, 0) {
        let t = line.text.trim_start_matches([' ', '\t']);
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
        result.push(p.clone());
        i += 1;
    }
    result
}

/// Finds `N.` followed by a marking like `(C)` inside running text, after a sentence end.
fn find_inline(body: &str, n: u32, from: usize, to: usize) -> Option<ParaStart> {
    let needle = format!("{n}.");
    let hay = &body[from..to];
    let mut pos = 0;
    while let Some(p) = hay[pos..].find(&needle) {
        let at = pos + p;
        pos = at + needle.len();
        let before = hay[..at].trim_end_matches(' ');
        if before.len() == hay[..at].len() && at > 0 {
            continue; // glued to the previous word
        }
        let prev = before.chars().last();
        if !matches!(prev, Some('.') | Some('?') | Some('!') | Some('"') | Some(')') | Some(':') | Some('”') | Some('\n') | None)
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
        return Some(ParaStart { at: abs, number: n.to_string(), text_at: abs + needle.len() + mlen, marking });
    }
    None
}

/// Splits the body into paragraphs (clean text) and returns them with the offset where the first
/// one starts (the end of the preamble). Offsets in spans are relative to `base` + body.
pub fn paragraphs(body: &str, base: usize, station: Option<&str>) -> (Vec<Paragraph>, usize) {
    let starts = paragraph_starts(body);
    let mut seen: Vec<(String, usize)> = Vec::new();
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
            let count = match seen.iter_mut().find(|(n, _)| *n == s.number) {
                Some((_, c)) => {
                    *c += 1;
                    *c
                }
                None => {
                    seen.push((s.number.clone(), 1));
                    1
                }
            };
            if count == 1 {
                format!("par{}", s.number)
            } else {
                format!("par{}-{}", s.number, count)
            }
        };
        let raw = &body[s.text_at.min(end)..end];
        out.push(Paragraph {
            id,
            number: s.number.clone(),
            marking: s.marking.clone(),
            text: clean_text(raw, station),
            heading: pending_heading.take(),
            span: Span::new(base + s.at, base + end),
        });
        pending_heading = heading_after;
    }
    let first = starts.first().map_or(body.len(), |s| s.at);
    (out, first)
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
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let line = before[line_start..].trim();
        let is_rule = !line.is_empty() && line.bytes().all(|b| b == b'-' || b == b'=' || b == b'_' || b == b' ');
        let letters = line.chars().filter(|c| c.is_alphabetic()).count();
        let heading_like = line.len() <= 90
            && letters >= 3
            && !line.chars().any(char::is_lowercase)
            && !line.ends_with(['.', ',', ';', ':'])
            && !is_marker_line(line)
            && line != "SIPDIS";
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
    if !raw[..cut].chars().any(char::is_lowercase) {
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
        if sentence_end && words >= 2 && letters >= 8 && t[..w_start].chars().any(char::is_lowercase) {
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

/// Finds a new-style page marker (`STATION 00000748 002.2 OF 005`) in `t`: start and end.
pub fn find_page_marker(t: &str) -> Option<(usize, usize)> {
    let b = t.as_bytes();
    let mut pos = 0;
    while let Some(p) = t[pos..].find(" OF ") {
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

/// Clean text of a paragraph: page markers, section banners and SIPDIS lines removed, wrapped lines
/// joined with spaces, blank lines kept as paragraph breaks, tables (runs of spaces) kept as lines.
pub fn clean_text(raw: &str, station: Option<&str>) -> String {
    let _ = station;
    let mut out = String::with_capacity(raw.len());
    let mut pending_break = false;
    for line in raw.lines() {
        let mut owned;
        let mut t = line.trim_end();
        if t.trim().is_empty() {
            pending_break = !out.is_empty();
            continue;
        }
        let tt = t.trim();
        if tt == "SIPDIS" || is_marker_line(tt) || is_section_banner(tt) {
            continue;
        }
        // Inline page markers in reflowed text.
        if let Some((s, e)) = find_page_marker(t) {
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
        let tabular = t.starts_with("  ") || t.contains("   ") || t.contains('\t');
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
    for lab in labels {
        let mut pos = 0;
        while let Some(p) = find_ci_from(pre, lab, pos) {
            pos = p + lab.len();
            // At line start (after optional spaces / markup) or after whitespace in a run-on line.
            let line_start = pre[..p].rfind('\n').map_or(0, |i| i + 1);
            let before = &pre[line_start..p];
            let ok = before.trim().is_empty()
                || before.ends_with(' ')
                || before.ends_with('>')
                || before.ends_with(|c: char| c.is_ascii_digit());
            if !ok {
                continue;
            }
            let v = &pre[p + lab.len()..];
            return Some((p, v));
        }
    }
    None
}

/// Where a subject or tag value stops: at a blank line, or a line that starts another field.
fn block_end(v: &str, stop_words: &[&str]) -> usize {
    let mut end = 0;
    for (i, line) in lines_at(v, 0).enumerate() {
        let t = line.text.trim();
        if i > 0 {
            if t.is_empty() || stop_words.iter().any(|w| starts_with_ci(t, w)) || opener(t, false).is_some() || t.starts_with('¶') || is_marker_line(t) {
                break;
            }
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
pub fn subject(pre: &str, station: Option<&str>) -> Option<(usize, String)> {
    let (at, v) = label_value(pre, &["SUBJECT:", "SUBJ:", "SUBJECT", "UBJECT:"])?;
    let end = block_end(v, FIELD_STARTS);
    let mut s = &v[..end];
    // Run-on text: cut at REF:, Classified By, a page marker, or an inline first paragraph.
    for cut in [" REF:", " REFS:", " REFTEL", " Ref:", "Classified By", "CLASSIFIED BY", "Classified by", " REF A"] {
        if let Some(p) = s.find(cut) {
            s = &s[..p];
        }
    }
    if let Some((p, _)) = find_page_marker(s) {
        s = &s[..p];
    }
    if let Some(p) = s.find(" 1. (").or_else(|| s.find(" 1.(")) {
        s = &s[..p];
    }
    let _ = station;
    let mut out = collapse_ws(&s.replace('\\', " "));
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
    let out = out.trim().trim_start_matches(':').trim().to_string();
    if out.is_empty() {
        None
    } else {
        Some((at, out))
    }
}

/// The TAGS list.
pub fn tags(pre: &str) -> Option<(usize, Vec<String>)> {
    let (at, v) = label_value(pre, &["TAGS:", "TAGS", "TAG:", "TAGES:", "TAS:", "TABS:", "TGS:", "AGS:"])?;
    let mut end = v.find('\n').unwrap_or(v.len());
    // Continuation lines: the line ends with a comma, or the next starts with "WORD,".
    loop {
        let line = &v[..end];
        let next_start = end + 1;
        if next_start >= v.len() {
            break;
        }
        let next_line_end = v[next_start..].find('\n').map_or(v.len(), |p| next_start + p);
        let next = v[next_start..next_line_end].trim();
        let cont = line.trim_end().ends_with(',')
            || (next.split(',').next().is_some_and(|w| w.len() >= 2 && w.len() <= 6 && w.bytes().all(|b| b.is_ascii_uppercase())) && next.contains(','));
        if cont && !next.is_empty() && !starts_with_ci(next, "SUBJ") {
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

/// Splits a tag list written with commas or with spaces.
pub fn split_tags(s: &str) -> Vec<String> {
    let s = s.trim().trim_start_matches(':').trim();
    let parts: Vec<String> = if s.contains(',') {
        s.split([',', ';']).map(|t| collapse_ws(t).to_ascii_uppercase()).collect()
    } else {
        s.split_whitespace().map(|t| t.to_ascii_uppercase()).collect()
    };
    let mut out: Vec<String> = Vec::new();
    for p in parts {
        let p = p.trim_matches(|c: char| c == '.' || c == ' ' || c == '(' || c == ')').to_string();
        if p.is_empty() || p == "SIPDIS" || out.contains(&p) {
            continue;
        }
        out.push(p);
    }
    out
}

/// `E.O. 12958: DECL: 9/17/2019` as `2019-09-17`.
pub fn declassify_on(pre: &str) -> Option<String> {
    let at = find_ci(pre, "DECL")?;
    let v = &pre[at..];
    let v = &v[..v.find('\n').unwrap_or(v.len()).min(80)];
    let colon = v.find(':')?;
    let d = v[colon + 1..].trim_start();
    parse_decl_date(d)
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

/// The `Classified By:` line: person and reason.
pub fn classified_by(pre: &str) -> Option<(String, Option<String>)> {
    let at = find_ci(pre, "CLASSIFIED BY")?;
    let v = &pre[at + "CLASSIFIED BY".len()..];
    let v = v.trim_start_matches([':', ' ']);
    let end = block_end(v, FIELD_STARTS);
    let line = collapse_ws(&v[..end]);
    let (who, reason) = match find_ci(&line, "REASON") {
        Some(p) => (&line[..p], Some(&line[p..])),
        None => match find_ci(&line, "FOR REASON") {
            Some(p) => (&line[..p], Some(&line[p..])),
            None => (line.as_str(), None),
        },
    };
    let reason = reason.map(|r| {
        let r = r.trim_start_matches(|c: char| c.is_ascii_alphabetic() || c == '(' || c == ')').trim_start_matches([':', ' ', 's']);
        r.trim().trim_end_matches('.').trim().to_string()
    });
    let person = classifier_name(who);
    Some((person, reason.filter(|r| !r.is_empty())))
}

const ROLE_WORDS: &[&str] = &[
    "AMBASSADOR", "CHARGE", "D'AFFAIRES", "DAFFAIRES", "A.I.", "AI", "CDA", "DCM", "POLCOUNS", "POLCOUN",
    "POL/ECON", "ECONCOUNS", "POLITICAL", "ECONOMIC", "COUNSELOR", "COUNSELLOR", "DEPUTY", "CHIEF", "OF",
    "MISSION", "POLOFF", "ECONOFF", "ACTING", "PRINCIPAL", "OFFICER", "CONSUL", "GENERAL", "CONGEN", "PO",
    "A/DCM", "ADCM", "MINISTER", "DIRECTOR", "ASSISTANT", "SECRETARY", "UNDER", "A/S", "DAS", "POLITICAL/ECONOMIC",
    "SECTION", "HEAD", "AMB", "AMB.", "CHARGE'", "CHARGÉ", "P/E", "POLECON", "ECON/POL", "MGMT", "RSO",
];

fn classifier_name(who: &str) -> String {
    let mut who = who.trim().trim_end_matches(['.', ',', ';', '(']).trim();
    for suffix in [" for", " FOR", " For", " per", ","] {
        if let Some(w) = who.strip_suffix(suffix) {
            who = w.trim();
        }
    }
    // The person is usually before the first comma ("Gene A. Cretz, Ambassador, ...") or after role
    // words ("Ambassador Gene A. Cretz").
    let first = who.split([',', ';']).next().unwrap_or(who);
    let first = first.split(" for ").next().unwrap_or(first);
    let words: Vec<&str> = first.split_whitespace().collect();
    let mut i = 0;
    while i < words.len() && ROLE_WORDS.contains(&words[i].to_ascii_uppercase().trim_end_matches([',', '.', ':']).to_string().as_str()) {
        i += 1;
    }
    let rest: Vec<&str> = words[i..].to_vec();
    rest.join(" ").trim_end_matches(['.', ':']).trim().to_string()
}

/// The REF block: references, each with the id of the cable it names when it is a cable.
pub fn references(pre: &str, year: u32, own_id: Option<&str>) -> Vec<Reference> {
    let Some((_, v)) = label_value(pre, &["REF:", "REFS:", "REFTEL:", "REFTELS:", "REFERENCE:", "REFERENCES:", "REF "]) else {
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
            if !is_bullet {
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
        if let Some(p) = block.find(cut) {
            block = &block[..p];
        }
    }
    if let Some((p, _)) = find_page_marker(block) {
        block = &block[..p];
    }
    let block = block.replace('¶', "");
    split_references(&block, year, own_id)
}

fn split_references(block: &str, year: u32, own_id: Option<&str>) -> Vec<Reference> {
    // Lettered lists: "A. STATE 1234 B. TRIPOLI 677" or "(A) ..." on separate lines or run on.
    let mut items: Vec<(Option<String>, String)> = Vec::new();
    let b = block.as_bytes();
    let mut starts: Vec<(usize, usize, String)> = Vec::new(); // (item start, text start, letter)
    let mut expect = b'A';
    let mut i = 0;
    while i + 2 < b.len() {
        let at_boundary = i == 0 || b[i - 1] == b' ' || b[i - 1] == b'\n' || b[i - 1] == b'(' || b[i - 1] == b'\t';
        if at_boundary {
            let (letter_at, skip) = if b[i] == b'(' { (i + 1, 1) } else { (i, 0) };
            if letter_at + 1 < b.len() && b[letter_at] == expect && (b[letter_at + 1] == b'.' || b[letter_at + 1] == b')') {
                let after = letter_at + 2;
                if after >= b.len() || b[after] == b' ' || b[after] == b'\n' || b[after] == b'\t' {
                    starts.push((i - if skip == 1 && i > 0 && b[i - 1] == b'(' { 0 } else { 0 }, after, (expect as char).to_string()));
                    expect += 1;
                    i = after;
                    continue;
                }
            }
        }
        i += 1;
    }
    if starts.len() >= 2 || (starts.len() == 1 && block[..starts[0].0].trim().is_empty()) {
        for (k, (_, text_at, letter)) in starts.iter().enumerate() {
            let end = starts.get(k + 1).map_or(block.len(), |n| n.0);
            items.push((Some(letter.clone()), collapse_ws(&block[*text_at..end])));
        }
    } else {
        let t = collapse_ws(block);
        if !t.is_empty() {
            items.push((None, t));
        }
    }
    let mut out = Vec::new();
    for (bullet, text) in items {
        let text = text.trim().trim_start_matches(':').trim().trim_end_matches([';', ',']).trim().to_string();
        if text.is_empty() {
            continue;
        }
        let ids = cable_ids_in(&text, year);
        if ids.is_empty() {
            out.push(Reference { id: None, text, bullet });
        } else {
            for id in ids {
                if own_id == Some(id.as_str()) {
                    continue;
                }
                out.push(Reference { id: Some(id), text: text.clone(), bullet: bullet.clone() });
            }
        }
    }
    out
}

const NOT_STATIONS: &[&str] = &[
    "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "SEPT", "OCT", "NOV", "DEC", "JANUARY",
    "FEBRUARY", "MARCH", "APRIL", "JUNE", "JULY", "AUGUST", "SEPTEMBER", "OCTOBER", "NOVEMBER", "DECEMBER",
    "PARA", "PARAS", "PARAGRAPH", "AND", "OF", "NO", "E.O.", "EO", "REF", "REFTEL", "A", "B", "C", "D", "E",
    "F", "G", "H", "PAGE", "SECTION", "TELCON", "EMAIL", "MEMCON", "THE", "IN", "ON", "DATED", "CIRCULAR",
    "USC", "UNSCR", "RES", "RESOLUTION", "FAM", "FAH", "CFR", "PL", "SECTIONS", "ANNEX", "OR", "TO", "FY",
];

/// Cable ids in a reference text: `TRIPOLI 677`, `08 STATE 12345`, `SECSTATE 200660`, `09BAGHDAD123`.
pub fn cable_ids_in(text: &str, year: u32) -> Vec<String> {
    let toks: Vec<&str> = text.split(|c: char| c.is_whitespace() || c == ',' || c == ';').filter(|t| !t.is_empty()).collect();
    let mut out: Vec<String> = Vec::new();
    let mut k = 0;
    while k < toks.len() {
        let tok = toks[k].trim_matches(|c: char| c == '(' || c == ')' || c == '.' || c == ':');
        if looks_like_id(tok) {
            let id = crate::ids::canonical_id(tok);
            if !out.contains(&id) {
                out.push(id);
            }
            k += 1;
            continue;
        }
        // A number (serial) preceded by station words (and optionally a two-digit year).
        let serial = tok;
        if serial.len() >= 1 && serial.len() <= 7 && serial.bytes().all(|b| b.is_ascii_digit()) && k > 0 {
            let mut j = k;
            let mut words: Vec<&str> = Vec::new();
            while j > 0 && words.len() < 3 {
                let w = toks[j - 1].trim_matches(|c: char| c == '(' || c == ')');
                if !w.is_empty() && w.bytes().all(|b| b.is_ascii_uppercase()) && !NOT_STATIONS.contains(&w) {
                    words.insert(0, w);
                    j -= 1;
                } else {
                    break;
                }
            }
            if !words.is_empty() {
                // Keep only the trailing words that form a known station (or the last word).
                let mut station = None;
                for s in 0..words.len() {
                    let cand = canonical_station(&words[s..].join(""));
                    if crate::ids::STATIONS.contains(&cand.as_str()) {
                        station = Some(cand);
                        break;
                    }
                }
                let station = station.unwrap_or_else(|| canonical_station(words[words.len() - 1]));
                // Two-digit year before the station ("08 STATE 1234"), or after the serial.
                let y = if j > 0 && toks[j - 1].len() == 2 && toks[j - 1].bytes().all(|b| b.is_ascii_digit()) {
                    toks[j - 1].parse::<u32>().map(full_year).unwrap_or(year)
                } else {
                    year
                };
                if station.len() >= 3 {
                    let id = make_id(y, &station, serial);
                    if !out.contains(&id) {
                        out.push(id);
                    }
                }
            }
        }
        k += 1;
    }
    out
}

/// The text between a SUMMARY opener and END SUMMARY (or the end of its paragraph).
pub fn summary(body: &str) -> Option<String> {
    let mut pos = 0;
    let at = loop {
        let p = find_word_ci(body, "SUMMARY", pos)?;
        pos = p + 7;
        let line_start = body[..p].rfind('\n').map_or(0, |i| i + 1);
        let before = body[line_start..p].trim();
        let before = before.trim_start_matches('¶');
        // "1. (C) Summary:", "Summary:", "BEGIN SUMMARY", "SUMMARY AND COMMENT:", "-- Summary --"
        let before_ok = before.is_empty()
            || before.ends_with(')')
            || before.ends_with('.')
            || before.eq_ignore_ascii_case("BEGIN")
            || before.ends_with("--")
            || (before.len() < 12 && opener(before, false).is_some());
        if !before_ok {
            continue;
        }
        let after = &body[p + 7..];
        let after_t = after.trim_start_matches(' ');
        if after_t.starts_with(':') || after_t.starts_with('.') || after_t.starts_with(" -") || after_t.starts_with('-') || after_t.starts_with('\n') || starts_with_ci(after_t, "AND COMMENT") || starts_with_ci(after_t, "/COMMENT") || starts_with_ci(after_t, "AND ACTION") {
            break p;
        }
    };
    let mut v = &body[at + 7..];
    let end_pos = find_ci(v, "END SUMMARY").or_else(|| find_ci(v, "END OF SUMMARY"));
    v = match end_pos {
        Some(e) => &v[..e],
        None => {
            let e = v.find("\n\n").or_else(|| v.find("\n \n")).unwrap_or(v.len());
            &v[..e]
        }
    };
    // Drop the opener's rest ("AND COMMENT:", ":", "-").
    let v = v.trim_start();
    let v = if starts_with_ci(v, "AND COMMENT") {
        &v[11..]
    } else if starts_with_ci(v, "/COMMENT") {
        &v[8..]
    } else {
        v
    };
    let mut s = clean_text(v.trim_start_matches([':', '.', '-', ' ']), None);
    s = collapse_ws(&s);
    let s = s.trim().trim_end_matches(['(', '.', '-', ' ']).trim();
    let s = s.trim_end_matches("--").trim();
    if s.len() < 3 {
        None
    } else {
        let mut s = s.to_string();
        if !s.ends_with('.') && end_pos.is_some() {
            s.push('.');
        }
        Some(s)
    }
}

/// Signer surnames at the end of the body (`CRETZ`, `KEEGAN/PAAL` gives two).
pub fn signers(body: &str) -> Vec<String> {
    let tail_start = crate::text::floor_boundary(body, body.len().saturating_sub(300));
    let tail = &body[tail_start..];
    let mut last = None;
    for line in tail.lines().rev() {
        let t = line.trim();
        if t.is_empty() || t == "BT" || t == "NNNN" || t.starts_with('#') || t.eq_ignore_ascii_case("SIPDIS") || t.starts_with("***") || t.starts_with("<_protect>") {
            continue;
        }
        last = Some(t);
        break;
    }
    let Some(t) = last else { return Vec::new() };
    // In reflowed text the signature is the last word(s) of the last line, after a sentence end.
    let cand = match t.rfind(['.', '!', '?', '"']) {
        Some(p) if p + 1 < t.len() => t[p + 1..].trim(),
        Some(_) => return Vec::new(),
        None => t,
    };
    let words: Vec<&str> = cand.split_whitespace().collect();
    if words.is_empty() || words.len() > 3 {
        return Vec::new();
    }
    let is_name = |w: &str| {
        w.len() >= 2 && w.chars().all(|c| c.is_ascii_uppercase() || c == '\'' || c == '-' || c == '/') && w.chars().any(|c| c.is_ascii_uppercase())
    };
    if !words.iter().all(|w| is_name(w)) {
        return Vec::new();
    }
    let joined = words.join(" ");
    const NOT_NAMES: &[&str] = &["END COMMENT", "END SUMMARY", "END NOTE", "COMMENT", "UNCLASSIFIED", "CONFIDENTIAL", "SECRET", "NOFORN", "SIPDIS", "END", "BT", "NNNN", "END TEXT"];
    if NOT_NAMES.contains(&joined.as_str()) {
        return Vec::new();
    }
    joined.split('/').map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect()
}

/// Counts redaction runs: six or more `X`, `x` or Cyrillic `Х` in a row.
pub fn count_redactions(body: &str) -> usize {
    let mut count = 0;
    let mut run = 0;
    for c in body.chars() {
        if c == 'X' || c == 'x' || c == 'Х' || c == 'х' {
            run += 1;
        } else {
            if run >= 6 {
                count += 1;
            }
            run = 0;
        }
    }
    if run >= 6 {
        count += 1;
    }
    count
}

/// Dates some partial extracts carry at the start of the body: `Tuesday, 03 July 2001, 12:03` or
/// `Cable dated:2005-11-29T14:19:00`. Returns `YYYY-MM-DD HH:MM`.
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
    // "Tuesday, 03 July 2001, 12:03"
    let parts: Vec<&str> = first.split(',').map(str::trim).collect();
    if parts.len() >= 3 {
        let dmy: Vec<&str> = parts[1].split_whitespace().collect();
        if dmy.len() == 3 {
            let d: u32 = dmy[0].parse().ok()?;
            let m = month_number(dmy[1])?;
            let y: u32 = dmy[2].parse().ok()?;
            let hm = parts[2];
            if hm.len() >= 5 && hm.as_bytes()[2] == b':' {
                return Some(format!("{y:04}-{m:02}-{d:02} {}", &hm[..5]));
            }
        }
    }
    None
}

/// Converts a date-time group (`171049Z SEP 09`) to `YYYY-MM-DD HH:MM`.
pub fn dtg_to_datetime(dtg: &str) -> Option<String> {
    let b = dtg.as_bytes();
    if b.len() < 14 {
        return None;
    }
    let day: u32 = dtg[0..2].parse().ok()?;
    let hh = &dtg[2..4];
    let mm = &dtg[4..6];
    let month = month_number(&dtg[8..11])?;
    let yy: u32 = dtg[12..14].parse().ok()?;
    Some(format!("{:04}-{:02}-{:02} {}:{}", full_year(yy), month, day, hh, mm))
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(opener("¶5. (C) Text", true).map(|o| (o.0, o.2)), Some(("5".into(), Some("C".into()))));
        assert_eq!(opener("1.(C) Summary", false).map(|o| o.0), Some("1".into()));
        assert!(opener("U.S. officials", false).is_none());
        assert!(opener("2009. The year", false).is_none());
    }

    #[test]
    fn decl_dates() {
        assert_eq!(declassify_on("E.O. 12958: DECL: 9/17/2019 \n").as_deref(), Some("2019-09-17"));
        assert_eq!(declassify_on("E.O. 12958: DECL: 03/27/17\n").as_deref(), Some("2017-03-27"));
        assert_eq!(declassify_on("E.O. 12958: N/A\n"), None);
    }

    #[test]
    fn reference_ids() {
        assert_eq!(cable_ids_in("TRIPOLI 677", 2009), vec!["09TRIPOLI677"]);
        assert_eq!(cable_ids_in("08 SECSTATE 200660", 2009), vec!["08STATE200660"]);
        assert_eq!(cable_ids_in("BUENOS AIRES 001673", 2007), vec!["07BUENOSAIRES1673"]);
    }

    #[test]
    fn signer_at_end() {
        assert_eq!(signers("text.\n\nCRETZ\n"), vec!["CRETZ"]);
        assert_eq!(signers("... did not. CRETZ"), vec!["CRETZ"]);
        assert_eq!(signers("KEEGAN/PAAL\n"), vec!["KEEGAN", "PAAL"]);
    }
}
