//! The library of cables held in this browser, as the page sees it: a client of the library worker
//! (which parses, stores and indexes), plus reactive state — how many cables, whether the stored
//! library is loaded, import progress and summary, notices. Components reach it with [`use_library`].

use crate::import::cable_from_record;
use crate::protocol::{FromWorker, ImportSummary, Progress, TextInput, ToWorker};
use crate::storage::{self, StoredCable};
use cable_index::{SearchRequest, SearchResponse};
use cable_parser::Cable;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::sync::Arc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// One cable of the library: the stored record and its parsed fields.
#[derive(Debug, Clone)]
pub struct Entry {
    /// What is stored (original text).
    pub record: Arc<StoredCable>,
    /// The parsed cable.
    pub cable: Arc<Cable>,
}

impl PartialEq for Entry {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.record, &other.record) && Arc::ptr_eq(&self.cable, &other.cable)
    }
}

/// How a notice looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeKind {
    /// Something went wrong; says what to do.
    Error,
    /// Something worked.
    Info,
}

/// A message shown at the top of the page.
#[derive(Debug, Clone, PartialEq)]
pub struct Notice {
    /// Error or info.
    pub kind: NoticeKind,
    /// The words.
    pub text: String,
    /// The route (fragment) the notice belongs to: it is not shown after navigating elsewhere.
    pub at: String,
}

/// The library, shared by context.
#[derive(Clone, Copy)]
pub struct Library {
    /// Cables held.
    pub count: RwSignal<usize>,
    /// False until the worker has read and indexed the stored library.
    pub ready: RwSignal<bool>,
    /// Bumped whenever the library changes (searches and open cables re-read).
    pub revision: RwSignal<u64>,
    /// The latest notice.
    pub notice: RwSignal<Option<Notice>>,
    /// The import running, if any.
    pub progress: RwSignal<Option<Progress>>,
    /// How the last import of files ended (shown until dismissed).
    pub summary: RwSignal<Option<ImportSummary>>,
    /// Milliseconds from page start until the stored library was searchable.
    pub ready_ms: RwSignal<Option<f64>>,
}

type ImportCallback = Box<dyn FnOnce(ImportSummary)>;
type SearchCallback = Box<dyn FnOnce(SearchResponse, f64)>;
type GraphCallback = Box<dyn FnOnce(Vec<String>, Vec<String>)>;

thread_local! {
    static WORKER: RefCell<Option<web_sys::Worker>> = const { RefCell::new(None) };
    static NEXT: Cell<u32> = const { Cell::new(1) };
    static IMPORTS: RefCell<HashMap<u32, ImportCallback>> = RefCell::new(HashMap::new());
    static SEARCHES: RefCell<HashMap<u32, SearchCallback>> = RefCell::new(HashMap::new());
    static CITED: RefCell<HashMap<u32, GraphCallback>> = RefCell::new(HashMap::new());
    static DB: RefCell<Option<web_sys::IdbDatabase>> = const { RefCell::new(None) };
    /// Messages waiting for the worker to start listening.
    static QUEUE: RefCell<Option<Vec<JsValue>>> = const { RefCell::new(Some(Vec::new())) };
}

/// Files per message to the worker: cloning a `File` into a message costs about 0.3 ms of the
/// page's time, so 6,717 files in one message blocked the page for 2 s.
const FILES_PER_MESSAGE: usize = 24;

/// Lets the page's event loop run.
async fn next_tick() {
    let p = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(p).await;
}

fn next_id() -> u32 {
    NEXT.with(|n| {
        let v = n.get();
        n.set(v + 1);
        v
    })
}

/// Sends a message (and files) to the worker.
fn send(msg: &ToWorker, files: Option<&[web_sys::File]>) -> Result<(), String> {
    let value = crate::protocol::to_js(msg)?;
    let envelope = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&envelope, &JsValue::from_str("msg"), &value);
    if let Some(files) = files {
        let arr = js_sys::Array::new();
        for f in files {
            arr.push(f);
        }
        let _ = js_sys::Reflect::set(&envelope, &JsValue::from_str("files"), &arr);
    }
    let envelope: JsValue = envelope.into();
    if let Some(queued) = QUEUE.with(|q| q.borrow_mut().as_mut().map(|q| q.push(envelope.clone()))) {
        return Ok(queued);
    }
    post_envelope(&envelope)
}

fn post_envelope(envelope: &JsValue) -> Result<(), String> {
    WORKER.with(|w| match w.borrow().as_ref() {
        Some(w) => w.post_message(envelope).map_err(|e| format!("{e:?}")),
        None => Err("The reader's background worker is not running; reload the page.".into()),
    })
}

async fn db() -> Result<web_sys::IdbDatabase, storage::StorageError> {
    if let Some(db) = DB.with(|d| d.borrow().clone()) {
        return Ok(db);
    }
    let db = storage::open().await?;
    DB.with(|d| *d.borrow_mut() = Some(db.clone()));
    Ok(db)
}

