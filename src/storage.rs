//! Browser storage: the library of cables in IndexedDB, each kept as the original text it was read
//! from (verbatim), so a better parser re-reads old cables. This module is the only one that talks
//! to IndexedDB.
//!
//! A cable's record (`cables`, keyed by its key) holds where it came from and names a chunk of
//! texts (`texts`) that holds its text with the texts of the cables stored beside it, ~96 KB a
//! chunk ([`CHUNK_CHARS`]; ~66 KB for the texts searches read back, [`SNIPPET_CHUNK_CHARS`]).
//! Chromium keeps a value over 64 KB as a file of its own next to its database (LevelDB), at a
//! fraction of the CPU it spends putting the same bytes into the database as small records, whose
//! compactions grow with the library (an import of 250,000 cables: 121 s of the browser's CPU
//! with texts inline, 59 s in chunks); but one text read alone then costs the reading of its
//! whole chunk (50 random texts: ~25 ms instead of ~8). Records of older versions, text inline,
//! are read as they are.

use cable_parser::Meta;
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{IdbDatabase, IdbObjectStore, IdbRequest, IdbTransaction, IdbTransactionMode};

/// Name of the IndexedDB database.
pub const DB_NAME: &str = "cable-reader";
/// Schema version (2 added the index snapshot, 3 the chunks of texts, 4 the word positions).
const DB_VERSION: u32 = 4;
/// The object store holding cables.
const STORE: &str = "cables";
/// The object store holding the cables' texts, in chunks (arrays of strings; `null` where the
/// cable was deleted) under keys of their own; a cable's record names its chunk and slot.
const TEXTS: &str = "texts";
/// A chunk of texts is closed once it holds this many characters: its value is then over the
/// 64 KB past which Chromium stores it as a file (a character is one byte or two).
pub const CHUNK_CHARS: u32 = 96 * 1024;
/// The same for texts that searches read back for their snippets (past the worker's text
/// budget): just over 64 KB, since each snippet costs the read of its whole chunk (100,000
/// cables, one pair: the worker's search 15.7 / 22.3 ms at p50 / p95 with 96 Ki, 13.7 / 19.4 with
/// 66 Ki; the import the same).
pub const SNIPPET_CHUNK_CHARS: u32 = 66 * 1024;
/// The object store holding the search index of the library, as bytes (one record).
const SNAPSHOT_STORE: &str = "snapshot";
/// The object store holding the word positions a large library's index moved out of memory:
/// pages of runs (bytes, see `cable_index::stored_positions`) under `<run>/<page>` in hex.
const POSITIONS: &str = "positions";

/// One cable as stored: the original text and where it came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredCable {
    /// The key: the cable's canonical id (or `TEXT-<hash>` when the text names none).
    pub key: String,
    /// The text exactly as received (a paste, a file's content, or one cable cut from a larger input).
    pub original: String,
    /// What the container said about the cable when `original` is only the cable's own text
    /// (one record of a csv, one of several cables in a paste). `None`: `original` is the whole input.
    #[serde(default)]
    pub meta: Option<Meta>,
    /// Where it came from: `paste`, `sample`, or a file name.
    pub source: String,
    /// When it was added (milliseconds since the epoch).
    pub added_ms: f64,
}

/// An error of browser storage, in words a person can act on.
#[derive(Debug, Clone, PartialEq)]
pub struct StorageError(pub String);

impl std::fmt::Display for StorageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn js_error(context: &str, e: JsValue) -> StorageError {
    let name = e.dyn_ref::<web_sys::DomException>().map(|d| d.name()).unwrap_or_default();
    let msg = e
        .dyn_ref::<web_sys::DomException>()
        .map(|d| d.message())
        .or_else(|| e.as_string())
        .unwrap_or_else(|| format!("{e:?}"));
    if name == "QuotaExceededError" {
        return StorageError(format!(
            "{context}: the browser's storage quota for this site is full. Nothing was half-written; free space by deleting cables or allow more storage for this site."
        ));
    }
    StorageError(format!("{context}: {msg}"))
}

/// Waits for an IndexedDB request to succeed or fail. Both handlers are dropped (and the request
/// let go) once either has run: a handler left uncalled and never freed kept its request, and so
/// the request's result, alive for ever (every batch read to rebuild an index: gigabytes).
async fn await_request(req: &IdbRequest) -> Result<JsValue, JsValue> {
    type Sender = futures::channel::oneshot::Sender<Result<JsValue, JsValue>>;
    let (send, answer) = futures::channel::oneshot::channel();
    let send: std::rc::Rc<std::cell::RefCell<Option<Sender>>> = std::rc::Rc::new(std::cell::RefCell::new(Some(send)));
    let request_of = |e: &web_sys::Event| e.target().and_then(|t| t.dyn_into::<IdbRequest>().ok());
    let ok = send.clone();
    let on_success = Closure::<dyn FnMut(web_sys::Event)>::new(move |e: web_sys::Event| {
        if let Some(s) = ok.borrow_mut().take() {
            let _ = s.send(Ok(request_of(&e).and_then(|r| r.result().ok()).unwrap_or(JsValue::UNDEFINED)));
        }
    });
    let failed = send.clone();
    let on_error = Closure::<dyn FnMut(web_sys::Event)>::new(move |e: web_sys::Event| {
        if let Some(s) = failed.borrow_mut().take() {
            let err = request_of(&e).and_then(|r| r.error().ok().flatten()).map(JsValue::from).unwrap_or_else(|| JsValue::from_str("request failed"));
            let _ = s.send(Err(err));
        }
    });
    req.set_onsuccess(Some(on_success.as_ref().unchecked_ref()));
    req.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    let result = answer.await.unwrap_or_else(|_| Err(JsValue::from_str("request dropped")));
    req.set_onsuccess(None);
    req.set_onerror(None);
    result
}

