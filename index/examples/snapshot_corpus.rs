//! Indexes the corpus and writes the index's bytes (`Index::to_bytes`, then the texts), for checking
//! that a change to indexing changes nothing it should not:
//! `cargo run --release -p cable-index --example snapshot_corpus -- FILE`, before and after, then `cmp`.
fn main() {
    let out = std::env::args().nth(1).expect("snapshot_corpus FILE");
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/cables");
    let mut files: Vec<_> = std::fs::read_dir(dir).expect("../shared/corpus/cables").filter_map(|e| Some(e.ok()?.path())).collect();
    files.sort();
    let mut index = cable_index::Index::new();
    for p in files {
        let text = std::fs::read_to_string(&p).unwrap();
        let parsed = cable_parser::parse(&text);
        if let Some(c) = parsed.cables.first() {
            index.add(cable_index::Doc::from_cable(c.key().unwrap_or("X"), c));
        }
    }
    let mut bytes = index.to_bytes();
    bytes.extend(index.texts_to_bytes());
    std::fs::write(out, bytes).unwrap();
}