/// Reads one cable of the library from storage and parses it.
pub async fn load_entry(key: &str) -> Result<Option<Entry>, String> {
    let db = db().await.map_err(|e| e.to_string())?;
    let rec = storage::get(&db, key).await.map_err(|e| e.to_string())?;
    Ok(rec.and_then(|r| {
        let cable = cable_from_record(&r)?;
        Some(Entry { record: Arc::new(r), cable: Arc::new(cable) })
    }))
}

/// Every stored cable (for export).
pub async fn load_all() -> Result<Vec<StoredCable>, String> {
    let db = db().await.map_err(|e| e.to_string())?;
    storage::get_all(&db).await.map_err(|e| e.to_string())
}

impl Library {
    /// Shows an error notice.
    pub fn error(&self, text: impl Into<String>) {
        self.notice.set(Some(Notice { kind: NoticeKind::Error, text: text.into(), at: crate::location::current_hash() }));
    }

    /// Shows an info notice.
    pub fn info(&self, text: impl Into<String>) {
        self.notice.set(Some(Notice { kind: NoticeKind::Info, text: text.into(), at: crate::location::current_hash() }));
    }

    /// Imports texts (pastes, the sample); `done` gets the keys of the cables read.
    pub fn import(&self, inputs: Vec<TextInput>, done: impl FnOnce(Vec<String>) + 'static) {
        let job = next_id();
        self.start_job(job, false, done);
        if let Err(e) = send(&ToWorker::ImportTexts { job, inputs }, None) {
            IMPORTS.with(|m| m.borrow_mut().remove(&job));
            self.error(e);
        }
    }

    /// Imports files (opened or dropped): cable texts, saved pages, `cables.csv` of any size.
    pub fn import_files(&self, files: Vec<web_sys::File>, done: impl FnOnce(Vec<String>) + 'static) {
        if files.is_empty() {
            return;
        }
        let job = next_id();
        let many = files.len() > 1 || files.iter().any(|f| f.name().to_ascii_lowercase().ends_with(".csv"));
        self.start_job(job, many, done);
        // No `File.size` here: each is a round trip to the browser (6,717 of them held the page
        // for 2 s); the worker sums the sizes as the files arrive.
        let first = files.len().min(FILES_PER_MESSAGE);
        let complete = first == files.len();
        if let Err(e) = send(&ToWorker::ImportFiles { job, complete }, Some(&files[..first])) {
            IMPORTS.with(|m| m.borrow_mut().remove(&job));
            self.error(e);
            return;
        }
        // The rest in small messages, letting the page breathe in between.
        if !complete {
            let lib = *self;
            spawn_local(async move {
                let rest = &files[first..];
                let chunks = rest.chunks(FILES_PER_MESSAGE).count();
                for (i, chunk) in rest.chunks(FILES_PER_MESSAGE).enumerate() {
                    next_tick().await;
                    if let Err(e) = send(&ToWorker::MoreFiles { job, complete: i + 1 == chunks }, Some(chunk)) {
                        lib.error(e);
                        return;
                    }
                }
            });
        }
    }

    fn start_job(&self, job: u32, keep_summary: bool, done: impl FnOnce(Vec<String>) + 'static) {
        let lib = *self;
        lib.progress.set(Some(Progress { job, ..Progress::default() }));
        IMPORTS.with(|m| {
            m.borrow_mut().insert(
                job,
                Box::new(move |s: ImportSummary| {
                    lib.progress.set(None);
                    let n = s.cables();
                    let reasons = s.failed.iter().map(|f| if s.failed.len() > 1 || keep_summary { format!("{}: {}", f.source, f.reason) } else { f.reason.clone() }).collect::<Vec<_>>().join(" ");
                    if keep_summary || s.cancelled || n > 50 {
                        lib.summary.set(Some(s.clone()));
                    }
                    let keys = s.keys.clone();
                    // Navigate first, so the notice belongs to the page the reader lands on.
                    if n > 0 && !s.cancelled {
                        done(keys);
                    }
                    if n == 0 && !s.cancelled {
                        lib.error(if reasons.is_empty() { "No cable found.".to_string() } else { reasons });
                    } else if !s.failed.is_empty() {
                        lib.error(format!("Read {n} cable(s). Not read: {reasons}"));
                    } else if s.cancelled {
                        lib.info(format!("Import cancelled: {n} cable(s) read before Cancel are kept."));
                    } else if n > 1 {
                        lib.info(format!("Read {n} cables: {} new, {} new versions, {} already held.", s.new, s.versions, s.duplicates));
                    } else {
                        lib.notice.set(None);
                    }
                }),
            )
        });
    }

    /// Stops the running import (what was read stays).
    pub fn cancel(&self) {
        if let Some(p) = self.progress.get_untracked() {
            let _ = send(&ToWorker::Cancel { job: p.job }, None);
        }
    }

