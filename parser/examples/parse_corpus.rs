//! Parses the whole corpus N times (for profiling): `cargo run --release --example parse_corpus -- N`.
fn main() {
    let n: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(1);
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/cables");
    let texts: Vec<String> = std::fs::read_dir(dir).unwrap().map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap()).collect();
    let mut total = 0;
    for _ in 0..n {
        for t in &texts {
            total += cable_parser::parse(t).cables.len();
        }
    }
    println!("{total}");
}