/// Waits for a transaction to commit (`complete`), or reports why it did not (`error`, `abort`).
/// A promise settled when the transaction completes (resolved) or fails (rejected). The handlers
/// are attached at once, so the caller may do other work before awaiting it. They hold only the
/// promise's functions (the transaction is read from the event), so the two left uncalled keep
/// nothing large alive.
fn transaction_done(tx: &IdbTransaction) -> js_sys::Promise {
    js_sys::Promise::new(&mut |resolve, reject| {
        let on_complete = Closure::once_into_js(move |_e: web_sys::Event| {
            let _ = resolve.call0(&JsValue::NULL);
        });
        let error_of = |e: &web_sys::Event, what: &str| {
            e.current_target()
                .and_then(|t| t.dyn_into::<IdbTransaction>().ok())
                .and_then(|t| t.error())
                .map(JsValue::from)
                .unwrap_or_else(|| JsValue::from_str(what))
        };
        let reject2 = reject.clone();
        let on_error = Closure::once_into_js(move |e: web_sys::Event| {
            let _ = reject.call1(&JsValue::NULL, &error_of(&e, "transaction failed"));
        });
        let on_abort = Closure::once_into_js(move |e: web_sys::Event| {
            let _ = reject2.call1(&JsValue::NULL, &error_of(&e, "transaction aborted"));
        });
        tx.set_oncomplete(Some(on_complete.unchecked_ref()));
        tx.set_onerror(Some(on_error.unchecked_ref()));
        tx.set_onabort(Some(on_abort.unchecked_ref()));
    })
}

async fn await_transaction(tx: &IdbTransaction) -> Result<(), JsValue> {
    JsFuture::from(transaction_done(tx)).await.map(|_| ())
}

/// Opens (creating on first use) the library database.
pub async fn open() -> Result<IdbDatabase, StorageError> {
    open_named(DB_NAME).await
}

/// Opens a database with the library's schema under another name (tests use their own).
pub async fn open_named(name: &str) -> Result<IdbDatabase, StorageError> {
    // The page and the import worker both open the library.
    let global = js_sys::global();
    let factory = if let Some(w) = global.dyn_ref::<web_sys::Window>() {
        w.indexed_db()
    } else if let Some(w) = global.dyn_ref::<web_sys::WorkerGlobalScope>() {
        w.indexed_db()
    } else {
        return Err(StorageError("IndexedDB is not available here.".into()));
    };
    let factory = factory
        .map_err(|e| js_error("IndexedDB is not available", e))?
        .ok_or_else(|| StorageError("This browser offers no IndexedDB (private mode?): the library cannot be kept.".into()))?;
    let req = factory.open_with_u32(name, DB_VERSION).map_err(|e| js_error("Cannot open the library", e))?;
    let upgrade = Closure::<dyn FnMut(web_sys::IdbVersionChangeEvent)>::new(move |e: web_sys::IdbVersionChangeEvent| {
        let Some(target) = e.target() else { return };
        let Ok(req) = target.dyn_into::<IdbRequest>() else { return };
        let Ok(result) = req.result() else { return };
        let Ok(db) = result.dyn_into::<IdbDatabase>() else { return };
        if !db.object_store_names().contains(STORE) {
            let params = web_sys::IdbObjectStoreParameters::new();
            params.set_key_path(&JsValue::from_str("key"));
            let _ = db.create_object_store_with_optional_parameters(STORE, &params);
        }
        if !db.object_store_names().contains(SNAPSHOT_STORE) {
            let _ = db.create_object_store(SNAPSHOT_STORE);
        }
        if !db.object_store_names().contains(TEXTS) {
            let _ = db.create_object_store(TEXTS);
        }
        if !db.object_store_names().contains(POSITIONS) {
            let _ = db.create_object_store(POSITIONS);
        }
    });
    req.set_onupgradeneeded(Some(upgrade.as_ref().unchecked_ref()));
    let result = await_request(&req).await;
    req.set_onupgradeneeded(None);
    drop(upgrade);
    let db = result.map_err(|e| js_error("Cannot open the library", e))?;
    db.dyn_into::<IdbDatabase>().map_err(|_| StorageError("Cannot open the library: unexpected result".into()))
}

/// Stores cables in one transaction: all are written, or none.
pub async fn put_all(db: &IdbDatabase, cables: &[StoredCable]) -> Result<(), StorageError> {
    put_all_begin(db, cables)?.finished().await
}

/// A write issued and not yet committed (see [`put_all_begin`]).
pub struct PendingWrite(js_sys::Promise);

impl PendingWrite {
    /// Waits for the commit: all cables written, or none (with the reason).
    pub async fn finished(self) -> Result<(), StorageError> {
        JsFuture::from(self.0).await.map(|_| ()).map_err(|e| js_error("Cannot save the cable", e))
    }
}

