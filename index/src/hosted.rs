//! A published corpus: the index of a whole corpus cut into static files, so that a static host
//! (GitHub Pages) can serve it and a page fetches only what it needs, the way Pagefind shards its
//! index. Files (paths relative to the corpus folder):
//!
//! - `manifest.json` — a [`Manifest`]: counts, the first term of every term chunk, shard sizes;
//! - `columns.bin` — per cable: facet values, length, sort ranks (what facets, ranking and sorting
//!   need for every cable; fetched on first browse or search);
//! - `terms/<k>.bin` — term chunk `k`: the posting lists (cables, frequencies, positions) of a
//!   sorted range of terms; a search fetches the chunks of its words only;
//! - `rows/<k>.bin` — the list columns of cables `k·R … k·R+R-1`, fetched for the rows shown;
//! - `c/<first two characters>/<KEY>.txt` — each cable's text, in its portable form (written by the
//!   publisher's caller; see [`text_path`]), fetched when a cable is opened.
//!
//! Every `.bin` file is a zlib stream (static hosts seldom compress binary files themselves).
//!
//! [`HostedIndex`] answers the same [`SearchRequest`]s as a library [`Index`], with the same
//! results and counts (no snippets: the texts stay on the host until a cable is opened).

use crate::query::{Clause, Matcher};
use crate::snapshot::{ReadBytes, Reader, Writer};
use crate::postings::{get_varint, put_varint, Posting};
use crate::{parse_query, Index, ResultRow, SearchRequest, SearchResponse, SORT_KEYS};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Version of the published format; a page refuses a corpus of another version.
pub const FORMAT_VERSION: u32 = 2;
/// Target size of a term chunk (a chunk holds at least one term, however long its postings).
pub const CHUNK_BYTES: usize = 48 * 1024;
/// Cables per row shard.
pub const ROWS_PER_SHARD: usize = 25;

const COLUMNS_MAGIC: &[u8; 4] = b"CRCO";
const CHUNK_MAGIC: &[u8; 4] = b"CRCK";
const ROWS_MAGIC: &[u8; 4] = b"CRRW";

/// What a published corpus holds and how it is cut.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// [`FORMAT_VERSION`] of the files.
    pub version: u32,
    /// Cables.
    pub count: usize,
    /// The first term of every term chunk, in order (chunk `k` is `terms/<k>.bin`).
    pub chunks: Vec<String>,
    /// Cables per row shard.
    pub rows_per_shard: usize,
    /// Bytes of `columns.bin`.
    pub columns_bytes: usize,
}

/// Largest size a published file may expand to (guards against decompression bombs).
const MAX_FILE_BYTES: usize = 512 << 20;

fn pack(bytes: &[u8]) -> Vec<u8> {
    miniz_oxide::deflate::compress_to_vec_zlib(bytes, 6)
}

fn unpack(bytes: &[u8]) -> Option<Vec<u8>> {
    miniz_oxide::inflate::decompress_to_vec_zlib_with_limit(bytes, MAX_FILE_BYTES).ok()
}

/// Where a cable's text is published: `c/09/09TRIPOLI748.txt`.
pub fn text_path(key: &str) -> String {
    let dir: String = key.chars().take(2).filter(|c| c.is_ascii_alphanumeric()).collect();
    format!("c/{}/{key}.txt", if dir.is_empty() { "_".to_string() } else { dir })
}

/// Path of term chunk `k`.
pub fn chunk_path(k: usize) -> String {
    format!("terms/{k}.bin")
}

/// Path of the order of the cables by a sort key (`ranks/subject.bin`).
pub fn ranks_path(key: &str) -> String {
    format!("ranks/{key}.bin")
}

/// A rank per cable, as 3-byte little-endian numbers (a corpus has fewer than 16 million cables).
fn rank_bytes(rank: &[u32]) -> Vec<u8> {
    rank.iter().flat_map(|r| r.to_le_bytes()[..3].to_vec()).collect()
}

/// Reads [`rank_bytes`]; `None` unless it is a rank for each of `n` cables.
fn read_rank(bytes: &[u8], n: usize) -> Option<Vec<u32>> {
    if bytes.len() != n * 3 {
        return None;
    }
    let rank: Vec<u32> = bytes.chunks_exact(3).map(|b| u32::from(b[0]) | u32::from(b[1]) << 8 | u32::from(b[2]) << 16).collect();
    rank.iter().all(|&x| (x as usize) < n).then_some(rank)
}

/// Path of row shard `k`.
pub fn rows_path(k: usize) -> String {
    format!("rows/{k}.bin")
}

