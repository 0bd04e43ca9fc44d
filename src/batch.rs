//! A parsed batch: what a parse worker made of a group of files (the keys and fingerprints of its
//! cables, an index segment of them, the files it could not read), as one byte buffer the library
//! worker receives without a copy (the buffer is transferred). The records to store travel beside
//! it, already made into the objects IndexedDB stores.

use crate::import::text_fingerprint;
use crate::protocol::Failure;
use crate::storage::StoredCable;
use cable_index::{Doc, Index};
use cable_parser::Cable;

const MAGIC: &[u8; 4] = b"CRPB";

/// A batch as the library worker takes it.
#[derive(Debug)]
pub struct ParsedBatch {
    /// Each cable's key and its text's fingerprint, in the order the files came.
    pub records: Vec<(String, u64)>,
    /// Inputs that yielded nothing, with the reason.
    pub failures: Vec<Failure>,
    /// Bytes of input the batch covers (for progress).
    pub bytes: f64,
    /// The buffer; the batch's index segment (its cables indexed on their own, in the order of
    /// `records`, see [`Index::merge_segment`]) is its tail from `segment_at`.
    buf: Vec<u8>,
    segment_at: usize,
}

/// Builds a batch cable by cable: each is indexed as it comes, so the parsed cables need not be
/// kept until the end.
#[derive(Default)]
pub struct BatchBuilder {
    records: Vec<(StoredCable, u64)>,
    failures: Vec<Failure>,
    bytes: f64,
    segment: Index,
}

impl BatchBuilder {
    /// An empty batch.
    pub fn new() -> Self {
        BatchBuilder { segment: Index::new(), ..Default::default() }
    }

    /// Adds the cables read from one input.
    pub fn add(&mut self, records: Vec<(StoredCable, Cable)>) {
        for (rec, cable) in records {
            let fingerprint = text_fingerprint(&cable);
            let mut doc = Doc::from_cable(&rec.key, &cable);
            doc.fingerprint = fingerprint;
            self.segment.append(doc);
            self.records.push((rec, fingerprint));
        }
    }

    /// Records an input that yielded nothing.
    pub fn fail(&mut self, source: &str, reason: String) {
        self.failures.push(Failure { source: source.to_string(), reason });
    }

    /// Counts input bytes covered.
    pub fn count_bytes(&mut self, bytes: f64) {
        self.bytes += bytes;
    }

    /// The batch as bytes (read with [`ParsedBatch::from_bytes`]), and the records to store, in
    /// the same order.
    pub fn finish(self) -> (Vec<u8>, Vec<StoredCable>) {
        let segment = self.segment.to_segment();
        let mut out = Vec::with_capacity(segment.len() + self.records.len() * 40 + self.failures.len() * 200 + 64);
        out.extend_from_slice(MAGIC);
        put_u32(&mut out, self.records.len() as u32);
        for (r, fp) in &self.records {
            put_str(&mut out, &r.key);
            out.extend_from_slice(&fp.to_le_bytes());
        }
        put_u32(&mut out, self.failures.len() as u32);
        for f in &self.failures {
            put_str(&mut out, &f.source);
            put_str(&mut out, &f.reason);
        }
        out.extend_from_slice(&self.bytes.to_le_bytes());
        out.extend_from_slice(&segment);
        (out, self.records.into_iter().map(|(r, _)| r).collect())
    }
}

fn put_u32(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    put_u32(out, s.len() as u32);
    out.extend_from_slice(s.as_bytes());
}

struct Reader<'a> {
    buf: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let s = self.buf.get(self.at..self.at.checked_add(n)?)?;
        self.at += n;
        Some(s)
    }
    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }
    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }
    fn f64(&mut self) -> Option<f64> {
        Some(f64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }
    fn string(&mut self) -> Option<String> {
        let n = self.u32()? as usize;
        String::from_utf8(self.take(n)?.to_vec()).ok()
    }
}

