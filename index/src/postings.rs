//! Posting lists: for each term, the cables it occurs in with its frequency (one varint stream) and
//! its word positions (a second stream, read only for phrases). A cable in the first stream is
//! `delta << 1 | (tf == 1)`, followed by `tf` only when it is not 1 (most are): one byte for most
//! entries of a large library instead of two.

/// Appends `v` as a LEB128 varint.
pub(crate) fn put_varint(out: &mut Vec<u8>, mut v: u32) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Reads a LEB128 varint at `*i`, advancing it. A truncated stream reads as 0 (never panics).
pub(crate) fn get_varint(buf: &[u8], i: &mut usize) -> u32 {
    let mut v: u32 = 0;
    let mut shift = 0;
    while let Some(&b) = buf.get(*i) {
        *i += 1;
        if shift < 32 {
            v |= u32::from(b & 0x7f) << shift;
        }
        if b < 0x80 {
            break;
        }
        shift += 7;
    }
    v
}

/// Makes room for `extra` more bytes (an upper bound: an entry usually takes fewer), growing by a
/// quarter rather than doubling: the lists are most of a large library's memory, and doubling left
/// them 40% empty on average. The quarter comes on top of `extra`, so that the next entries fit:
/// growing to just `extra` made nearly every entry of a short list a reallocation.
fn reserve(v: &mut Vec<u8>, extra: usize) {
    if v.capacity() - v.len() < extra {
        v.reserve_exact(extra + (v.len() / 4).max(8));
    }
}

/// Makes room for `extra` more bytes, about all of which will be used (a segment's list copied
/// in): growing by `extra`, or by a quarter when that is more. A library's many one-cable terms
/// get a list of about their size.
fn reserve_for_copy(v: &mut Vec<u8>, extra: usize) {
    if v.capacity() - v.len() < extra {
        v.reserve_exact(extra.max(v.len() / 4).max(8));
    }
}

/// Appends one cable of a list: its distance from the previous cable and its term frequency.
fn put_entry(out: &mut Vec<u8>, delta: u32, tf: u32) {
    if tf == 1 {
        put_varint(out, delta << 1 | 1);
    } else {
        put_varint(out, delta << 1);
        put_varint(out, tf);
    }
}

/// One part of a list's positions: those of its cables numbered below `end` (and not in an
/// earlier part); `None` when the part could not be read.
#[derive(Debug, Clone, Copy)]
pub struct PositionPart<'a> {
    /// The first cable after this part.
    pub end: u32,
    /// The positions of the part's cables, one after the other as the list has them.
    pub bytes: Option<&'a [u8]>,
}

/// The occurrences of one term.
#[derive(Debug, Default, Clone)]
pub struct Posting {
    pub(crate) docs: Vec<u8>,
    pub(crate) positions: Vec<u8>,
    pub(crate) last_doc: u32,
    /// Number of cables the term occurs in (including deleted ones).
    pub df: u32,
}

impl Posting {
    /// Records the term in `doc` (greater than any doc added before) at `positions` (ascending).
    pub fn add(&mut self, doc: u32, positions: &[u32]) {
        let delta = if self.df == 0 { doc } else { doc - self.last_doc };
        reserve(&mut self.docs, 10);
        reserve(&mut self.positions, 5 * positions.len());
        put_entry(&mut self.docs, delta, positions.len() as u32);
        let mut prev = 0;
        for &p in positions {
            put_varint(&mut self.positions, p - prev);
            prev = p;
        }
        self.last_doc = doc;
        self.df += 1;
    }

