//! Self-contained share links on the real corpus (`../shared/corpus`; skipped with a message when
//! it is absent): every cable and every saved page, put into a link and opened again, gives the same
//! fields and paragraph anchors; prints how long the links are against the chosen limit.
#![cfg(not(target_arch = "wasm32"))]

use cable_reader::import::records_from_input;
use cable_reader::routes::{absolute_url, CableLink, Route};
use cable_reader::share::{decode_payload, encode_payload, portable_text, LINK_LIMIT};
use std::path::{Path, PathBuf};

fn inputs() -> Option<Vec<PathBuf>> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if !root.exists() {
        eprintln!("skipping: ../shared/corpus is not beside the repository");
        return None;
    }
    let mut paths = Vec::new();
    for e in std::fs::read_dir(root.join("cables")).ok()? {
        paths.push(e.ok()?.path());
    }
    for site in std::fs::read_dir(root.join("html")).ok()? {
        let site = site.ok()?.path();
        if site.is_dir() {
            for e in std::fs::read_dir(&site).ok()? {
                paths.push(e.ok()?.path());
            }
        }
    }
    paths.sort();
    Some(paths)
}

fn file_name(p: &Path) -> String {
    p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}

#[test]
fn every_corpus_cable_survives_a_share_link() {
    let Some(paths) = inputs() else { return };
    let mut lengths = Vec::new();
    let mut failures = Vec::new();
    for p in &paths {
        let bytes = std::fs::read(p).unwrap();
        let name = file_name(p);
        let text = cable_reader::import::decode_file(&name, &bytes).unwrap();
        let Ok(records) = records_from_input(&text, &name, Some(&name), 0.0) else { continue };
        for (rec, c) in records {
            let payload = encode_payload(&portable_text(&c));
            let route = Route::Cable(CableLink {
                paragraph: c.paragraphs.last().map(|p| p.id.clone()),
                text: Some(payload.clone()),
                ..CableLink::new(&rec.key, None)
            });
            let url = absolute_url("https://someone.github.io/cable-reader/", &route);
            lengths.push(url.len());
            // The recipient's side: the route read back from the fragment, the payload opened.
            let Route::Cable(CableLink { text: Some(back), id, .. }) = Route::from_hash(&url[url.find('#').unwrap()..]) else {
                failures.push(format!("{name}: link not read back"));
                continue;
            };
            assert_eq!(id, rec.key);
            let shared = decode_payload(&back).unwrap();
            let got = records_from_input(&shared, "shared link", None, 0.0).unwrap();
            if got.len() != 1 {
                failures.push(format!("{name}: {} cables in the shared text", got.len()));
                continue;
            }
            let (rec2, d) = &got[0];
            let mut differ = Vec::new();
            macro_rules! check {
                ($($f:ident),*) => {$(if d.$f != c.$f { differ.push(format!("{}: {:?} → {:?}", stringify!($f), c.$f, d.$f)); })*};
            }
            check!(reference_id, canonical_id, created, released, classification, origin, subject, tags, references, signers);
            if rec2.key != rec.key {
                differ.push(format!("key {} → {}", rec.key, rec2.key));
            }
            if !d.paragraphs.iter().map(|p| (&p.id, &p.text)).eq(c.paragraphs.iter().map(|p| (&p.id, &p.text))) {
                differ.push("paragraphs".to_string());
            }
            if !differ.is_empty() {
                failures.push(format!("{name}: {}", differ.join("; ")));
            }
        }
    }
    lengths.sort_unstable();
    let n = lengths.len();
    let fit = lengths.iter().filter(|&&l| l <= LINK_LIMIT).count();
    println!(
        "share links of {n} cables: median {} chars, p90 {}, p99 {}, max {}; {fit} ({:.1}%) within the {LINK_LIMIT}-character limit",
        lengths[n / 2],
        lengths[n * 9 / 10],
        lengths[n * 99 / 100],
        lengths[n - 1],
        100.0 * fit as f64 / n as f64
    );
    assert!(n > 8000, "only {n} cables read");
    assert!(failures.is_empty(), "{} of {n} differ:\n{}", failures.len(), failures.iter().take(30).cloned().collect::<Vec<_>>().join("\n"));
}
