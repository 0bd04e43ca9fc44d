//! The index against a plain scan, on the real corpus (`../shared/corpus`; skipped with a message
//! when it is absent): every query form and every facet count must agree with a brute-force answer.

mod common;

use common::corpus_docs;
use cable_index::tokens::tokens;
use cable_index::snapshot::{SnapshotDecoder, TextsDecoder};
use cable_index::{Doc, Index, SearchRequest};
use std::collections::{BTreeMap, HashSet};

fn words(text: &str) -> Vec<String> {
    tokens(text).into_iter().map(|t| t.norm).collect()
}

fn has_phrase(ws: &[String], phrase: &[&str]) -> bool {
    ws.windows(phrase.len()).any(|w| w.iter().zip(phrase).all(|(a, b)| a == b))
}

fn keys(index: &mut Index, query: &str, filters: Vec<(&str, Vec<&str>)>) -> (usize, HashSet<String>) {
    let req = SearchRequest {
        query: query.into(),
        filters: filters.into_iter().map(|(f, v)| (f.to_string(), v.into_iter().map(String::from).collect())).collect(),
        limit: 1000,
        ..SearchRequest::default()
    };
    let r = index.search(&req);
    (r.total, r.rows.into_iter().map(|r| r.key).collect())
}

#[test]
fn search_and_facets_agree_with_a_plain_scan() {
    let Some(docs) = corpus_docs() else { return };
    let mut index = Index::new();
    for d in docs.clone() {
        index.add(d);
    }
    assert_eq!(index.len(), docs.len());
    let tokenized: Vec<Vec<String>> = docs.iter().map(|d| words(&d.text)).collect();
    let scan = |pred: &dyn Fn(usize) -> bool| -> HashSet<String> { (0..docs.len()).filter(|i| pred(*i)).map(|i| docs[i].key.clone()).collect() };

    // Words (AND), with leading zeros or without.
    let expect = scan(&|i| tokenized[i].iter().any(|w| w == "qadhafi") && tokenized[i].iter().any(|w| w == "uranium"));
    let (total, got) = keys(&mut index, "Qadhafi uranium", vec![]);
    assert!(total > 0);
    assert_eq!(total, expect.len());
    assert_eq!(got, expect);

    // A phrase.
    let expect = scan(&|i| has_phrase(&tokenized[i], &["human", "rights", "watch"]));
    let (total, got) = keys(&mut index, "\"Human Rights Watch\"", vec![]);
    assert!(total > 5, "{total}");
    assert_eq!(got.len().min(1000), expect.len().min(1000));
    assert_eq!(total, expect.len());
    assert!(got.is_subset(&expect));

    // Numbers without leading zeros find padded ones; a cable is found by its own citation (its
    // header's `TRIPOLI 000677`; the cables citing it are found with `ref:`).
    let expect = scan(&|i| has_phrase(&tokenized[i], &["tripoli", "677"]));
    let (total, got) = keys(&mut index, "\"TRIPOLI 677\"", vec![]);
    assert_eq!(total, expect.len());
    assert_eq!(got, expect);
    assert_eq!(keys(&mut index, "\"TRIPOLI 000677\"", vec![]), (total, got.clone()));
    let own = docs.iter().find(|d| d.reference_id == "09TRIPOLI677").expect("09TRIPOLI677 is in the corpus");
    assert!(got.contains(&own.key), "the cable itself");

    // Prefix and exclusion.
    let expect = scan(&|i| tokenized[i].iter().any(|w| w.starts_with("enrich")) && !tokenized[i].iter().any(|w| w == "iran"));
    let (total, _) = keys(&mut index, "enrich* -iran", vec![]);
    assert!(total > 0);
    assert_eq!(total, expect.len());

    // Fielded: tag, origin, class, subject.
    let expect = scan(&|i| docs[i].tags.iter().any(|t| t == "PREL") && docs[i].origin.to_lowercase().contains("tripoli"));
    let (total, _) = keys(&mut index, "tag:PREL origin:tripoli", vec![]);
    assert!(total > 0);
    assert_eq!(total, expect.len());
    let expect = scan(&|i| docs[i].classification.starts_with("SECRET") && words(&docs[i].subject).iter().any(|w| w == "nuclear"));
    let (total, _) = keys(&mut index, "class:secret subject:nuclear", vec![]);
    assert!(total > 0);
    assert_eq!(total, expect.len());

    // Facets: AND across, OR within; counts match a scan.
    let mut by_origin: BTreeMap<&str, usize> = BTreeMap::new();
    for d in &docs {
        if !d.origin.is_empty() {
            *by_origin.entry(d.origin.as_str()).or_default() += 1;
        }
    }
    let r = index.search(&SearchRequest::default());
    assert_eq!(r.total, docs.len());
    let origin = r.facets.iter().find(|f| f.facet == "origin").unwrap();
    assert_eq!(origin.distinct, by_origin.len());
    assert_eq!(origin.values.len(), by_origin.len().min(cable_index::FACET_VALUES));
    // Expanded, the facet lists every value.
    let r = index.search(&SearchRequest { expand: vec!["origin".into()], ..SearchRequest::default() });
    let origin = r.facets.iter().find(|f| f.facet == "origin").unwrap();
    assert_eq!(origin.values.len(), by_origin.len());
    for v in &origin.values {
        assert_eq!(Some(&v.count), by_origin.get(v.value.as_str()), "{:?}", v.value);
    }
    let expect = scan(&|i| (docs[i].origin == "Embassy Tripoli" || docs[i].origin == "Embassy Paris") && docs[i].classification == "CONFIDENTIAL");
    let (total, _) = keys(&mut index, "", vec![("origin", vec!["Embassy Tripoli", "Embassy Paris"]), ("class", vec!["CONFIDENTIAL"])]);
    assert!(total > 0);
    assert_eq!(total, expect.len());
    // With an origin chosen, the origin facet still counts the other origins (to add them).
    let r = index.search(&SearchRequest { filters: vec![("origin".into(), vec!["Embassy Tripoli".into()])], ..SearchRequest::default() });
    let origin = r.facets.iter().find(|f| f.facet == "origin").unwrap();
    assert_eq!(origin.values.iter().find(|v| v.value == "Embassy Paris").map(|v| v.count), by_origin.get("Embassy Paris").copied());
    assert!(origin.values.iter().find(|v| v.value == "Embassy Tripoli").unwrap().selected);

    // Sorting by created, both ways.
    let r = index.search(&SearchRequest { sort: "created".into(), limit: 20, ..SearchRequest::default() });
    let mut created: Vec<&str> = docs.iter().map(|d| d.created.as_str()).collect();
    created.sort();
    assert_eq!(r.rows[0].created, created[0]);
    let r = index.search(&SearchRequest { sort: "-created".into(), offset: 0, limit: 5, ..SearchRequest::default() });
    assert_eq!(r.rows[0].created, *created.last().unwrap());

    // Delete: gone from results and counts.
    let gone = docs[0].key.clone();
    assert!(index.remove(&gone));
    let r = index.search(&SearchRequest { query: format!("id:{gone}"), ..SearchRequest::default() });
    assert_eq!(r.total, 0);
    assert_eq!(index.search(&SearchRequest::default()).total, docs.len() - 1);
}

