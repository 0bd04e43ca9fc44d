//! The index as bytes, so a library can be stored with its index and reopened without parsing and
//! indexing every cable again. Two parts: the index proper ([`Index::to_bytes`]: what searches,
//! facets and lists need) and the texts snippets quote ([`Index::texts_to_bytes`]), so a page can
//! reopen the index first and show facets before the texts, two thirds of the bytes, are read.
//! The format is private to this version: the readers refuse bytes of another version (the caller
//! rebuilds).

use crate::facets::{Facet, FacetColumn};
use crate::postings::Posting;
use crate::stored_positions::PositionRun;
use crate::{Index, Row};

/// Where the next piece of a snapshot begins ([`Index::next_snapshot_piece`],
/// [`Index::next_texts_piece`]); a new one begins at the start.
#[derive(Debug, Default, Clone)]
pub struct SnapshotCursor {
    stage: u8,
    at: usize,
    /// Bytes of the current text given (texts), and whether its length was.
    within: usize,
    begun: bool,
}

/// Changes whenever the parser, the index or this format changes what a snapshot holds.
pub const SNAPSHOT_VERSION: u32 = 7;
const MAGIC: &[u8; 4] = b"CRIX";
const TEXTS_MAGIC: &[u8; 4] = b"CRTX";

pub(crate) struct Writer(pub(crate) Vec<u8>);

impl Writer {
    pub(crate) fn u32(&mut self, v: u32) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    pub(crate) fn u64(&mut self, v: u64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    pub(crate) fn bytes(&mut self, b: &[u8]) {
        self.u32(b.len() as u32);
        self.0.extend_from_slice(b);
    }
    pub(crate) fn str(&mut self, s: &str) {
        self.bytes(s.as_bytes());
    }
    pub(crate) fn u32s(&mut self, v: &[u32]) {
        self.u32(v.len() as u32);
        for x in v {
            self.u32(*x);
        }
    }
}

impl Writer {
    /// A snapshot part's header: its magic, the format's version, and how many items follow.
    fn header(&mut self, magic: &[u8; 4], items: usize) {
        self.0.extend_from_slice(magic);
        self.u32(SNAPSHOT_VERSION);
        self.u32(items as u32);
    }

    /// The list columns of a row: key, reference id, subject, created, released, classification,
    /// origin (the library snapshot and a published corpus' row shards write them alike).
    pub(crate) fn list_columns(&mut self, r: &Row) {
        for s in [&r.key, &r.reference_id, &r.subject, &r.created, &r.released, &r.classification, &r.origin] {
            self.str(s);
        }
    }

    /// A facet's dictionary of values.
    pub(crate) fn facet_values(&mut self, col: &FacetColumn) {
        self.u32(col.values.len() as u32);
        for v in &col.values {
            self.str(v);
        }
    }
}

/// Reads the snapshot format: numbers, length-prefixed bytes and strings, facet dictionaries, from
/// a buffer ([`Reader`]) or from pieces as they come ([`SnapshotDecoder`]).
pub(crate) trait ReadBytes {
    /// The next `n` bytes; `None` past the end.
    fn next(&mut self, n: usize) -> Option<&[u8]>;
    /// Bytes in all (a bound for counts read from the bytes themselves).
    fn total(&self) -> usize;
    /// The next `n` bytes, owned.
    fn next_vec(&mut self, n: usize) -> Option<Vec<u8>> {
        self.next(n).map(<[u8]>::to_vec)
    }
    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.next(4)?.try_into().ok()?))
    }
    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.next(8)?.try_into().ok()?))
    }
    fn bytes_vec(&mut self) -> Option<Vec<u8>> {
        let n = self.u32()? as usize;
        self.next_vec(n)
    }
    fn string(&mut self) -> Option<String> {
        let n = self.u32()? as usize;
        std::str::from_utf8(self.next(n)?).ok().map(str::to_string)
    }
    fn u32s(&mut self) -> Option<Vec<u32>> {
        let n = self.u32()? as usize;
        if n > self.total() / 4 {
            return None;
        }
        let b = self.next(n * 4)?;
        Some(b.chunks_exact(4).map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect())
    }
    /// Reads [`Writer::list_columns`], in the same order.
    fn list_columns(&mut self) -> Option<[String; 7]> {
        Some([self.string()?, self.string()?, self.string()?, self.string()?, self.string()?, self.string()?, self.string()?])
    }
    /// Reads [`Writer::facet_values`]: a column with its values and no cables yet.
    fn facet_values(&mut self) -> Option<FacetColumn> {
        let n = self.u32()? as usize;
        if n > self.total() {
            return None;
        }
        let mut c = FacetColumn::new();
        for v in 0..n {
            let value: Box<str> = self.string()?.into_boxed_str();
            c.lookup.insert(value.clone(), v as u32);
            c.values.push(value);
        }
        Some(c)
    }
}

