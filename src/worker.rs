//! The library worker: runs in a Web Worker (`src/bin/worker.rs`), so parsing, storing and indexing
//! never block the page. It holds the search index, reads the stored library at start, imports
//! texts and files (streaming `cables.csv` in chunks), and answers searches.

use crate::files::Input;
use crate::import::{
    decode_file, record_from_csv, records_from_input, text_fingerprint, Placement, Rejected,
    Versions, MAX_INPUT_BYTES,
};
use crate::parse_pool;
use crate::protocol::{Failure, FromWorker, ImportSummary, Progress, TextInput, ToWorker};
use crate::storage::{self, StoredCable};
use cable_index::snapshot::{SnapshotDecoder, TextsDecoder};
use cable_index::{Doc, Index};
use cable_parser::{Cable, CsvReader};
use std::cell::{Cell, RefCell};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{spawn_local, JsFuture};
use web_sys::{DedicatedWorkerGlobalScope, IdbDatabase, MessageEvent};

/// Cables written per IndexedDB transaction (each is all-or-nothing).
const BATCH: usize = 400;
/// Bytes of a large file read at a time.
const CHUNK: f64 = 4.0 * 1024.0 * 1024.0;
/// Most files, and bytes, in one group handed to a parse worker.
const GROUP_FILES: usize = 200;
const GROUP_BYTES: f64 = 4.0 * 1024.0 * 1024.0;
/// Bytes of `cables.csv` records in one group handed to a parse worker.
const CSV_GROUP_BYTES: usize = 2 * 1024 * 1024;
/// Most text the index keeps in this worker's memory for snippets: past it, the texts stay in
/// IndexedDB only and the snippets of the rows shown are made from their stored cables
/// ([`snippets_from_records`]). The corpus (47 MB of searched text) fits; a library of 250,000
/// cables (1.7 GB of text) would not fit the worker's memory, and keeping a larger share of it
/// (it was 128 MB) spared few of its searches a read while costing a tenth of the tab's
/// memory.
const TEXT_BUDGET: usize = 64 * 1024 * 1024;
/// Most memory the index may take (postings, lists, kept texts): past it an import stops, with the
/// reason, and the library stays usable. The worker's Wasm memory ends at 4 GB; the index of
/// 250,000 cables takes about 1.1 GB.
const MAX_INDEX_BYTES: usize = 2560 * 1024 * 1024;
/// Bytes an import reads before its parse workers are replaced by fresh ones at its end (their
/// memory grew with the work and never shrinks).
const RENEW_AFTER_BYTES: f64 = 32.0 * 1024.0 * 1024.0;
/// Most cables stored after the saved index that are indexed on reopening it (more: rebuilt).
const MAX_ADDED_SINCE_SNAPSHOT: usize = 5000;
/// Milliseconds without changes before a deletion's index is saved.
const SAVE_DELAY_MS: i32 = 1500;
/// Stored cables read at a time when the index is rebuilt (a parse worker's batch). With 500, the
/// parse workers' memories grew to 40 MB each, and the rebuild of 100,000 cables peaked at
/// 880–900 MB private; with 200, 20 MB and 767 MB, in the same time.
const REBUILD_BATCH: u32 = 200;
/// Stored cables from which a rebuild is handed to the parse workers (below, starting them costs
/// more than it saves).
const POOLED_REBUILD_FROM: usize = 2000;
/// Bytes of word positions the index holds before it moves them to storage as a run: they are
/// read for phrases only, and would be half the index of a large library (481 MB at 250,000
/// cables). The corpus (~14 MB) stays under it; a phrase then reads nothing from storage.
const POSITIONS_BUDGET: usize = 24 * 1024 * 1024;
/// Bytes of a stored page of positions: just past the 64 KB over which Chromium keeps a value as
/// a file (cheaper to write), small enough that a phrase's rare word reads little.
const POSITION_PAGE_BYTES: usize = 64 * 1024;
/// Bytes of the index made at a time when it is saved (each moved out to a JS buffer before the
/// next: small, so that each finds room among the index's own allocations without growing the
/// Wasm memory).
const SNAPSHOT_STEP: usize = 1 << 20;
/// Longest stretch of work between yields to the worker's event loop (so Cancel is heard), in ms.
const SLICE_MS: f64 = 40.0;

thread_local! {
    static INDEX: RefCell<Index> = RefCell::new({
        let mut index = Index::new();
        index.set_text_budget(TEXT_BUDGET);
        index
    });
    static VERSIONS: RefCell<Versions> = RefCell::new(Versions::default());
    static DB: RefCell<Option<IdbDatabase>> = const { RefCell::new(None) };
    static CANCELLED: RefCell<Vec<u32>> = const { RefCell::new(Vec::new()) };
    static LOADED: Cell<bool> = const { Cell::new(false) };
    /// What the last search answered without reading storage took the worker, in ms (it paces the
    /// page's refreshes during an import).
    static LAST_SEARCH_MS: Cell<f64> = const { Cell::new(0.0) };
    /// Imports under way (see [`save_snapshot_soon`]).
    static IMPORTS_RUNNING: Cell<u32> = const { Cell::new(0) };
    /// Bumped by each change that asks for the index to be saved (see [`save_snapshot_soon`]).
    static SNAPSHOT_GENERATION: Cell<u64> = const { Cell::new(0) };
    /// Files of running imports as they arrive from the page, and whether all have arrived.
    static ARRIVING: RefCell<std::collections::HashMap<u32, (Vec<Input>, bool)>> = RefCell::new(std::collections::HashMap::new());
    /// Bytes of positions held before a run is stored (see [`POSITIONS_BUDGET`]).
    static POSITIONS_LIMIT: Cell<usize> = const { Cell::new(POSITIONS_BUDGET) };
    /// The run of positions being written (a snapshot waits for it).
    static POSITIONS_WRITE: RefCell<Option<storage::PendingWrite>> = const { RefCell::new(None) };
    /// Milliseconds spent per stage of imports (read, parse, store, index here; read, parse,
    /// index, write in the parse workers), for the bench page.
    static STAGES: RefCell<[f64; 8]> = const { RefCell::new([0.0; 8]) };
    /// The sequence number of the last search whose asker takes later snippets (the list shown):
    /// a tentative one once its list is shown ([`ToWorker::ListShown`]).
    static LATEST_LIST_SEARCH: Cell<u32> = const { Cell::new(0) };
}

fn stage(i: usize, since: f64) {
    STAGES.with(|s| s.borrow_mut()[i] += now() - since);
}

/// The worker's global scope (also the parse workers').
pub(crate) fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

/// Milliseconds on the worker's clock.
pub(crate) fn now() -> f64 {
    scope()
        .performance()
        .map(|p| p.now())
        .unwrap_or_else(js_sys::Date::now)
}

