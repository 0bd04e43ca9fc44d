//! The reader's indexing path on the corpus, phase by phase, for counting instructions
//! (`valgrind --tool=callgrind`) and checking that a change to indexing changes no byte:
//! parse workers build segments of 200 cables ([`Index::append`]) and write them
//! ([`Index::to_segment`]); the library worker merges them ([`Index::merge_segment`]).
//!
//! `cargo run --release -p cable-index --example index_phases -- [dump FILE]`: prints each phase's
//! time; with `dump FILE`, writes the merged index's bytes and texts to FILE (compare with `cmp`).
use cable_index::{Doc, Index};
use std::time::Instant;

/// Cables per segment, as the reader's parse workers make them.
const SEGMENT: usize = 200;

#[inline(never)]
fn build_segments(docs: &[Doc]) -> Vec<Index> {
    docs.chunks(SEGMENT)
        .map(|chunk| {
            let mut seg = Index::new();
            for d in chunk {
                seg.append(d.clone());
            }
            seg
        })
        .collect()
}

#[inline(never)]
fn write_segments(segments: &[Index]) -> Vec<Vec<u8>> {
    segments.iter().map(Index::to_segment).collect()
}

#[inline(never)]
fn merge_segments(bytes: &[Vec<u8>], docs: &[Doc]) -> Index {
    let mut index = Index::new();
    for (buf, chunk) in bytes.iter().zip(docs.chunks(SEGMENT)) {
        let keys: Vec<Option<String>> = chunk.iter().map(|d| Some(d.key.clone())).collect();
        assert!(index.merge_segment(buf, &keys));
    }
    index
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/cables");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!("skipping: ../shared/corpus is not beside the repository");
        return;
    };
    let mut files: Vec<_> = entries.filter_map(|e| Some(e.ok()?.path())).collect();
    files.sort();
    let texts: Vec<String> = files.iter().filter_map(|p| std::fs::read_to_string(p).ok()).collect();
    let docs: Vec<Doc> = texts
        .iter()
        .filter_map(|t| {
            let parsed = cable_parser::parse(t);
            let c = parsed.cables.first()?;
            Some(Doc::from_cable(c.key().unwrap_or("X"), c))
        })
        .collect();
    let mb = docs.iter().map(|d| d.text.len()).sum::<usize>() as f64 / 1e6;
    let t = Instant::now();
    let segments = build_segments(&docs);
    let build = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let bytes = write_segments(&segments);
    let write = t.elapsed().as_secs_f64();
    drop(segments);
    let t = Instant::now();
    let index = merge_segments(&bytes, &docs);
    let merge = t.elapsed().as_secs_f64();
    println!(
        "{} cables, {mb:.1} MB of searched text: build {:.0} ms ({:.0} MB/s), write {:.0} ms, merge {:.0} ms",
        index.len(),
        build * 1e3,
        mb / build,
        write * 1e3,
        merge * 1e3
    );
    if let (Some("dump"), Some(out)) = (args.get(1).map(String::as_str), args.get(2)) {
        let mut out_bytes = index.to_bytes();
        out_bytes.extend(index.texts_to_bytes());
        std::fs::write(out, out_bytes).expect("write the dump");
    }
}