/// Reads a buffer in place.
pub(crate) struct Reader<'a> {
    pub(crate) buf: &'a [u8],
    pub(crate) at: usize,
}

impl<'a> Reader<'a> {
    pub(crate) fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let end = self.at.checked_add(n)?;
        let s = self.buf.get(self.at..end)?;
        self.at = end;
        Some(s)
    }
    pub(crate) fn bytes(&mut self) -> Option<&'a [u8]> {
        let n = self.u32()? as usize;
        self.take(n)
    }
    pub(crate) fn str_ref(&mut self) -> Option<&'a str> {
        std::str::from_utf8(self.bytes()?).ok()
    }
    pub(crate) fn u32s_ref(&mut self) -> Option<&'a [u8]> {
        let n = self.u32()? as usize;
        self.take(n.checked_mul(4)?)
    }
}

impl ReadBytes for Reader<'_> {
    fn next(&mut self, n: usize) -> Option<&[u8]> {
        self.take(n)
    }
    fn total(&self) -> usize {
        self.buf.len()
    }
}

/// Reads a buffer that may end inside an item: running out is told apart from bytes that do not
/// read (see [`SnapshotDecoder`]).
struct FedReader<'a> {
    buf: &'a [u8],
    at: usize,
    /// A bound for counts read from the bytes: the most bytes the whole snapshot may have.
    bound: usize,
    /// True once a read wanted bytes past the end of `buf`.
    short: bool,
}

impl ReadBytes for FedReader<'_> {
    fn next(&mut self, n: usize) -> Option<&[u8]> {
        match self.at.checked_add(n).and_then(|end| self.buf.get(self.at..end)) {
            Some(s) => {
                self.at += n;
                Some(s)
            }
            None => {
                self.short = n <= self.bound;
                None
            }
        }
    }
    fn total(&self) -> usize {
        self.bound
    }
}

/// The bytes of an item a piece ended in, kept until the next pieces complete it (what both
/// decoders share). What the reader leaves is tried again once twice its length is in, so a long
/// item is not read again for every small piece.
#[derive(Default)]
struct Carry {
    bytes: Vec<u8>,
    want: usize,
}

impl Carry {
    /// Hands `read` the bytes carried followed by `bytes` (`bytes` alone when none are carried);
    /// `read` takes whole items from the start and says how many bytes they took, and the rest is
    /// carried.
    fn feed(&mut self, bytes: &[u8], read: impl FnOnce(&[u8]) -> usize) {
        if self.bytes.is_empty() {
            let used = read(bytes);
            self.bytes.extend_from_slice(&bytes[used..]);
        } else {
            self.bytes.extend_from_slice(bytes);
            if self.bytes.len() < self.want {
                return;
            }
            let used = read(&self.bytes);
            self.bytes.drain(..used);
        }
        self.want = 2 * self.bytes.len();
    }

    /// Hands `read` what is still carried, the last bytes being in: true when it took them all.
    fn finish(&mut self, read: impl FnOnce(&[u8]) -> usize) -> bool {
        if !self.bytes.is_empty() {
            let used = read(&self.bytes);
            self.bytes.drain(..used);
        }
        self.bytes.is_empty()
    }
}