/// Issues the writes of [`put_all`] in one transaction and returns before the commit, so the
/// caller can work while the browser writes (the import indexes the batch meanwhile).
pub fn put_all_begin<'a>(db: &IdbDatabase, cables: impl IntoIterator<Item = &'a StoredCable>) -> Result<PendingWrite, StorageError> {
    let values = cables.into_iter().map(record_value).collect::<Result<Vec<_>, _>>()?;
    put_values_begin(db, &values, CHUNK_CHARS)
}

/// A cable as the object stored (made where the cable was read: a parse worker sends it ready).
pub fn record_value(c: &StoredCable) -> Result<JsValue, StorageError> {
    serde_wasm_bindgen::to_value(c).map_err(|e| StorageError(format!("Cannot save: {e}")))
}

/// Gives a record made by [`record_value`] another key (a further version of a cable).
pub fn set_record_key(value: &JsValue, key: &str) {
    let _ = js_sys::Reflect::set(value, &JsValue::from_str("key"), &JsValue::from_str(key));
}

/// [`put_all_begin`] for records made by [`record_value`]: their texts go in chunks closed at
/// `chunk_chars` ([`CHUNK_CHARS`] or [`SNIPPET_CHUNK_CHARS`]), and the records are changed to name
/// their chunk and slot instead of holding their text.
pub fn put_values_begin(db: &IdbDatabase, values: &[JsValue], chunk_chars: u32) -> Result<PendingWrite, StorageError> {
    let what = "Cannot save";
    let tx = db
        .transaction_with_str_sequence_and_mode(&both_stores(), IdbTransactionMode::Readwrite)
        .map_err(|e| js_error(what, e))?;
    let done = transaction_done(&tx);
    let write = || -> Result<(), JsValue> {
        let store = tx.object_store(STORE)?;
        let texts = tx.object_store(TEXTS)?;
        let mut chunk = js_sys::Array::new();
        let mut chunk_id = JsValue::from_str(&new_chunk_id());
        let mut chars = 0;
        for value in values {
            let original = js_sys::Reflect::get(value, &ORIGINAL.with(JsValue::clone))?;
            if let Some(text) = original.dyn_ref::<js_sys::JsString>() {
                chars += text.length();
                js_sys::Reflect::set(value, &CHUNK.with(JsValue::clone), &chunk_id)?;
                js_sys::Reflect::set(value, &SLOT.with(JsValue::clone), &JsValue::from(chunk.length()))?;
                js_sys::Reflect::delete_property(value.unchecked_ref::<js_sys::Object>(), &ORIGINAL.with(JsValue::clone))?;
                chunk.push(text);
            }
            store.put(value)?;
            if chars >= chunk_chars {
                texts.put_with_key(&chunk, &chunk_id)?;
                chunk = js_sys::Array::new();
                chunk_id = JsValue::from_str(&new_chunk_id());
                chars = 0;
            }
        }
        if chunk.length() > 0 {
            texts.put_with_key(&chunk, &chunk_id)?;
        }
        Ok(())
    };
    if let Err(e) = write() {
        let _ = tx.abort();
        return Err(js_error(what, e));
    }
    Ok(PendingWrite(done))
}

