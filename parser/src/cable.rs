//! Assembling a [`Cable`] from one cable's text plus whatever metadata its container (page, csv) gave.

use crate::body;
use crate::header::{self, parse_header};
use crate::ids::{canonical_id, canonical_station, looks_like_id};
use crate::model::{Cable, Diagnostic, Severity, SourceFormat, Span};
use crate::posts::{origin_from_fm, origin_from_station};
use crate::tags::tag_kind;
use crate::text::{floor_boundary, lines};

/// Years between a cable and its declassification date, most frequent first (corpus: 10 years
/// for 81%, then 20, 25, 30).
const DECL_OFFSETS: [u32; 4] = [10, 20, 25, 30];

/// Metadata a container (a WikiLeaks page, a csv record) states about a cable.
#[derive(Debug, Default, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Meta {
    /// Reference id.
    pub reference_id: Option<String>,
    /// Created, `YYYY-MM-DD HH:MM`.
    pub created: Option<String>,
    /// Released, `YYYY-MM-DD HH:MM`.
    pub released: Option<String>,
    /// Classification.
    pub classification: Option<String>,
    /// Origin.
    pub origin: Option<String>,
    /// Index title of the page.
    pub title: Option<String>,
    /// "Appears in these articles" links.
    pub media_urls: Vec<String>,
}

fn diag(code: &str, message: impl Into<String>, span: Option<Span>) -> Diagnostic {
    Diagnostic { severity: Severity::Warning, code: code.into(), message: message.into(), span }
}

/// The WikiLeaks classification names, for recognising them in embedded records.
const CLASSIFICATIONS: &[&str] = &[
    "UNCLASSIFIED//FOR OFFICIAL USE ONLY",
    "CONFIDENTIAL//NOFORN",
    "SECRET//NOFORN",
    "CONFIDENTIAL",
    "UNCLASSIFIED",
    "SECRET",
];

/// A database record some bodies carry (id, date, refid, origin, classification), one cell per line or
/// tab-separated: what it states about the cable.
fn embedded_record(body: &str) -> Meta {
    let head = &body[..floor_boundary(body, 3000)];
    if !has_id_token(head.as_bytes()) {
        return Meta::default();
    }
    // The first 40 cells are read, each with the two after it.
    const CELLS: usize = 40;
    let cells: Vec<&str> = head.split(['\n', '\t', ',']).take(CELLS + 2).map(|c| c.trim().trim_end_matches('\\').trim().trim_matches('"')).collect();
    let mut m = Meta::default();
    for (i, c) in cells.iter().enumerate().take(CELLS) {
        if let Some(v) = c.strip_prefix("refid: ") {
            if looks_like_id(v.trim()) {
                m.reference_id = Some(v.trim().to_string());
            }
        } else if let Some(v) = c.strip_prefix("origin: ") {
            m.origin = Some(v.trim().to_string());
        } else if let Some(v) = c.strip_prefix("classification: ") {
            if CLASSIFICATIONS.contains(&v.trim()) {
                m.classification = Some(v.trim().to_string());
            }
        } else if let Some(v) = c.strip_prefix("date: ") {
            m.created = slash_date(v.trim());
        } else if m.reference_id.is_none() && looks_like_id(c) {
            // Cells: [date] refid origin classification
            let origin = cells.get(i + 1).copied().unwrap_or("");
            let class = cells.get(i + 2).copied().unwrap_or("");
            if CLASSIFICATIONS.contains(&class) && !origin.is_empty() {
                m.reference_id = Some((*c).to_string());
                m.origin = Some(origin.trim().to_string());
                m.classification = Some(class.to_string());
                if i > 0 {
                    let d = cells[i - 1];
                    m.created = iso_seconds(d).or_else(|| slash_date(d));
                }
            }
        }
    }
    m
}

/// True when a token at a cell start (after a line break, tab, comma, quote or `refid: `) begins
/// like a reference id (two digits and two capitals): the cheap test before reading a record.
fn has_id_token(b: &[u8]) -> bool {
    static REFID: std::sync::LazyLock<memchr::memmem::Finder<'static>> = std::sync::LazyLock::new(|| memchr::memmem::Finder::new(b"refid: "));
    let id_at = |i: usize| i + 4 <= b.len() && b[i].is_ascii_digit() && b[i + 1].is_ascii_digit() && b[i + 2].is_ascii_uppercase() && b[i + 3].is_ascii_uppercase();
    // Cell starts: the first byte, after a line break, tab, comma or quote, and after `refid: `.
    id_at(0)
        || memchr::memchr3_iter(b'\n', b'\t', b',', b).any(|p| id_at(p + 1))
        || memchr::memchr_iter(b'"', b).any(|p| id_at(p + 1))
        || REFID.find_iter(b).any(|p| id_at(p + 7))
}

