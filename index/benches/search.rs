//! `cargo bench -p cable-index`: indexing throughput (MB/s of cable text) and search latency
//! (p50/p95 over a fixed query mix) on the corpus in `../shared/corpus`.

use cable_index::{Doc, Index, SearchRequest};
use std::time::Instant;

/// The query mix: words, phrases, prefixes, exclusions, fielded terms, facets.
pub const QUERIES: &[&str] = &[
    "qadhafi", "nuclear", "\"human rights\"", "iran* -israel", "tag:PREL", "origin:tripoli oil", "class:secret",
    "\"prime minister\" election", "TRIPOLI 677", "subject:visit", "corruption bank", "enrich*", "ref:09STATE",
    "-the", "terror* attack", "signer:clinton", "china trade", "\"foreign minister\"", "embassy", "pakistan taliban",
];

fn main() {
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/cables");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!("skipping: ../shared/corpus is not beside the repository");
        return;
    };
    let texts: Vec<String> = entries.filter_map(|e| std::fs::read_to_string(e.ok()?.path()).ok()).collect();
    let bytes: usize = texts.iter().map(String::len).sum();
    let t = Instant::now();
    let docs: Vec<Doc> = texts
        .iter()
        .filter_map(|t| {
            let p = cable_parser::parse(t);
            let c = p.cables.first()?;
            Some(Doc::from_cable(c.key().unwrap_or("X"), c))
        })
        .collect();
    let parse_s = t.elapsed().as_secs_f64();
    // As parse workers do: segments of 64 cables, built, sent as bytes, read back and merged.
    let (mut build, mut write, mut read, mut merge) = (0.0, 0.0, 0.0, 0.0);
    let mut merged = Index::new();
    for chunk in docs.chunks(64) {
        let t = Instant::now();
        let mut seg = Index::new();
        for d in chunk.iter().cloned() {
            seg.append(d);
        }
        build += t.elapsed().as_secs_f64();
        let t = Instant::now();
        let bytes = seg.to_segment();
        write += t.elapsed().as_secs_f64();
        let t = Instant::now();
        assert_eq!(Index::segment_len(&bytes), Some(chunk.len()));
        read += t.elapsed().as_secs_f64();
        let t = Instant::now();
        let keys: Vec<Option<String>> = chunk.iter().map(|d| Some(d.key.clone())).collect();
        assert!(merged.merge_segment(&bytes, &keys));
        merge += t.elapsed().as_secs_f64();
    }
    println!("segments of 64: build {:.0} ms, to bytes {:.0} ms, check {:.0} ms, merge {:.0} ms", build * 1e3, write * 1e3, read * 1e3, merge * 1e3);
    let t = Instant::now();
    let mut index = Index::new();
    for d in docs {
        index.add(d);
    }
    let index_s = t.elapsed().as_secs_f64();
    println!("cables: {}  text: {:.1} MB", index.len(), bytes as f64 / 1e6);
    println!("parse: {:.0} ms ({:.0} MB/s)  index: {:.0} ms ({:.0} MB/s)  heap ~{:.0} MB", parse_s * 1e3, bytes as f64 / 1e6 / parse_s, index_s * 1e3, bytes as f64 / 1e6 / index_s, index.heap_bytes() as f64 / 1e6);
    let m = index.memory_parts();
    println!("held: texts {:.1} MB, doc lists {:.1} MB, positions {:.1} MB, terms {:.1} MB ({} terms), rows {:.1} MB", m[0] as f64 / 1e6, m[1] as f64 / 1e6, m[2] as f64 / 1e6, m[3] as f64 / 1e6, index.term_count(), m[4] as f64 / 1e6);
    let mut times = Vec::new();
    for round in 0..5 {
        for q in QUERIES {
            let req = SearchRequest { query: (*q).into(), limit: 50, ..SearchRequest::default() };
            let t = Instant::now();
            let r = index.search(&req);
            let ms = t.elapsed().as_secs_f64() * 1e3;
            if round > 0 {
                times.push(ms);
            }
            if round == 0 {
                println!("  {:<32} {:>6} hits", q, r.total);
            }
        }
        let t = Instant::now();
        index.search(&SearchRequest { filters: vec![("origin".into(), vec!["Embassy Paris".into()]), ("year".into(), vec!["2009".into()])], ..SearchRequest::default() });
        if round > 0 {
            times.push(t.elapsed().as_secs_f64() * 1e3);
        }
    }
    times.sort_by(f64::total_cmp);
    let p = |q: f64| times[((times.len() as f64 - 1.0) * q).round() as usize];
    println!("search: {} runs  p50 {:.2} ms  p95 {:.2} ms  max {:.2} ms", times.len(), p(0.5), p(0.95), p(1.0));
}
