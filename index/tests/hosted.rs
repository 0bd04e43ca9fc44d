//! A published corpus answers like the library index it was cut from: on the real corpus
//! (`../shared/corpus`; skipped with a message when absent), every query form, facet choice, sort
//! and page gives the same total, counts and rows; damaged files are refused.

mod common;

use cable_index::hosted::{chunk_path, rows_path, HostedIndex, Manifest};
use cable_index::{Index, SearchRequest, SearchResponse};
use common::corpus_docs;
use std::collections::HashMap;

fn published() -> Option<(Index, HashMap<String, Vec<u8>>, Manifest)> {
    let docs = corpus_docs()?;
    let mut index = Index::new();
    for d in docs {
        index.add(d);
    }
    let mut files = HashMap::new();
    let manifest = index.publish(|path, bytes| {
        files.insert(path.to_string(), bytes.to_vec());
    }).unwrap();
    // The manifest travels as JSON.
    let manifest: Manifest = serde_json::from_str(&serde_json::to_string(&manifest).unwrap()).unwrap();
    Some((index, files, manifest))
}

/// Searches the published corpus as a page does, counting the bytes it fetches.
fn hosted_search(h: &mut HostedIndex, files: &HashMap<String, Vec<u8>>, req: &SearchRequest, fetched: &mut usize) -> SearchResponse {
    for path in h.files_for(req) {
        let bytes = &files[&path];
        *fetched += bytes.len();
        h.add_file(&path, bytes).unwrap();
    }
    let mut r = h.search(req);
    for path in h.row_files_for(&r) {
        let bytes = &files[&path];
        *fetched += bytes.len();
        h.add_file(&path, bytes).unwrap();
    }
    h.fill_rows(&mut r);
    r
}

fn strip_snippets(mut r: SearchResponse) -> SearchResponse {
    for row in r.rows.iter_mut() {
        row.snippet.clear();
    }
    r
}

#[test]
fn published_corpus_answers_like_the_library_index() {
    let Some((mut index, files, manifest)) = published() else { return };
    let total_bytes: usize = files.values().map(Vec::len).sum();
    let columns = &files["columns.bin"];
    let mut h = HostedIndex::open(manifest.clone(), columns).expect("columns open");
    assert_eq!(h.len(), index.len());
    let mut fetched = columns.len();
    let first = SearchRequest { query: "qadhafi".into(), ..SearchRequest::default() };
    let r = hosted_search(&mut h, &files, &first, &mut fetched);
    println!(
        "published {} cables: {} files, {} bytes (without texts); {} term chunks; first search fetched {} bytes (columns {} + chunks and rows)",
        h.len(), files.len(), total_bytes, manifest.chunks.len(), fetched, columns.len()
    );
    assert!(r.total > 0);

    let requests: Vec<SearchRequest> = [
        ("", vec![], ""),
        ("", vec![("origin", vec!["Embassy Tripoli", "Embassy Paris"])], "-released"),
        ("qadhafi", vec![], ""),
        ("\"human rights\" dialogue", vec![], ""),
        ("nucl* -iran", vec![("year", vec!["2009"])], ""),
        ("tag:PREL origin:\"Embassy Ankara\"", vec![], "subject"),
        ("class:secret", vec![("tag", vec!["PGOV"])], "-id"),
        ("TRIPOLI 677", vec![], ""),
        ("ref:09STATE12345 OR", vec![], ""),
        ("signer:clinton", vec![], "class"),
        ("z*", vec![], "origin"),
        ("oil gas", vec![("class", vec!["CONFIDENTIAL"]), ("text", vec!["Full text"])], "-created"),
    ]
    .into_iter()
    .flat_map(|(q, f, sort)| {
        [0, 50].map(|offset| SearchRequest {
            query: q.to_string(),
            filters: f.iter().map(|(k, v)| (k.to_string(), v.iter().map(|x| x.to_string()).collect())).collect(),
            sort: sort.to_string(),
            offset,
            limit: 50,
            expand: vec!["origin".into()],
        })
    })
    .collect();
    for req in &requests {
        let want = strip_snippets(index.search(req));
        let got = hosted_search(&mut h, &files, req, &mut fetched);
        assert_eq!(got.total, want.total, "{req:?}");
        assert_eq!(got.facets, want.facets, "{req:?}");
        assert_eq!(got.rows, want.rows, "{req:?}");
        assert_eq!(got.sort, want.sort);
    }
}

#[test]
fn damaged_files_are_refused() {
    let Some((_, files, manifest)) = published() else { return };
    let columns = &files["columns.bin"];
    assert!(HostedIndex::open(manifest.clone(), &columns[..columns.len() - 3]).is_none());
    assert!(HostedIndex::open(Manifest { count: manifest.count + 1, ..manifest.clone() }, columns).is_none());
    assert!(HostedIndex::open(Manifest { version: 99, ..manifest.clone() }, columns).is_none());
    let mut h = HostedIndex::open(manifest.clone(), columns).unwrap();
    let chunk = &files[&chunk_path(0)];
    assert!(h.add_file(&chunk_path(0), &chunk[..chunk.len() / 2]).is_err(), "a truncated chunk");
    assert!(h.add_file(&chunk_path(0), b"<html>404</html>").is_err(), "a page instead of a chunk");
    assert!(h.add_file("terms/x.bin", chunk).is_err());
    assert!(h.add_file("../etc/passwd", chunk).is_err());
    assert!(h.add_file(&chunk_path(0), chunk).is_ok());
    // An altered chunk is refused or read without harm (never a panic, never a cable outside the corpus).
    let mut altered = chunk.clone();
    for b in altered.iter_mut().skip(40).step_by(97) {
        *b ^= 0x5a;
    }
    let mut h2 = HostedIndex::open(manifest.clone(), columns).unwrap();
    if h2.add_file(&chunk_path(0), &altered).is_ok() {
        let r = h2.search(&SearchRequest { query: "a*".into(), ..SearchRequest::default() });
        assert!(r.total <= manifest.count);
    }
    let rows = &files[&rows_path(0)];
    assert!(h.add_file(&rows_path(0), &rows[..rows.len() - 1]).is_err());
    assert!(h.add_file(&rows_path(1_000_000), rows).is_err());
    assert!(h.add_file(&rows_path(0), rows).is_ok());
    assert!(h.add_file("ranks/subject.bin", &[1, 2, 3]).is_err());
}