fn post(msg: &FromWorker) {
    if let Ok(v) = crate::protocol::to_js(msg) {
        let _ = scope().post_message(&v);
    }
}

async fn db() -> Result<IdbDatabase, storage::StorageError> {
    if let Some(db) = DB.with(|d| d.borrow().clone()) {
        return Ok(db);
    }
    let db = storage::open().await?;
    DB.with(|d| *d.borrow_mut() = Some(db.clone()));
    Ok(db)
}

/// Lets the worker's event loop run (messages such as Cancel are handled meanwhile).
async fn yield_now() {
    sleep(0).await;
}

/// Waits `ms` milliseconds on the worker's event loop.
async fn sleep(ms: i32) {
    let p = js_sys::Promise::new(&mut |resolve, _| {
        let _ = scope().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
    });
    let _ = JsFuture::from(p).await;
}

fn is_cancelled(job: u32) -> bool {
    CANCELLED.with(|c| c.borrow().contains(&job))
}

/// Starts the worker: listens for the page's messages.
pub fn start() {
    let handler = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
        let data = e.data();
        let msg =
            js_sys::Reflect::get(&data, &JsValue::from_str("msg")).unwrap_or(JsValue::UNDEFINED);
        match crate::protocol::from_js::<ToWorker>(&msg) {
            Ok(m) => {
                let inputs = match &m {
                    ToWorker::ImportFiles { names, .. } | ToWorker::MoreFiles { names, .. } => {
                        Input::from_message(&data, names)
                    }
                    _ => Vec::new(),
                };
                handle(m, inputs)
            }
            Err(err) => post(&FromWorker::Error {
                message: format!("The reader's worker got a message it does not understand: {err}"),
            }),
        }
    });
    scope().set_onmessage(Some(handler.as_ref().unchecked_ref()));
    handler.forget();
    post(&FromWorker::Started);
}

fn handle(msg: ToWorker, files: Vec<Input>) {
    match msg {
        ToWorker::Load { positions_budget } => {
            if let Some(b) = positions_budget {
                POSITIONS_LIMIT.with(|l| l.set(b as usize));
            }
            spawn_local(load())
        }
        ToWorker::ImportTexts { job, inputs } => spawn_local(import(job, Inputs::Texts(inputs))),
        ToWorker::ImportFiles {
            job,
            complete,
            files_total,
            ..
        } => {
            ARRIVING.with(|a| a.borrow_mut().insert(job, (files, complete)));
            spawn_local(import(job, Inputs::Files { files_total }))
        }
        ToWorker::MoreFiles { job, complete, .. } => ARRIVING.with(|a| {
            if let Some(entry) = a.borrow_mut().get_mut(&job) {
                entry.0.extend(files);
                entry.1 = complete;
            }
        }),
        ToWorker::Cancel { job } => CANCELLED.with(|c| c.borrow_mut().push(job)),
        ToWorker::ListShown { seq } => LATEST_LIST_SEARCH.with(|l| l.set(seq)),
        ToWorker::Search { seq, request, later, tentative } => {
            let t = now();
            if later && !tentative {
                LATEST_LIST_SEARCH.with(|l| l.set(seq));
            }
            let wanted = INDEX.with(|i| i.borrow().position_pages_wanted(&request));
            if wanted.is_empty() {
                answer_search(seq, &request, later, tentative, t, None);
            } else {
                spawn_local(async move {
                    // The phrase's words' positions in storage are read first.
                    let pages = match db().await {
                        Ok(db) => storage::get_position_pages(&db, &wanted).await,
                        Err(e) => Err(e),
                    };
                    let error = match pages {
                        Ok(pages) => {
                            let missing = pages.len() < wanted.len();
                            INDEX.with(|i| i.borrow_mut().hold_position_pages(pages));
                            missing.then(|| "Some word positions of the library's index are missing: a phrase may miss cables. Rebuild the index (export the library, clear it, import it again).".to_string())
                        }
                        Err(e) => Some(format!("{e}: a phrase may miss cables.")),
                    };
                    answer_search(seq, &request, later, tentative, t, error);
                });
            }
        }
        ToWorker::CitedBy { seq, id, refs } => {
            let (keys, held) = INDEX.with(|i| {
                let i = i.borrow();
                (
                    i.cited_by(&id),
                    refs.into_iter().filter(|r| i.contains(r)).collect(),
                )
            });
            post(&FromWorker::CitedBy { seq, keys, held });
        }
        ToWorker::Delete { key } => spawn_local(async move {
            let r = match db().await {
                Ok(db) => storage::delete(&db, &key).await,
                Err(e) => Err(e),
            };
            match r {
                Ok(()) => {
                    INDEX.with(|i| i.borrow_mut().remove(&key));
                    VERSIONS.with(|v| v.borrow_mut().remove(&key));
                    changed();
                    save_snapshot_soon();
                }
                Err(e) => post(&FromWorker::Error {
                    message: e.to_string(),
                }),
            }
        }),
        ToWorker::Clear => spawn_local(async move {
            let r = match db().await {
                Ok(db) => storage::clear(&db).await,
                Err(e) => Err(e),
            };
            match r {
                Ok(()) => {
                    INDEX.with(|i| i.borrow_mut().clear());
                    VERSIONS.with(|v| v.borrow_mut().clear());
                    changed();
                    save_snapshot().await;
                }
                Err(e) => post(&FromWorker::Error {
                    message: e.to_string(),
                }),
            }
        }),
    }
}

/// Rows of an answer whose snippets come with it when their texts must be read from storage: a
/// screenful and more (a row with its snippet is five to nine lines high: 3–4 rows fill a laptop's
/// screen under the search box). The snippets of the rows after them follow in a second message
/// ([`FromWorker::Snippets`]): in a library past the text budget, reading every row's stored cable
/// took most of a search's time, and each text read back costs the read of its chunk.
const FIRST_SCREEN_ROWS: usize = 10;

