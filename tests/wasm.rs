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
fn messages_cross_as_json_bytes_and_read_back_whole() {
    use cable_reader::protocol::{from_js, to_js, FromWorker};
    use wasm_bindgen::JsCast;
    let row = cable_index::ResultRow { key: "09TRIPOLI748".into(), subject: "Qadhafi — “non”, ¶ 5".into(), ..Default::default() };
    let response = cable_index::SearchResponse { total: 3, rows: vec![row], ..Default::default() };
    let msg = FromWorker::Results { seq: 7, response, took_ms: 1.5, more: false };
    let value = to_js(&msg).unwrap();
    assert!(value.is_instance_of::<js_sys::Uint8Array>(), "a message is bytes");
    assert_eq!(from_js::<FromWorker>(&value).unwrap(), msg);
    // The same JSON as a string is read too; anything else is refused with a reason.
    let text = String::from_utf8(js_sys::Uint8Array::new(&value).to_vec()).unwrap();
    assert_eq!(from_js::<FromWorker>(&wasm_bindgen::JsValue::from_str(&text)).unwrap(), msg);
    assert!(from_js::<FromWorker>(&wasm_bindgen::JsValue::from_f64(3.0)).is_err());
    assert!(from_js::<FromWorker>(&js_sys::Uint8Array::from(&b"{not json"[..]).into()).is_err());
    // An answer whose later snippets follow, and those snippets.
    let with_more = FromWorker::Results { seq: 8, response: Default::default(), took_ms: 2.0, more: true };
    assert_eq!(from_js::<FromWorker>(&to_js(&with_more).unwrap()).unwrap(), with_more);
    let seg = |text: &str, hit| cable_index::Segment { text: text.into(), hit };
    let later = FromWorker::Snippets { seq: 8, rows: vec![(23, vec![seg("… the ", false), seg("oil", true)]), (49, vec![])] };
    assert_eq!(from_js::<FromWorker>(&to_js(&later).unwrap()).unwrap(), later);
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

/// `n` records of different cables (the seed's text with a line of its own each, so no two texts
/// are the same), keyed `K000`, `K001`...
fn numbered_records(n: usize) -> Vec<storage::StoredCable> {
    (0..n)
        .map(|i| storage::StoredCable {
            key: format!("K{i:03}"),
            original: format!("{SEED}\nline of record {i} — ünïcode\n"),
            meta: None,
            source: "test".into(),
            added_ms: i as f64,
        })
        .collect()
}

/// Writes records as earlier versions wrote some: each with its text inside (`original`), no chunk.
async fn put_inline(db: &web_sys::IdbDatabase, cables: &[storage::StoredCable]) {
    let tx = db.transaction_with_str_and_mode("cables", web_sys::IdbTransactionMode::Readwrite).expect("transaction");
    let store = tx.object_store("cables").expect("store");
    for c in cables {
        store.put(&storage::record_value(c).unwrap()).expect("put inline");
    }
    committed(&tx).await;
}

#[wasm_bindgen_test]
async fn texts_are_kept_in_chunks_and_read_back_verbatim() {
    let name = format!("cable-reader-test-{}", js_sys::Math::random());
    let db = storage::open_named(&name).await.expect("open");
    let stored = numbered_records(40);
    storage::put_all(&db, &stored).await.expect("put");
    let chunks = storage::text_chunk_count(&db).await.expect("count");
    // A chunk closes once it holds 96 Ki characters (UTF-16 units, as the browser counts).
    let (mut expected, mut chars) = (0, 0);
    for c in &stored {
        chars += c.original.encode_utf16().count();
        if chars >= 96 * 1024 {
            expected += 1;
            chars = 0;
        }
    }
    expected += usize::from(chars > 0);
    assert_eq!(chunks, expected, "texts grouped in chunks of ~96 KB");
    assert!(chunks > 1 && chunks < stored.len());
    assert_eq!(storage::get_all(&db).await.expect("get"), stored, "every record and text back, in key order");
    assert_eq!(storage::get(&db, "K017").await.expect("get"), Some(stored[17].clone()));
    assert_eq!(storage::get(&db, "K999").await.expect("get"), None);
    let many = storage::get_many(&db, &["K039".into(), "nope".into(), "K000".into()]).await.expect("get many");
    assert_eq!(many, vec![Some(stored[39].clone()), None, Some(stored[0].clone())]);
    // Records with their texts inline (as versions before session 18 wrote the texts of a library
    // past the worker's text budget) beside the chunked ones: every text read back, deleted
    // without touching a chunk.
    let inline = numbered_records(43).split_off(40);
    put_inline(&db, &inline).await;
    assert_eq!(storage::text_chunk_count(&db).await.expect("count"), chunks);
    assert_eq!(storage::get(&db, "K041").await.expect("get"), Some(inline[1].clone()));
    storage::delete(&db, "K041").await.expect("delete inline");
    storage::delete(&db, "K040").await.expect("delete inline");
    storage::delete(&db, "K042").await.expect("delete inline");
    assert_eq!(storage::text_chunk_count(&db).await.expect("count"), chunks);
    // Paging, as the export and a rebuilt index read a large library.
    let mut paged = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let batch = storage::get_batch(&db, after.as_deref(), 7).await.expect("batch");
        if batch.is_empty() {
            break;
        }
        after = batch.last().map(|c| c.key.clone());
        paged.extend(batch);
    }
    assert_eq!(paged, stored);
    // A range of keys, both ends included (as a parse worker reads its share of a rebuild), with
    // the texts back from their chunks.
    let range = storage::get_range_values(&db, "K005", "K012").await.expect("range");
    let got: Vec<storage::StoredCable> = range.iter().map(|v| serde_wasm_bindgen::from_value(v).expect("a record")).collect();
    assert_eq!(got, stored[5..=12].to_vec(), "K005 to K012, texts included");
    assert_eq!(storage::get_range_values(&db, "K0395", "K0399").await.expect("range").length(), 0, "no key in range");
    // Deleting a cable leaves the others of its chunk whole; deleting all frees every chunk.
    storage::delete(&db, "K001").await.expect("delete");
    let mut rest = stored.clone();
    rest.remove(1);
    assert_eq!(storage::get_all(&db).await.expect("get"), rest);
    assert_eq!(storage::text_chunk_count(&db).await.expect("count"), chunks);
    for c in &rest {
        storage::delete(&db, &c.key).await.expect("delete");
    }
    assert!(storage::get_all(&db).await.expect("get").is_empty());
    assert_eq!(storage::text_chunk_count(&db).await.expect("count"), 0, "no text left behind");
    storage::delete(&db, "K001").await.expect("deleting what is gone is no error");
    storage::put_all(&db, &stored).await.expect("put");
    storage::clear(&db).await.expect("clear");
    assert_eq!(storage::text_chunk_count(&db).await.expect("count"), 0);
    assert!(storage::get_all(&db).await.expect("get").is_empty());
    db.close();
}