thread_local! {
    static ORIGINAL: JsValue = JsValue::from_str("original");
    static CHUNK: JsValue = JsValue::from_str("chunk");
    static SLOT: JsValue = JsValue::from_str("slot");
    static CHUNKS_MADE: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

/// The names of the cables' two stores, for a transaction over both.
fn both_stores() -> js_sys::Array {
    js_sys::Array::of2(&JsValue::from_str(STORE), &JsValue::from_str(TEXTS))
}

/// A key no other chunk has: the time, a random part (the page and the worker both write) and a
/// count of the chunks made here.
fn new_chunk_id() -> String {
    let n = CHUNKS_MADE.with(|c| {
        c.set(c.get().wrapping_add(1));
        c.get()
    });
    format!("{:x}-{:x}-{n:x}", js_sys::Date::now() as u64, (js_sys::Math::random() * 4_294_967_296.0) as u64)
}

/// The chunk and slot a record's text is kept in (`None` for a record holding its text).
fn chunk_of(value: &JsValue) -> Option<(JsValue, u32)> {
    let chunk = js_sys::Reflect::get(value, &CHUNK.with(JsValue::clone)).ok().filter(|c| c.is_string())?;
    let slot = js_sys::Reflect::get(value, &SLOT.with(JsValue::clone)).ok()?.as_f64()?;
    Some((chunk, slot as u32))
}

/// Puts each record's text back into it (`original`) from its chunk, reading the chunks named (each
/// once, all under way together) in `tx`, a transaction over both stores. A record whose text
/// cannot be found is left without it (read as unreadable, not fatal).
async fn fill_originals(tx: &IdbTransaction, values: &[JsValue]) -> Result<(), JsValue> {
    let mut ids: Vec<String> = Vec::new();
    let mut wanted: Vec<Option<(usize, u32)>> = Vec::with_capacity(values.len());
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for v in values {
        wanted.push(chunk_of(v).and_then(|(id, slot)| {
            let id = id.as_string()?;
            let next = ids.len();
            let i = *seen.entry(id.clone()).or_insert(next);
            if i == next {
                ids.push(id);
            }
            Some((i, slot))
        }));
    }
    if ids.is_empty() {
        return Ok(());
    }
    let texts = tx.object_store(TEXTS)?;
    let requests = ids.iter().map(|id| texts.get(&JsValue::from_str(id))).collect::<Result<Vec<_>, _>>()?;
    let chunks = futures::future::join_all(requests.iter().map(await_request)).await;
    for (v, want) in values.iter().zip(wanted) {
        let Some((i, slot)) = want else { continue };
        let Some(Ok(chunk)) = chunks.get(i) else { continue };
        let Some(chunk) = chunk.dyn_ref::<js_sys::Array>() else { continue };
        let text = chunk.get(slot);
        if text.is_string() {
            js_sys::Reflect::set(v, &ORIGINAL.with(JsValue::clone), &text)?;
        }
    }
    Ok(())
}

/// Opens a read-only transaction over both stores.
fn read_both(db: &IdbDatabase, what: &str) -> Result<IdbTransaction, StorageError> {
    db.transaction_with_str_sequence(&both_stores()).map_err(|e| js_error(what, e))
}

/// Runs one read request on a store and waits for its result; an error says `what` failed.
async fn read(db: &IdbDatabase, store: &str, what: &str, request: impl FnOnce(&IdbObjectStore) -> Result<IdbRequest, JsValue>) -> Result<JsValue, StorageError> {
    let tx = db.transaction_with_str(store).map_err(|e| js_error(what, e))?;
    let store = tx.object_store(store).map_err(|e| js_error(what, e))?;
    let req = request(&store).map_err(|e| js_error(what, e))?;
    await_request(&req).await.map_err(|e| js_error(what, e))
}

/// Every stored cable, in key order.
pub async fn get_all(db: &IdbDatabase) -> Result<Vec<StoredCable>, StorageError> {
    let what = "Cannot read the library";
    let tx = read_both(db, what)?;
    let req = tx.object_store(STORE).and_then(|s| s.get_all()).map_err(|e| js_error(what, e))?;
    let all = await_request(&req).await.map_err(|e| js_error(what, e))?;
    let array: js_sys::Array = all.dyn_into().map_err(|_| StorageError("Cannot read the library: not a list".into()))?;
    fill_originals(&tx, &array.to_vec()).await.map_err(|e| js_error(what, e))?;
    let mut out = Vec::with_capacity(array.length() as usize);
    for v in array.iter() {
        // A record this version cannot read is skipped, not fatal: the rest of the library stays usable.
        if let Ok(c) = serde_wasm_bindgen::from_value::<StoredCable>(v) {
            out.push(c);
        }
    }
    Ok(out)
}

/// Up to `count` stored cables in key order, after the key `after` (from the first when `None`):
/// a large library is read a batch at a time, never whole.
pub async fn get_batch(db: &IdbDatabase, after: Option<&str>, count: u32) -> Result<Vec<StoredCable>, StorageError> {
    let array = get_batch_values(db, after, count).await?;
    // A record this version cannot read is skipped, not fatal: the rest of the library stays usable.
    Ok(array.iter().filter_map(|v| serde_wasm_bindgen::from_value::<StoredCable>(v).ok()).collect())
}

/// [`get_batch`] as the objects IndexedDB holds (to hand to a parse worker unread; the key of
/// each is [`record_key`]).
pub async fn get_batch_values(db: &IdbDatabase, after: Option<&str>, count: u32) -> Result<js_sys::Array, StorageError> {
    let range = match after {
        Some(k) => Some(web_sys::IdbKeyRange::lower_bound_with_open(&JsValue::from_str(k), true).map_err(|e| js_error("Cannot read the library", e))?),
        None => None,
    };
    get_values_in(db, range.as_ref(), Some(count)).await
}

/// The stored objects whose keys run from `first` to `last` (both included), in key order, each
/// with its text put back (`original`).
pub async fn get_range_values(db: &IdbDatabase, first: &str, last: &str) -> Result<js_sys::Array, StorageError> {
    let range = web_sys::IdbKeyRange::bound(&JsValue::from_str(first), &JsValue::from_str(last)).map_err(|e| js_error("Cannot read the library", e))?;
    get_values_in(db, Some(&range), None).await
}

/// The stored objects in `range` (all when `None`), at most `limit`, with their texts put back.
async fn get_values_in(db: &IdbDatabase, range: Option<&web_sys::IdbKeyRange>, limit: Option<u32>) -> Result<js_sys::Array, StorageError> {
    let what = "Cannot read the library";
    let tx = read_both(db, what)?;
    let query: JsValue = range.map_or(JsValue::UNDEFINED, |r| r.into());
    let req = tx
        .object_store(STORE)
        .and_then(|s| match limit {
            Some(n) => s.get_all_with_key_and_limit(&query, n),
            None => s.get_all_with_key(&query),
        })
        .map_err(|e| js_error(what, e))?;
    let all = await_request(&req).await.map_err(|e| js_error(what, e))?;
    let array: js_sys::Array = all.dyn_into().map_err(|_| StorageError(format!("{what}: not a list")))?;
    fill_originals(&tx, &array.to_vec()).await.map_err(|e| js_error(what, e))?;
    Ok(array)
}

/// The key of a stored object (as [`get_batch_values`] gives them).
pub fn record_key(value: &JsValue) -> Option<String> {
    js_sys::Reflect::get(value, &JsValue::from_str("key")).ok()?.as_string()
}

/// One stored cable, if the library holds it.
pub async fn get(db: &IdbDatabase, key: &str) -> Result<Option<StoredCable>, StorageError> {
    let what = "Cannot read the library";
    let tx = read_both(db, what)?;
    let req = tx.object_store(STORE).and_then(|s| s.get(&JsValue::from_str(key))).map_err(|e| js_error(what, e))?;
    let v = await_request(&req).await.map_err(|e| js_error(what, e))?;
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    fill_originals(&tx, std::slice::from_ref(&v)).await.map_err(|e| js_error(what, e))?;
    serde_wasm_bindgen::from_value(v).map(Some).map_err(|e| StorageError(format!("Cannot read {key}: {e}")))
}

/// Several stored cables at once (one transaction, every read under way together), in the order
/// of `keys`; `None` for a key the library does not hold or a record this version cannot read.
pub async fn get_many(db: &IdbDatabase, keys: &[String]) -> Result<Vec<Option<StoredCable>>, StorageError> {
    get_many_begin(db, keys)?.await
}

/// Issues the reads of [`get_many`] at once and returns what waits for them, so the caller can
/// work while the browser reads (a search counts its facets meanwhile).
pub fn get_many_begin(db: &IdbDatabase, keys: &[String]) -> Result<impl std::future::Future<Output = Result<Vec<Option<StoredCable>>, StorageError>>, StorageError> {
    let what = "Cannot read the library";
    let tx = read_both(db, what)?;
    let store = tx.object_store(STORE).map_err(|e| js_error(what, e))?;
    let requests = keys
        .iter()
        .map(|k| store.get(&JsValue::from_str(k)).map_err(|e| js_error(what, e)))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(async move {
        let values: Vec<JsValue> = futures::future::join_all(requests.iter().map(await_request))
            .await
            .into_iter()
            .map(|v| v.ok().filter(|v| !v.is_undefined() && !v.is_null()).unwrap_or(JsValue::NULL))
            .collect();
        fill_originals(&tx, &values).await.map_err(|e| js_error(what, e))?;
        Ok(values
            .into_iter()
            .map(|v| if v.is_null() { None } else { serde_wasm_bindgen::from_value(v).ok() })
            .collect())
    })
}

/// How many cables are stored.
pub async fn count(db: &IdbDatabase) -> Result<usize, StorageError> {
    let n = read(db, STORE, "Cannot read the library", |s| s.count()).await?;
    Ok(n.as_f64().unwrap_or(0.0) as usize)
}

/// The keys of every stored cable (without reading the texts).
pub async fn all_keys(db: &IdbDatabase) -> Result<Vec<String>, StorageError> {
    let all = read(db, STORE, "Cannot read the library", |s| s.get_all_keys()).await?;
    let array: js_sys::Array = all.dyn_into().map_err(|_| StorageError("Cannot read the library: not a list".into()))?;
    Ok(array.iter().filter_map(|k| k.as_string()).collect())
}

/// Writes the library's index snapshot as records of about [`SNAPSHOT_PIECE`] bytes, each in a
/// transaction of its own that commits before the next piece is made: a snapshot of a large
/// library (hundreds of MB) is never whole in the JS memory, nor queued whole for IndexedDB (one
/// transaction for all of it held every piece, and its serialized copy, until the commit: the
/// tab's memory peaked there). The pieces go under a key prefix of their own (the snapshot's
/// generation); [`SnapshotWriter::finish`] then names it `current` and deletes every other
/// record in one transaction, so a reader sees the old snapshot or the new one, whole. Parts:
/// `index` and `texts` (the texts snippets quote).
pub struct SnapshotWriter {
    db: IdbDatabase,
    /// The key prefix of this snapshot's records.
    generation: String,
    /// The part being written, its pieces so far, and the bytes not yet put: a JS buffer of one
    /// piece (made at the first byte), filled up to `filled`, and used again for every piece (a
    /// `put` copies the value before it returns). Bytes gathered in the Wasm memory instead grew
    /// it by ~120 MB at each save of a 100,000-cable library (the doubling buffer found no room
    /// among the index's allocations), and a Wasm memory never shrinks.
    part: String,
    pieces: u32,
    pending: js_sys::Uint8Array,
    filled: usize,
    /// The parts ended, with their piece counts.
    parts: Vec<(String, u32)>,
    /// Bytes per stored piece.
    piece: usize,
}

/// Bytes of one stored piece of a snapshot part. Saving holds one piece and IndexedDB's copy of
/// it; reopening, the piece being read and the next: with 32 MB pieces that was ~64 MB at the
/// moment a 250,000-cable library's memory peaks (the end of a rebuild, when the index is saved).
pub const SNAPSHOT_PIECE: usize = 8 << 20;

/// The most bytes a stored piece may have (earlier versions wrote pieces of 32 MB).
const LARGEST_PIECE: usize = 32 << 20;

/// The snapshot store's record naming the generation of the snapshot in use.
const CURRENT: &str = "current";

impl SnapshotWriter {
    /// Starts a snapshot (the previous one stays in use until [`SnapshotWriter::finish`]).
    pub fn begin(db: &IdbDatabase) -> SnapshotWriter {
        Self::begin_with_pieces_of(db, SNAPSHOT_PIECE)
    }

    /// [`SnapshotWriter::begin`] with pieces of `piece` bytes (tests use small ones).
    pub fn begin_with_pieces_of(db: &IdbDatabase, piece: usize) -> SnapshotWriter {
        SnapshotWriter { db: db.clone(), generation: new_chunk_id(), part: String::new(), pieces: 0, pending: js_sys::Uint8Array::new_with_length(0), filled: 0, parts: Vec::new(), piece: piece.max(1) }
    }

    /// Starts the part `name` (ending the one before).
    pub async fn part(&mut self, name: &str) -> Result<(), StorageError> {
        self.end_part().await?;
        self.part = name.to_string();
        self.pieces = 0;
        Ok(())
    }

    /// Appends bytes to the current part, storing each full piece before returning.
    pub async fn write(&mut self, mut bytes: &[u8]) -> Result<(), StorageError> {
        while !bytes.is_empty() {
            let piece = self.piece;
            if self.pending.length() as usize != piece {
                self.pending = js_sys::Uint8Array::new_with_length(piece as u32);
            }
            let n = (piece - self.filled).min(bytes.len());
            self.pending.subarray(self.filled as u32, (self.filled + n) as u32).copy_from(&bytes[..n]);
            self.filled += n;
            bytes = &bytes[n..];
            if self.filled == piece {
                self.put_piece().await?;
            }
        }
        Ok(())
    }

    /// Stores the bytes not yet put as the part's next piece, and waits for the commit.
    async fn put_piece(&mut self) -> Result<(), StorageError> {
        let what = "Cannot save the index";
        // A last, partial piece is copied out of the buffer: a view would be stored with all of
        // its buffer.
        let array = if self.filled == self.piece { self.pending.clone() } else { self.pending.slice(0, self.filled as u32) };
        self.filled = 0;
        let key = format!("{}/{}-{:05}", self.generation, self.part, self.pieces);
        self.pieces += 1;
        let tx = self.db.transaction_with_str_and_mode(SNAPSHOT_STORE, IdbTransactionMode::Readwrite).map_err(|e| js_error(what, e))?;
        let done = transaction_done(&tx);
        let store = tx.object_store(SNAPSHOT_STORE).map_err(|e| js_error(what, e))?;
        if let Err(e) = store.put_with_key(&array, &JsValue::from_str(&key)) {
            let _ = tx.abort();
            return Err(js_error(what, e));
        }
        drop(array);
        JsFuture::from(done).await.map(drop).map_err(|e| js_error(what, e))
    }

    /// Puts the last piece of the current part.
    async fn end_part(&mut self) -> Result<(), StorageError> {
        if self.part.is_empty() {
            return Ok(());
        }
        if self.filled > 0 || self.pieces == 0 {
            self.put_piece().await?;
        }
        self.parts.push((std::mem::take(&mut self.part), self.pieces));
        Ok(())
    }

    /// Ends the last part, then, in one transaction, records each part's piece count, names this
    /// snapshot `current` and deletes every record of another (the previous snapshot, pieces of
    /// one never finished). On any error the previous snapshot stays in use.
    pub async fn finish(mut self) -> Result<(), StorageError> {
        self.end_part().await?;
        let what = "Cannot save the index";
        let tx = self.db.transaction_with_str_and_mode(SNAPSHOT_STORE, IdbTransactionMode::Readwrite).map_err(|e| js_error(what, e))?;
        let done = transaction_done(&tx);
        let switch = async {
            let store = tx.object_store(SNAPSHOT_STORE)?;
            let keys = await_request(&store.get_all_keys()?).await?;
            let mine = format!("{}/", self.generation);
            for key in js_sys::Array::from(&keys).iter() {
                if !key.as_string().is_some_and(|k| k.starts_with(&mine)) {
                    store.delete(&key)?;
                }
            }
            for (part, pieces) in &self.parts {
                store.put_with_key(&JsValue::from(*pieces), &JsValue::from_str(&format!("{mine}{part}#pieces")))?;
            }
            store.put_with_key(&JsValue::from_str(&self.generation), &JsValue::from_str(CURRENT))?;
            Ok::<(), JsValue>(())
        };
        if let Err(e) = switch.await {
            let _ = tx.abort();
            let _ = JsFuture::from(done).await;
            return Err(js_error(what, e));
        }
        JsFuture::from(done).await.map(drop).map_err(|e| js_error(what, e))
    }
}

/// Stores the library's index snapshot: both parts (see [`SnapshotWriter`]).
pub async fn put_snapshot(db: &IdbDatabase, index: &[u8], texts: &[u8]) -> Result<(), StorageError> {
    let mut w = SnapshotWriter::begin(db);
    w.part("index").await?;
    w.write(index).await?;
    w.part("texts").await?;
    w.write(texts).await?;
    w.finish().await
}

/// A part of the library's index snapshot (`index` or `texts`), if one is stored, as one buffer.
pub async fn get_snapshot(db: &IdbDatabase, part: &str) -> Result<Option<Vec<u8>>, StorageError> {
    Ok(get_snapshot_pieces(db, part).await?.map(|pieces| {
        let mut out = Vec::new();
        for p in pieces {
            out.extend_from_slice(&p.to_vec());
        }
        out
    }))
}

/// [`get_snapshot`] left in its pieces in JS memory (a large part is read from them piece by
/// piece); `None` when the part is missing or incomplete.
pub async fn get_snapshot_pieces(db: &IdbDatabase, part: &str) -> Result<Option<Vec<js_sys::Uint8Array>>, StorageError> {
    let what = "Cannot read the index";
    let Some((prefix, count)) = current_part(db, part).await? else { return Ok(None) };
    let range = web_sys::IdbKeyRange::bound(&JsValue::from_str(&format!("{prefix}-")), &JsValue::from_str(&format!("{prefix}-\u{ffff}"))).map_err(|e| js_error(what, e))?;
    let all = read(db, SNAPSHOT_STORE, what, |s| s.get_all_with_key(&range)).await?;
    let pieces: Vec<js_sys::Uint8Array> = js_sys::Array::from(&all).iter().filter_map(|v| v.dyn_into().ok()).collect();
    Ok((pieces.len() == count as usize).then_some(pieces))
}

/// A stored snapshot part read a piece at a time, the next piece's read under way while the caller
/// uses one: at most two pieces are in JS memory at once, not the whole part.
pub struct SnapshotPieces {
    db: IdbDatabase,
    prefix: String,
    count: u32,
    next: u32,
    /// The read of piece `next`, when started.
    ahead: Option<JsFuture>,
}

/// The pieces of the current snapshot's `part` (`index` or `texts`), if one is stored.
pub async fn snapshot_pieces(db: &IdbDatabase, part: &str) -> Result<Option<SnapshotPieces>, StorageError> {
    let Some((prefix, count)) = current_part(db, part).await? else { return Ok(None) };
    Ok(Some(SnapshotPieces { db: db.clone(), prefix, count, next: 0, ahead: None }))
}

/// The key prefix of the current snapshot's `part` and how many pieces it has, if one is stored.
async fn current_part(db: &IdbDatabase, part: &str) -> Result<Option<(String, u32)>, StorageError> {
    let what = "Cannot read the index";
    let current = read(db, SNAPSHOT_STORE, what, |s| s.get(&JsValue::from_str(CURRENT))).await?;
    let Some(generation) = current.as_string() else { return Ok(None) };
    let prefix = format!("{generation}/{part}");
    let count = read(db, SNAPSHOT_STORE, what, |s| s.get(&JsValue::from_str(&format!("{prefix}#pieces")))).await?;
    Ok(count.as_f64().map(|count| (prefix, count as u32)))
}

impl SnapshotPieces {
    /// How many pieces the part has.
    pub fn count(&self) -> u32 {
        self.count
    }

    /// The most bytes the part may have (a bound for the counts read from it).
    pub fn most_bytes(&self) -> usize {
        self.count as usize * LARGEST_PIECE
    }

    /// The next piece, `None` after the last; an error when one is missing or cannot be read.
    pub async fn next(&mut self) -> Result<Option<js_sys::Uint8Array>, StorageError> {
        let what = "Cannot read the index";
        if self.next >= self.count {
            return Ok(None);
        }
        let read = match self.ahead.take() {
            Some(read) => read,
            None => self.start(self.next)?,
        };
        // The success event: its target is the request, holding the piece.
        let event = read.await.map_err(|e| js_error(what, e))?;
        let value = js_sys::Reflect::get(&event, &JsValue::from_str("target"))
            .ok()
            .and_then(|t| t.dyn_into::<IdbRequest>().ok())
            .and_then(|r| r.result().ok())
            .unwrap_or(JsValue::UNDEFINED);
        self.next += 1;
        if self.next < self.count {
            self.ahead = Some(self.start(self.next)?);
        }
        value.dyn_into().map(Some).map_err(|_| js_error(what, JsValue::from_str("a piece of the saved index is missing")))
    }

    /// Hands every piece, in order, to `sink` a window of 1 MB at a time (copied into this
    /// memory), the next piece read meanwhile: Ok(false) as soon as `sink` refuses the bytes.
    pub async fn read_all(&mut self, mut sink: impl FnMut(&[u8]) -> bool) -> Result<bool, StorageError> {
        let mut window = Vec::new();
        while let Some(piece) = self.next().await? {
            let len = piece.length();
            let mut at = 0;
            while at < len {
                let n = (len - at).min(1 << 20);
                window.resize(n as usize, 0);
                piece.subarray(at, at + n).copy_to(&mut window);
                if !sink(&window) {
                    return Ok(false);
                }
                at += n;
            }
        }
        Ok(true)
    }

    /// Starts reading piece `k`: its success event, whenever it is awaited (the promise's
    /// functions are the request's handlers, so nothing is missed meanwhile and nothing is left
    /// behind).
    fn start(&self, k: u32) -> Result<JsFuture, StorageError> {
        let what = "Cannot read the index";
        let tx = self.db.transaction_with_str(SNAPSHOT_STORE).map_err(|e| js_error(what, e))?;
        let store = tx.object_store(SNAPSHOT_STORE).map_err(|e| js_error(what, e))?;
        let req = store.get(&JsValue::from_str(&format!("{}-{k:05}", self.prefix))).map_err(|e| js_error(what, e))?;
        let settled = js_sys::Promise::new(&mut |resolve, reject| {
            req.set_onsuccess(Some(&resolve));
            req.set_onerror(Some(&reject));
        });
        Ok(JsFuture::from(settled))
    }
}

/// Deletes one cable, and its text from its chunk (the chunk itself once it holds no text): in one
/// transaction, so a chunk shared with cables deleted at the same time loses every one of them.
pub async fn delete(db: &IdbDatabase, key: &str) -> Result<(), StorageError> {
    let what = "Cannot delete";
    let tx = db
        .transaction_with_str_sequence_and_mode(&both_stores(), IdbTransactionMode::Readwrite)
        .map_err(|e| js_error(what, e))?;
    let done = transaction_done(&tx);
    let delete = async {
        let store = tx.object_store(STORE)?;
        let key = JsValue::from_str(key);
        let record = await_request(&store.get(&key)?).await?;
        store.delete(&key)?;
        if let Some((chunk_id, slot)) = chunk_of(&record) {
            let texts = tx.object_store(TEXTS)?;
            let chunk = await_request(&texts.get(&chunk_id)?).await?;
            if let Some(chunk) = chunk.dyn_ref::<js_sys::Array>() {
                chunk.set(slot, JsValue::NULL);
                if chunk.iter().all(|t| t.is_null()) {
                    texts.delete(&chunk_id)?;
                } else {
                    texts.put_with_key(chunk, &chunk_id)?;
                }
            }
        }
        Ok::<(), JsValue>(())
    };
    if let Err(e) = delete.await {
        let _ = tx.abort();
        let _ = JsFuture::from(done).await;
        return Err(js_error(what, e));
    }
    JsFuture::from(done).await.map(|_| ()).map_err(|e| js_error(what, e))
}

/// Deletes every cable (and the word positions of its index).
pub async fn clear(db: &IdbDatabase) -> Result<(), StorageError> {
    let what = "Cannot clear the library";
    let stores = both_stores();
    stores.push(&JsValue::from_str(POSITIONS));
    let tx = db
        .transaction_with_str_sequence_and_mode(&stores, IdbTransactionMode::Readwrite)
        .map_err(|e| js_error(what, e))?;
    for name in [STORE, TEXTS, POSITIONS] {
        let store = tx.object_store(name).map_err(|e| js_error(what, e))?;
        store.clear().map_err(|e| js_error(what, e))?;
    }
    await_transaction(&tx).await.map_err(|e| js_error(what, e))
}

/// How many chunks of texts are stored (to check that deleting cables frees their texts).
pub async fn text_chunk_count(db: &IdbDatabase) -> Result<usize, StorageError> {
    let n = read(db, TEXTS, "Cannot read the library", |s| s.count()).await?;
    Ok(n.as_f64().unwrap_or(0.0) as usize)
}

/// The key of page `page` of run `run` of word positions (hex, so keys sort by run then page).
fn position_key(run: u32, page: u32) -> String {
    format!("{run:08x}/{page:08x}")
}

/// Issues the writes of a run of word positions (its pages) in one transaction and returns before
/// the commit. A read of the positions begun after this call sees them (IndexedDB orders
/// transactions over the same store); a snapshot naming the run should wait for the commit.
pub fn put_position_pages_begin(db: &IdbDatabase, run: u32, pages: &[Vec<u8>]) -> Result<PendingWrite, StorageError> {
    let what = "Cannot save the index";
    let tx = db.transaction_with_str_and_mode(POSITIONS, IdbTransactionMode::Readwrite).map_err(|e| js_error(what, e))?;
    let done = transaction_done(&tx);
    let store = tx.object_store(POSITIONS).map_err(|e| js_error(what, e))?;
    for (k, page) in pages.iter().enumerate() {
        let value = js_sys::Uint8Array::from(page.as_slice());
        if let Err(e) = store.put_with_key(&value, &JsValue::from_str(&position_key(run, k as u32))) {
            let _ = tx.abort();
            return Err(js_error(what, e));
        }
    }
    Ok(PendingWrite(done))
}

/// Reads pages of word positions (in one transaction); a page not found is left out.
pub async fn get_position_pages(db: &IdbDatabase, keys: &[(u32, u32)]) -> Result<Vec<((u32, u32), Vec<u8>)>, StorageError> {
    let what = "Cannot read the index";
    let tx = db.transaction_with_str(POSITIONS).map_err(|e| js_error(what, e))?;
    let store = tx.object_store(POSITIONS).map_err(|e| js_error(what, e))?;
    let requests = keys
        .iter()
        .map(|&(run, page)| store.get(&JsValue::from_str(&position_key(run, page))))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| js_error(what, e))?;
    // All under way together, each with its handlers from the start.
    let values = futures::future::join_all(requests.iter().map(await_request)).await;
    let mut out = Vec::with_capacity(keys.len());
    for (key, value) in keys.iter().zip(values) {
        let value = value.map_err(|e| js_error(what, e))?;
        if let Some(bytes) = value.dyn_ref::<js_sys::Uint8Array>() {
            out.push((*key, bytes.to_vec()));
        }
    }
    Ok(out)
}

/// Deletes the runs of word positions numbered `from` on (left by an import that ended before
/// its index was saved), or all of them (`from` 0: an index rebuilt).
pub async fn delete_position_runs_from(db: &IdbDatabase, from: u32) -> Result<(), StorageError> {
    let what = "Cannot save the index";
    let tx = db.transaction_with_str_and_mode(POSITIONS, IdbTransactionMode::Readwrite).map_err(|e| js_error(what, e))?;
    let store = tx.object_store(POSITIONS).map_err(|e| js_error(what, e))?;
    let range = web_sys::IdbKeyRange::lower_bound(&JsValue::from_str(&format!("{from:08x}"))).map_err(|e| js_error(what, e))?;
    store.delete(&range).map_err(|e| js_error(what, e))?;
    await_transaction(&tx).await.map_err(|e| js_error(what, e))
}

/// How many pages of word positions are stored.
pub async fn position_page_count(db: &IdbDatabase) -> Result<usize, StorageError> {
    let n = read(db, POSITIONS, "Cannot read the library", |s| s.count()).await?;
    Ok(n.as_f64().unwrap_or(0.0) as usize)
}