impl Index {
    /// Cuts the index into the files of a published corpus, handing each (path, bytes) to `write`;
    /// the caller writes `manifest.json` from the returned manifest and the texts at [`text_path`].
    /// Deleted cables are not published.
    pub fn publish(&mut self, mut write: impl FnMut(&str, &[u8])) -> Result<Manifest, String> {
        // Published cables are numbered densely: an index with deleted cables cannot be cut.
        if self.live_count != self.rows.len() {
            return Err("publish needs an index without deleted cables: build a fresh one".to_string());
        }
        // Positions moved to storage are not at hand here.
        if !self.position_runs().is_empty() {
            return Err("publish needs an index holding all its positions: build a fresh one".to_string());
        }
        let n = self.rows.len();
        // Columns.
        let mut w = Writer(Vec::new());
        w.0.extend_from_slice(COLUMNS_MAGIC);
        w.u32(FORMAT_VERSION);
        w.u32(n as u32);
        let mut v = Vec::with_capacity(n * 48);
        for &l in &self.doc_len {
            put_varint(&mut v, l);
        }
        w.bytes(&v);
        w.u32(self.facets.len() as u32);
        for col in &self.facets {
            w.facet_values(col);
            // Per cable: how many values, then their ids (varints: most cables have one small id).
            v.clear();
            for d in 0..n as u32 {
                let ids = col.of(d);
                put_varint(&mut v, ids.len() as u32);
                for &id in ids {
                    put_varint(&mut v, id);
                }
            }
            w.bytes(&v);
        }
        // The creation order (the default order, and relevance's tie-break); other orders are
        // fetched when a list is sorted by them.
        let created = self.rank("created").to_vec();
        w.bytes(&rank_bytes(&created));
        let packed = pack(&w.0);
        write("columns.bin", &packed);
        let columns_bytes = packed.len();
        for key in SORT_KEYS.iter().filter(|k| **k != "created") {
            let rank = self.rank(key).to_vec();
            write(&ranks_path(key), &pack(&rank_bytes(&rank)));
        }

        // Term chunks, in term order.
        let mut ids: Vec<u32> = (0..self.terms.len() as u32).collect();
        ids.sort_unstable_by(|a, b| self.terms.name(*a).cmp(self.terms.name(*b)));
        let mut chunks: Vec<String> = Vec::new();
        let mut entries = Writer(Vec::new());
        let mut in_chunk = 0u32;
        let mut flush = |entries: &mut Writer, in_chunk: &mut u32, k: usize| {
            let mut chunk = Writer(Vec::with_capacity(entries.0.len() + 12));
            chunk.0.extend_from_slice(CHUNK_MAGIC);
            chunk.u32(FORMAT_VERSION);
            chunk.u32(*in_chunk);
            chunk.0.extend_from_slice(&entries.0);
            write(&chunk_path(k), &pack(&chunk.0));
            entries.0.clear();
            *in_chunk = 0;
        };
        for &t in &ids {
            let name = self.terms.name(t);
            let p = &self.postings[t as usize];
            if in_chunk == 0 {
                chunks.push(name.to_string());
            }
            entries.str(name);
            entries.bytes(&p.docs);
            entries.bytes(&p.positions);
            entries.u32(p.last_doc);
            entries.u32(p.df);
            in_chunk += 1;
            if entries.0.len() >= CHUNK_BYTES {
                flush(&mut entries, &mut in_chunk, chunks.len() - 1);
            }
        }
        if in_chunk > 0 {
            flush(&mut entries, &mut in_chunk, chunks.len() - 1);
        }

        // Row shards.
        for (k, rows) in self.rows.chunks(ROWS_PER_SHARD).enumerate() {
            let mut w = Writer(Vec::new());
            w.0.extend_from_slice(ROWS_MAGIC);
            w.u32(FORMAT_VERSION);
            w.u32(rows.len() as u32);
            for r in rows {
                w.list_columns(r);
            }
            write(&rows_path(k), &pack(&w.0));
        }
        Ok(Manifest { version: FORMAT_VERSION, count: n, chunks, rows_per_shard: ROWS_PER_SHARD, columns_bytes })
    }
}

/// A published corpus as a page holds it: the columns of every cable, and the term chunks and row
/// shards fetched so far. The caller fetches what [`HostedIndex::files_for`] and
/// [`HostedIndex::row_files_for`] name, then searches.
#[derive(Debug)]
pub struct HostedIndex {
    /// The corpus' manifest.
    pub manifest: Manifest,
    index: Index,
    loaded_chunks: Vec<bool>,
    rows: HashMap<u32, ResultRow>,
    loaded_rows: Vec<bool>,
}