/// Runs a search and answers it, with snippets read from storage for rows whose texts the index
/// does not keep (their reads go out first, and the facets are counted while the browser reads):
/// those of the first [`FIRST_SCREEN_ROWS`] rows in the answer, the others' in a message after it
/// when the asker takes them `later` (else all in the answer). `error` (positions that could not
/// be read) is reported beside the answer. A `tentative` search (asked on a link's press) always
/// gets its later snippets: the list it answers may be shown after the list searches that follow.
fn answer_search(seq: u32, request: &cable_index::SearchRequest, later_wanted: bool, tentative: bool, t: f64, error: Option<String>) {
    if let Some(message) = error {
        post(&FromWorker::Error { message });
    }
    let started = now();
    let (mut response, work) = INDEX.with(|i| i.borrow_mut().search_rows(request));
    let missing: Vec<usize> = INDEX.with(|i| {
        let i = i.borrow();
        let want = !response.highlight.is_empty();
        (0..response.rows.len()).filter(|&k| want && i.text_missing(response.rows[k].doc)).collect()
    });
    if missing.is_empty() {
        response.facets = INDEX.with(|i| i.borrow().facet_counts(&work));
        LAST_SEARCH_MS.with(|c| c.set(now() - started));
        post(&FromWorker::Results {
            seq,
            response,
            took_ms: now() - t,
            more: false,
        });
        return;
    }
    let first_rows = if later_wanted { FIRST_SCREEN_ROWS } else { usize::MAX };
    let (first, later): (Vec<usize>, Vec<usize>) = missing.into_iter().partition(|&k| k < first_rows);
    spawn_local(async move {
        let db = db().await.ok();
        let keys_of = |rows: &[usize], response: &cable_index::SearchResponse| rows.iter().map(|&k| response.rows[k].key.clone()).collect::<Vec<String>>();
        let first_keys = keys_of(&first, &response);
        let reading = match &db {
            Some(db) if !first.is_empty() => storage::get_many_begin(db, &first_keys).ok(),
            _ => None,
        };
        response.facets = INDEX.with(|i| i.borrow().facet_counts(&work));
        let docs_of = |rows: &[usize], response: &cable_index::SearchResponse| rows.iter().map(|&k| (k, response.rows[k].doc)).collect::<Vec<_>>();
        if let Some(reading) = reading {
            if let Ok(records) = reading.await {
                for (k, snippet) in snippets_from_records(&docs_of(&first, &response), &first_keys, records, &response.highlight) {
                    response.rows[k].snippet = snippet;
                }
            }
        }
        let more = db.is_some() && !later.is_empty();
        // What the later snippets need of the answer, which goes to the page now.
        let (later_keys, later_docs, highlight) = (keys_of(&later, &response), docs_of(&later, &response), response.highlight.clone());
        post(&FromWorker::Results {
            seq,
            response,
            took_ms: now() - t,
            more,
        });
        let Some(db) = db.filter(|_| more) else { return };
        let mut rows = Vec::new();
        if let Ok(reading) = storage::get_many_begin(&db, &later_keys) {
            if let Ok(records) = reading.await {
                // A list search that came while the cables were read replaced this list: its
                // snippets would not be shown, and making them would hold that search up. (The
                // page is still told, with none, so it lets go of this search.)
                if tentative || LATEST_LIST_SEARCH.with(Cell::get) == seq {
                    rows = snippets_from_records(&later_docs, &later_keys, records, &highlight);
                }
            }
        }
        post(&FromWorker::Snippets { seq, rows });
    });
}

/// Moves the index's word positions to storage as a run once it holds more than its budget
/// (the run before it written first: at most one run waits in memory). Err: the run could not be
/// stored (its phrases' cables would be missed), with the reason.
async fn store_positions_if_over() -> Result<(), storage::StorageError> {
    let limit = POSITIONS_LIMIT.with(Cell::get);
    if INDEX.with(|i| i.borrow().positions_held()) <= limit {
        return Ok(());
    }
    positions_written().await?;
    let db = db().await?;
    let Some((run, pages)) = INDEX.with(|i| i.borrow_mut().take_positions_run(POSITION_PAGE_BYTES)) else {
        return Ok(());
    };
    let pending = storage::put_position_pages_begin(&db, run, &pages)?;
    POSITIONS_WRITE.with(|w| *w.borrow_mut() = Some(pending));
    Ok(())
}

/// Waits for the run of positions being written, if any.
async fn positions_written() -> Result<(), storage::StorageError> {
    let pending = POSITIONS_WRITE.with(|w| w.borrow_mut().take());
    match pending {
        Some(p) => p.finished().await,
        None => Ok(()),
    }
}

/// Snippets of rows whose texts the index does not keep (a library past [`TEXT_BUDGET`]), each
/// given as (row index, cable), from their stored cables (`records`, read under `keys`): their
/// searched texts are made again and the `highlight` terms found in them. A row that could not be
/// read gets none (it is not listed).
fn snippets_from_records(rows: &[(usize, u32)], keys: &[String], records: Vec<Option<StoredCable>>, highlight: &[String]) -> Vec<(usize, Vec<cable_index::Segment>)> {
    INDEX.with(|i| {
        let i = i.borrow();
        rows.iter()
            .zip(keys)
            .zip(records)
            .filter_map(|((&(k, doc), key), rec)| {
                let c = rec.as_ref().and_then(crate::import::cable_from_record)?;
                let text = Doc::from_cable(key, &c).text;
                Some((k, i.snippet_for(doc, &text, highlight)))
            })
            .collect()
    })
}

fn changed() {
    let count = INDEX.with(|i| i.borrow().len());
    post(&FromWorker::Changed { count });
}

fn index_cable(key: &str, cable: &Cable, fingerprint: u64) {
    let mut doc = Doc::from_cable(key, cable);
    doc.fingerprint = fingerprint;
    INDEX.with(|i| i.borrow_mut().add(doc));
    VERSIONS.with(|v| v.borrow_mut().insert(key, fingerprint));
}

/// Saves the index once no further change came for a moment: deleting cables one after the other
/// saves it once, not once per cable (a large library's index is hundreds of MB to write). Not
/// while an import runs: it changes the index all the time (a save would be abandoned after its
/// first piece, again and again), and saves it when it ends.
fn save_snapshot_soon() {
    let generation = SNAPSHOT_GENERATION.with(|g| {
        g.set(g.get() + 1);
        g.get()
    });
    spawn_local(async move {
        loop {
            sleep(SAVE_DELAY_MS).await;
            if SNAPSHOT_GENERATION.with(Cell::get) != generation {
                return;
            }
            if IMPORTS_RUNNING.with(Cell::get) == 0 {
                break;
            }
        }
        save_snapshot().await;
    });
}

/// Stores the index beside the library, so the next visit reopens it instead of rebuilding it.
/// A failure only costs the next visit a rebuild.
async fn save_snapshot() {
    // A save waiting for quiet is overtaken by this one.
    SNAPSHOT_GENERATION.with(|g| g.set(g.get() + 1));
    // In pieces handed to IndexedDB as they are made: saving a large library needs no second
    // copy of its index, in the worker's Wasm memory or in its JS memory (a 250,000-cable library
    // ran out of memory here).
    let Ok(db) = db().await else { return };
    // The snapshot names the runs of positions: they are written first. One that could not be
    // written leaves the snapshot unsaved (the next visit rebuilds rather than miss phrases).
    if let Err(e) = positions_written().await {
        web_sys::console::warn_1(&format!("{e}").into());
        return;
    }
    match write_snapshot(&db).await {
        Ok(true) => {}
        // The index changed while it was written (a piece at a time, between which the worker
        // answers messages): that snapshot is dropped, and the index saved again once quiet.
        Ok(false) => save_snapshot_soon(),
        Err(e) => web_sys::console::warn_1(&format!("{e}").into()),
    }
}