#[test]
fn a_snapshot_reopens_the_same_index() {
    let Some(docs) = corpus_docs() else { return };
    let mut index = Index::new();
    for (i, mut d) in docs.into_iter().take(1500).enumerate() {
        d.fingerprint = i as u64 * 7;
        index.add(d);
    }
    index.remove("00HARARE5461");
    let bytes = index.to_bytes();
    let texts = index.texts_to_bytes();
    assert_eq!(bytes.len(), index.bytes_len());
    // In pieces (as the worker moves it out of its memory), the same bytes, whatever the piece
    // size; read back piece by piece, the same index.
    for chunk in [1, 7, 4096, 1 << 20, 1 << 30] {
        let mut pieces = Vec::new();
        index.to_chunks(chunk, |c| pieces.extend_from_slice(c));
        assert!(pieces == bytes, "index in pieces of {chunk}");
    }
    let from = |b: &[u8]| Index::from_source(b.len(), |at, out| b.get(at..at + out.len()).map(|s| out.copy_from_slice(s)).is_some());
    let streamed = from(&bytes).expect("reads back from a source");
    assert!(streamed.to_bytes() == bytes);
    for cut in [0, 9, bytes.len() / 2, bytes.len() - 1] {
        assert!(from(&bytes[..cut]).is_none(), "cut at {cut}");
    }
    let mut longer = bytes.clone();
    longer.push(0);
    assert!(from(&longer).is_none() && Index::from_bytes(&longer).is_none());
    // Fed in pieces of any size (as they come from storage), the same index; cut short or with a
    // byte too many, none.
    let feed = |b: &[u8], piece: usize| {
        let mut d = SnapshotDecoder::new(b.len());
        b.chunks(piece).all(|p| d.feed(p)).then(|| d.finish()).flatten()
    };
    for piece in [1, 3, 1000, 65_537, 1 << 20, bytes.len()] {
        assert!(feed(&bytes, piece).expect("reads back fed in pieces").to_bytes() == bytes, "pieces of {piece}");
        assert!(feed(&bytes[..bytes.len() - 1], piece).is_none(), "cut, pieces of {piece}");
        assert!(feed(&longer, piece).is_none(), "longer, pieces of {piece}");
    }
    let mut back = Index::from_bytes(&bytes).expect("reads back");
    assert_eq!(back.len(), index.len());
    assert_eq!(back.fingerprints(), index.fingerprints());
    // Before its texts, the reopened index answers the same, without snippets.
    let req = SearchRequest { query: "qadhafi".into(), ..SearchRequest::default() };
    let (early, full) = (back.search(&req), index.search(&req));
    assert_eq!((early.total, &early.facets), (full.total, &full.facets));
    assert!(early.rows.iter().all(|r| r.snippet.is_empty()) && full.rows.iter().any(|r| !r.snippet.is_empty()));
    assert!(!back.set_texts_from_bytes(&texts[..texts.len() - 1]), "cut texts are refused");
    assert!(!back.set_texts_from_bytes(&bytes), "the index part is not texts");
    assert!(back.set_texts_from_bytes(&texts));
    // The texts fed in pieces of any size (as they come from storage): the same texts back; cut
    // short or one byte longer, none.
    let feed_texts = |b: &[u8], piece: usize| {
        let mut d = TextsDecoder::new();
        b.chunks(piece).all(|p| d.feed(p)).then(|| d.finish()).flatten()
    };
    for piece in [1, 7, 4096, 1 << 20] {
        let mut fed = Index::from_bytes(&bytes).expect("reads back");
        assert!(fed.set_texts(feed_texts(&texts, piece).expect("texts fed in pieces")), "pieces of {piece}");
        assert!(fed.texts_to_bytes() == texts, "pieces of {piece}");
        assert!(feed_texts(&texts[..texts.len() - 1], piece).is_none(), "cut, pieces of {piece}");
        let mut longer = texts.clone();
        longer.push(0);
        assert!(feed_texts(&longer, piece).is_none(), "longer, pieces of {piece}");
    }
    // In pieces (as the worker stores them), the same bytes, whatever the piece size.
    assert_eq!(texts.len(), index.texts_bytes_len());
    for chunk in [1, 7, 4096, 1 << 20, 1 << 30] {
        let mut pieces = Vec::new();
        let mut largest = 0;
        index.texts_to_chunks(chunk, |c| {
            largest = largest.max(c.len());
            pieces.extend_from_slice(c);
        });
        assert_eq!(pieces, texts, "pieces of {chunk}");
        assert!(largest <= chunk + 16, "pieces of {chunk}: one of {largest}");
    }
    for q in ["qadhafi", "\"human rights\"", "enrich* -iran", "tag:PREL origin:brasilia", "class:secret subject:nuclear", ""] {
        let req = SearchRequest { query: q.into(), filters: vec![("year".into(), vec!["2005".into()])], limit: 100, ..SearchRequest::default() };
        assert_eq!(back.search(&req), index.search(&req), "{q}");
    }
    // Added to after reopening, it behaves like the original.
    let extra = Doc { key: "X1".into(), text: "qadhafi".into(), created: "2005-01-01 00:00".into(), ..Doc::default() };
    back.add(extra.clone());
    index.add(extra);
    let req = SearchRequest { query: "qadhafi".into(), ..SearchRequest::default() };
    assert_eq!(back.search(&req), index.search(&req));
    // Damaged or foreign bytes are refused, never trusted.
    assert!(Index::from_bytes(&bytes[..bytes.len() / 2]).is_none());
    assert!(Index::from_bytes(b"CRIX\x63\x00\x00\x00").is_none());
    assert!(Index::from_bytes(&[]).is_none());
}

