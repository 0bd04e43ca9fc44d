//! Recognising what a person pasted or dropped (copied page, raw text, saved page, cables.csv) and
//! cutting it into cables.

use crate::cable::{parse_cable, slash_date, Meta};
use crate::header::PARTIAL_NOTICE;
use crate::model::{Cable, Diagnostic, Parsed, Severity, SourceFormat};
use crate::text::{find_ci, find_ci_from, lines};

/// What kind of input a text is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKind {
    /// A saved WikiLeaks page.
    Html,
    /// The bulk `cables.csv`.
    Csv,
    /// A WikiLeaks page copied as text (has the metadata table).
    CopiedPage,
    /// Raw cable text or a fragment.
    Raw,
}

/// Guesses the kind of input from its first bytes and a few markers.
pub fn detect(input: &str) -> InputKind {
    let head = input[..crate::text::floor_boundary(input, 4096)].trim_start_matches('\u{feff}').trim_start();
    if is_csv_record_start(head) {
        return InputKind::Csv;
    }
    let lower_start = head.get(..15).unwrap_or(head).to_ascii_lowercase();
    if lower_start.starts_with("<!doctype") || lower_start.starts_with("<html") || lower_start.starts_with("<?xml")
        || ((find_ci(input, "<pre").is_some()) && (find_ci(input, "<table class").is_some() || find_ci(input, "</pre>").is_some()))
    {
        return InputKind::Html;
    }
    if table_header_positions(input).next().is_some() {
        return InputKind::CopiedPage;
    }
    InputKind::Raw
}

/// `"123","` at the start of a line: a cables.csv record.
fn is_csv_record_start(s: &str) -> bool {
    let b = s.as_bytes();
    if b.first() != Some(&b'"') {
        return false;
    }
    let digits = b[1..].iter().take_while(|c| c.is_ascii_digit()).count();
    digits > 0 && b.get(1 + digits..1 + digits + 3) == Some(b"\",\"")
}

// ---------------------------------------------------------------------------------------------
// Saved pages

/// Removes tags from an HTML fragment and trims it.
fn strip_tags(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    decode_entities(out.trim())
}

