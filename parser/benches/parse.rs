//! `cargo bench -p cable-parser`: parser throughput over the corpus (`../shared/corpus/cables`),
//! single-threaded, in MB/s. Also times the seed page and large synthetic inputs.

use std::hint::black_box;
use std::path::PathBuf;
use std::time::Instant;

fn corpus() -> Option<Vec<String>> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/cables");
    let mut files: Vec<_> = std::fs::read_dir(&dir).ok()?.filter_map(|e| e.ok()).map(|e| e.path()).collect();
    files.sort();
    Some(files.iter().map(|p| std::fs::read_to_string(p).unwrap()).collect())
}

/// Runs `f` over `inputs` `rounds` times and reports the best round's throughput.
fn measure(name: &str, inputs: &[String], rounds: usize, f: impl Fn(&str) -> usize) {
    let bytes: usize = inputs.iter().map(String::len).sum();
    let mut best = f64::MAX;
    for _ in 0..rounds {
        let t = Instant::now();
        let mut n = 0;
        for s in inputs {
            n += f(black_box(s));
        }
        black_box(n);
        best = best.min(t.elapsed().as_secs_f64());
    }
    println!("{name:<40} {:>8.1} MB in {:>8.1} ms  {:>8.1} MB/s", bytes as f64 / 1e6, best * 1e3, bytes as f64 / 1e6 / best);
}

fn main() {
    let parse = |s: &str| cable_parser::parse(s).cables.len();
    match corpus() {
        Some(texts) => measure("corpus (6,717 cables), parse", &texts, 5, parse),
        None => println!("SKIPPED corpus bench: ../shared/corpus/cables not found"),
    }
    let seed = include_str!("../../public/samples/09TRIPOLI748-page.txt").to_string();
    measure("seed page (copied WikiLeaks page)", &vec![seed; 200], 5, parse);
    let long_line = format!("UNCLAS STATE 000001\nSUBJECT: X\n\n1. {}\n", "word ".repeat(200_000));
    measure("one 1 MB line", &[long_line], 3, parse);
    let blanks = format!("UNCLAS STATE 000001\nSUBJECT: X\n{}1. (U) end\n", "\n".repeat(100_000));
    measure("100,000 blank lines", &[blanks], 3, parse);
    let refs: String = (0..1000).map(|i| format!("REF: STATE {i}\n")).collect();
    measure("1,000 REF lines", &[format!("UNCLAS STATE 000001\nSUBJECT: X\n{refs}\n1. (U) end\n")], 3, parse);
    let labels = format!("UNCLAS STATE 000001\nSUBJECT: X\n{}\n", "XREF:".repeat(200_000));
    measure("a 1 MB line of XREF: labels", &[labels], 3, parse);
    let summaries = format!("UNCLAS STATE 000001\nSUBJECT: X\n{}\n", "X SUMMARY ".repeat(100_000));
    measure("a 1 MB line of SUMMARY words", &[summaries], 3, parse);
}