/// Writes the index and its texts a piece at a time, each piece stored before the next is made
/// (never the whole snapshot outside the Wasm memory). Ok(false): the index changed meanwhile,
/// nothing was saved (the previous snapshot stays).
async fn write_snapshot(db: &IdbDatabase) -> Result<bool, storage::StorageError> {
    let start = INDEX.with(|i| i.borrow().changes());
    let mut w = storage::SnapshotWriter::begin(db);
    for part in ["index", "texts"] {
        w.part(part).await?;
        let mut cursor = cable_index::snapshot::SnapshotCursor::default();
        loop {
            let piece = INDEX.with(|i| {
                let i = i.borrow();
                if i.changes() != start {
                    return Err(());
                }
                Ok(match part {
                    "index" => i.next_snapshot_piece(&mut cursor, SNAPSHOT_STEP),
                    _ => i.next_texts_piece(&mut cursor, SNAPSHOT_STEP),
                })
            });
            match piece {
                Err(()) => return Ok(false),
                Ok(None) => break,
                Ok(Some(bytes)) => w.write(&bytes).await?,
            }
        }
    }
    if INDEX.with(|i| i.borrow().changes()) != start {
        return Ok(false);
    }
    w.finish().await?;
    Ok(true)
}

/// Reopens the stored index snapshot, brought up to date with the stored cables when it misses
/// deletions or a few additions (false, for a rebuild, when it is missing, damaged, of another
/// version, or misses more than [`MAX_ADDED_SINCE_SNAPSHOT`] cables).
async fn reopen_snapshot(db: &IdbDatabase) -> bool {
    // The keys read while the index is: its pieces one after the other, each let go once read.
    let index = async {
        let mut pieces = storage::snapshot_pieces(db, "index").await.ok()??;
        let mut decoder = SnapshotDecoder::new(pieces.most_bytes());
        pieces.read_all(|bytes| decoder.feed(bytes)).await.ok()?.then_some(())?;
        decoder.finish()
    };
    let (Some(mut index), Ok(mut keys)) = futures::future::join(index, storage::all_keys(db)).await else {
        return false;
    };
    // Runs of positions stored after this snapshot was saved (an import that ended before the
    // next save) are none of this index's.
    if storage::delete_position_runs_from(db, index.next_position_run()).await.is_err() {
        return false;
    }
    index.set_text_budget(TEXT_BUDGET);
    let mut held: Vec<String> = index.fingerprints().into_iter().map(|(k, _)| k).collect();
    held.sort();
    keys.sort();
    // Cables deleted or added after the snapshot was saved (a page closed before a save): the
    // deleted leave the index, a few added are indexed from storage; many added mean a rebuild.
    let (mut gone, mut added) = (Vec::new(), Vec::new());
    let (mut a, mut b) = (held.iter().peekable(), keys.iter().peekable());
    loop {
        match (a.peek(), b.peek()) {
            (Some(x), Some(y)) if x == y => {
                a.next();
                b.next();
            }
            (Some(x), Some(y)) if x < y => gone.push(a.next().cloned().unwrap_or_default()),
            (Some(_), None) => gone.push(a.next().cloned().unwrap_or_default()),
            (_, Some(_)) => added.push(b.next().cloned().unwrap_or_default()),
            (None, None) => break,
        }
    }
    if added.len() > MAX_ADDED_SINCE_SNAPSHOT {
        return false;
    }
    for k in &gone {
        index.remove(k);
    }
    for keys in added.chunks(REBUILD_BATCH as usize) {
        let Ok(records) = storage::get_many(db, keys).await else { return false };
        for rec in records.into_iter().flatten() {
            if let Some(c) = crate::import::cable_from_record(&rec) {
                let mut doc = Doc::from_cable(&rec.key, &c);
                doc.fingerprint = text_fingerprint(&c);
                index.add(doc);
            }
        }
    }
    VERSIONS.with(|v| {
        let mut v = v.borrow_mut();
        for (k, f) in index.fingerprints() {
            v.insert(&k, f);
        }
    });
    INDEX.with(|i| *i.borrow_mut() = index);
    if !gone.is_empty() || !added.is_empty() {
        save_snapshot_soon();
    }
    true
}

/// Reads the stored library, then starts the parse workers (ready before the first import).
async fn load() {
    load_library().await;
    parse_pool::warm();
    prepare_prefix_search().await;
}

/// Sorts the vocabulary for prefix searches once the page has had its first answers (a search
/// arriving meanwhile waits for it, so not at once).
async fn prepare_prefix_search() {
    sleep(400).await;
    INDEX.with(|i| i.borrow_mut().prepare_prefix_search());
}

