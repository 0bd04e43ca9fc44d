//! Parser and index throughput compiled to Wasm, in headless Chromium: parses the shipped sample
//! page (a whole copied WikiLeaks page) and a raw cable built from it, many times, then parses and
//! indexes 400 numbered copies of the raw cable as an import does, and prints MB/s (best and
//! median of 7 rounds after a warm-up round, so the figures are of optimised code, not of the
//! browser's baseline compiler). Run in release for the figures in BENCHMARKS.md:
//! `CARGO_PROFILE_RELEASE_LTO=false cargo test --target wasm32-unknown-unknown --release --test wasm_bench -- --nocapture`.
//! It prints; it asserts only that parsing worked (speed is a benchmark, not a test).
//!
//! With `CABLE_WASM_BENCH_CORPUS=1` set at build time, it also parses the 6,717 corpus cables
//! (compiled into the test binary by `build.rs` from `../shared`; 54 MB), the input the native
//! `cargo bench -p cable-parser` reports: telegram text wrapped at ~70 columns, slower per byte
//! than the seed.

#![cfg(target_arch = "wasm32")]

use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const SEED: &str = include_str!("../public/samples/09TRIPOLI748-page.txt");

fn now_ms() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map_or_else(js_sys::Date::now, |p| p.now())
}

/// Work per round: the full bench in release; a smoke run in a debug build (the test command runs
/// it unoptimised, where the full bench would hold the browser past the test runner's timeout).
const SCALE: usize = if cfg!(debug_assertions) { 1 } else { 20 };
const ROUNDS: usize = if cfg!(debug_assertions) { 1 } else { 7 };

/// Runs `round` (which returns the bytes it handled) once to warm up, then [`ROUNDS`] times;
/// prints MB/s (best and median).
fn measure(name: &str, mut round: impl FnMut() -> usize) {
    round();
    let mut times = Vec::new();
    let mut bytes = 0;
    for _ in 0..ROUNDS {
        let t = now_ms();
        bytes = round();
        times.push(now_ms() - t);
    }
    times.sort_by(f64::total_cmp);
    let mb = bytes as f64 / 1e6;
    web_sys::console::log_1(
        &format!("wasm bench {name}: {mb:.1} MB, best {:.1} ms = {:.1} MB/s, median {:.1} MB/s", times[0], mb / (times[0] / 1000.0), mb / (times[times.len() / 2] / 1000.0)).into(),
    );
}

/// The corpus cables, if compiled in (see the module doc): each a 4-byte length and its text.
static CORPUS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/bench-corpus.bin"));

fn corpus_texts() -> Vec<&'static str> {
    let mut out = Vec::new();
    let mut rest = CORPUS;
    while rest.len() >= 4 {
        let n = u32::from_le_bytes([rest[0], rest[1], rest[2], rest[3]]) as usize;
        let Some(text) = rest.get(4..4 + n) else { break };
        // The bench needs text, as the worker would have it after decoding: lossy for odd bytes.
        if let Ok(t) = std::str::from_utf8(text) {
            out.push(t);
        }
        rest = &rest[4 + n..];
    }
    out
}

#[wasm_bindgen_test]
fn corpus_parse_throughput_in_wasm() {
    let texts = corpus_texts();
    if texts.is_empty() {
        web_sys::console::log_1(&"wasm bench corpus: SKIPPED (build with CABLE_WASM_BENCH_CORPUS=1 and ../shared present)".into());
        return;
    }
    let n = texts.len();
    measure(&format!("parse: corpus ({n} cables)"), || {
        let mut parsed = 0;
        for t in &texts {
            parsed += cable_parser::parse(t).cables.len();
        }
        assert!(parsed >= n);
        texts.iter().map(|t| t.len()).sum()
    });
    // The import's indexing, as parse workers and the library worker do it: segments of 200
    // cables built and written, then merged into one index. MB/s of the cables' input text.
    let docs: Vec<(cable_index::Doc, usize)> = texts
        .iter()
        .filter_map(|t| {
            let parsed = cable_parser::parse(t);
            let c = parsed.cables.first()?;
            Some((cable_index::Doc::from_cable(c.key().unwrap_or("X"), c), t.len()))
        })
        .collect();
    measure(&format!("index: corpus ({} cables) in segments of 200, merged", docs.len()), || {
        let mut index = cable_index::Index::new();
        for chunk in docs.chunks(200) {
            let mut segment = cable_index::Index::new();
            for (d, _) in chunk {
                segment.append(d.clone());
            }
            let keys: Vec<Option<String>> = chunk.iter().map(|(d, _)| Some(d.key.clone())).collect();
            assert!(index.merge_segment(&segment.to_segment(), &keys));
        }
        assert!(index.len() > 6000);
        docs.iter().map(|(_, n)| n).sum()
    });
}

#[wasm_bindgen_test]
fn parser_and_index_throughput_in_wasm() {
    let raw = &SEED[SEED.find("VZCZC").unwrap()..];
    let times = 10 * SCALE;
    for (name, input) in [("parse: seed page (copied WikiLeaks page)", SEED), ("parse: raw cable text", raw)] {
        measure(&format!("{name} x{times}"), || {
            let mut n = 0;
            for _ in 0..times {
                n += cable_parser::parse(input).cables.len();
            }
            assert_eq!(n, times);
            input.len() * times
        });
    }
    // As an import does: parse, then index; 400 cables with their own serials.
    let copies: Vec<String> = (0..20 * SCALE).map(|i| raw.replace("TRIPOLI 000748", &format!("TRIPOLI {:06}", 1000 + i))).collect();
    let bytes: usize = copies.iter().map(String::len).sum();
    measure(&format!("parse + index: {} raw cables", copies.len()), || {
        let mut index = cable_index::Index::new();
        for c in &copies {
            let parsed = cable_parser::parse(c);
            let cable = &parsed.cables[0];
            let key = cable.canonical_id.clone().unwrap_or_default();
            index.add(cable_index::Doc::from_cable(&key, cable));
        }
        assert_eq!(index.len(), copies.len());
        bytes
    });
}
