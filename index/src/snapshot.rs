//! The index as bytes, so a library can be stored with its index and reopened without parsing and
//! indexing every cable again. Two parts: the index proper ([`Index::to_bytes`]: what searches,
//! facets and lists need) and the texts snippets quote ([`Index::texts_to_bytes`]), so a page can
//! reopen the index first and show facets before the texts, two thirds of the bytes, are read.
//! The format is private to this version: the readers refuse bytes of another version (the caller
//! rebuilds).

use crate::facets::FacetColumn;
use crate::postings::Posting;
use crate::{Index, Row};

/// Changes whenever the parser, the index or this format changes what a snapshot holds.
pub const SNAPSHOT_VERSION: u32 = 3;
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
    pub(crate) fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }
    pub(crate) fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }
    pub(crate) fn bytes(&mut self) -> Option<&'a [u8]> {
        let n = self.u32()? as usize;
        self.take(n)
    }
    pub(crate) fn string(&mut self) -> Option<String> {
        std::str::from_utf8(self.bytes()?).ok().map(str::to_string)
    }
    pub(crate) fn u32s(&mut self) -> Option<Vec<u32>> {
        let n = self.u32()? as usize;
        if n > self.buf.len() / 4 {
            return None;
        }
        (0..n).map(|_| self.u32()).collect()
    }
}