/// Reads the stored library and indexes it, yielding between slices.
async fn load_library() {
    if LOADED.with(|l| l.replace(true)) {
        return;
    }
    let t0 = now();
    if let Ok(db) = db().await {
        if reopen_snapshot(&db).await {
            let count = INDEX.with(|i| i.borrow().len());
            post(&FromWorker::Ready {
                count,
                ms: now() - t0,
                error: None,
            });
            // The texts snippets quote come after the facets are on screen; the page searches
            // again when they are in.
            // Read a stored piece at a time, the next one read meanwhile (never all of them in
            // the JS memory at once).
            // Missing or damaged texts cost nothing but speed: snippets are then made from the
            // stored cables of the rows shown (as past the text budget).
            if let Ok(Some(mut pieces)) = storage::snapshot_pieces(&db, "texts").await {
                let mut texts = TextsDecoder::new();
                if pieces.read_all(|bytes| texts.feed(bytes)).await.unwrap_or(false) {
                    if let Some(texts) = texts.finish() {
                        if INDEX.with(|i| i.borrow_mut().set_texts(texts)) {
                            changed();
                        }
                    }
                }
            }
            return;
        }
    }
    // No usable snapshot (a first visit, or one saved by another version): the index is rebuilt
    // from the stored cables, read a batch at a time (a library of 250,000 cables is 2 GB).
    let mut error = None;
    let mut after: Option<String> = None;
    let mut told = now();
    let mut done = 0;
    let db = db().await;
    let total = match &db {
        // The runs of positions of an index no longer used go.
        Ok(db) => match storage::delete_position_runs_from(db, 0).await {
            Ok(()) => storage::count(db).await.unwrap_or(0),
            Err(e) => {
                error = Some(format!("{e} Cables you read now will be shown but may not be kept."));
                0
            }
        },
        Err(_) => 0,
    };
    if total > 0 {
        post(&FromWorker::Opening { done, total });
    }
    // A large library is parsed and indexed by the parse workers, a range of keys each (as an
    // import): each reads its cables from storage itself, so their texts never pass through this
    // worker. A smaller one is indexed here, a batch at a time.
    let workers = if total >= POOLED_REBUILD_FROM { parse_pool::ready_workers().await } else { 0 };
    let capacity = parse_pool::IN_FLIGHT_PER_WORKER * workers;
    let mut in_flight: std::collections::VecDeque<(KeyRange, JsFuture)> = std::collections::VecDeque::new();
    let rebuild_error = |e: storage::StorageError| Some(format!("{e} Cables you read now will be shown but may not be kept."));
    match &db {
        Ok(db) if workers > 0 => match storage::all_keys(db).await {
            Ok(keys) => {
                for chunk in keys.chunks(REBUILD_BATCH as usize) {
                    let range = KeyRange { first: chunk[0].clone(), last: chunk[chunk.len() - 1].clone() };
                    if in_flight.len() >= capacity {
                        if let Some(sent) = in_flight.pop_front() {
                            done += reindexed(db, sent).await;
                        }
                    }
                    if let Err(e) = store_positions_if_over().await {
                        error = Some(format!("{e} Phrases may miss cables until the index is rebuilt."));
                    }
                    match parse_pool::send_range(&range.first, &range.last) {
                        Some(answer) => in_flight.push_back((range, answer)),
                        None => done += index_range_here(db, &range).await,
                    }
                    if now() - told > 250.0 {
                        post(&FromWorker::Opening { done, total });
                        told = now();
                    }
                }
            }
            Err(e) => error = rebuild_error(e),
        },
        Ok(db) => loop {
            let values = match storage::get_batch_values(db, after.as_deref(), REBUILD_BATCH).await {
                Ok(b) => b,
                Err(e) => {
                    error = rebuild_error(e);
                    break;
                }
            };
            let n = values.length() as usize;
            let Some(last) = (n > 0).then(|| storage::record_key(&values.get(n as u32 - 1))).flatten() else { break };
            after = Some(last);
            if let Err(e) = store_positions_if_over().await {
                error = Some(format!("{e} Phrases may miss cables until the index is rebuilt."));
            }
            done += index_stored_here(&values).await;
            if now() - told > 250.0 {
                post(&FromWorker::Opening { done, total });
                told = now();
            }
            if n < REBUILD_BATCH as usize {
                break;
            }
        },
        Err(e) => error = rebuild_error(e.clone()),
    }
    if let Ok(db) = &db {
        while let Some(sent) = in_flight.pop_front() {
            done += reindexed(db, sent).await;
            if let Err(e) = store_positions_if_over().await {
                error = Some(format!("{e} Phrases may miss cables until the index is rebuilt."));
            }
            if now() - told > 250.0 {
                post(&FromWorker::Opening { done, total });
                told = now();
            }
        }
    }
    // The parse workers grew with the work and never shrink: they go before the index is saved
    // (fresh ones start after it, in `load`).
    if workers > 0 {
        parse_pool::retire();
    }
    let count = INDEX.with(|i| i.borrow().len());
    post(&FromWorker::Ready {
        count,
        ms: now() - t0,
        error,
    });
    if count > 0 {
        save_snapshot().await;
    }
}

/// The stored cables whose keys run from `first` to `last`: a parse worker's share of a rebuild.
struct KeyRange {
    first: String,
    last: String,
}

/// Merges a parse worker's index of a range of stored cables under their keys
/// ([`parse_pool::send_range`]); if the worker failed, they are read and indexed here. The number
/// of cables taken.
async fn reindexed(db: &IdbDatabase, (range, answer): (KeyRange, JsFuture)) -> usize {
    let data = answer.await.ok().filter(|d| !d.is_null());
    if let Some(b) = data.as_ref().and_then(parse_pool::Answer::read_reindexed) {
        let keys: Vec<Option<String>> = b.records.iter().map(|(k, _)| Some(k.clone())).collect();
        if INDEX.with(|i| i.borrow_mut().merge_segment(b.segment(), &keys)) {
            VERSIONS.with(|v| {
                let mut v = v.borrow_mut();
                for (k, fp) in &b.records {
                    v.insert(k, *fp);
                }
            });
            return b.records.len();
        }
    }
    index_range_here(db, &range).await
}

/// Reads and indexes a range of stored cables in this worker (a parse worker could not); a range
/// that cannot be read is skipped (the rebuild reports what it could index). The number taken.
async fn index_range_here(db: &IdbDatabase, range: &KeyRange) -> usize {
    match storage::get_range_values(db, &range.first, &range.last).await {
        Ok(values) => index_stored_here(&values).await,
        Err(e) => {
            web_sys::console::warn_1(&format!("{e}").into());
            0
        }
    }
}

/// Indexes stored cables (objects read from IndexedDB) in this worker, yielding between slices.
/// The number of cables taken.
async fn index_stored_here(values: &js_sys::Array) -> usize {
    let mut slice = now();
    for v in values.iter() {
        if let Ok(rec) = serde_wasm_bindgen::from_value::<StoredCable>(v) {
            if let Some(c) = crate::import::cable_from_record(&rec) {
                index_cable(&rec.key, &c, text_fingerprint(&c));
            }
        }
        if now() - slice > SLICE_MS {
            yield_now().await;
            slice = now();
        }
    }
    values.length() as usize
}

enum Inputs {
    Texts(Vec<TextInput>),
    /// Files arriving in [`ARRIVING`]; how many in all.
    Files {
        files_total: usize,
    },
}

/// Moves the files that arrived for `job` into `files`; true when no more will come.
fn take_arrived(job: u32, files: &mut Vec<Input>) -> bool {
    ARRIVING.with(|a| match a.borrow_mut().get_mut(&job) {
        Some((arrived, complete)) => {
            files.append(arrived);
            *complete
        }
        None => true,
    })
}

/// An import in progress: what was read, the batch to store, the summary to report.
struct Job {
    id: u32,
    summary: ImportSummary,
    progress: Progress,
    /// Records to store (key, stored object, cable, fingerprint); those with their cable are
    /// indexed when stored, the others (from a parse worker) were merged into the index already.
    batch: Vec<(String, JsValue, Option<Cable>, u64)>,
    /// Bytes of file inputs arrived so far, and of other inputs (texts).
    bytes_arrived: f64,
    bytes_other: f64,
    /// When the library's size was last checked against [`MAX_INDEX_BYTES`].
    last_capacity_check: f64,
    /// The transaction under way and the keys it writes.
    writing: Option<(storage::PendingWrite, Vec<String>)>,
    last_post: f64,
    last_changed: f64,
    slice: f64,
    started: f64,
    stopped: bool,
}

impl Job {
    /// Takes the cables of one input: places each (new, version, duplicate) and queues it for storage.
    async fn take(&mut self, records: Vec<(StoredCable, Cable)>) {
        for (mut rec, cable) in records {
            if self.stopped {
                return;
            }
            let fp = text_fingerprint(&cable);
            let (key, store) = self.place(&rec.key, fp);
            if store {
                rec.key = key;
                match storage::record_value(&rec) {
                    Ok(value) => self.batch.push((rec.key, value, Some(cable), fp)),
                    Err(e) => self.fail(&rec.source, e.to_string()),
                }
            }
            if self.batch.len() >= BATCH {
                self.flush().await;
            }
            self.tick().await;
        }
    }

