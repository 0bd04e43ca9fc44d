//! Gives the app a build id: a hash of the sources of the app, the parser and the index, so it
//! changes exactly when the code does. The page starts its worker with it (see
//! `public/worker-start.js`), so caches never pair a page and a worker of different builds.
//!
//! For the Wasm parser bench only (`tests/wasm_bench.rs`), with `CABLE_WASM_BENCH_CORPUS=1` set:
//! the corpus cables (`../shared/corpus/cables`), each as a 4-byte length and its text, in
//! `OUT_DIR/bench-corpus.bin` (empty otherwise, and when the corpus is absent). Nothing of the
//! corpus goes into the repository or into the app.

use std::path::Path;

fn hash_dir(dir: &Path, h: &mut u64) {
    let Ok(rd) = std::fs::read_dir(dir) else { return };
    let mut entries: Vec<_> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            hash_dir(&p, h);
        } else if let Ok(bytes) = std::fs::read(&p) {
            for b in p.to_string_lossy().bytes().chain(bytes) {
                *h ^= u64::from(b);
                *h = h.wrapping_mul(0x100000001b3);
            }
        }
    }
}

fn main() {
    let mut h: u64 = 0xcbf29ce484222325;
    for dir in ["src", "parser/src", "index/src", "public", "Cargo.lock"] {
        println!("cargo:rerun-if-changed={dir}");
        let p = Path::new(dir);
        if p.is_file() {
            if let Ok(bytes) = std::fs::read(p) {
                for b in bytes {
                    h ^= u64::from(b);
                    h = h.wrapping_mul(0x100000001b3);
                }
            }
        } else {
            hash_dir(p, &mut h);
        }
    }
    println!("cargo:rustc-env=BUILD_ID={h:016x}");
    bench_corpus();
}

fn bench_corpus() {
    println!("cargo:rerun-if-env-changed=CABLE_WASM_BENCH_CORPUS");
    let out = Path::new(&std::env::var("OUT_DIR").unwrap_or_default()).join("bench-corpus.bin");
    let mut blob = Vec::new();
    if std::env::var("CABLE_WASM_BENCH_CORPUS").is_ok_and(|v| v == "1") {
        let dir = Path::new("../shared/corpus/cables");
        let mut files: Vec<_> = std::fs::read_dir(dir).map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect()).unwrap_or_default();
        files.sort();
        for p in files {
            if let Ok(text) = std::fs::read(&p) {
                blob.extend_from_slice(&(text.len() as u32).to_le_bytes());
                blob.extend_from_slice(&text);
            }
        }
    }
    // Written only when changed, so an unchanged blob does not rebuild the test.
    if std::fs::read(&out).ok().as_deref() != Some(&blob[..]) {
        let _ = std::fs::write(&out, &blob);
    }
}
