//! Parses the whole corpus, for profiling and for checking that a change of the parser changes
//! nothing it should not:
//! - `cargo run --release --example parse_corpus -- N` parses the corpus N times;
//! - `cargo run --release --example parse_corpus -- dump FILE` writes one line per input (raw
//!   cables, saved pages, the csv sample) with its name and every parsed cable as JSON; two dumps
//!   from before and after a change are compared with `cmp`/`diff`.
use std::path::PathBuf;

/// The files under `../shared/corpus/DIR`, in sub-folders too, sorted.
fn files(dir: &str) -> Vec<PathBuf> {
    fn walk(dir: &std::path::Path, out: &mut Vec<PathBuf>) {
        for p in std::fs::read_dir(dir).into_iter().flatten().filter_map(|e| Some(e.ok()?.path())) {
            if p.is_dir() {
                walk(&p, out);
            } else {
                out.push(p);
            }
        }
    }
    let mut out = Vec::new();
    walk(&PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus").join(dir), &mut out);
    out.sort();
    out
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("dump") {
        use std::io::Write;
        let out = args.get(1).expect("dump FILE");
        let mut w = std::io::BufWriter::new(std::fs::File::create(out).unwrap());
        for p in files("cables").into_iter().chain(files("html")).chain(files("csv")) {
            let bytes = std::fs::read(&p).unwrap();
            let text = String::from_utf8_lossy(&bytes);
            let parsed = cable_parser::parse(&text);
            let name = p.to_string_lossy().rsplit("corpus/").next().unwrap_or_default().to_string();
            writeln!(w, "{name}\t{}", serde_json::to_string(&parsed.cables).unwrap()).unwrap();
        }
        return;
    }
    let n: usize = args.first().and_then(|a| a.parse().ok()).unwrap_or(1);
    let texts: Vec<String> = files("cables").iter().map(|p| std::fs::read_to_string(p).unwrap()).collect();
    let mut total = 0;
    for _ in 0..n {
        for t in &texts {
            total += cable_parser::parse(t).cables.len();
        }
    }
    println!("{total}");
}