    /// Takes a batch from a parse worker: places each cable (new, version, duplicate), merges the
    /// batch's index segment under the keys placed, and queues the records for storage.
    async fn take_parsed(&mut self, answer: parse_pool::Answer) {
        let parse_pool::Answer {
            batch: mut b,
            records,
            ms,
        } = answer;
        STAGES.with(|s| {
            let mut s = s.borrow_mut();
            for (i, m) in ms.iter().enumerate() {
                s[4 + i] += m;
            }
        });
        self.summary.failed.append(&mut b.failures);
        self.progress.bytes_done += b.bytes;
        let mut keys = Vec::with_capacity(b.records.len());
        let mut kept = Vec::new();
        for (i, (provisional, fp)) in std::mem::take(&mut b.records).into_iter().enumerate() {
            let (key, store) = self.place(&provisional, fp);
            keys.push(store.then(|| key.clone()));
            if store {
                let value = records.get(i as u32);
                if key != provisional {
                    storage::set_record_key(&value, &key);
                }
                kept.push((key, value, None, fp));
            }
        }
        let t = now();
        if !INDEX.with(|i| i.borrow_mut().merge_segment(b.segment(), &keys)) {
            // Checked when the batch was read: only a mismatched build gets here.
            VERSIONS.with(|v| {
                let mut v = v.borrow_mut();
                for (key, _, _, _) in &kept {
                    v.remove(key);
                }
            });
            self.fail(&format!("{} cables", keys.len()), "The parse worker sent an index this version cannot read. Reload the page and import again.".into());
            return;
        }
        VERSIONS.with(|v| {
            let mut v = v.borrow_mut();
            for (key, _, _, fp) in &kept {
                v.insert(key, *fp);
            }
        });
        stage(3, t);
        self.store_positions().await;
        self.batch.extend(kept);
        if self.batch.len() >= BATCH {
            self.flush().await;
        }
        self.tick().await;
    }

    /// Where a cable goes (counted in the summary): its key, and whether it is stored.
    fn place(&mut self, key: &str, fp: u64) -> (String, bool) {
        let placement = VERSIONS.with(|v| v.borrow_mut().place(key, fp));
        let (key, store) = match placement {
            Placement::Duplicate(k) => {
                self.summary.duplicates += 1;
                (k, false)
            }
            Placement::New(k) => {
                self.summary.new += 1;
                (k, true)
            }
            Placement::Version(k) => {
                self.summary.versions += 1;
                (k, true)
            }
        };
        if self.summary.keys.len() < 1000 {
            self.summary.keys.push(key.clone());
        }
        self.progress.cables += 1;
        (key, store)
    }

    /// Starts storing the queued cables in one transaction (and indexes those not indexed yet)
    /// while the previous transaction finishes: the browser writes one batch while the next is
    /// prepared. On a failed write nothing of that batch is stored or indexed, and the import stops
    /// with the reason.
    async fn flush(&mut self) {
        if self.batch.is_empty() {
            return;
        }
        let batch = std::mem::take(&mut self.batch);
        let t = now();
        let pending = match db().await {
            Ok(db) => storage::put_values_begin(
                &db,
                &batch
                    .iter()
                    .map(|(_, v, _, _)| v.clone())
                    .collect::<Vec<_>>(),
                // Texts the index does not keep are read back for snippets: smaller chunks.
                if INDEX.with(|i| i.borrow().text_budget_reached()) {
                    storage::SNIPPET_CHUNK_CHARS
                } else {
                    storage::CHUNK_CHARS
                },
            ),
            Err(e) => Err(e),
        };
        stage(2, t);
        let keys: Vec<String> = batch.iter().map(|(k, _, _, _)| k.clone()).collect();
        match pending {
            Ok(pending) => {
                let t = now();
                for (key, _, cable, fp) in &batch {
                    if let Some(cable) = cable {
                        index_cable(key, cable, *fp);
                    }
                }
                stage(3, t);
                self.store_positions().await;
                self.settle().await;
                self.writing = Some((pending, keys));
            }
            Err(e) => {
                self.settle().await;
                self.undo(&keys, e);
            }
        }
    }

    /// Moves the index's positions to storage past their budget; a run that cannot be stored
    /// stops the import with the reason.
    async fn store_positions(&mut self) {
        let t = now();
        if let Err(e) = store_positions_if_over().await {
            self.fail("library", format!("{e} The rest of this import was not read."));
            self.stopped = true;
        }
        stage(2, t);
    }

    /// Waits for the transaction under way, if any.
    async fn settle(&mut self) {
        let Some((pending, keys)) = self.writing.take() else {
            return;
        };
        let t = now();
        let r = pending.finished().await;
        stage(2, t);
        match r {
            Ok(()) => {
                // The page shows the library growing: at most once a second, and at most once in
                // twenty times what the worker's last search took (the page then asks for its list
                // again, and a list's search grows with the library: the import would otherwise
                // pay for more and more of them).
                let every = 1000.0_f64.max(20.0 * LAST_SEARCH_MS.with(Cell::get));
                if now() - self.last_changed > every {
                    changed();
                    self.last_changed = now();
                }
            }
            Err(e) => self.undo(&keys, e),
        }
    }

    /// Takes the cables of a batch that was not written out of the index and the versions (they
    /// are not in the library), and stops the import with the reason.
    fn undo(&mut self, keys: &[String], e: storage::StorageError) {
        INDEX.with(|i| {
            let mut i = i.borrow_mut();
            for k in keys {
                i.remove(k);
            }
        });
        VERSIONS.with(|v| {
            let mut v = v.borrow_mut();
            for k in keys {
                v.remove(k);
            }
        });
        self.summary.failed.push(Failure {
            source: format!("{} cables", keys.len()),
            reason: e.to_string(),
        });
        self.stopped = true;
    }

    /// Counts inputs that arrived: their bytes, and an estimate of the bytes of the whole import
    /// while its contents still arrive (the average size so far times the files in all).
    fn count_arrived(&mut self, arrived: &[Input], arrived_count: usize, files_total: usize) {
        self.bytes_arrived += arrived.iter().map(Input::size).sum::<f64>();
        let estimate = if arrived_count > 0 && files_total > arrived_count {
            self.bytes_arrived / arrived_count as f64 * files_total as f64
        } else {
            0.0
        };
        self.progress.bytes_total = self.bytes_arrived.max(estimate) + self.bytes_other;
    }