/// `2007-03-28 23:31:00` as `2007-03-28 23:31`.
fn iso_seconds(s: &str) -> Option<String> {
    let b = s.as_bytes();
    if b.len() >= 16 && b[4] == b'-' && b[7] == b'-' && b[10] == b' ' && b[13] == b':' {
        s.get(..16).map(str::to_string)
    } else {
        None
    }
}

/// `3/23/2007 18:32` (M/D/YYYY H:MM) as `2007-03-23 18:32`.
pub fn slash_date(s: &str) -> Option<String> {
    let (date, time) = s.split_once(' ')?;
    let mut p = date.split('/');
    let m: u32 = p.next()?.parse().ok()?;
    let d: u32 = p.next()?.parse().ok()?;
    let y: u32 = p.next()?.parse().ok()?;
    let (hh, mm) = time.trim().split_once(':')?;
    let hh: u32 = hh.parse().ok()?;
    let mm: u32 = mm.get(..2)?.parse().ok()?;
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) || hh > 23 || mm > 59 {
        return None;
    }
    Some(format!("{y:04}-{m:02}-{d:02} {hh:02}:{mm:02}"))
}

/// Parses one cable's text (header, newline, body; or any part of it). `meta` wins over what the
/// text says; `id_hint` supplies the reference id when neither has it.
pub fn parse_cable(text: String, meta: Meta, format: SourceFormat, id_hint: Option<&str>) -> Cable {
    let split = header::split(&text);
    let header_text = &text[split.header.start..split.header.end];
    let body_text = &text[split.body.start..split.body.end];
    let mut hf = if split.partial { header::HeaderFields::default() } else { parse_header(header_text) };
    let mut diagnostics = Vec::new();

    let embedded = embedded_record(body_text);
    let banner = body::find_banner(body_text);
    // Partial extracts (and some scrapes) carry an old-style routing block inside the body, before
    // the banner: read FM / TO / INFO from there.
    if hf.from.is_none() {
        if let Some(b) = &banner {
            let before = &body_text[..b.span.start];
            if before.contains("\nFM ") || before.starts_with("FM ") {
                let inner = parse_header(before);
                hf.from = inner.from;
                if hf.date_time_group.is_none() {
                    hf.date_time_group = inner.date_time_group;
                    hf.precedence = inner.precedence;
                }
                if hf.recipients.is_empty() {
                    hf.recipients = inner.recipients;
                    hf.info_recipients = inner.info_recipients;
                }
            }
        }
    }

    // Year: from the date-time group, the page's created date, or an embedded record.
    let created_from_text = hf.date_time_group.as_deref().and_then(body::dtg_to_datetime).or_else(|| body::partial_date(body_text));
    let created = meta.created.clone().or_else(|| embedded.created.clone()).or_else(|| created_from_text.clone());
    let mut year: Option<u32> = created.as_deref().and_then(|c| c.get(..4)).and_then(|y| y.parse().ok());
    if year.is_none() && banner.is_some() {
        // No date anywhere: estimate the year from the declassification date, for the reference
        // id only. E.O. 12958 defaults to ten years after the cable; a date that would put the
        // cable after the release (2010) was set 20, 25 or 30 years ahead. Over the 4,610 corpus
        // cables with a DECL date this picks the right year for 92.7% (ten years alone: 81.4%).
        let head = &body_text[..floor_boundary(body_text, 3000)];
        if let Some(decl) = body::declassify_on(head) {
            if let Ok(y) = decl[..4].parse::<u32>() {
                if let Some(est) = DECL_OFFSETS.iter().map(|k| y.saturating_sub(*k)).find(|e| (1966..=2010).contains(e)) {
                    year = Some(est);
                    diagnostics.push(diag("year_estimated", format!("The text has no date; the year {est} in the reference id is estimated from the declassification date {decl}."), None));
                }
            }
        }
    }

    // Reference id.
    // A banner serial cut short ("BUENOS AIRES 00167SIPDIS") is completed from the DE line (#1673).
    let banner = banner.map(|mut b| {
        if let (Some(bs), Some(de)) = (b.serial.as_deref(), hf.de_serial.as_deref()) {
            let (bs, de) = (crate::text::strip_zeros(bs), crate::text::strip_zeros(de));
            if de.len() > bs.len() && de.starts_with(bs) {
                b.serial = Some(de.to_string());
            }
        }
        b
    });
    let banner_id = match (&banner, year) {
        (Some(b), Some(y)) => body::banner_id(b, y),
        _ => None,
    };
    // No banner with station and serial: the FM line's post and the DE line's serial.
    let routing_id = match (&hf.from, &hf.de_serial, year) {
        (Some(fm), Some(serial), Some(y)) if banner_id.is_none() => station_from_fm(fm).map(|st| crate::ids::make_id(y, &st, serial)),
        _ => None,
    };
    let banner_id = banner_id.or(routing_id);
    let hint = id_hint.filter(|h| looks_like_id(&h.to_ascii_uppercase())).map(|h| h.to_ascii_uppercase());
    let reference_id = meta.reference_id.clone().or(hint).or_else(|| embedded.reference_id.clone()).or_else(|| banner_id.clone());
    let canonical = reference_id.as_deref().map(canonical_id);
    if reference_id.is_none() {
        diagnostics.push(diag("missing_reference_id", "No reference id: the text has no page table, no banner with station and serial, or no date to take the year from. Use --id to supply it.", None));
    }
    let station = canonical
        .as_deref()
        .filter(|c| c.len() > 2 && c.is_char_boundary(2))
        .map(|c| c[2..].trim_end_matches(|ch: char| ch.is_ascii_digit()).to_string())
        .or_else(|| banner.as_ref().and_then(|b| b.station_words.as_deref()).map(canonical_station));

    // Preamble: body up to the first paragraph.
    let (paragraphs, first_par) = body::paragraphs(body_text, split.body.start);
    let first_par = past_ref_list_letters(&paragraphs, first_par, body_text, split.body.start);
    let pre_end = if first_par < 200 { floor_boundary(body_text, 3000) } else { first_par };
    let preamble = &body_text[..pre_end];

    let classification = meta.classification.clone().or_else(|| embedded.classification.clone()).or_else(|| {
        banner.as_ref().map(|b| body::classification(b, preamble)).or_else(|| header_classification(header_text))
    });
    if classification.is_none() {
        diagnostics.push(diag("missing_classification", "No classification banner (CONFIDENTIAL, SECRET, UNCLAS) found at the start of the body.", None));
    }

    let fm_origin = hf.from.as_deref().and_then(origin_from_fm);
    // Embedded records write some posts without their space (`Embassy BuenosAires`): the FM line's
    // name is the same post, spelled as WikiLeaks lists it.
    let squash = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_uppercase();
    let embedded_origin = embedded.origin.clone().map(|e| match &fm_origin {
        Some(f) if squash(f) == squash(&e) => f.clone(),
        _ => e,
    });
    let origin = meta.origin.clone().or(embedded_origin).or(fm_origin).or_else(|| {
        let st = station.as_deref()?;
        let words = banner.as_ref().and_then(|b| b.station_words.clone()).filter(|w| canonical_station(w) == st);
        origin_from_station(st, words.as_deref())
    });

    let subject = body::subject(preamble).map(|(_, s)| s).or_else(|| {
        // No SUBJECT line: fall back to the page title.
        meta.title.clone()
    });
    if subject.is_none() {
        diagnostics.push(diag("missing_subject", "No SUBJECT line in the body.", None));
    }
    let tags = body::tags(preamble).map(|(_, t)| t).unwrap_or_default();
    if tags.is_empty() {
        diagnostics.push(diag("missing_tags", "No TAGS line in the body.", None));
    }
    let tag_kinds = tags.iter().map(|t| tag_kind(t)).collect();
    // A text with no date at all (a partial extract) still has its own id (from the page, the file
    // name or the csv): its year is the year the references are read in.
    let id_year = canonical.as_deref().and_then(|c| c.get(..2)).and_then(|y| y.parse::<u32>().ok()).map(crate::text::full_year);
    let references = body::references(preamble, year.or(id_year).unwrap_or(2000), canonical.as_deref());
    // Else a first paragraph that opens with it ("¶1. (U) Classified by: Arnold Chacon, ...").
    let first_paragraph_opening = || {
        let from = paragraphs.first()?.span.start.checked_sub(split.body.start)?;
        let opening = body_text.get(from..)?;
        let opening = &opening[..floor_boundary(opening, 400)];
        crate::text::find_ci(opening, "CLASSIFIED BY").filter(|&p| p < 40).and_then(|_| body::classified_by(opening))
    };
    let (classified_by, classification_reason) = match body::classified_by(preamble).or_else(first_paragraph_opening) {
        Some((p, r)) => (Some(p).filter(|p| !p.is_empty()), r),
        None => (None, None),
    };
    if paragraphs.is_empty() && !body_text.trim().is_empty() {
        diagnostics.push(diag("no_paragraph_numbers", "The body has no numbered paragraphs; it is shown as one block.", None));
    }
    if body_text.trim().is_empty() {
        diagnostics.push(diag("empty_body", "The cable has no body text.", None));
    }
    if split.header.start == split.header.end && !split.partial && format != SourceFormat::Csv {
        diagnostics.push(diag("missing_header", "No routing header (VZCZC..., FM, TO); recipients and date-time group are unknown.", None));
    }
    if created.is_none() {
        diagnostics.push(diag("missing_created", "No date-time group or date line: the creation date is unknown.", None));
    }

    let format = if split.header.start == split.header.end && banner.is_none() && format == SourceFormat::Raw { SourceFormat::Fragment } else { format };

    Cable {
        reference_id,
        canonical_id: canonical,
        created,
        released: meta.released,
        classification,
        origin,
        transmission_id: hf.transmission_id,
        date_time_group: hf.date_time_group,
        precedence: hf.precedence,
        from: hf.from,
        recipients: hf.recipients,
        info_recipients: hf.info_recipients,
        subject,
        title: meta.title,
        tags,
        tag_kinds,
        references,
        classified_by,
        classification_reason,
        declassify_on: body::declassify_on(preamble),
        summary: body::summary(body_text),
        signers: body::signers(body_text),
        partial: split.partial,
        media_urls: meta.media_urls,
        paragraphs,
        redactions: body::count_redactions(body_text),
        diagnostics,
        source_format: format,
        header: split.header,
        body: split.body,
        text,
    }
}