impl HostedIndex {
    /// Opens a corpus from its manifest and `columns.bin`; `None` when they do not fit together
    /// or are of another version.
    pub fn open(manifest: Manifest, columns: &[u8]) -> Option<HostedIndex> {
        if manifest.version != FORMAT_VERSION || manifest.rows_per_shard == 0 {
            return None;
        }
        let columns = &unpack(columns)?[..];
        let mut r = Reader { buf: columns, at: 0 };
        if r.take(4)? != COLUMNS_MAGIC || r.u32()? != FORMAT_VERSION {
            return None;
        }
        let n = r.u32()? as usize;
        if n != manifest.count {
            return None;
        }
        let mut index = Index::new();
        let lens = r.bytes()?;
        let mut i = 0;
        index.doc_len = (0..n).map(|_| get_varint(lens, &mut i)).collect();
        if i != lens.len() {
            return None;
        }
        index.live = vec![true; n];
        index.live_count = n;
        index.total_len = index.doc_len.iter().map(|&l| u64::from(l)).sum();
        if r.u32()? as usize != index.facets.len() {
            return None;
        }
        for col in index.facets.iter_mut() {
            let mut c = r.facet_values()?;
            let values = c.values.len();
            let per_doc = r.bytes()?;
            let mut i = 0;
            c.offsets = Vec::with_capacity(n + 1);
            c.offsets.push(0);
            for _ in 0..n {
                let k = get_varint(per_doc, &mut i) as usize;
                if k > per_doc.len() {
                    return None;
                }
                for _ in 0..k {
                    let id = get_varint(per_doc, &mut i);
                    if id as usize >= values {
                        return None;
                    }
                    c.ids.push(id);
                }
                c.offsets.push(c.ids.len() as u32);
            }
            if i != per_doc.len() {
                return None;
            }
            *col = c;
        }
        index.ranks.insert("created", read_rank(r.bytes()?, n)?);
        if r.at != columns.len() {
            return None;
        }
        let shards = n.div_ceil(manifest.rows_per_shard);
        Some(HostedIndex { loaded_chunks: vec![false; manifest.chunks.len()], loaded_rows: vec![false; shards], manifest, index, rows: HashMap::new() })
    }

    /// Cables in the corpus.
    pub fn len(&self) -> usize {
        self.manifest.count
    }

    /// True for a corpus without cables.
    pub fn is_empty(&self) -> bool {
        self.manifest.count == 0
    }

    fn chunk_of(&self, term: &str) -> usize {
        self.manifest.chunks.partition_point(|first| first.as_str() <= term).saturating_sub(1)
    }

    /// The files a search needs that are not loaded yet (term chunks of its words, the order of
    /// its sort column): fetch each and hand it to [`HostedIndex::add_file`], then search.
    pub fn files_for(&self, req: &SearchRequest) -> Vec<String> {
        let mut paths: Vec<String> = self.chunks_for(req).into_iter().map(chunk_path).collect();
        let sort = req.sort.trim().trim_start_matches('-');
        if let Some(key) = SORT_KEYS.iter().find(|k| **k == sort) {
            if !self.index.ranks.contains_key(key) {
                paths.push(ranks_path(key));
            }
        }
        paths
    }

    fn chunks_for(&self, req: &SearchRequest) -> Vec<usize> {
        let query = parse_query(&req.query);
        let mut need = Vec::new();
        if self.manifest.chunks.is_empty() {
            return need;
        }
        for Clause { field, matcher, .. } in &query.clauses {
            match matcher {
                Matcher::Word(w) => need.push(self.chunk_of(&Index::term_key(*field, w))),
                Matcher::Phrase(ws) => need.extend(ws.iter().map(|w| self.chunk_of(&Index::term_key(*field, w)))),
                Matcher::Prefix(p) => {
                    let p = Index::term_key(*field, p);
                    let start = self.chunk_of(&p);
                    let end = self.manifest.chunks.partition_point(|f| f.as_str() < p.as_str() || f.starts_with(p.as_str()));
                    need.extend(start..end.max(start + 1));
                }
            }
        }
        need.sort_unstable();
        need.dedup();
        need.retain(|&k| !self.loaded_chunks.get(k).copied().unwrap_or(true));
        need
    }

    /// The row shards the rows of a response need that are not loaded yet (then
    /// [`HostedIndex::fill_rows`]).
    pub fn row_files_for(&self, resp: &SearchResponse) -> Vec<String> {
        let mut need: Vec<usize> = resp.rows.iter().map(|r| r.doc as usize / self.manifest.rows_per_shard).filter(|&k| !self.loaded_rows.get(k).copied().unwrap_or(true)).collect();
        need.sort_unstable();
        need.dedup();
        need.into_iter().map(rows_path).collect()
    }