impl ParsedBatch {
    /// The index segment of the batch's cables.
    pub fn segment(&self) -> &[u8] {
        &self.buf[self.segment_at..]
    }

    /// Reads [`BatchBuilder::finish`]; `None` for anything else (truncated, damaged, another build).
    pub fn from_bytes(buf: Vec<u8>) -> Option<ParsedBatch> {
        let mut r = Reader { buf: &buf, at: 0 };
        if r.take(4)? != MAGIC {
            return None;
        }
        let n = r.u32()? as usize;
        if n > buf.len() {
            return None;
        }
        let mut records = Vec::with_capacity(n);
        for _ in 0..n {
            records.push((r.string()?, r.u64()?));
        }
        let nf = r.u32()? as usize;
        if nf > buf.len() {
            return None;
        }
        let mut failures = Vec::with_capacity(nf);
        for _ in 0..nf {
            failures.push(Failure { source: r.string()?, reason: r.string()? });
        }
        let bytes = r.f64()?;
        let segment_at = r.at;
        (Index::segment_len(&buf[segment_at..]) == Some(records.len())).then_some(ParsedBatch { records, failures, bytes, buf, segment_at })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::records_from_input;

    const SEED: &str = include_str!("../public/samples/09TRIPOLI748-page.txt");

    #[test]
    fn a_batch_reads_back_with_its_records_failures_and_segment() {
        let mut b = BatchBuilder::new();
        b.add(records_from_input(SEED, "a.txt", Some("a.txt"), 5.0).unwrap());
        // Two cables in one input: each keeps its metadata.
        let two = format!("{}\n\n{}", &SEED[SEED.find("VZCZC").unwrap()..], &SEED[SEED.find("VZCZC").unwrap()..].replace("TRIPOLI 000748", "TRIPOLI 000749"));
        b.add(records_from_input(&two, "b.txt", None, 6.0).unwrap());
        b.fail("c.bin", "c.bin is a binary file".into());
        b.count_bytes(1234.0);
        let (bytes, stored) = b.finish();
        let back = ParsedBatch::from_bytes(bytes.clone()).expect("reads back");
        assert_eq!(back.records.len(), 3);
        assert_eq!(stored.len(), 3);
        assert_eq!(stored[0].original, SEED);
        assert_eq!(back.records[0].0, "09TRIPOLI748");
        assert_eq!(stored[0].key, "09TRIPOLI748");
        assert!(stored[0].meta.is_none() && stored[1].meta.is_some());
        assert_eq!(stored[1].source, "b.txt");
        assert_eq!(stored[1].added_ms, 6.0);
        assert_eq!(back.records[1].0, back.records[0].0, "two texts of one cable keep one key until placed");
        assert_eq!(back.records[0].1, back.records[1].1, "the page and its raw text: one text (a duplicate when placed)");
        assert_ne!(back.records[1].1, back.records[2].1);
        assert_ne!(back.records[0].1, 0);
        assert_eq!(back.failures, vec![Failure { source: "c.bin".into(), reason: "c.bin is a binary file".into() }]);
        assert_eq!(back.bytes, 1234.0);
        // The segment holds the three cables (two texts of 09TRIPOLI748 stay two).
        let mut index = Index::new();
        let keys: Vec<Option<String>> = vec![Some("09TRIPOLI748".into()), Some("09TRIPOLI748_v2".into()), Some("09TRIPOLI749".into())];
        assert!(index.merge_segment(back.segment(), &keys));
        assert_eq!(index.len(), 3);
        let req = cable_index::SearchRequest { query: "qadhafi".into(), ..Default::default() };
        assert_eq!(index.search(&req).total, 3);
        // Damaged bytes are refused.
        for cut in [0, 3, 10, bytes.len() / 2, bytes.len() - 1] {
            assert!(ParsedBatch::from_bytes(bytes[..cut].to_vec()).is_none(), "cut at {cut}");
        }
    }
}