/// Reads a snapshot's texts part ([`Index::texts_to_bytes`]) fed in pieces of any size, as
/// [`SnapshotDecoder`] reads the index part: only a text cut by a piece's end is carried over.
pub struct TextsDecoder {
    /// Texts still to come (`None` until the header is read).
    left: Option<usize>,
    texts: Vec<Box<str>>,
    carry: Carry,
    failed: bool,
}

impl Default for TextsDecoder {
    fn default() -> Self {
        Self::new()
    }
}

impl TextsDecoder {
    /// A decoder at the start of a texts part.
    pub fn new() -> TextsDecoder {
        TextsDecoder { left: None, texts: Vec::new(), carry: Carry::default(), failed: false }
    }

    /// Reads the next bytes; false once they are not texts of this version.
    pub fn feed(&mut self, bytes: &[u8]) -> bool {
        if self.failed {
            return false;
        }
        let mut carry = std::mem::take(&mut self.carry);
        carry.feed(bytes, |b| self.read_texts(b));
        if !self.failed {
            self.carry = carry;
        }
        !self.failed
    }

    /// The texts, once every byte was fed; `None` when they ended early or did not read.
    pub fn finish(mut self) -> Option<Vec<Box<str>>> {
        let mut carry = std::mem::take(&mut self.carry);
        let whole = self.failed || carry.finish(|b| self.read_texts(b));
        (whole && !self.failed && self.left == Some(0)).then_some(self.texts)
    }

    /// Reads the header, then each whole text at the start of `buf`: the bytes they took.
    fn read_texts(&mut self, buf: &[u8]) -> usize {
        let mut r = Reader { buf, at: 0 };
        if self.left.is_none() {
            if buf.len() < 12 {
                return 0;
            }
            let (Some(magic), Some(version), Some(n)) = (r.take(4), r.u32(), r.u32()) else { return 0 };
            if magic != TEXTS_MAGIC || version != SNAPSHOT_VERSION {
                self.failed = true;
                return 0;
            }
            self.left = Some(n as usize);
        }
        while self.left.is_some_and(|n| n > 0) {
            let start = r.at;
            let Some(text) = r.bytes() else {
                r.at = start;
                break;
            };
            let Ok(text) = std::str::from_utf8(text) else {
                self.failed = true;
                return start;
            };
            self.texts.push(text.into());
            self.left = self.left.map(|n| n - 1);
        }
        // Bytes after the last text are not these texts'.
        if self.left == Some(0) && r.at < buf.len() {
            self.failed = true;
        }
        r.at
    }
}

/// Bytes read from a source at a time ([`Index::from_source`]).
const WINDOW: usize = 1 << 20;

/// What a snapshot's index part holds, in the order written ([`Index::next_snapshot_piece`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    Header,
    Rows,
    TermCount,
    Terms,
    FacetCount,
    Facets,
    RunCount,
    Runs,
    End,
}

/// Reads a snapshot's index part ([`Index::to_bytes`]) fed in pieces of any size, as they are read
/// from storage: only the item a piece ends in (a row, a term's lists, a facet column) is carried
/// over to the next, so no piece need be kept once fed. Reading every stored piece first held a
/// 250,000-cable library's whole snapshot (~330 MB of JS memory) beside the index made from it.
pub struct SnapshotDecoder {
    index: Index,
    part: Part,
    /// Items of the part read, and how many it has.
    done: usize,
    count: usize,
    /// Rows, and terms, of the index.
    rows: usize,
    terms: usize,
    /// The last cable of the run of positions read before.
    run_end: u32,
    bound: usize,
    /// Bytes of an item not yet whole.
    carry: Carry,
    failed: bool,
}

impl SnapshotDecoder {
    /// A decoder for a snapshot of at most `bound` bytes (a bound for the counts it reads).
    pub fn new(bound: usize) -> SnapshotDecoder {
        SnapshotDecoder { index: Index::new(), part: Part::Header, done: 0, count: 0, rows: 0, terms: 0, run_end: 0, bound, carry: Carry::default(), failed: false }
    }

