//! Parser throughput compiled to Wasm, in headless Chromium: parses the shipped sample page (a
//! whole copied WikiLeaks page) and a raw cable built from it, many times, and prints MB/s. Run in
//! release for the figures in BENCHMARKS.md:
//! `CARGO_PROFILE_RELEASE_LTO=false cargo test --target wasm32-unknown-unknown --release --test wasm_bench`.
//! It prints; it asserts only that parsing worked (speed is a benchmark, not a test).

#![cfg(target_arch = "wasm32")]

use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const SEED: &str = include_str!("../public/samples/09TRIPOLI748-page.txt");

fn now_ms() -> f64 {
    js_sys::Date::now()
}

fn measure(name: &str, input: &str, rounds: usize) {
    let mut best = f64::MAX;
    for _ in 0..3 {
        let t = now_ms();
        let mut n = 0;
        for _ in 0..rounds {
            n += cable_parser::parse(input).cables.len();
        }
        assert_eq!(n, rounds);
        best = best.min(now_ms() - t);
    }
    let mb = (input.len() * rounds) as f64 / 1e6;
    web_sys::console::log_1(&format!("wasm bench {name}: {mb:.1} MB in {best:.0} ms = {:.1} MB/s", mb / (best / 1000.0)).into());
}

#[wasm_bindgen_test]
fn parser_throughput_in_wasm() {
    measure("seed page (copied WikiLeaks page)", SEED, 200);
    let raw = &SEED[SEED.find("VZCZC").unwrap()..];
    measure("raw cable text", raw, 200);
}