impl Reader<'_> {
    /// Reads [`Writer::list_columns`], in the same order.
    pub(crate) fn list_columns(&mut self) -> Option<[String; 7]> {
        Some([self.string()?, self.string()?, self.string()?, self.string()?, self.string()?, self.string()?, self.string()?])
    }

    /// Reads [`Writer::facet_values`]: a column with its values and no cables yet.
    pub(crate) fn facet_values(&mut self) -> Option<FacetColumn> {
        let n = self.u32()? as usize;
        if n > self.buf.len() {
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

impl Index {
    /// The index as bytes, without the texts (see [`Index::from_bytes`], [`Index::texts_to_bytes`]).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer(Vec::with_capacity(self.heap_bytes() + 1024));
        w.0.extend_from_slice(MAGIC);
        w.u32(SNAPSHOT_VERSION);
        w.u32(self.rows.len() as u32);
        for (r, (live, len)) in self.rows.iter().zip(self.live.iter().zip(&self.doc_len)) {
            w.list_columns(r);
            w.u64(r.fingerprint);
            w.u32(u32::from(*live));
            w.u32(*len);
        }
        w.u32(self.term_names.len() as u32);
        for (name, p) in self.term_names.iter().zip(&self.postings) {
            w.str(name);
            w.bytes(&p.docs);
            w.bytes(&p.positions);
            w.u32(p.last_doc);
            w.u32(p.df);
        }
        w.u32(self.facets.len() as u32);
        for col in &self.facets {
            w.facet_values(col);
            w.u32s(&col.offsets);
            w.u32s(&col.ids);
        }
        w.0
    }

    /// The texts snippets quote, as bytes (see [`Index::set_texts_from_bytes`]).
    pub fn texts_to_bytes(&self) -> Vec<u8> {
        let mut w = Writer(Vec::with_capacity(self.texts.iter().map(|t| t.len() + 4).sum::<usize>() + 12));
        w.0.extend_from_slice(TEXTS_MAGIC);
        w.u32(SNAPSHOT_VERSION);
        w.u32(self.texts.len() as u32);
        for t in &self.texts {
            w.str(t);
        }
        w.0
    }

    /// Puts back the texts of an index reopened with [`Index::from_bytes`], from bytes written by
    /// [`Index::texts_to_bytes`] of the same index; false (texts unchanged) when they do not fit.
    /// Cables added since the reopening keep their own texts, deleted ones stay without.
    pub fn set_texts_from_bytes(&mut self, buf: &[u8]) -> bool {
        let read = || -> Option<Vec<Box<str>>> {
            let mut r = Reader { buf, at: 0 };
            if r.take(4)? != TEXTS_MAGIC || r.u32()? != SNAPSHOT_VERSION {
                return None;
            }
            let n = r.u32()? as usize;
            if n > self.rows.len() {
                return None;
            }
            let texts: Option<Vec<Box<str>>> = (0..n).map(|_| r.string().map(String::into_boxed_str)).collect();
            texts.filter(|_| r.at == buf.len())
        };
        let Some(texts) = read() else { return false };
        for (i, t) in texts.into_iter().enumerate() {
            if self.live[i] && self.texts[i].is_empty() {
                self.texts[i] = t;
            }
        }
        true
    }

    /// The index with its texts as one buffer: a segment a parse worker sends for
    /// [`Index::merge`] (read back with [`Index::from_segment`]).
    pub fn to_segment(&self) -> Vec<u8> {
        let index = self.to_bytes();
        let mut w = Writer(Vec::with_capacity(index.len() + self.texts.iter().map(|t| t.len() + 4).sum::<usize>() + 16));
        w.bytes(&index);
        w.0.extend_from_slice(&self.texts_to_bytes());
        w.0
    }

    /// Reads [`Index::to_segment`]; `None` for anything else.
    pub fn from_segment(buf: &[u8]) -> Option<Index> {
        let mut r = Reader { buf, at: 0 };
        let mut index = Index::from_bytes(r.bytes()?)?;
        index.set_texts_from_bytes(&buf[r.at..]).then_some(index)
    }

    /// Puts back the text of one cable that has none (an index reopened without its texts).
    pub fn set_text(&mut self, key: &str, text: String) {
        if let Some(&d) = self.by_key.get(key) {
            if self.live[d as usize] && self.texts[d as usize].is_empty() {
                self.texts[d as usize] = text.into_boxed_str();
            }
        }
    }

    /// Reads bytes written by [`Index::to_bytes`] of this version; `None` for anything else
    /// (another version, truncated or damaged bytes): the caller rebuilds the index. The texts
    /// are empty (snippets too) until [`Index::set_texts_from_bytes`].
    pub fn from_bytes(buf: &[u8]) -> Option<Index> {
        let mut r = Reader { buf, at: 0 };
        if r.take(4)? != MAGIC || r.u32()? != SNAPSHOT_VERSION {
            return None;
        }
        let mut index = Index::new();
        let n = r.u32()? as usize;
        for id in 0..n {
            let [key, reference_id, subject, created, released, classification, origin] = r.list_columns()?;
            let row = Row { key, reference_id, subject, created, released, classification, origin, fingerprint: r.u64()? };
            let live = r.u32()? == 1;
            let len = r.u32()?;
            if live {
                index.by_key.insert(row.key.clone(), id as u32);
                index.live_count += 1;
                index.total_len += u64::from(len);
            }
            index.rows.push(row);
            index.texts.push("".into());
            index.live.push(live);
            index.doc_len.push(len);
        }
        let terms = r.u32()? as usize;
        for id in 0..terms {
            let name: Box<str> = r.string()?.into_boxed_str();
            let p = Posting { docs: r.bytes()?.to_vec(), positions: r.bytes()?.to_vec(), last_doc: r.u32()?, df: r.u32()? };
            index.terms.insert(name.clone(), id as u32);
            index.term_names.push(name);
            index.postings.push(p);
        }
        let cols = r.u32()? as usize;
        if cols != index.facets.len() {
            return None;
        }
        for col in index.facets.iter_mut() {
            let mut c = r.facet_values()?;
            let values = c.values.len();
            c.offsets = r.u32s()?;
            c.ids = r.u32s()?;
            if c.offsets.len() != n + 1 || c.ids.iter().any(|&v| v as usize >= values) {
                return None;
            }
            *col = c;
        }
        (r.at == buf.len()).then_some(index)
    }
}