#[test]
fn segments_indexed_apart_merge_into_the_same_index() {
    let Some(docs) = corpus_docs() else { return };
    let docs: Vec<Doc> = docs.into_iter().take(2000).enumerate().map(|(i, mut d)| {
        d.fingerprint = i as u64;
        d
    }).collect();
    let mut whole = Index::new();
    for d in docs.iter().cloned() {
        whole.add(d);
    }
    // The same cables in segments of 300 (as parse workers send them), each through bytes.
    let mut merged = Index::new();
    for chunk in docs.chunks(300) {
        let mut seg = Index::new();
        for d in chunk.iter().cloned() {
            seg.add(d);
        }
        let bytes = seg.to_segment();
        assert_eq!(Index::segment_len(&bytes), Some(chunk.len()));
        let keys: Vec<Option<String>> = chunk.iter().map(|d| Some(d.key.clone())).collect();
        assert!(merged.merge_segment(&bytes, &keys));
    }
    assert_eq!(merged.to_bytes(), whole.to_bytes(), "merging segments builds the very same index");
    assert_eq!(merged.texts_to_bytes(), whole.texts_to_bytes());

    // Left-out cables (duplicates) and renamed ones (further versions).
    let mut seg = Index::new();
    for d in docs[..50].iter().cloned() {
        seg.add(d);
    }
    let keys: Vec<Option<String>> = docs[..50].iter().enumerate().map(|(i, d)| match i % 5 {
        0 => None,
        1 => Some(format!("{}_v2", d.key)),
        _ => Some(d.key.clone()),
    }).collect();
    let mut expect = Index::new();
    for (d, k) in docs[..50].iter().zip(&keys) {
        if let Some(k) = k {
            expect.add(Doc { key: k.clone(), ..d.clone() });
        }
    }
    let mut got = Index::new();
    assert!(got.merge_segment(&seg.to_segment(), &keys));
    assert_eq!(got.len(), 40);
    for q in ["", "qadhafi", "\"human rights\"", "embassy -iran", "tag:PREL", "class:secret", "enrich*"] {
        let req = SearchRequest { query: q.into(), limit: 100, ..SearchRequest::default() };
        let (a, b) = (got.search(&req), expect.search(&req));
        assert_eq!((a.total, &a.facets), (b.total, &b.facets), "{q}");
        let ka: HashSet<String> = a.rows.iter().map(|r| r.key.clone()).collect();
        let kb: HashSet<String> = b.rows.iter().map(|r| r.key.clone()).collect();
        assert_eq!(ka, kb, "{q}");
    }
    assert!(got.contains(&format!("{}_v2", docs[1].key)) && !got.contains(&docs[0].key));
    // Damaged segments are refused and change nothing.
    let bytes = seg.to_segment();
    let before = got.to_bytes();
    for cut in [0, 4, bytes.len() / 3, bytes.len() / 2, bytes.len() - 3] {
        assert!(Index::segment_len(&bytes[..cut]).is_none(), "cut at {cut}");
        assert!(!got.merge_segment(&bytes[..cut], &keys), "cut at {cut}");
    }
    let mut flipped = bytes.clone();
    flipped[bytes.len() / 2] ^= 0xff;
    let _ = got.merge_segment(&flipped, &keys); // refused, or merged as garbage text: never a panic
    assert!(got.to_bytes() == before || got.len() == 80);
}