    /// Reports progress now and then, and yields so Cancel is heard.
    async fn tick(&mut self) {
        let t = now();
        if t - self.last_post > 100.0 {
            self.progress.elapsed_ms = t - self.started;
            post(&FromWorker::Progress(self.progress.clone()));
            self.last_post = t;
        }
        if t - self.slice > SLICE_MS {
            yield_now().await;
            self.slice = now();
            if is_cancelled(self.id) {
                self.summary.cancelled = true;
                self.stopped = true;
            }
        }
        if t - self.last_capacity_check > 500.0 && !self.stopped {
            self.last_capacity_check = t;
            let (count, bytes) = INDEX.with(|i| {
                let i = i.borrow();
                (i.len(), i.heap_bytes())
            });
            if bytes > MAX_INDEX_BYTES {
                self.fail(
                    "library",
                    format!(
                        "The library now holds {count} cables with an index of {} MB: as much as the reader keeps in one browser tab (its index lives in memory). The rest of this import was not read. Import a selection instead (a year, a post), or delete cables first.",
                        bytes / (1024 * 1024)
                    ),
                );
                self.stopped = true;
            }
        }
    }

    fn fail(&mut self, source: &str, reason: String) {
        self.summary.failed.push(Failure {
            source: source.to_string(),
            reason,
        });
    }
}

/// Runs an import, counted in [`IMPORTS_RUNNING`] while it runs.
async fn import(job: u32, inputs: Inputs) {
    IMPORTS_RUNNING.with(|n| n.set(n.get() + 1));
    import_job(job, inputs).await;
    IMPORTS_RUNNING.with(|n| n.set(n.get().saturating_sub(1)));
}

async fn import_job(job: u32, inputs: Inputs) {
    let started = now();
    let bytes_total = match &inputs {
        Inputs::Texts(t) => t.iter().map(|t| t.text.len() as f64).sum(),
        // Summed as the files arrive (a file's size is a round trip to the browser: the page
        // does not ask for thousands of them).
        Inputs::Files { .. } => 0.0,
    };
    let mut j = Job {
        id: job,
        summary: ImportSummary {
            job,
            ..ImportSummary::default()
        },
        progress: Progress {
            job,
            bytes_total,
            ..Progress::default()
        },
        batch: Vec::new(),
        writing: None,
        last_capacity_check: 0.0,
        bytes_arrived: 0.0,
        bytes_other: bytes_total,
        last_post: 0.0,
        last_changed: now(),
        slice: now(),
        started,
        stopped: false,
    };
    match inputs {
        Inputs::Texts(texts) => {
            for t in texts {
                if j.stopped {
                    break;
                }
                j.progress.current = t.source.clone();
                match records_from_input(&t.text, &t.source, t.file_name.as_deref(), now()) {
                    Ok(records) => j.take(records).await,
                    Err(Rejected(reason)) => j.fail(&t.source, reason),
                }
                j.progress.bytes_done += t.text.len() as f64;
            }
        }
        Inputs::Files { files_total } => {
            if parse_pool::ready_workers().await > 0 {
                import_files_pooled(&mut j, job, files_total).await;
            } else {
                import_files_here(&mut j, job, files_total).await;
            }
        }
    }
    j.flush().await;
    j.settle().await;
    j.summary.elapsed_ms = now() - started;
    j.summary.bytes = j.progress.bytes_done;
    j.progress.elapsed_ms = j.summary.elapsed_ms;
    post(&FromWorker::Progress(j.progress.clone()));
    let stages = STAGES.with(|s| std::mem::take(&mut *s.borrow_mut()));
    let parts = INDEX.with(|i| i.borrow().memory_parts()).map(|b| b / (1 << 20));
    let wasm_mb = wasm_bindgen::memory()
        .unchecked_into::<js_sys::WebAssembly::Memory>()
        .buffer()
        .unchecked_into::<js_sys::ArrayBuffer>()
        .byte_length()
        / (1 << 20);
    web_sys::console::debug_1(
        &format!(
            "import stages ms: read {:.0} parse {:.0} store {:.0} index {:.0}; parse workers: read {:.0} parse {:.0} index {:.0} write {:.0}; library worker memory {wasm_mb} MB, index MB: texts {} doc lists {} positions {} terms {} rows {}",
            stages[0], stages[1], stages[2], stages[3], stages[4], stages[5], stages[6], stages[7], parts[0], parts[1], parts[2], parts[3], parts[4]
        )
        .into(),
    );
    CANCELLED.with(|c| c.borrow_mut().retain(|x| *x != job));
    ARRIVING.with(|a| a.borrow_mut().remove(&job));
    let stored_any = j.summary.new + j.summary.versions > 0;
    let bytes_read = j.summary.bytes;
    post(&FromWorker::ImportDone(j.summary));
    changed();
    // The parse workers' memory goes before the index is saved; fresh ones start after it.
    let renew = bytes_read > RENEW_AFTER_BYTES;
    if renew {
        parse_pool::retire();
    }
    if stored_any {
        save_snapshot().await;
        prepare_prefix_search().await;
    }
    if renew {
        parse_pool::warm();
    }
}

/// Imports the files of `job` in this worker (when no parse worker could start).
async fn import_files_here(j: &mut Job, job: u32, files_total: usize) {
    let mut files: Vec<Input> = Vec::new();
    let mut csvs: Vec<web_sys::File> = Vec::new();
    let mut i = 0;
    loop {
        let before = files.len();
        let complete = take_arrived(job, &mut files);
        j.count_arrived(&files[before..], files.len(), files_total);
        if i >= files.len() {
            if complete || j.stopped {
                break;
            }
            yield_now().await;
            continue;
        }
        if j.stopped {
            break;
        }
        let input = files[i].clone();
        i += 1;
        match input {
            Input::File(f) if input.is_csv() => csvs.push(f),
            input => import_one_file_here(j, &input).await,
        }
        j.tick().await;
    }
    for f in csvs {
        if j.stopped {
            break;
        }
        import_csv(j, &f).await;
    }
}

/// Reads one file here.
async fn import_one_file_here(j: &mut Job, input: &Input) {
    let name = input.name();
    let size = input.size();
    j.progress.current = name.clone();
    if size > MAX_INPUT_BYTES as f64 {
        j.fail(&name, format!("{name} is {:.0} MB; the reader takes text and page files up to {} MB (cables.csv of any size).", size / 1e6, MAX_INPUT_BYTES / (1024 * 1024)));
    } else {
        let t = now();
        let bytes = input.bytes().await;
        stage(0, t);
        match bytes {
            Some(bytes) => {
                let t = now();
                let read = decode_file(&name, &bytes)
                    .and_then(|text| records_from_input(&text, &name, Some(&name), now()));
                stage(1, t);
                match read {
                    Ok(records) => j.take(records).await,
                    Err(Rejected(reason)) => j.fail(&name, reason),
                }
            }
            None => j.fail(
                &name,
                format!("{name} could not be read (was it moved or deleted?)."),
            ),
        }
    }
    j.progress.bytes_done += size;
}