    /// Every `(doc, tf)`.
    pub fn docs(&self) -> DocIter<'_> {
        DocIter { buf: &self.docs, i: 0, doc: 0, first: true }
    }

    /// Every doc with its positions: `(docs, offsets, positions)`, where doc `k`'s positions are
    /// `positions[offsets[k]..offsets[k+1]]`.
    pub fn with_positions(&self) -> (Vec<u32>, Vec<u32>, Vec<u32>) {
        self.with_positions_in_parts(&[PositionPart { end: u32::MAX, bytes: Some(&self.positions) }])
    }

    /// [`Posting::with_positions`] for a list whose positions are in parts, each holding those of
    /// the cables before its `end` (and after the part before it), in order: a large library keeps
    /// the older parts in storage ([`crate::stored_positions`]). The cables of a part without its
    /// bytes (it could not be read) are left out.
    pub fn with_positions_in_parts(&self, parts: &[PositionPart<'_>]) -> (Vec<u32>, Vec<u32>, Vec<u32>) {
        let mut docs = Vec::with_capacity(self.df as usize);
        let mut offsets = Vec::with_capacity(self.df as usize + 1);
        let mut positions = Vec::new();
        offsets.push(0);
        let (mut part, mut pi) = (0, 0);
        for (doc, tf) in self.docs() {
            while part < parts.len() && doc >= parts[part].end {
                part += 1;
                pi = 0;
            }
            let Some(this) = parts.get(part) else { break };
            let Some(bytes) = this.bytes else { continue };
            docs.push(doc);
            let mut p = 0;
            for _ in 0..tf {
                p = u32::wrapping_add(p, get_varint(bytes, &mut pi));
                positions.push(p);
            }
            offsets.push(positions.len() as u32);
        }
        (docs, offsets, positions)
    }

    /// Bytes of positions this list holds in memory.
    pub fn positions_len(&self) -> usize {
        self.positions.len()
    }

    /// Appends the list of a segment whose cables are numbered from `base` on here (all greater
    /// than any cable this list holds): one varint is rewritten, the rest is copied.
    pub fn append(&mut self, base: u32, other: &Posting) {
        self.append_parts(base, &other.docs, &other.positions, other.last_doc, other.df);
    }

    /// [`Posting::append`] from a list's parts (as a segment's bytes hold them).
    pub(crate) fn append_parts(&mut self, base: u32, docs: &[u8], positions: &[u8], last_doc: u32, df: u32) {
        if df == 0 || docs.is_empty() {
            return;
        }
        let mut i = 0;
        let head = get_varint(docs, &mut i);
        let first = base.saturating_add(head >> 1);
        let delta = if self.df == 0 { first } else { first.saturating_sub(self.last_doc) };
        reserve_for_copy(&mut self.docs, docs.len() + 5);
        reserve_for_copy(&mut self.positions, positions.len());
        // The first entry's delta changes; its tf (flag, or the varint after it) stays as it is.
        put_varint(&mut self.docs, delta << 1 | (head & 1));
        self.docs.extend_from_slice(&docs[i..]);
        self.positions.extend_from_slice(positions);
        self.last_doc = base.saturating_add(last_doc);
        self.df += df;
    }
}

/// Iterator over `(doc, tf)` of a posting list.
pub struct DocIter<'a> {
    buf: &'a [u8],
    i: usize,
    doc: u32,
    first: bool,
}

impl Iterator for DocIter<'_> {
    type Item = (u32, u32);
    fn next(&mut self) -> Option<(u32, u32)> {
        if self.i >= self.buf.len() {
            return None;
        }
        let head = get_varint(self.buf, &mut self.i);
        let delta = head >> 1;
        self.doc = if self.first { delta } else { self.doc.wrapping_add(delta) };
        self.first = false;
        let tf = if head & 1 == 1 { 1 } else { get_varint(self.buf, &mut self.i) };
        Some((self.doc, tf))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let mut p = Posting::default();
        p.add(0, &[1, 5, 300]);
        p.add(7, &[2]);
        p.add(100_000, &[0, 70_000]);
        assert_eq!(p.docs().collect::<Vec<_>>(), [(0, 3), (7, 1), (100_000, 2)]);
        // tf 1 is folded into the delta: cable 7 takes one byte.
        let far = (100_000u32 - 7) << 1;
        assert_eq!(p.docs, [0, 3, 7 << 1 | 1, (far & 0x7f) as u8 | 0x80, (far >> 7 & 0x7f) as u8 | 0x80, (far >> 14) as u8, 2]);
        let (d, o, pos) = p.with_positions();
        assert_eq!(d, [0, 7, 100_000]);
        assert_eq!(o, [0, 3, 4, 6]);
        assert_eq!(pos, [1, 5, 300, 2, 0, 70_000]);
    }

    #[test]
    fn appended_segment_reads_like_one_list() {
        let mut whole = Posting::default();
        whole.add(3, &[1, 9]);
        whole.add(10, &[4]);
        whole.add(12, &[0, 2]);
        let mut head = Posting::default();
        head.add(3, &[1, 9]);
        let mut seg = Posting::default();
        seg.add(0, &[4]);
        seg.add(2, &[0, 2]);
        head.append(10, &seg);
        assert_eq!(head.docs().collect::<Vec<_>>(), whole.docs().collect::<Vec<_>>());
        assert_eq!(head.with_positions(), whole.with_positions());
        assert_eq!((head.df, head.last_doc), (3, 12));
        // The same positions in two parts (cables before 10, then the rest), and with the first
        // part unreadable: its cables left out, the others still read right.
        let first = &whole.positions[..2];
        let rest = &whole.positions[2..];
        let parts = [PositionPart { end: 10, bytes: Some(first) }, PositionPart { end: u32::MAX, bytes: Some(rest) }];
        assert_eq!(whole.with_positions_in_parts(&parts), whole.with_positions());
        let parts = [PositionPart { end: 10, bytes: None }, PositionPart { end: u32::MAX, bytes: Some(rest) }];
        assert_eq!(whole.with_positions_in_parts(&parts), (vec![10, 12], vec![0, 1, 3], vec![4, 0, 2]));
        let mut empty = Posting::default();
        empty.append(5, &seg);
        assert_eq!(empty.docs().collect::<Vec<_>>(), [(5, 1), (7, 2)]);
    }
}