#[test]
fn prefixes_find_words_added_after_the_vocabulary_was_sorted() {
    let Some(docs) = corpus_docs() else { return };
    let tokenized: Vec<Vec<String>> = docs.iter().map(|d| words(&d.text)).collect();
    let half = docs.len() / 2;
    let mut index = Index::new();
    for d in docs[..half].iter().cloned() {
        index.add(d);
    }
    // Searches without a prefix leave the vocabulary unsorted; a prefix or the worker's idle
    // call sorts it; the second half then brings words the sorted order does not hold yet.
    let _ = keys(&mut index, "qadhafi", vec![]);
    index.prepare_prefix_search();
    let _ = keys(&mut index, "nucl*", vec![]);
    for d in docs[half..].iter().cloned() {
        index.add(d);
    }
    for prefix in ["enrich", "nucl", "qadh", "zz"] {
        let expect: HashSet<String> = (0..docs.len()).filter(|i| tokenized[*i].iter().any(|w| w.starts_with(prefix))).map(|i| docs[i].key.clone()).collect();
        let (total, _) = keys(&mut index, &format!("{prefix}*"), vec![]);
        assert_eq!(total, expect.len(), "{prefix}*");
    }
    // A word only the second half has is found by its prefix.
    let first: HashSet<&String> = tokenized[..half].iter().flatten().collect();
    let late = tokenized[half..].iter().flatten().find(|w| w.len() > 6 && w.chars().all(|c| c.is_ascii_lowercase()) && !first.contains(w)).expect("a word only in the second half");
    let (total, _) = keys(&mut index, &format!("{}*", &late[..late.len() - 1]), vec![]);
    assert!(total > 0, "{late}");
}