    /// Runs a search in the worker; `done` gets the answer and the worker's time.
    pub fn search(&self, request: SearchRequest, done: impl FnOnce(SearchResponse, f64) + 'static) {
        let seq = next_id();
        SEARCHES.with(|m| m.borrow_mut().insert(seq, Box::new(done)));
        if let Err(e) = send(&ToWorker::Search { seq, request }, None) {
            SEARCHES.with(|m| m.borrow_mut().remove(&seq));
            self.error(e);
        }
    }

    /// The reference graph around a cable: `done(keys of loaded cables citing id, refs held)`.
    pub fn cited_by(&self, id: &str, refs: Vec<String>, done: impl FnOnce(Vec<String>, Vec<String>) + 'static) {
        let seq = next_id();
        CITED.with(|m| m.borrow_mut().insert(seq, Box::new(done)));
        let _ = send(&ToWorker::CitedBy { seq, id: id.to_string(), refs }, None);
    }

    /// Removes one cable from the library and from storage.
    pub fn delete(&self, key: String) {
        if let Err(e) = send(&ToWorker::Delete { key }, None) {
            self.error(e);
        }
    }

    /// Removes every cable.
    pub fn clear(&self) {
        if let Err(e) = send(&ToWorker::Clear, None) {
            self.error(e);
        }
    }
}

fn on_message(lib: Library, msg: FromWorker) {
    match msg {
        FromWorker::Started => {
            for envelope in QUEUE.with(|q| q.borrow_mut().take()).unwrap_or_default() {
                if let Err(e) = post_envelope(&envelope) {
                    lib.error(e);
                }
            }
        }
        FromWorker::Ready { count, ms: _, error } => {
            lib.count.set(count);
            lib.ready.set(true);
            lib.ready_ms.set(Some(js_sys::Date::now() - START.with(Cell::get)));
            lib.revision.update(|r| *r += 1);
            if let Some(e) = error {
                lib.error(e);
            }
        }
        FromWorker::Progress(p) => {
            if lib.progress.with_untracked(|cur| cur.as_ref().is_some_and(|c| c.job == p.job)) {
                lib.progress.set(Some(p));
            }
        }
        FromWorker::ImportDone(s) => {
            if let Some(cb) = IMPORTS.with(|m| m.borrow_mut().remove(&s.job)) {
                cb(s);
            }
        }
        FromWorker::Results { seq, response, took_ms } => {
            if let Some(cb) = SEARCHES.with(|m| m.borrow_mut().remove(&seq)) {
                cb(response, took_ms);
            }
        }
        FromWorker::CitedBy { seq, keys, held } => {
            if let Some(cb) = CITED.with(|m| m.borrow_mut().remove(&seq)) {
                cb(keys, held);
            }
        }
        FromWorker::Changed { count } => {
            lib.count.set(count);
            lib.revision.update(|r| *r += 1);
        }
        FromWorker::Error { message } => lib.error(message),
    }
}

thread_local! {
    static START: Cell<f64> = Cell::new(js_sys::Date::now());
}

/// Creates the library, starts the worker (which reads the stored library), and provides the
/// library to the component tree.
pub fn provide_library() -> Library {
    START.with(|_| ());
    let lib = Library {
        count: RwSignal::new(0),
        ready: RwSignal::new(false),
        revision: RwSignal::new(0),
        notice: RwSignal::new(None),
        progress: RwSignal::new(None),
        summary: RwSignal::new(None),
        ready_ms: RwSignal::new(None),
    };
    provide_context(lib);
    let options = web_sys::WorkerOptions::new();
    options.set_type(web_sys::WorkerType::Classic);
    // The build id keeps page and worker of the same build together through any cache.
    match web_sys::Worker::new_with_options(&format!("./worker-start.js?v={}", env!("BUILD_ID")), &options) {
        Ok(worker) => {
            let onmessage = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
                match crate::protocol::from_js::<FromWorker>(&e.data()) {
                    Ok(m) => on_message(lib, m),
                    Err(err) => lib.error(format!("The reader's worker sent something unexpected: {err}")),
                }
            });
            worker.set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
            onmessage.forget();
            let onerror = Closure::<dyn FnMut(web_sys::Event)>::new(move |e: web_sys::Event| {
                let detail = e.dyn_ref::<web_sys::ErrorEvent>().map(|e| e.message()).unwrap_or_default();
                lib.error(format!("The reader's background worker failed ({detail}). Reload the page; your library is safe in this browser."));
            });
            worker.set_onerror(Some(onerror.as_ref().unchecked_ref()));
            onerror.forget();
            WORKER.with(|w| *w.borrow_mut() = Some(worker));
            if let Err(e) = send(&ToWorker::Load, None) {
                lib.error(e);
            }
        }
        Err(e) => lib.error(format!("This browser could not start the reader's background worker ({e:?}).")),
    }
    lib
}

/// The library provided by [`provide_library`].
pub fn use_library() -> Library {
    expect_context::<Library>()
}