/// Decodes numeric character references and the five XML entities (page metadata only; the `<pre>`
/// blocks follow alx's rule and only decode `&#x000A;`).
fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(p) = rest.find('&') {
        out.push_str(&rest[..p]);
        let tail = &rest[p..];
        let semi = tail[..crate::text::floor_boundary(tail, 12)].find(';');
        let decoded = semi.and_then(|e| {
            let ent = &tail[1..e];
            let c = match ent {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" | "#39" => Some('\''),
                "nbsp" => Some('\u{a0}'),
                _ if ent.starts_with("#x") || ent.starts_with("#X") => u32::from_str_radix(&ent[2..], 16).ok().and_then(char::from_u32),
                _ if ent.starts_with('#') => ent[1..].parse().ok().and_then(char::from_u32),
                _ => None,
            };
            c.map(|c| (c, e + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &tail[len..];
            }
            None => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Applies alx's extraction rule to a `<pre>` block: `&#x000A;` becomes a line break, `<a ...>` and
/// `</a>` tags are deleted, nothing else changes.
fn pre_text(s: &str) -> String {
    let s = s.replace("&#x000A;", "\n").replace("&#x000a;", "\n").replace("&#10;", "\n");
    let mut out = String::with_capacity(s.len());
    let mut rest = s.as_str();
    loop {
        let a_open = rest.find("<a ").or_else(|| rest.find("<A "));
        let a_close = rest.find("</a>").or_else(|| rest.find("</A>"));
        let next = match (a_open, a_close) {
            (Some(o), Some(c)) => o.min(c),
            (Some(o), None) => o,
            (None, Some(c)) => c,
            (None, None) => break,
        };
        out.push_str(&rest[..next]);
        let tail = &rest[next..];
        if tail.starts_with("</") {
            rest = &tail[4..];
        } else {
            match tail.find('>') {
                Some(e) => rest = &tail[e + 1..],
                None => {
                    rest = "";
                    break;
                }
            }
        }
    }
    out.push_str(rest);
    out
}

/// Reads a saved WikiLeaks page: metadata table, title, the two `<pre>` blocks, media links.
/// Nothing in the page is run; scripts and styles are ignored.
pub fn read_html_page(page: &str) -> Option<(String, Meta)> {
    let mut meta = Meta::default();
    if let Some(t) = find_ci(page, "<table class='cable'>").or_else(|| find_ci(page, "<table class=\"cable\">")) {
        let end = find_ci_from(page, "</table>", t).unwrap_or(page.len());
        let table = &page[t..end];
        let mut cells = Vec::new();
        let mut pos = 0;
        while let Some(p) = find_ci_from(table, "<td", pos) {
            let open_end = table[p..].find('>').map_or(table.len(), |e| p + e + 1);
            let close = find_ci_from(table, "</td>", open_end).unwrap_or(table.len());
            cells.push((open_end, close));
            pos = close;
        }
        let vals: Vec<String> = cells.iter().map(|&(s, e)| strip_tags(&table[s..e])).collect();
        let get = |i: usize| vals.get(i).map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
        meta.reference_id = get(0);
        meta.created = get(1);
        meta.released = get(2);
        meta.classification = get(3);
        meta.origin = get(4);
        // "Appears in these articles:" links, in the table.
        if let Some(a) = find_ci(table, "Appears in these articles") {
            let mut pos = a;
            while let Some(h) = find_ci_from(table, "<a href=", pos) {
                let q = table.as_bytes().get(h + 8).copied().unwrap_or(b'\'');
                let start = h + 9;
                let Some(len) = table[start..].find(q as char) else { break };
                let href = &table[start..start + len];
                let close = find_ci_from(table, "</a>", start).unwrap_or(table.len());
                let inner_start = table[start..close].find('>').map_or(close, |i| start + i + 1);
                let inner = strip_tags(&table[inner_start..close]);
                let url = if inner.starts_with("http") { inner } else { href.replacen("http://http://", "http://", 1) };
                if !url.is_empty() && !meta.media_urls.contains(&url) {
                    meta.media_urls.push(url);
                }
                pos = close;
            }
        }
    }
    if let Some(h) = find_ci(page, "Viewing cable ") {
        let end = find_ci_from(page, "</h3>", h).unwrap_or_else(|| page[h..].find('\n').map_or(page.len(), |e| h + e));
        let v = &page[h + "Viewing cable ".len()..end];
        if let Some((id, title)) = v.split_once(", ") {
            if meta.reference_id.is_none() {
                meta.reference_id = Some(id.trim().to_string());
            }
            let title = title.trim();
            if !title.is_empty() {
                meta.title = Some(title.to_string());
            }
        } else if meta.reference_id.is_none() && crate::ids::looks_like_id(v.trim()) {
            meta.reference_id = Some(v.trim().to_string());
        }
    }
    let mut blocks = Vec::new();
    let mut pos = 0;
    while let Some(p) = find_ci_from(page, "<pre", pos) {
        let Some(gt) = page[p..].find('>') else { break };
        let start = p + gt + 1;
        let end = find_ci_from(page, "</pre>", start).unwrap_or(page.len());
        blocks.push(pre_text(&page[start..end]));
        pos = end;
    }
    let text = match blocks.len() {
        0 => return if meta.reference_id.is_some() { Some((String::new(), meta)) } else { None },
        1 => blocks.pop().unwrap_or_default(),
        _ => {
            let body = blocks.pop().unwrap_or_default();
            let mut t = blocks.swap_remove(0);
            t.push('\n');
            t.push_str(&body);
            t
        }
    };
    Some((text, meta))
}

// ---------------------------------------------------------------------------------------------
// cables.csv

/// A record of the bulk `cables.csv`: 8 double-quoted fields with backslash escapes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvRecord {
    /// The 8 unescaped fields.
    pub fields: Vec<String>,
}

/// Incremental reader of `cables.csv`: feed chunks, take complete records as they appear.
#[derive(Debug, Default)]
pub struct CsvReader {
    buf: String,
    /// Bytes of `buf` already consumed.
    pos: usize,
}

impl CsvReader {
    /// A reader with nothing buffered.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends a chunk of the file.
    pub fn push(&mut self, chunk: &str) {
        if self.pos > 0 && self.pos * 2 > self.buf.len() {
            self.buf.drain(..self.pos);
            self.pos = 0;
        }
        self.buf.push_str(chunk);
    }

    /// The next complete record, if the buffer holds one. With `eof`, a final record without a
    /// trailing newline is returned too.
    pub fn next_record(&mut self, eof: bool) -> Option<CsvRecord> {
        loop {
            let rest = &self.buf[self.pos..];
            let skip = rest.len() - rest.trim_start_matches(['\n', '\r', ' ']).len();
            if skip == rest.len() {
                self.pos = self.buf.len();
                return None;
            }
            let (consumed, rec) = parse_csv_record(&rest[skip..], eof)?;
            self.pos += skip + consumed;
            if let Some(r) = rec {
                return Some(r);
            }
        }
    }

    /// The raw text of the complete records buffered, about `max_bytes` of them (at least one
    /// when there is one), consumed as [`CsvReader::next_record`] would consume them: records to
    /// hand to another reader (a parse worker) as they are, still escaped.
    pub fn take_raw(&mut self, eof: bool, max_bytes: usize) -> Option<String> {
        let start = self.pos;
        let mut end = self.pos;
        while end - start < max_bytes {
            let rest = &self.buf[end..];
            let skip = rest.len() - rest.trim_start_matches(['\n', '\r', ' ']).len();
            if skip == rest.len() {
                end = self.buf.len();
                break;
            }
            match parse_csv_record(&rest[skip..], eof) {
                Some((consumed, _)) => end += skip + consumed,
                None => break,
            }
        }
        self.pos = end;
        (end > start).then(|| self.buf[start..end].to_string())
    }

    /// Bytes buffered and not yet consumed.
    pub fn pending(&self) -> usize {
        self.buf.len() - self.pos
    }
}

/// Parses one record at the start of `s`. Returns bytes consumed and the record (None for a line
/// that is not a record, which is skipped). Returns None when more input is needed.
fn parse_csv_record(s: &str, eof: bool) -> Option<(usize, Option<CsvRecord>)> {
    let b = s.as_bytes();
    if b[0] != b'"' {
        // Not a record start: skip the line.
        let nl = s.find('\n');
        return match nl {
            Some(n) => Some((n + 1, None)),
            None if eof => Some((s.len(), None)),
            None => None,
        };
    }
    let mut fields = Vec::with_capacity(8);
    let mut i = 0;
    loop {
        // At a field start: expect a quote.
        if i >= b.len() {
            return if eof { Some((b.len(), Some(CsvRecord { fields }))) } else { None };
        }
        if b[i] != b'"' {
            // Unquoted (malformed) field up to comma or newline.
            let end = s[i..].find([',', '\n']).map_or(s.len(), |e| i + e);
            fields.push(s[i..end].to_string());
            i = end;
        } else {
            i += 1;
            let mut val = String::new();
            let mut seg = i;
            loop {
                let Some(off) = memchr::memchr2(b'"', b'\\', &b[i..]) else {
                    if eof {
                        val.push_str(&s[seg..]);
                        fields.push(val);
                        return Some((b.len(), Some(CsvRecord { fields })));
                    }
                    return None;
                };
                let at = i + off;
                if b[at] == b'\\' {
                    if at + 1 >= b.len() {
                        if eof {
                            val.push_str(&s[seg..at]);
                            fields.push(val);
                            return Some((b.len(), Some(CsvRecord { fields })));
                        }
                        return None;
                    }
                    val.push_str(&s[seg..at]);
                    let c = b[at + 1];
                    match c {
                        b'"' | b'\'' | b'\\' => val.push(c as char),
                        b'n' => val.push('\n'),
                        b't' => val.push('\t'),
                        _ => {
                            val.push('\\');
                            // keep the next char as is (it may be multi-byte: copy via seg)
                            seg = at + 1;
                            i = at + 1;
                            continue;
                        }
                    }
                    i = at + 2;
                    seg = i;
                    continue;
                }
                // A quote: end of field if followed by a comma, a newline or the end.
                let next = b.get(at + 1).copied();
                match next {
                    Some(b',') | Some(b'\n') | Some(b'\r') | None => {
                        if next.is_none() && !eof {
                            return None;
                        }
                        val.push_str(&s[seg..at]);
                        fields.push(val);
                        i = at + 1;
                        break;
                    }
                    _ => {
                        i = at + 1; // a stray quote inside the field
                    }
                }
            }
        }
        match b.get(i).copied() {
            Some(b',') => {
                i += 1;
            }
            Some(b'\r') | Some(b'\n') => {
                let mut j = i;
                if b[j] == b'\r' {
                    j += 1;
                }
                if b.get(j) == Some(&b'\n') {
                    j += 1;
                }
                // A record ends at a newline once it has its 8 fields; with fewer, the newline is
                // part of a field that was closed early (malformed): treat it as the end anyway.
                return Some((j, Some(CsvRecord { fields })));
            }
            None => {
                return if eof { Some((i, Some(CsvRecord { fields }))) } else { None };
            }
            _ => {}
        }
    }
}

/// Builds a cable from a csv record: row, created, refid, origin, classification, refs, header, body.
pub fn csv_cable(rec: CsvRecord) -> Cable {
    let mut f = rec.fields.into_iter();
    let _row = f.next();
    let created = f.next().and_then(|d| slash_date(d.trim()));
    let refid = f.next().map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    let origin = f.next().map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    let class = f.next().map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    let _refs = f.next();
    let header = f.next().unwrap_or_default();
    let body = f.next().unwrap_or_default();
    let mut text = header;
    if !text.is_empty() && !body.is_empty() {
        text.push('\n');
    }
    text.push_str(&body);
    let meta = Meta { reference_id: refid, created, origin, classification: class, ..Meta::default() };
    parse_cable(text, meta, SourceFormat::Csv, None)
}

// ---------------------------------------------------------------------------------------------
// Copied pages

/// Offsets of lines that are the header row of a copied metadata table
/// (`Reference ID | Created | Released | Classification | Origin`).
fn table_header_positions(input: &str) -> impl Iterator<Item = usize> + '_ {
    let mut pos = 0;
    let mut line_starts = crate::text::LineStarts::default();
    std::iter::from_fn(move || {
        static HEADER: std::sync::LazyLock<memchr::memmem::Finder<'static>> = std::sync::LazyLock::new(|| memchr::memmem::Finder::new(b"Reference ID"));
        while let Some(p) = HEADER.find(&input.as_bytes()[pos..]) {
            let at = pos + p;
            pos = at + 12;
            let line_start = line_starts.at(input, at);
            if !input[line_start..at].trim().is_empty() {
                continue;
            }
            let window = &input[at..crate::text::floor_boundary(input, at + 120)];
            if window.contains("Created") && window.contains("Released") && window.contains("Classification") && window.contains("Origin") {
                return Some(line_start);
            }
        }
        None
    })
}

/// Reads the values of a copied metadata table whose header row starts at `at`. Returns the metadata
/// and the offset where the cable text begins.
fn read_copied_table(input: &str, at: usize) -> (Meta, usize) {
    let rest = &input[at..];
    let mut it = lines(rest);
    let header = it.next().map(|l| l.text).unwrap_or("");
    // `|` rows keep empty cells in place (a cable without a release date: `ID | 2009-09-17 | | …`);
    // tab rows, copied from a browser, may hold runs of tabs, so their empty cells are dropped.
    let cells_of = |l: &str| -> Vec<String> {
        let l = l.trim();
        if l.contains('|') {
            let inner = l.strip_prefix('|').unwrap_or(l);
            let inner = inner.strip_suffix('|').unwrap_or(inner);
            inner.split('|').map(|c| c.trim().to_string()).collect()
        } else {
            l.split('\t').map(|c| c.trim().to_string()).filter(|c| !c.is_empty()).collect()
        }
    };
    let mut meta = Meta::default();
    let mut text_start = input.len();
    let header_cells = cells_of(header);
    let values: Vec<String>;
    if header_cells.len() >= 5 {
        // One row of values (skipping a markdown separator row).
        let mut v = Vec::new();
        for l in it.by_ref() {
            let t = l.text.trim();
            if t.is_empty() || t.chars().all(|c| c == '-' || c == '|' || c == ':' || c == ' ') {
                continue;
            }
            v = cells_of(t);
            text_start = at + l.end() + 1;
            break;
        }
        values = v;
    } else {
        // One cell per line: skip the remaining header cells, then take five values.
        let mut v = Vec::new();
        for l in it.by_ref() {
            let t = l.text.trim();
            if t.is_empty() || ["Created", "Released", "Classification", "Origin"].contains(&t) {
                continue;
            }
            v.push(t.to_string());
            if v.len() == 5 {
                text_start = at + l.end() + 1;
                break;
            }
        }
        values = v;
    }
    let get = |i: usize| values.get(i).cloned().filter(|v| !v.is_empty());
    meta.reference_id = get(0);
    meta.created = get(1);
    meta.released = get(2);
    meta.classification = get(3);
    meta.origin = get(4);
    (meta, text_start.min(input.len()))
}

/// Markers of site navigation that mean a copied cable text has ended.
const PAGE_CHROME: &[&str] = &["Currently released so far", "Browse latest releases", "Viewing cable "];

/// Reads the copied pages in `input`: one cable per metadata table.
fn copied_pages(input: &str, id_hint: Option<&str>) -> Vec<Cable> {
    let starts: Vec<usize> = table_header_positions(input).collect();
    let mut out = Vec::new();
    for (k, &at) in starts.iter().enumerate() {
        let region_end = starts.get(k + 1).copied().unwrap_or(input.len());
        // The page title before this table ("Viewing cable 09TRIPOLI748, TITLE").
        let region_start = if k == 0 { 0 } else { starts[k - 1] };
        let title = input[region_start..at].rfind("Viewing cable ").and_then(|p| {
            let line = input[region_start + p..at].lines().next()?;
            let v = line.strip_prefix("Viewing cable ")?;
            v.split_once(", ").map(|(_, t)| t.trim().to_string())
        });
        let (mut meta, text_start) = read_copied_table(input, at);
        meta.title = title;
        let mut text_end = region_end;
        let text_region = &input[text_start.min(region_end)..region_end];
        for m in PAGE_CHROME {
            if let Some(p) = text_region.find(m) {
                // Cut at the start of that line.
                let ls = text_region[..p].rfind('\n').map_or(0, |i| i + 1);
                text_end = text_end.min(text_start + ls);
            }
        }
        let text = input[text_start.min(text_end)..text_end].trim_matches('\n').to_string();
        out.push(parse_cable(text, meta, SourceFormat::CopiedPage, id_hint));
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Raw text

/// Line offsets where a new cable may start in raw text: a `VZCZC` line, a partial-extract notice,
/// or a banner line right after a cable's end.
fn raw_candidates(input: &str) -> Vec<usize> {
    // Each place either opener occurs (one SIMD search over the whole input for each) counts when
    // only white space comes before it on its line.
    let b = input.as_bytes();
    // (Searchers built once: building one for the long notice costs more than a cable's search.)
    static VZCZC: std::sync::LazyLock<memchr::memmem::Finder<'static>> = std::sync::LazyLock::new(|| memchr::memmem::Finder::new(b"VZCZC"));
    static NOTICE: std::sync::LazyLock<memchr::memmem::Finder<'static>> = std::sync::LazyLock::new(|| memchr::memmem::Finder::new(PARTIAL_NOTICE.as_bytes()));
    let mut hits: Vec<usize> = VZCZC.find_iter(b).chain(NOTICE.find_iter(b)).collect();
    hits.sort_unstable();
    let mut out = vec![0];
    let mut searched_to = 0; // the line break search never goes back past an earlier hit: linear
    for at in hits {
        let from = searched_to;
        searched_to = at;
        let line_start = match memchr::memrchr(b'\n', &b[from..at]) {
            Some(i) => from + i + 1,
            // An earlier hit on this line: this one does not open it.
            None if from > 0 => continue,
            None => 0,
        };
        if line_start > 0 && input[line_start..at].trim_start().is_empty() && out.last() != Some(&line_start) {
            out.push(line_start);
        }
    }
    out
}

/// The identity of a cable segment for merging: station and serial of its banner.
fn segment_identity(seg: &str) -> Option<(String, String)> {
    let split = crate::header::split(seg);
    let b = crate::body::find_banner(&seg[split.body.start..split.body.end])?;
    Some((crate::ids::canonical_station(b.station_words.as_deref()?), crate::text::strip_zeros(b.serial.as_deref()?).to_string()))
}

/// Cuts raw text into cables. Sections of one cable that repeat its routing lines stay together.
fn raw_cables(input: &str, id_hint: Option<&str>) -> Vec<Cable> {
    let cands = raw_candidates(input);
    let mut segments: Vec<(usize, usize)> = Vec::new();
    let mut idents: Vec<Option<(String, String)>> = Vec::new();
    for (k, &s) in cands.iter().enumerate() {
        let e = cands.get(k + 1).copied().unwrap_or(input.len());
        let ident = if cands.len() > 1 { segment_identity(&input[s..e]) } else { None };
        if let (Some(last), Some(last_ident)) = (segments.last_mut(), idents.last_mut()) {
            // Same cable (repeated section routing, an embedded record), or a segment without a
            // banner of its own on either side.
            if ident.is_none() || last_ident.is_none() || ident == *last_ident {
                last.1 = e;
                if last_ident.is_none() {
                    *last_ident = ident;
                }
                continue;
            }
        }
        segments.push((s, e));
        idents.push(ident);
    }
    segments
        .into_iter()
        .filter(|(s, e)| !input[*s..*e].trim().is_empty())
        .map(|(s, e)| parse_cable(input[s..e].trim_matches('\n').to_string(), Meta::default(), SourceFormat::Raw, id_hint))
        .collect()
}

/// True when a parsed cable has enough cable structure to be called one (not just any text).
fn is_cable_like(c: &Cable) -> bool {
    c.reference_id.is_some()
        || c.header.start != c.header.end
        || c.classification.is_some()
        || !c.tags.is_empty()
        || (c.subject.is_some() && c.source_format != SourceFormat::Fragment)
        || c.paragraphs.iter().any(|p| p.marking.is_some())
        || find_ci(c.body_text(), "E.O. 1").is_some()
        || find_ci(c.body_text(), "SUBJECT:").is_some()
}

/// Options for [`parse_with`].
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Reference id to use when the text does not say it (a file name such as `09TRIPOLI748.txt`).
    pub id_hint: Option<String>,
}

/// Parses any input a person may paste or drop: every cable found, plus diagnostics.
pub fn parse_with(input: &str, opts: &Options) -> Parsed {
    let mut parsed = Parsed::default();
    let input = input.trim_start_matches('\u{feff}');
    if input.trim().is_empty() {
        parsed.diagnostics.push(Diagnostic {
            severity: Severity::Warning,
            code: "empty_input".into(),
            message: "The input is empty. Paste a cable's text, a copied WikiLeaks page, or drop a .txt, .html or .csv file.".into(),
            span: None,
        });
        return parsed;
    }
    if looks_binary(input) {
        parsed.diagnostics.push(Diagnostic {
            severity: Severity::Warning,
            code: "binary_input".into(),
            message: "This looks like binary data, not text. Expected a cable as text (.txt), a saved WikiLeaks page (.html) or cables.csv.".into(),
            span: None,
        });
        return parsed;
    }
    let hint = opts.id_hint.as_deref();
    let cables = match detect(input) {
        InputKind::Csv => {
            let mut r = CsvReader::new();
            r.push(input);
            let mut v = Vec::new();
            while let Some(rec) = r.next_record(true) {
                if rec.fields.len() >= 8 {
                    v.push(csv_cable(rec));
                }
            }
            v
        }
        InputKind::Html => match read_html_page(input) {
            Some((text, meta)) => vec![parse_cable(text, meta, SourceFormat::Html, hint)],
            None => Vec::new(),
        },
        InputKind::CopiedPage => copied_pages(input, hint),
        InputKind::Raw => raw_cables(input, hint),
    };
    // A fragment counts only when it has some cable structure; anything else is not a cable.
    parsed.cables = cables.into_iter().filter(|c| c.source_format != SourceFormat::Fragment || is_cable_like(c)).collect();
    if parsed.cables.is_empty() {
        parsed.diagnostics.push(Diagnostic {
            severity: Severity::Warning,
            code: "no_cable".into(),
            message: "No cable found in this text. Expected a cable's routing header (VZCZC..., FM, TO), a classification banner (CONFIDENTIAL, UNCLAS ...), SUBJECT/TAGS lines, a WikiLeaks page, or cables.csv.".into(),
            span: None,
        });
    }
    parsed
}

/// True when the text has NUL bytes or many control characters: a binary file decoded as text.
pub fn looks_binary(s: &str) -> bool {
    let head = &s.as_bytes()[..s.len().min(8192)];
    if memchr::memchr(0, head).is_some() {
        return true;
    }
    // Control characters other than white space, counted branch-free in byte lanes (this runs on
    // every input; the compiler makes it 16 bytes a step and more): blocks of 192 bytes, a multiple
    // of the vector loop's step, small enough for a byte count.
    let is_control = |b: u8| u8::from((b < 0x20) & !((b.wrapping_sub(b'\t') < 5) & (b != 0x0b)));
    let ctrl: usize = head.chunks(192).map(|block| usize::from(block.iter().fold(0u8, |n, &b| n.wrapping_add(is_control(b))))).sum();
    // U+FFFD (EF BF BD): what a lossy decode leaves of bytes that were not UTF-8.
    let replacement = memchr::memchr_iter(0xEF, head).filter(|&i| head.get(i + 1..i + 3) == Some(&[0xBF, 0xBD][..])).count();
    ctrl * 20 > head.len().max(1) || replacement * 10 > head.len().max(1) / 3
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copied_table_keeps_empty_cells_in_place() {
        let input = "Reference ID | Created | Released | Classification | Origin |\n---|---|---|---|---|\n00HARARE5461 | | | CONFIDENTIAL | Embassy Harare |\nCONFIDENTIAL\nSUBJECT: X\n\n1. (C) Text.\n";
        let c = &crate::parse(input).cables[0];
        assert_eq!(c.reference_id.as_deref(), Some("00HARARE5461"));
        assert_eq!((c.created.as_deref(), c.released.as_deref()), (None, None));
        assert_eq!(c.classification.as_deref(), Some("CONFIDENTIAL"));
        assert_eq!(c.origin.as_deref(), Some("Embassy Harare"));
    }

    #[test]
    fn csv_records_stream() {
        let data = "\"1\",\"12/28/1966 18:48\",\"66BUENOSAIRES2481\",\"Embassy Buenos Aires\",\"UNCLASSIFIED\",\"\",\"P R 281848Z DEC 66\nFM AMEMBASSY BUENOS AIRES\",\"UNCLASSIFIED BUENOS AIRES 2481\nSAID \\\"HI\\\"\"\n\"2\",\"1/1/2000 1:02\",\"00X1\",\"o\",\"SECRET\",\"\",\"h\",\"b\"\n";
        let mut r = CsvReader::new();
        let (a, b) = data.split_at(50);
        r.push(a);
        assert!(r.next_record(false).is_none());
        r.push(b);
        let rec = r.next_record(false).unwrap();
        assert_eq!(rec.fields.len(), 8);
        assert_eq!(rec.fields[7], "UNCLASSIFIED BUENOS AIRES 2481\nSAID \"HI\"");
        let rec2 = r.next_record(true).unwrap();
        assert_eq!(rec2.fields[2], "00X1");
        assert!(r.next_record(true).is_none());
    }

    /// Records handed on as raw text (to a parse worker) read back as the same records, whatever
    /// the chunking (the sample of the real cables.csv from ../shared, and an escaped record).
    #[test]
    fn raw_records_read_back_as_the_same_records() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/csv/cables_sample.csv");
        let sample = std::fs::read_to_string(&path).unwrap_or_else(|_| {
            eprintln!("../shared/corpus/csv not found: the escaped record only");
            String::new()
        });
        let data = format!("{sample}\"2\",\"1/1/2000 1:02\",\"00X1\",\"o\",\"SECRET\",\"\",\"h \\\"q\\\"\",\"b\"");
        let all = |chunk: usize, raw: Option<usize>| {
            let mut r = CsvReader::new();
            let mut out = Vec::new();
            let mut rest = data.as_str();
            loop {
                let cut = (0..=chunk.min(rest.len())).rev().find(|&i| rest.is_char_boundary(i)).unwrap_or(0);
                let (a, b) = rest.split_at(cut);
                r.push(a);
                rest = b;
                let eof = rest.is_empty();
                match raw {
                    None => out.extend(std::iter::from_fn(|| r.next_record(eof)).map(|x| x.fields)),
                    Some(max) => {
                        while let Some(text) = r.take_raw(eof, max) {
                            let mut again = CsvReader::new();
                            again.push(&text);
                            out.extend(std::iter::from_fn(|| again.next_record(true)).map(|x| x.fields));
                        }
                    }
                }
                if eof {
                    return out;
                }
            }
        };
        let expected = all(1 << 20, None);
        // The sample's records (when ../shared is there) and the escaped one.
        let want_records = if sample.is_empty() { 1 } else { 2 };
        assert!(expected.len() >= want_records && expected.iter().all(|f| f.len() == 8));
        assert_eq!(expected.last().unwrap()[6], "h \"q\"");
        for (chunk, max) in [(1 << 20, 4096), (7919, 1), (65536, 1 << 20), (1000, 100_000)] {
            assert_eq!(all(chunk, Some(max)), expected, "chunks of {chunk}, raw pieces of {max}");
        }
    }

    #[test]
    fn pre_rule() {
        assert_eq!(pre_text("a&#x000A;<a id='par1' href='#par1'>¶</a>1. x"), "a\n¶1. x");
    }

    #[test]
    fn binary_detected() {
        assert!(looks_binary("abc\0def"));
        assert!(!looks_binary("plain text\nwith lines"));
    }

    #[test]
    fn binary_means_more_than_one_control_character_in_twenty() {
        // Every byte below 0x20 is placed once in each of the counting blocks' positions: only tab,
        // line feed, form feed and carriage return are white space.
        for c in (1u8..0x20).map(char::from) {
            let white = matches!(c, '\t' | '\n' | '\x0c' | '\r');
            for at in [0, 100, 191, 192, 500, 4000] {
                // 1,000 bytes with 51 control characters (over 1 in 20), then with 49.
                for (n, binary) in [(51, !white), (49, false)] {
                    let mut text: Vec<char> = "abcdefghij".repeat(100).chars().collect();
                    for k in 0..n {
                        text[(at + k * 7) % 1000] = c;
                    }
                    let text: String = text.into_iter().collect();
                    assert_eq!(looks_binary(&text), binary, "{c:?} x{n} from {at}");
                }
            }
        }
        // Only the first 8 KB is looked at.
        assert!(!looks_binary(&format!("{}{}", "a".repeat(8192), "\x01".repeat(1000))));
    }
}