/// Waits for a parse worker's answer and takes its batch (the names are of the inputs sent).
async fn take_answer(j: &mut Job, (names, answer): (Vec<String>, JsFuture)) {
    let t = now();
    let data = answer.await.ok().filter(|d| !d.is_null());
    stage(1, t);
    let batch = data.as_ref().and_then(parse_pool::Answer::read);
    if j.stopped {
        return;
    }
    if let Some(n) = names.last() {
        j.progress.current = n.clone();
    }
    match batch {
        Some(b) => j.take_parsed(b).await,
        None => {
            for n in names {
                j.fail(&n, format!("{n} could not be read: the worker reading it stopped. Try importing it again."));
            }
        }
    }
}

/// Imports the files of `job` with the parse workers: groups of files go out as they arrive
/// (a few per worker, so none waits), batches come back and are taken in the order of the files.
/// `cables.csv` files are streamed here afterwards.
async fn import_files_pooled(j: &mut Job, job: u32, files_total: usize) {
    let mut files: Vec<Input> = Vec::new();
    let mut csvs: Vec<web_sys::File> = Vec::new();
    let mut next = 0;
    let mut in_flight: std::collections::VecDeque<(Vec<String>, JsFuture)> =
        std::collections::VecDeque::new();
    let capacity = parse_pool::IN_FLIGHT_PER_WORKER * parse_pool::ready_workers().await;
    loop {
        let before = files.len();
        let complete = take_arrived(job, &mut files);
        j.count_arrived(&files[before..], files.len(), files_total);
        // Hand out groups: full ones, or what there is when all has arrived or nothing is out.
        while !j.stopped && next < files.len() && in_flight.len() < capacity {
            if files.len() - next < GROUP_FILES && !complete && !in_flight.is_empty() {
                break;
            }
            let mut group = Vec::new();
            let mut group_bytes = 0.0;
            while next < files.len() && group.len() < GROUP_FILES && group_bytes < GROUP_BYTES {
                let input = files[next].clone();
                next += 1;
                match input {
                    Input::File(f) if input.is_csv() => csvs.push(f),
                    input => {
                        group_bytes += input.size();
                        group.push(input);
                    }
                }
            }
            if group.is_empty() {
                continue;
            }
            let names: Vec<String> = group.iter().map(Input::name).collect();
            match parse_pool::send(&group) {
                Some(answer) => in_flight.push_back((names, answer)),
                None => {
                    // No parse worker left: the rest is read here.
                    for input in group {
                        import_one_file_here(j, &input).await;
                    }
                }
            }
        }
        if let Some(sent) = in_flight.pop_front() {
            take_answer(j, sent).await;
        } else if j.stopped || (complete && next >= files.len()) {
            break;
        } else {
            yield_now().await;
        }
        j.tick().await;
    }
    for f in csvs {
        if j.stopped {
            break;
        }
        import_csv(j, &f).await;
    }
}

async fn read_bytes(blob: &web_sys::Blob) -> Option<Vec<u8>> {
    bytes_of(JsFuture::from(blob.array_buffer()).await)
}

fn bytes_of(read: Result<JsValue, JsValue>) -> Option<Vec<u8>> {
    let buf: js_sys::ArrayBuffer = read.ok()?.dyn_into().ok()?;
    Some(js_sys::Uint8Array::new(&buf).to_vec())
}

/// Streams a `cables.csv` of any size: reads it in chunks, decodes UTF-8 across chunk boundaries,
/// and takes each record as soon as it is complete.
async fn import_csv(j: &mut Job, f: &web_sys::File) {
    let name = f.name();
    let size = f.size();
    let mut decoder = crate::import::Utf8Pieces::default();
    let mut reader = CsvReader::new();
    let base = j.progress.bytes_done;
    let mut offset = 0.0;
    let mut records = 0usize;
    // With parse workers: complete records go out as raw text, a few groups per worker.
    let workers = parse_pool::ready_workers().await;
    let capacity = parse_pool::IN_FLIGHT_PER_WORKER * workers;
    let mut in_flight: std::collections::VecDeque<(Vec<String>, JsFuture)> = std::collections::VecDeque::new();
    let cables_before = j.progress.cables;
    while offset < size && !j.stopped {
        let end = (offset + CHUNK).min(size);
        let Ok(part) = f.slice_with_f64_and_f64(offset, end) else {
            break;
        };
        let Some(bytes) = read_bytes(&part).await else {
            j.fail(
                &name,
                format!(
                    "{name} could not be read past {:.0} MB (was it moved or deleted?).",
                    offset / 1e6
                ),
            );
            return;
        };
        if offset == 0.0 && bytes.iter().take(8192).any(|b| *b == 0) {
            j.fail(
                &name,
                format!(
                    "{name} is a binary file, not text. Expected cables.csv (8 quoted columns)."
                ),
            );
            return;
        }
        offset = end;
        let eof = offset >= size;
        let text = decoder.decode(bytes, eof);
        reader.push(&text);
        if workers > 0 {
            while let Some(raw) = reader.take_raw(eof, CSV_GROUP_BYTES) {
                if in_flight.len() >= capacity {
                    if let Some(sent) = in_flight.pop_front() {
                        take_answer(j, sent).await;
                    }
                    if j.stopped {
                        return;
                    }
                }
                let buf = js_sys::Uint8Array::from(raw.as_bytes()).buffer();
                match parse_pool::send(&[Input::Bytes(name.clone(), buf)]) {
                    Some(answer) => in_flight.push_back((vec![name.clone()], answer)),
                    None => {
                        // No parse worker left: these records are read here.
                        j.progress.bytes_done += raw.len() as f64;
                        j.take(parse_pool::csv_records(&raw, &name)).await;
                    }
                }
            }
            j.tick().await;
            continue;
        }
        let mut parsed = Vec::new();
        while let Some(rec) = reader.next_record(eof) {
            parsed.push(record_from_csv(rec, &name, now()));
            records += 1;
            if parsed.len() >= 200 {
                // Progress counts the bytes of the records taken, not the bytes read ahead.
                j.progress.bytes_done = base + (offset - reader.pending() as f64).max(0.0);
                j.take(std::mem::take(&mut parsed)).await;
                if j.stopped {
                    return;
                }
            }
        }
        j.progress.bytes_done = base + (offset - reader.pending() as f64).max(0.0);
        j.take(parsed).await;
    }
    while let Some(sent) = in_flight.pop_front() {
        if j.stopped {
            break;
        }
        take_answer(j, sent).await;
    }
    records += j.progress.cables - cables_before;
    if records == 0 && !j.stopped {
        j.fail(&name, format!("No cable found in {name}. Expected the bulk cables.csv: 8 double-quoted columns per record."));
    }
}