#[test]
fn a_text_budget_keeps_answers_and_snippets_come_from_texts_given_back() {
    let Some(docs) = corpus_docs() else { return };
    let docs: Vec<Doc> = docs.into_iter().take(1200).collect();
    let mut whole = Index::new();
    let mut lean = Index::new();
    lean.set_text_budget(2_000_000);
    // Half through segments (as parse workers send them), half one by one.
    for d in docs[..600].iter().cloned() {
        whole.add(d.clone());
        lean.add(d);
        assert!(!whole.text_budget_reached(), "no budget, never reached");
        assert_eq!(lean.text_budget_reached(), lean.text_bytes() + 100_000 > 2_000_000 && lean.text_budget_reached(), "reached only near the budget");
    }
    assert!(lean.text_budget_reached(), "2 MB hold fewer than 600 cables' texts");
    for chunk in docs[600..].chunks(200) {
        let mut seg = Index::new();
        for d in chunk.iter().cloned() {
            whole.add(d.clone());
            seg.add(d);
        }
        let keys: Vec<Option<String>> = chunk.iter().map(|d| Some(d.key.clone())).collect();
        assert!(lean.merge_segment(&seg.to_segment(), &keys));
    }
    assert!(lean.text_bytes() <= 2_000_000 && lean.text_bytes() > 1_900_000, "kept {}", lean.text_bytes());
    assert!(lean.text_budget_reached());
    assert!(whole.text_bytes() > 8_000_000);
    let text_of: std::collections::HashMap<&str, &str> = docs.iter().map(|d| (d.key.as_str(), d.text.as_str())).collect();
    let mut given_back = 0;
    for q in ["qadhafi", "\"human rights\"", "enrich* -iran", "TRIPOLI 677", "oil"] {
        let req = SearchRequest { query: q.into(), limit: 100, ..SearchRequest::default() };
        let (mut a, b) = (lean.search(&req), whole.search(&req));
        assert_eq!((a.total, &a.facets), (b.total, &b.facets), "{q}");
        // Rows whose text was not kept have no snippet until the caller gives the text back.
        for row in a.rows.iter_mut() {
            if lean.text_missing(row.doc) {
                assert!(row.snippet.is_empty(), "{q}: {}", row.key);
                row.snippet = lean.snippet_for(row.doc, text_of[row.key.as_str()], &a.highlight);
                given_back += 1;
            }
        }
        assert_eq!(a, b, "{q}");
    }
    assert!(given_back > 20, "only {given_back} rows needed their texts");
    // The budget holds when the texts are read back after a reopening, and after deletions.
    let mut back = Index::from_bytes(&lean.to_bytes()).expect("reads back");
    back.set_text_budget(1_000_000);
    assert!(back.set_texts_from_bytes(&whole.texts_to_bytes()));
    assert!(back.text_bytes() <= 1_000_000 && back.text_bytes() > 900_000);
    let kept = docs
        .iter()
        .find(|d| {
            let doc = whole_doc(&mut back, &d.key);
            !back.text_missing(doc)
        })
        .map(|d| d.key.clone())
        .expect("some texts kept");
    let before = back.text_bytes();
    assert!(back.remove(&kept));
    assert!(back.text_bytes() < before);
}

