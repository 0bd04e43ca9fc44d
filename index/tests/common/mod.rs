//! The corpus as index documents, shared by the integration tests.

use cable_index::Doc;
use std::collections::HashSet;
use std::path::PathBuf;

/// Every corpus cable (`../shared/corpus/cables`) as a [`Doc`], one per key; `None` (with a message)
/// when the corpus is not beside the repository.
pub fn corpus_docs() -> Option<Vec<Doc>> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/cables");
    if !dir.exists() {
        eprintln!("skipping: ../shared/corpus is not beside the repository");
        return None;
    }
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir).ok()?.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    let mut docs = Vec::new();
    let mut seen = HashSet::new();
    for p in paths {
        let text = std::fs::read_to_string(&p).ok()?;
        let parsed = cable_parser::parse(&text);
        let Some(c) = parsed.cables.first() else { continue };
        let key = c.key().unwrap_or("NONE").to_string();
        if seen.insert(key.clone()) {
            docs.push(Doc::from_cable(&key, c));
        }
    }
    Some(docs)
}