/// Waits for a transaction made with web-sys directly to commit.
async fn committed(tx: &web_sys::IdbTransaction) {
    wasm_bindgen_futures::JsFuture::from(js_sys::Promise::new(&mut |ok, _| tx.set_oncomplete(Some(&ok)))).await.expect("committed");
}

/// Waits for an IndexedDB request made with web-sys directly (the test's own old-version database).
async fn settled(req: &web_sys::IdbRequest) -> wasm_bindgen::JsValue {
    let req2 = req.clone();
    wasm_bindgen_futures::JsFuture::from(js_sys::Promise::new(&mut |ok, _| req2.set_onsuccess(Some(&ok)))).await.unwrap();
    req.result().unwrap()
}

#[wasm_bindgen_test]
async fn a_library_of_the_previous_version_is_read_and_grows() {
    use wasm_bindgen::JsCast;
    // A database as version 2 wrote it: every record with its text inline.
    let name = format!("cable-reader-test-{}", js_sys::Math::random());
    let factory = web_sys::window().unwrap().indexed_db().unwrap().unwrap();
    let req = factory.open_with_u32(&name, 2).unwrap();
    let on_upgrade = wasm_bindgen::closure::Closure::<dyn FnMut(web_sys::IdbVersionChangeEvent)>::new(|e: web_sys::IdbVersionChangeEvent| {
        let db: web_sys::IdbDatabase = e.target().unwrap().unchecked_into::<web_sys::IdbRequest>().result().unwrap().unchecked_into();
        let params = web_sys::IdbObjectStoreParameters::new();
        params.set_key_path(&"key".into());
        db.create_object_store_with_optional_parameters("cables", &params).unwrap();
        db.create_object_store("snapshot").unwrap();
    });
    req.set_onupgradeneeded(Some(on_upgrade.as_ref().unchecked_ref()));
    let old: web_sys::IdbDatabase = settled(&req).await.unchecked_into();
    let stored = numbered_records(3);
    let tx = old.transaction_with_str_and_mode("cables", web_sys::IdbTransactionMode::Readwrite).unwrap();
    for c in &stored {
        tx.object_store("cables").unwrap().put(&serde_wasm_bindgen::to_value(c).unwrap()).unwrap();
    }
    committed(&tx).await;
    old.close();
    // Opened by this version: the old records read as they are, new ones go into chunks beside them.
    let db = storage::open_named(&name).await.expect("upgrade");
    assert_eq!(storage::get_all(&db).await.expect("get"), stored);
    let more = numbered_records(6);
    storage::put_all(&db, &more[3..]).await.expect("put");
    assert_eq!(storage::get_all(&db).await.expect("get"), more);
    storage::delete(&db, "K000").await.expect("delete an old record");
    storage::delete(&db, "K004").await.expect("delete a new record");
    let keys: Vec<String> = storage::get_all(&db).await.expect("get").into_iter().map(|c| c.key).collect();
    assert_eq!(keys, ["K001", "K002", "K003", "K005"]);
    db.close();
}