    /// Reads the next bytes; false once they are not a snapshot of this version (the rest is
    /// then ignored).
    pub fn feed(&mut self, bytes: &[u8]) -> bool {
        if self.failed {
            return false;
        }
        let mut carry = std::mem::take(&mut self.carry);
        carry.feed(bytes, |b| self.read_items(b));
        if !self.failed {
            self.carry = carry;
        }
        !self.failed
    }

    /// The index, once every byte was fed; `None` when the bytes ended early or did not read.
    pub fn finish(mut self) -> Option<Index> {
        let mut carry = std::mem::take(&mut self.carry);
        let whole = self.failed || carry.finish(|b| self.read_items(b));
        (whole && !self.failed && self.part == Part::End).then_some(self.index)
    }

    /// Reads the whole items at the start of `buf`: the bytes they took.
    fn read_items(&mut self, buf: &[u8]) -> usize {
        let mut at = 0;
        while !self.failed {
            if self.part == Part::End {
                // Bytes after the end are not this index's.
                self.failed = at < buf.len();
                break;
            }
            let mut r = FedReader { buf: &buf[at..], at: 0, bound: self.bound, short: false };
            match self.item(&mut r) {
                Some(()) => at += r.at,
                None if r.short => break,
                None => self.failed = true,
            }
        }
        at
    }

    /// Reads one item of the current part into the index (nothing changes unless it reads whole).
    fn item(&mut self, r: &mut FedReader) -> Option<()> {
        let index = &mut self.index;
        match self.part {
            Part::Header => {
                if r.next(4)? != MAGIC || r.u32()? != SNAPSHOT_VERSION {
                    return None;
                }
                let n = r.u32()? as usize;
                if n > r.total() {
                    return None;
                }
                self.rows = n;
                self.begin(Part::Rows, n);
            }
            Part::Rows => {
                let [key, reference_id, subject, created, released, classification, origin] = r.list_columns()?;
                let row = Row { key, reference_id, subject, created, released, classification, origin, fingerprint: r.u64()? };
                let live = r.u32()? == 1;
                let len = r.u32()?;
                if live {
                    index.by_key.insert(row.key.clone(), self.done as u32);
                    index.live_count += 1;
                    index.total_len += u64::from(len);
                }
                index.rows.push(row);
                index.texts.push("".into());
                index.live.push(live);
                index.doc_len.push(len);
                self.next_item(Part::TermCount);
            }
            Part::TermCount => {
                let terms = r.u32()? as usize;
                if terms > r.total() {
                    return None;
                }
                self.terms = terms;
                self.begin(Part::Terms, terms);
            }
            Part::Terms => {
                let name = r.string()?;
                let p = Posting { docs: r.bytes_vec()?, positions: r.bytes_vec()?, last_doc: r.u32()?, df: r.u32()? };
                index.positions_held += p.positions.len();
                // A term twice would leave a list without its name: not bytes this index wrote.
                if index.terms.id(&name) != self.done as u32 {
                    return None;
                }
                index.postings.push(p);
                self.next_item(Part::FacetCount);
            }
            Part::FacetCount => {
                let cols = r.u32()? as usize;
                if cols != index.facets.len() {
                    return None;
                }
                self.begin(Part::Facets, cols);
            }
            Part::Facets => {
                let mut c = r.facet_values()?;
                let values = c.values.len();
                c.offsets = r.u32s()?;
                c.ids = r.u32s()?;
                if c.offsets.len() != self.rows + 1 || c.ids.iter().any(|&v| v as usize >= values) {
                    return None;
                }
                index.facets[self.done] = c;
                self.next_item(Part::RunCount);
            }
            Part::RunCount => {
                let next_run = r.u32()?;
                let runs = r.u32()? as usize;
                if runs > r.total() {
                    return None;
                }
                index.next_position_run = next_run;
                self.begin(Part::Runs, runs);
            }
            Part::Runs => {
                let run = PositionRun { id: r.u32()?, end_doc: r.u32()?, first_terms: r.u32s()? };
                if run.id >= index.next_position_run || run.end_doc < self.run_end || run.end_doc as usize > self.rows || run.first_terms.iter().any(|&t| t as usize >= self.terms) || run.first_terms.windows(2).any(|w| w[0] > w[1]) {
                    return None;
                }
                self.run_end = run.end_doc;
                index.position_runs.push(run);
                self.next_item(Part::End);
            }
            Part::End => return None,
        }
        Some(())
    }