/// The number of the cable `key` in `index` (its row in an unfiltered search by id).
fn whole_doc(index: &mut Index, key: &str) -> u32 {
    let r = index.search(&SearchRequest { query: format!("id:{key}"), ..SearchRequest::default() });
    r.rows[0].doc
}

/// The indexer's one-pass terms are the tokenizer's normalized words on every corpus text.
#[test]
fn one_pass_terms_are_the_normalized_words_of_every_corpus_text() {
    let Some(docs) = corpus_docs() else { return };
    let mut buf = String::new();
    for d in &docs {
        let mut fast = Vec::new();
        cable_index::tokens::for_each_term(&d.text, &mut buf, |t| fast.push(t.to_string()));
        assert_eq!(fast, words(&d.text), "{}", d.key);
    }
}

/// Reads the pages a search wants from `store` (as the worker reads them from IndexedDB) and
/// runs it.
fn search_with_pages(index: &mut Index, store: &std::collections::HashMap<(u32, u32), Vec<u8>>, req: &SearchRequest) -> cable_index::SearchResponse {
    let wanted = index.position_pages_wanted(req);
    let pages = wanted.into_iter().filter_map(|k| Some((k, store.get(&k)?.clone()))).collect();
    index.hold_position_pages(pages);
    index.search(req)
}

/// Moves `index`'s positions into `store` as a run (pages under `(run, page)`, as the worker
/// stores them) once it holds more than 600 KB; the number of runs made (0 or 1).
fn move_positions_out(index: &mut Index, store: &mut std::collections::HashMap<(u32, u32), Vec<u8>>) -> usize {
    if index.positions_held() <= 600_000 {
        return 0;
    }
    let (run, pages) = index.take_positions_run(16 * 1024).expect("positions held");
    assert_eq!(index.positions_held(), 0);
    for (k, p) in pages.into_iter().enumerate() {
        store.insert((run, k as u32), p);
    }
    1
}