/// Every key of the snapshot store.
async fn snapshot_keys(db: &web_sys::IdbDatabase) -> Vec<String> {
    let tx = db.transaction_with_str("snapshot").unwrap();
    let req = tx.object_store("snapshot").unwrap().get_all_keys().unwrap();
    let done = js_sys::Promise::new(&mut |ok, _| req.set_onsuccess(Some(&ok)));
    wasm_bindgen_futures::JsFuture::from(done).await.unwrap();
    js_sys::Array::from(&req.result().unwrap()).iter().filter_map(|k| k.as_string()).collect()
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
    let mut w = storage::SnapshotWriter::begin_with_pieces_of(&db, 1000);
    w.part("index").await.expect("part");
    for chunk in bytes.chunks(777) {
        w.write(chunk).await.expect("write");
    }
    w.part("texts").await.expect("part");
    w.write(&texts).await.expect("write");
    // Until it is finished, the previous snapshot is the one read.
    assert_eq!(storage::get_snapshot(&db, "texts").await.expect("read").expect("texts"), index.texts_to_bytes());
    w.finish().await.expect("save");
    let pieces = storage::get_snapshot_pieces(&db, "index").await.expect("read").expect("pieces");
    assert_eq!(pieces.len(), bytes.len().div_ceil(1000));
    assert_eq!(pieces.iter().map(|p| p.length() as usize).sum::<usize>(), bytes.len());
    // Each piece stored is a buffer of its own size (a view would carry its whole buffer along).
    assert!(pieces.iter().all(|p| p.buffer().byte_length() == p.length()), "pieces of their own size");
    // Read a piece at a time, the next one's read under way, into a decoder: the same index.
    let mut one_by_one = storage::snapshot_pieces(&db, "index").await.expect("read").expect("pieces");
    assert_eq!(one_by_one.count() as usize, pieces.len());
    let mut decoder = cable_index::snapshot::SnapshotDecoder::new(bytes.len());
    assert!(one_by_one.read_all(|b| decoder.feed(b)).await.expect("read"));
    let mut again = decoder.finish().expect("decoded piece by piece");
    assert!(again.to_bytes() == bytes);
    assert_eq!(storage::get_snapshot(&db, "texts").await.expect("read").expect("texts"), texts);
    // The texts likewise, a piece at a time: snippets come back.
    let mut text_pieces = storage::snapshot_pieces(&db, "texts").await.expect("read").expect("pieces");
    let mut texts_read = cable_index::snapshot::TextsDecoder::new();
    assert!(text_pieces.read_all(|b| texts_read.feed(b)).await.expect("read"));
    assert!(again.set_texts(texts_read.finish().expect("texts decoded piece by piece")));
    assert!(!again.search(&req).rows[0].snippet.is_empty(), "snippets from the texts read piece by piece");
    // Only the new snapshot's records are left (the previous one's were deleted with the switch).
    let keys = snapshot_keys(&db).await;
    assert_eq!(keys.len(), pieces.len() + texts.len().div_ceil(1000) + 3, "{keys:?}");
    let second = keys.iter().find(|k| k.ends_with("/index-00001")).expect("a second piece").clone();
    let del = db.transaction_with_str_and_mode("snapshot", web_sys::IdbTransactionMode::Readwrite).unwrap();
    del.object_store("snapshot").unwrap().delete(&second.into()).unwrap();
    committed(&del).await;
    assert!(storage::get_snapshot_pieces(&db, "index").await.expect("read").is_none(), "a piece missing");
    let mut gap = storage::snapshot_pieces(&db, "index").await.expect("read").expect("a piece count");
    assert!(gap.read_all(|_| true).await.is_err(), "a piece missing is an error, not a shorter index");
    db.close();
}