    /// Starts `part`, of `count` items (the part after it at once when it has none).
    fn begin(&mut self, part: Part, count: usize) {
        self.part = part;
        self.done = 0;
        self.count = count;
        if count == 0 {
            self.after_last();
        }
    }

    /// Counts an item read; after the last, the part `then` begins.
    fn next_item(&mut self, then: Part) {
        self.done += 1;
        if self.done == self.count {
            self.part = then;
        }
    }

    /// Moves past a part with no items left: the parts that are counts are read as items.
    fn after_last(&mut self) {
        self.part = match self.part {
            Part::Rows => Part::TermCount,
            Part::Terms => Part::FacetCount,
            Part::Facets => Part::RunCount,
            Part::Runs => Part::End,
            other => other,
        };
    }
}

impl Index {
    /// The index as bytes, without the texts (see [`Index::from_bytes`], [`Index::texts_to_bytes`]).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.bytes_len());
        self.to_chunks(1 << 20, |c| out.extend_from_slice(c));
        out
    }

    /// The length of [`Index::to_bytes`], without making them.
    pub fn bytes_len(&self) -> usize {
        let s = |x: &str| 4 + x.len();
        let rows: usize = self.rows.iter().map(|r| [&r.key, &r.reference_id, &r.subject, &r.created, &r.released, &r.classification, &r.origin].iter().map(|x| s(x)).sum::<usize>() + 16).sum();
        let terms: usize = self.terms.names().zip(&self.postings).map(|(n, p)| s(n) + 4 + p.docs.len() + 4 + p.positions.len() + 8).sum();
        let facets: usize = self.facets.iter().map(|c| 4 + c.values.iter().map(|v| s(v)).sum::<usize>() + 8 + 4 * (c.offsets.len() + c.ids.len())).sum();
        let runs: usize = self.position_runs.iter().map(|r| 12 + 4 * r.first_terms.len()).sum();
        4 + 4 + 4 + rows + 4 + terms + 4 + facets + 8 + runs
    }

    /// [`Index::to_bytes`] in pieces of about `chunk` bytes, so a large index is moved out of the
    /// Wasm memory without a second copy of it there.
    pub fn to_chunks(&self, chunk: usize, mut sink: impl FnMut(&[u8])) {
        let mut cursor = SnapshotCursor::default();
        while let Some(piece) = self.next_snapshot_piece(&mut cursor, chunk) {
            sink(&piece);
        }
    }

    /// The next piece of [`Index::to_bytes`] from `cursor` (about `piece` bytes; a long posting
    /// list or facet column may make it longer), `None` once all are given: the caller stores
    /// each piece before it makes the next, so a large index is never whole outside this memory.
    /// The index must not change between the pieces of one snapshot (see [`Index::changes`]).
    pub fn next_snapshot_piece(&self, cursor: &mut SnapshotCursor, piece: usize) -> Option<Vec<u8>> {
        let mut w = Writer(Vec::with_capacity(piece.min(1 << 24) + 64));
        while w.0.len() < piece.max(1) {
            match cursor.stage {
                0 => {
                    w.header(MAGIC, self.rows.len());
                    cursor.stage = 1;
                }
                1 => match self.rows.get(cursor.at) {
                    Some(r) => {
                        w.list_columns(r);
                        w.u64(r.fingerprint);
                        w.u32(u32::from(self.live[cursor.at]));
                        w.u32(self.doc_len[cursor.at]);
                        cursor.at += 1;
                    }
                    None => {
                        w.u32(self.terms.len() as u32);
                        *cursor = SnapshotCursor { stage: 2, ..SnapshotCursor::default() };
                    }
                },
                2 => match self.postings.get(cursor.at) {
                    Some(p) => {
                        w.str(self.terms.name(cursor.at as u32));
                        w.bytes(&p.docs);
                        w.bytes(&p.positions);
                        w.u32(p.last_doc);
                        w.u32(p.df);
                        cursor.at += 1;
                    }
                    None => {
                        w.u32(self.facets.len() as u32);
                        *cursor = SnapshotCursor { stage: 3, ..SnapshotCursor::default() };
                    }
                },
                3 => match self.facets.get(cursor.at) {
                    Some(col) => {
                        w.facet_values(col);
                        w.u32s(&col.offsets);
                        w.u32s(&col.ids);
                        cursor.at += 1;
                    }
                    None => {
                        // The runs of positions in storage.
                        w.u32(self.next_position_run);
                        w.u32(self.position_runs.len() as u32);
                        for run in &self.position_runs {
                            w.u32(run.id);
                            w.u32(run.end_doc);
                            w.u32s(&run.first_terms);
                        }
                        cursor.stage = 4;
                    }
                },
                _ => break,
            }
        }
        (!w.0.is_empty()).then_some(w.0)
    }

    /// The texts snippets quote, as bytes (see [`Index::set_texts_from_bytes`]).
    pub fn texts_to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.texts_bytes_len());
        self.texts_to_chunks(1 << 20, |c| out.extend_from_slice(c));
        out
    }

    /// The length of [`Index::texts_to_bytes`].
    pub fn texts_bytes_len(&self) -> usize {
        12 + self.texts.iter().map(|t| t.len() + 4).sum::<usize>()
    }

    /// [`Index::texts_to_bytes`] in pieces of about `chunk` bytes, so the texts (most of a large
    /// library's memory) are never copied whole: the caller moves each piece out (to storage).
    pub fn texts_to_chunks(&self, chunk: usize, mut sink: impl FnMut(&[u8])) {
        let mut cursor = SnapshotCursor::default();
        while let Some(piece) = self.next_texts_piece(&mut cursor, chunk) {
            sink(&piece);
        }
    }

    /// The next piece of [`Index::texts_to_bytes`] from `cursor` (at most `piece` bytes, a text
    /// cut where the piece is full), as [`Index::next_snapshot_piece`].
    pub fn next_texts_piece(&self, cursor: &mut SnapshotCursor, piece: usize) -> Option<Vec<u8>> {
        let piece = piece.max(1);
        let mut w = Writer(Vec::with_capacity(piece.min(self.texts_bytes_len()) + 16));
        while w.0.len() < piece {
            match cursor.stage {
                0 => {
                    w.header(TEXTS_MAGIC, self.texts.len());
                    cursor.stage = 1;
                }
                1 => {
                    let Some(t) = self.texts.get(cursor.at) else {
                        cursor.stage = 2;
                        break;
                    };
                    // The length first (empty texts of deleted cables add up too), then as much of
                    // the text as fits.
                    if !cursor.begun {
                        w.u32(t.len() as u32);
                        cursor.begun = true;
                    }
                    let rest = &t.as_bytes()[cursor.within..];
                    let n = piece.saturating_sub(w.0.len()).min(rest.len());
                    w.0.extend_from_slice(&rest[..n]);
                    if n == rest.len() {
                        cursor.at += 1;
                        cursor.within = 0;
                        cursor.begun = false;
                    } else {
                        cursor.within += n;
                    }
                }
                _ => break,
            }
        }
        (!w.0.is_empty()).then_some(w.0)
    }

    /// Puts back the texts of an index reopened with [`Index::from_bytes`], from bytes written by
    /// [`Index::texts_to_bytes`] of the same index; false (texts unchanged) when they do not fit.
    /// Cables added since the reopening keep their own texts, deleted ones stay without.
    pub fn set_texts_from_bytes(&mut self, buf: &[u8]) -> bool {
        let mut d = TextsDecoder::new();
        d.feed(buf);
        d.finish().is_some_and(|texts| self.set_texts(texts))
    }

    /// Puts back texts read by a [`TextsDecoder`] (as [`Index::set_texts_from_bytes`]); false
    /// (texts unchanged) when there are more than cables.
    pub fn set_texts(&mut self, texts: Vec<Box<str>>) -> bool {
        if texts.len() > self.rows.len() {
            return false;
        }
        self.changes += 1;
        for (i, t) in texts.into_iter().enumerate() {
            if self.live[i] && self.texts[i].is_empty() {
                self.texts[i] = self.keep_text(t);
            }
        }
        true
    }

    /// The index with its texts as one buffer: a segment a parse worker sends, to be merged into
    /// the library's index with [`Index::merge_segment`].
    pub fn to_segment(&self) -> Vec<u8> {
        let index = self.to_bytes();
        let mut w = Writer(Vec::with_capacity(index.len() + self.texts_bytes_len() + 4));
        w.bytes(&index);
        w.0.extend_from_slice(&self.texts_to_bytes());
        w.0
    }

    /// Reads bytes written by [`Index::to_bytes`] of this version; `None` for anything else
    /// (another version, truncated or damaged bytes): the caller rebuilds the index. The texts
    /// are empty (snippets too) until [`Index::set_texts_from_bytes`].
    pub fn from_bytes(buf: &[u8]) -> Option<Index> {
        let mut d = SnapshotDecoder::new(buf.len());
        d.feed(buf);
        d.finish()
    }

    /// [`Index::from_bytes`] for `len` bytes read through `read(at, out)` (fills `out` from offset
    /// `at`; false past the end), a window at a time: the snapshot comes piece by piece from
    /// outside this memory (a JS buffer), never as a second copy in it.
    pub fn from_source(len: usize, mut read: impl FnMut(usize, &mut [u8]) -> bool) -> Option<Index> {
        let mut d = SnapshotDecoder::new(len);
        let mut window = vec![0u8; WINDOW.min(len)];
        let mut at = 0;
        while at < len {
            let n = WINDOW.min(len - at);
            if !read(at, &mut window[..n]) || !d.feed(&window[..n]) {
                return None;
            }
            at += n;
        }
        d.finish()
    }
}