/// The station of a reference id from the `FM` line: `AMEMBASSY LA PAZ` gives `LAPAZ`.
fn station_from_fm(fm: &str) -> Option<String> {
    let fm = fm.split("//").next().unwrap_or(fm);
    let mut words: Vec<&str> = fm.split_whitespace().collect();
    while words.len() > 1 && ["AMEMBASSY", "AMCONSUL", "USMISSION", "USINT", "USLO", "AMCONGEN"].contains(&words[0]) {
        words.remove(0);
    }
    if words.last() == Some(&"WASHDC") {
        words.pop();
    }
    if words.is_empty() {
        return None;
    }
    Some(canonical_station(&words.join("")))
}

/// Where the preamble ends, given where the first paragraph starts (`first_par`, in `body`).
/// WikiLeaks' pages put a paragraph anchor on a REF list's later letters (`REF: A. 05 PARIS
/// 5459` then `¶B. 06 PARIS 5733`), or on all of them when the label ends the line before
/// (`REF: ` then `¶A. BRASILIA 564`): such a first paragraph (a single letter after A with a REF
/// label before it, or any letter right after the label) and the letters that follow it still
/// belong to the preamble, which runs on to the first numbered paragraph (08PARIS1501: its second
/// reference and its "Classified By" line), or 3,000 bytes when no numbered paragraph has an
/// anchor (09ANKARA1084).
fn past_ref_list_letters(paragraphs: &[crate::model::Paragraph], first_par: usize, body: &str, base: usize) -> usize {
    let letter = |p: &crate::model::Paragraph| p.number.len() == 1 && p.number.as_bytes()[0].is_ascii_uppercase();
    let before = &body[..first_par];
    // "SUBJECT: ... REF: \n¶A. BRASILIA 564": the whole list anchored, right after its label.
    let label_right_before = {
        let t = before.trim_end().as_bytes();
        ["REF:", "REFS:", "REFTEL:", "REFTELS:", "REFERENCE:", "REFERENCES:"].iter().any(|l| t.len() >= l.len() && t[t.len() - l.len()..].eq_ignore_ascii_case(l.as_bytes()))
    };
    match paragraphs.first() {
        Some(p) if letter(p) && ((p.number != "A" && crate::text::find_ci(before, "REF").is_some()) || label_right_before) => paragraphs
            .iter()
            .find(|p| !letter(p))
            // No numbered paragraph anchored at all: as far as a body without paragraphs.
            .map_or(floor_boundary(body, 3000).max(first_par), |p| p.span.start - base),
        _ => first_par,
    }
}

/// Classification from the header's `ZNY CCCCC` / `ZNR UUUUU` / `ZNY SSSSS` line.
fn header_classification(header: &str) -> Option<String> {
    for l in lines(header) {
        let t = l.text.trim();
        if t.starts_with("ZNY ") || t.starts_with("ZNR ") {
            if t.contains("CCCCC") {
                return Some("CONFIDENTIAL".into());
            }
            if t.contains("SSSSS") {
                return Some("SECRET".into());
            }
            if t.contains("UUUUU") {
                return Some("UNCLASSIFIED".into());
            }
        }
    }
    None
}