#[test]
fn positions_moved_to_storage_answer_phrases_alike() {
    let Some(docs) = corpus_docs() else { return };
    let docs: Vec<Doc> = docs.into_iter().take(2400).collect();
    let mut whole = Index::new();
    let mut lean = Index::new();
    lean.set_position_cache_budget(300_000);
    let mut store = std::collections::HashMap::new();
    let mut runs = 0;
    // Half one by one, half through segments (as parse workers send them); a run whenever the
    // positions held pass 600 KB (the worker's budget is larger; the rule is the same).
    for d in docs[..1200].iter().cloned() {
        whole.add(d.clone());
        lean.add(d);
        runs += move_positions_out(&mut lean, &mut store);
    }
    for chunk in docs[1200..].chunks(150) {
        let mut seg = Index::new();
        for d in chunk.iter().cloned() {
            whole.add(d.clone());
            seg.add(d);
        }
        let keys: Vec<Option<String>> = chunk.iter().map(|d| Some(d.key.clone())).collect();
        assert!(lean.merge_segment(&seg.to_segment(), &keys));
        runs += move_positions_out(&mut lean, &mut store);
    }
    assert!(runs >= 5, "only {runs} runs");
    let [_, _, held, _, _] = lean.memory_parts();
    let [_, _, all, _, _] = whole.memory_parts();
    assert!(held < all / 3, "positions held {held} of {all}");
    let queries = ["\"human rights\"", "\"the united states\"", "\"nuclear program\" -iran", "qadhafi \"oil\"", "-\"of the\" embassy", "subject:\"visit\"", "\"TRIPOLI 677\"", "\"no such phrase anywhere\""];
    let check = |lean: &mut Index, whole: &mut Index, store: &std::collections::HashMap<(u32, u32), Vec<u8>>| {
        for q in queries {
            let req = SearchRequest { query: q.into(), limit: 200, ..SearchRequest::default() };
            let (a, b) = (search_with_pages(lean, store, &req), whole.search(&req));
            assert_eq!((a.total, &a.facets), (b.total, &b.facets), "{q}");
            assert_eq!(a.rows.iter().map(|r| &r.key).collect::<Vec<_>>(), b.rows.iter().map(|r| &r.key).collect::<Vec<_>>(), "{q}");
        }
    };
    check(&mut lean, &mut whole, &store);
    // The cache kept to its budget between searches, all that one search needs while it runs.
    assert!(lean.position_cache_bytes() < 2_000_000);
    // Reopened from its snapshot, the runs are known again.
    let mut back = Index::from_bytes(&lean.to_bytes()).expect("reads back");
    assert_eq!(back.position_runs(), lean.position_runs());
    assert_eq!(back.positions_held(), lean.positions_held());
    check(&mut back, &mut whole, &store);
    // A page that cannot be read: that run's cables match no phrase, the others still do.
    let req = SearchRequest { query: "\"human rights\"".into(), limit: 2000, ..SearchRequest::default() };
    let mut damaged = Index::from_bytes(&lean.to_bytes()).expect("reads back");
    let wanted = damaged.position_pages_wanted(&req);
    assert!(!wanted.is_empty());
    let first_run = wanted[0].0;
    let pages = wanted.iter().filter(|k| k.0 != first_run).map(|k| (*k, store[k].clone())).collect();
    damaged.hold_position_pages(pages);
    damaged.hold_position_pages(vec![((first_run, 0), vec![1, 2, 3])]);
    let (part, all) = (damaged.search(&req), whole.search(&req));
    assert!(part.total < all.total && part.total > 0, "{} of {}", part.total, all.total);
    let end = lean.position_runs().iter().find(|r| r.id == first_run).unwrap().end_doc;
    let start = lean.position_runs().iter().take_while(|r| r.id != first_run).last().map_or(0, |r| r.end_doc);
    assert!(part.rows.iter().all(|r| r.doc < start || r.doc >= end), "no cable of the unread run matches");
}

#[test]
fn facet_counts_of_broad_searches_agree_with_a_scan_after_removals() {
    // A search matching most of the library counts the cables it does not match and takes them
    // from the totals; the counts must be those of a scan, also once cables are removed.
    let Some(docs) = corpus_docs() else { return };
    let docs: Vec<Doc> = docs.into_iter().take(1500).collect();
    let mut index = Index::new();
    for d in docs.iter().cloned() {
        index.add(d);
    }
    let removed: HashSet<String> = docs.iter().step_by(13).map(|d| d.key.clone()).collect();
    let all: Vec<String> = cable_index::facets::Facet::ALL.iter().map(|f| f.param().to_string()).collect();
    let prel = |d: &Doc| d.tags.iter().any(|t| t == "PREL");
    for round in 0..2 {
        if round == 1 {
            for k in &removed {
                assert!(index.remove(k));
            }
        }
        let held = |d: &Doc| round == 0 || !removed.contains(&d.key);
        let cases: [(&str, &dyn Fn(&Doc) -> bool); 3] = [("", &|_| true), ("tag:PREL", &prel), ("-tag:PREL", &|d| !prel(d))];
        for (q, matches) in cases {
            let r = index.search(&SearchRequest { query: q.into(), expand: all.clone(), ..SearchRequest::default() });
            let expect: Vec<&Doc> = docs.iter().filter(|d| held(d) && matches(d)).collect();
            assert_eq!(r.total, expect.len(), "{q} (round {round})");
            for f in cable_index::facets::Facet::ALL {
                let mut counts: BTreeMap<String, usize> = BTreeMap::new();
                for d in &expect {
                    for v in f.values(d) {
                        *counts.entry(v).or_default() += 1;
                    }
                }
                let got: BTreeMap<String, usize> = r.facets.iter().find(|x| x.facet == f.param()).map(|x| x.values.iter().map(|v| (v.value.clone(), v.count)).collect()).unwrap_or_default();
                assert_eq!(got, counts, "{q}: {} (round {round})", f.param());
            }
        }
    }
}
