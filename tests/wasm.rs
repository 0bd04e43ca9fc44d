//! Tests that run in headless Chromium (wasm-bindgen-test): the parser compiled to Wasm, and the
//! library's storage in a real IndexedDB.

#![cfg(target_arch = "wasm32")]

use cable_reader::import::{cable_from_record, records_from_input};
use cable_reader::storage;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const SEED: &str = include_str!("../public/samples/09TRIPOLI748-page.txt");

#[wasm_bindgen_test]
fn parser_reads_the_seed_page_in_wasm() {
    let parsed = cable_parser::parse(SEED);
    assert_eq!(parsed.cables.len(), 1);
    let c = &parsed.cables[0];
    assert_eq!(c.reference_id.as_deref(), Some("09TRIPOLI748"));
    assert_eq!(c.paragraphs.len(), 19);
    assert_eq!(c.paragraphs[4].id, "par5");
    assert_eq!(c.origin.as_deref(), Some("Embassy Tripoli"));
}

#[wasm_bindgen_test]
async fn library_round_trips_through_indexeddb() {
    let name = format!("cable-reader-test-{}", js_sys::Math::random());
    let db = storage::open_named(&name).await.expect("open");
    let recs = records_from_input(SEED, "paste", None, 1.0).expect("records");
    let stored: Vec<_> = recs.into_iter().map(|(r, _)| r).collect();
    storage::put_all(&db, &stored).await.expect("put");
    let back = storage::get_all(&db).await.expect("get");
    assert_eq!(back.len(), 1);
    assert_eq!(back[0].original, SEED, "the original text is stored verbatim");
    let cable = cable_from_record(&back[0]).expect("re-parse");
    assert_eq!(cable.paragraphs.len(), 19);
    storage::delete(&db, "09TRIPOLI748").await.expect("delete");
    assert!(storage::get_all(&db).await.expect("get").is_empty());
    storage::put_all(&db, &stored).await.expect("put");
    storage::clear(&db).await.expect("clear");
    assert!(storage::get_all(&db).await.expect("get").is_empty());
    db.close();
}

#[wasm_bindgen_test]
async fn index_snapshot_round_trips_through_indexeddb() {
    let name = format!("cable-reader-test-{}", js_sys::Math::random());
    let db = storage::open_named(&name).await.expect("open");
    assert_eq!(storage::get_snapshot(&db, "index").await.expect("read"), None, "no snapshot in a new library");
    let recs = records_from_input(SEED, "paste", None, 1.0).expect("records");
    let mut index = cable_index::Index::new();
    for (rec, cable) in &recs {
        index.add(cable_index::Doc::from_cable(&rec.key, cable));
    }
    let stored: Vec<_> = recs.into_iter().map(|(r, _)| r).collect();
    storage::put_all(&db, &stored).await.expect("put");
    storage::put_snapshot(&db, &index.to_bytes(), &index.texts_to_bytes()).await.expect("save");
    let bytes = storage::get_snapshot(&db, "index").await.expect("read").expect("a snapshot");
    let mut back = cable_index::Index::from_bytes(&bytes).expect("reads back");
    let req = cable_index::SearchRequest { query: "\"human rights\" tag:PREL".into(), ..Default::default() };
    assert_eq!(back.search(&req).total, 1);
    let texts = storage::get_snapshot(&db, "texts").await.expect("read").expect("the texts");
    assert!(back.set_texts_from_bytes(&texts));
    assert!(!back.search(&req).rows[0].snippet.is_empty(), "snippets once the texts are back");
    assert_eq!(storage::all_keys(&db).await.expect("keys"), vec!["09TRIPOLI748".to_string()]);
    // In many small pieces (as a large library's ~1 GB is stored in 32 MB ones), read back piece
    // by piece: the same bytes, the same index; a missing piece is a missing snapshot.
    let (bytes, texts) = (index.to_bytes(), index.texts_to_bytes());
    let mut w = storage::SnapshotWriter::begin_with_pieces_of(&db, 1000).expect("begin");
    w.part("index").expect("part");
    for chunk in bytes.chunks(777) {
        w.write(chunk).expect("write");
    }
    w.part("texts").expect("part");
    w.write(&texts).expect("write");
    w.finish().await.expect("save");
    let pieces = storage::get_snapshot_pieces(&db, "index").await.expect("read").expect("pieces");
    assert_eq!(pieces.len(), bytes.len().div_ceil(1000));
    let (len, read) = storage::pieces_source(&pieces);
    assert_eq!(len, bytes.len());
    let again = cable_index::Index::from_source(len, read).expect("reads back from pieces");
    assert!(again.to_bytes() == bytes);
    assert_eq!(storage::get_snapshot(&db, "texts").await.expect("read").expect("texts"), texts);
    let del = db.transaction_with_str_and_mode("snapshot", web_sys::IdbTransactionMode::Readwrite).unwrap();
    del.object_store("snapshot").unwrap().delete(&"index-00001".into()).unwrap();
    wasm_bindgen_futures::JsFuture::from(js_sys::Promise::new(&mut |ok, _| del.set_oncomplete(Some(&ok)))).await.unwrap();
    assert!(storage::get_snapshot_pieces(&db, "index").await.expect("read").is_none(), "a piece missing");
    db.close();
}