/// A segment's bytes read in place (nothing copied, nothing hashed): checked whole before any of
/// it is merged, so a damaged segment changes nothing.
/// A posting list of a segment: name, docs stream, positions stream, last doc, df.
type TermView<'a> = (&'a str, &'a [u8], &'a [u8], u32, u32);

struct SegmentView<'a> {
    /// List columns, fingerprint, live, length.
    rows: Vec<([&'a str; 7], u64, bool, u32)>,
    terms: Vec<TermView<'a>>,
    /// Values, offsets and ids (little-endian u32s) per facet.
    facets: Vec<(Vec<&'a str>, Vec<u32>, &'a [u8])>,
    texts: Vec<&'a str>,
}

fn u32_at(b: &[u8], i: usize) -> u32 {
    u32::from_le_bytes([b[4 * i], b[4 * i + 1], b[4 * i + 2], b[4 * i + 3]])
}

impl<'a> SegmentView<'a> {
    fn read(buf: &'a [u8], facet_count: usize) -> Option<SegmentView<'a>> {
        let mut outer = Reader { buf, at: 0 };
        let index = outer.bytes()?;
        let mut r = Reader { buf: index, at: 0 };
        if r.take(4)? != MAGIC || r.u32()? != SNAPSHOT_VERSION {
            return None;
        }
        let n = r.u32()? as usize;
        if n > index.len() {
            return None;
        }
        let mut rows = Vec::with_capacity(n);
        for _ in 0..n {
            let cols = [r.str_ref()?, r.str_ref()?, r.str_ref()?, r.str_ref()?, r.str_ref()?, r.str_ref()?, r.str_ref()?];
            rows.push((cols, r.u64()?, r.u32()? == 1, r.u32()?));
        }
        let nt = r.u32()? as usize;
        if nt > index.len() {
            return None;
        }
        let mut terms = Vec::with_capacity(nt);
        for _ in 0..nt {
            let t = (r.str_ref()?, r.bytes()?, r.bytes()?, r.u32()?, r.u32()?);
            if t.4 > 0 && (t.1.is_empty() || t.3 as usize >= n) {
                return None;
            }
            terms.push(t);
        }
        if r.u32()? as usize != facet_count {
            return None;
        }
        let mut facets = Vec::with_capacity(facet_count);
        for _ in 0..facet_count {
            let nv = r.u32()? as usize;
            if nv > index.len() {
                return None;
            }
            let values: Vec<&str> = (0..nv).map(|_| r.str_ref()).collect::<Option<_>>()?;
            let offsets = r.u32s()?;
            let ids = r.u32s_ref()?;
            let count = ids.len() / 4;
            if offsets.len() != n + 1 || offsets.windows(2).any(|w| w[0] > w[1]) || offsets.last().is_some_and(|&l| l as usize > count) {
                return None;
            }
            if (0..count).any(|i| u32_at(ids, i) as usize >= nv) {
                return None;
            }
            facets.push((values, offsets, ids));
        }
        // A segment keeps all its positions: no runs.
        let _next_run = r.u32()?;
        if r.u32()? != 0 {
            return None;
        }
        if r.at != index.len() {
            return None;
        }
        let mut t = Reader { buf: &buf[outer.at..], at: 0 };
        if t.take(4)? != TEXTS_MAGIC || t.u32()? != SNAPSHOT_VERSION || t.u32()? as usize != n {
            return None;
        }
        let texts: Vec<&str> = (0..n).map(|_| t.str_ref()).collect::<Option<_>>()?;
        (t.at == t.buf.len()).then_some(SegmentView { rows, terms, facets, texts })
    }
}

impl Index {
    /// The number of cables in a segment written by [`Index::to_segment`]; `None` when the bytes
    /// are not a whole segment of this version.
    pub fn segment_len(buf: &[u8]) -> Option<usize> {
        SegmentView::read(buf, Facet::ALL.len()).map(|v| v.rows.len())
    }

    /// Merges a segment (cables a parse worker indexed on their own, [`Index::to_segment`]): its
    /// cables are appended as if added one by one — the postings are copied with one number
    /// rewritten each, nothing is tokenized again. Cable `i` of the segment is kept under
    /// `keys[i]` (which may differ from its key there: a further version) or left out when
    /// `keys[i]` is `None` (a duplicate; it stays as a deleted cable). A kept cable whose key is
    /// held already replaces it, as [`Index::add`] does. False, and nothing changed, when the
    /// bytes are not a segment.
    pub fn merge_segment(&mut self, buf: &[u8], keys: &[Option<String>]) -> bool {
        let Some(seg) = SegmentView::read(buf, self.facets.len()) else { return false };
        self.changes += 1;
        let base = self.rows.len() as u32;
        let n = seg.rows.len();
        for (i, (cols, fingerprint, live, len)) in seg.rows.into_iter().enumerate() {
            let [_, reference_id, subject, created, released, classification, origin] = cols.map(str::to_string);
            let mut row = Row { key: String::new(), reference_id, subject, created, released, classification, origin, fingerprint };
            match keys.get(i).cloned().flatten().filter(|_| live) {
                Some(key) => {
                    self.remove(&key);
                    self.by_key.insert(key.clone(), base + i as u32);
                    row.key = key;
                    self.live.push(true);
                    self.live_count += 1;
                    self.total_len += u64::from(len);
                    let text = self.keep_text(seg.texts[i].into());
                    self.texts.push(text);
                }
                None => {
                    row.key = cols[0].to_string();
                    self.live.push(false);
                    self.texts.push("".into());
                }
            }
            self.doc_len.push(len);
            self.rows.push(row);
        }
        for (name, docs, positions, last_doc, df) in seg.terms {
            let t = self.term_id(name);
            self.positions_held += positions.len();
            self.postings[t as usize].append_parts(base, docs, positions, last_doc, df);
        }
        for (col, (values, offsets, ids)) in self.facets.iter_mut().zip(seg.facets) {
            let map: Vec<u32> = values.iter().map(|v| col.intern(v)).collect();
            for d in 0..n {
                for k in offsets[d]..offsets[d + 1] {
                    col.ids.push(map[u32_at(ids, k as usize) as usize]);
                }
                col.offsets.push(col.ids.len() as u32);
            }
        }
        self.ranks.clear();
        true
    }
}