#[wasm_bindgen_test]
async fn word_positions_go_to_indexeddb_and_come_back_for_phrases() {
    let name = format!("cable-reader-test-{}", js_sys::Math::random());
    let db = storage::open_named(&name).await.expect("open");
    // The seed cable many times over, its positions moved out as a run after every 20 cables.
    let recs = records_from_input(SEED, "paste", None, 1.0).expect("records");
    let cable = &recs[0].1;
    let (mut lean, mut whole) = (cable_index::Index::new(), cable_index::Index::new());
    let mut runs = 0;
    for k in 0..100 {
        let doc = cable_index::Doc::from_cable(&format!("K{k:03}"), cable);
        whole.add(doc.clone());
        lean.add(doc);
        if k % 20 == 19 {
            let (run, pages) = lean.take_positions_run(4096).expect("positions held");
            storage::put_position_pages_begin(&db, run, &pages).expect("put").finished().await.expect("written");
            runs += 1;
        }
    }
    assert_eq!(lean.position_runs().len(), runs);
    assert!(storage::position_page_count(&db).await.expect("count") > runs, "runs of several pages");
    let req = cable_index::SearchRequest { query: "\"human rights\"".into(), ..Default::default() };
    let wanted = lean.position_pages_wanted(&req);
    assert!(!wanted.is_empty());
    let pages = storage::get_position_pages(&db, &wanted).await.expect("read");
    assert_eq!(pages.len(), wanted.len());
    lean.hold_position_pages(pages);
    assert_eq!(lean.search(&req).total, whole.search(&req).total);
    assert_eq!(whole.search(&req).total, 100);
    // Runs from the third on deleted (as after an import whose index was not saved): their pages
    // are gone, the first two stay.
    storage::delete_position_runs_from(&db, 2).await.expect("delete");
    let again = storage::get_position_pages(&db, &wanted).await.expect("read");
    assert!(again.iter().all(|((run, _), _)| *run < 2) && again.len() < wanted.len() && !again.is_empty());
    // Clearing the library clears them too.
    storage::clear(&db).await.expect("clear");
    assert_eq!(storage::position_page_count(&db).await.expect("count"), 0);
    db.close();
}