    /// Adds a fetched file (as [`HostedIndex::files_for`] or [`HostedIndex::row_files_for`] named
    /// it); an error says what was wrong, and nothing is added.
    pub fn add_file(&mut self, path: &str, bytes: &[u8]) -> Result<(), String> {
        let bad = || format!("{path} of the hosted corpus is damaged or of another version ({} bytes)", bytes.len());
        let unpacked = unpack(bytes).ok_or_else(bad)?;
        let bytes = &unpacked[..];
        let number = |prefix: &str| path.strip_prefix(prefix).and_then(|r| r.strip_suffix(".bin")).and_then(|k| k.parse::<usize>().ok());
        if let Some(k) = number("terms/") {
            return if self.add_chunk(k, bytes) { Ok(()) } else { Err(bad()) };
        }
        if let Some(k) = number("rows/") {
            return if self.add_row_shard(k, bytes) { Ok(()) } else { Err(bad()) };
        }
        if let Some(key) = path.strip_prefix("ranks/").and_then(|r| r.strip_suffix(".bin")) {
            let key = SORT_KEYS.iter().find(|k| **k == key).ok_or_else(bad)?;
            let rank = read_rank(bytes, self.manifest.count).ok_or_else(bad)?;
            self.index.ranks.insert(key, rank);
            return Ok(());
        }
        Err(format!("{path} is not a file of a hosted corpus"))
    }

    /// Adds a fetched term chunk; false (and nothing added) when the bytes are not that chunk.
    fn add_chunk(&mut self, k: usize, bytes: &[u8]) -> bool {
        if k >= self.loaded_chunks.len() || self.loaded_chunks[k] {
            return k < self.loaded_chunks.len();
        }
        let Some(entries) = read_chunk(bytes, self.manifest.count) else { return false };
        for (name, p) in entries {
            let id = self.index.term_id(&name);
            self.index.postings[id as usize] = p;
        }
        self.loaded_chunks[k] = true;
        true
    }

    /// Searches with the files loaded (fetch [`HostedIndex::files_for`] first); rows whose shard is
    /// loaded are filled, the others carry only their number (fetch
    /// [`HostedIndex::row_files_for`], then [`HostedIndex::fill_rows`]).
    pub fn search(&mut self, req: &SearchRequest) -> SearchResponse {
        let mut r = self.index.search(req);
        self.fill_rows(&mut r);
        r
    }

    /// Adds a fetched row shard; false when the bytes are not that shard.
    fn add_row_shard(&mut self, k: usize, bytes: &[u8]) -> bool {
        if k >= self.loaded_rows.len() {
            return false;
        }
        let mut r = Reader { buf: bytes, at: 0 };
        let rows = (|| {
            if r.take(4)? != ROWS_MAGIC || r.u32()? != FORMAT_VERSION {
                return None;
            }
            let count = r.u32()? as usize;
            let first = k * self.manifest.rows_per_shard;
            if count > self.manifest.rows_per_shard || first + count > self.manifest.count {
                return None;
            }
            let mut rows = Vec::with_capacity(count);
            for i in 0..count {
                let [key, reference_id, subject, created, released, classification, origin] = r.list_columns()?;
                rows.push(ResultRow { doc: (first + i) as u32, key, reference_id, subject, created, released, classification, origin, snippet: Vec::new() });
            }
            (r.at == bytes.len()).then_some(rows)
        })();
        let Some(rows) = rows else { return false };
        for row in rows {
            self.rows.insert(row.doc, row);
        }
        self.loaded_rows[k] = true;
        true
    }

    /// Fills the rows of a response from the loaded row shards.
    pub fn fill_rows(&self, resp: &mut SearchResponse) {
        for row in resp.rows.iter_mut() {
            if row.key.is_empty() {
                if let Some(full) = self.rows.get(&row.doc) {
                    *row = full.clone();
                }
            }
        }
    }
}

/// Reads a term chunk: `(term, posting)` pairs; `None` for anything else (damaged, another
/// version, postings pointing past the corpus).
fn read_chunk(bytes: &[u8], count: usize) -> Option<Vec<(String, Posting)>> {
    let mut r = Reader { buf: bytes, at: 0 };
    if r.take(4)? != CHUNK_MAGIC || r.u32()? != FORMAT_VERSION {
        return None;
    }
    let n = r.u32()? as usize;
    if n > bytes.len() {
        return None;
    }
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        let name = r.string()?;
        let p = Posting { docs: r.bytes()?.to_vec(), positions: r.bytes()?.to_vec(), last_doc: r.u32()?, df: r.u32()? };
        if p.last_doc as usize >= count.max(1) || p.df as usize > count {
            return None;
        }
        // Docs ascending and in the corpus, one position at least per occurrence (a damaged
        // stream could name other cables or promise billions of positions).
        let mut prev: Option<u32> = None;
        let mut occurrences = 0usize;
        for (d, tf) in p.docs() {
            if d as usize >= count || prev.is_some_and(|x| d <= x) {
                return None;
            }
            prev = Some(d);
            occurrences += tf as usize;
            if occurrences > p.positions.len() {
                return None;
            }
        }
        out.push((name, p));
    }
    (r.at == bytes.len()).then_some(out)
}
