//! `cable replicate` writes a cables.csv that the parser reads back: every record, new ids for the
//! copies, text unchanged. Uses `../shared/corpus` (skipped with a message when absent).

use std::path::PathBuf;
use std::process::Command;

#[test]
fn replicated_csv_reads_back_with_new_ids() {
    let corpus = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/cables");
    if !corpus.exists() {
        eprintln!("skipping: ../shared/corpus is not beside the repository");
        return;
    }
    // A small folder: three real cables.
    let dir = std::env::temp_dir().join(format!("cable-replicate-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for id in ["09TRIPOLI748", "08BUENOSAIRES1706", "06KABUL3934"] {
        let src = corpus.join(format!("{id}.txt"));
        if src.exists() {
            std::fs::copy(&src, dir.join(format!("{id}.txt"))).unwrap();
        }
    }
    let out = dir.join("replica.csv");
    let status = Command::new(env!("CARGO_BIN_EXE_cable")).args(["replicate", dir.to_str().unwrap(), "--count", "7", "--out", out.to_str().unwrap()]).status().unwrap();
    assert!(status.success());
    let csv = std::fs::read_to_string(&out).unwrap();
    let parsed = cable_parser::parse(&csv);
    let ids: Vec<String> = parsed.cables.iter().map(|c| c.reference_id.clone().unwrap_or_default()).collect();
    assert_eq!(ids.len(), 7, "{ids:?}");
    let sources = std::fs::read_dir(&dir).unwrap().filter(|e| e.as_ref().unwrap().path().extension().is_some_and(|x| x == "txt")).count();
    assert_eq!(sources, 3);
    // Sorted sources: 06KABUL3934, 08BUENOSAIRES1706, 09TRIPOLI748; then copies with serial + 1,000,000.
    assert_eq!(ids, ["06KABUL3934", "08BUENOSAIRES1706", "09TRIPOLI748", "06KABUL1003934", "08BUENOSAIRES1001706", "09TRIPOLI1000748", "06KABUL2003934"]);
    let tripoli: Vec<_> = parsed.cables.iter().filter(|c| c.reference_id.as_deref().is_some_and(|r| r.starts_with("09TRIPOLI"))).collect();
    assert_eq!(tripoli[0].paragraphs.len(), tripoli[1].paragraphs.len());
    assert_eq!(tripoli[0].subject, tripoli[1].subject);
    // The raw file dates it by its date-time group (171049Z); the csv carries that date.
    assert_eq!(tripoli[0].created.as_deref(), Some("2009-09-17 10:49"));
    assert_eq!(tripoli[1].origin.as_deref(), Some("Embassy Tripoli"));
    std::fs::remove_dir_all(&dir).ok();
}
