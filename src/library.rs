//! The library of cables held in this browser, as the page sees it: a client of the library worker
//! (which parses, stores and indexes), plus reactive state — how many cables, whether the stored
//! library is loaded, import progress and summary, notices. Components reach it with [`use_library`].

use crate::files::Input;
use crate::import::{cable_from_record, MAX_INPUT_BYTES};
use crate::protocol::{FromWorker, ImportSummary, Progress, TextInput, ToWorker};
use crate::routes::Browse;
use crate::storage::{self, StoredCable};
use cable_index::{SearchRequest, SearchResponse, Segment};
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
    /// While the stored library is indexed again (no usable saved index): cables done, of all.
    pub opening: RwSignal<Option<(usize, usize)>>,
    /// The facets (params) the browse lists show in full ("Show all"): part of every list search,
    /// kept while the reader moves between lists and cables.
    pub expanded_facets: RwSignal<Vec<String>>,
}

type ImportCallback = Box<dyn FnOnce(ImportSummary)>;

/// A list search asked before the reader got to its list ([`Library::search_ahead`]): the list's
/// view, asking the same question of the same library, takes its answer instead of asking again.
struct Ahead {
    seq: u32,
    request: SearchRequest,
    /// Asked on a link's press, and not yet known to be shown (the worker is told when it is).
    tentative: bool,
    /// The library's [`Library::revision`] when asked: an answer about another library is not taken.
    revision: u64,
    /// The answer once it came and before a view took it.
    answer: Option<AheadAnswer>,
}

impl Ahead {
    /// Whether this is the search `request` of the library at `revision`.
    fn answers(&self, request: &SearchRequest, revision: u64) -> bool {
        self.request == *request && self.revision == revision
    }
}

/// The answer to a search asked ahead, kept until its view takes it.
struct AheadAnswer {
    response: SearchResponse,
    /// The worker's milliseconds.
    took_ms: f64,
    /// Snippets follow the answer.
    more: bool,
    /// Those snippets, once they came.
    snippets: Option<Vec<(usize, Vec<Segment>)>>,
}

/// A cable read ahead of its page: its key, the library's revision when read, and the read (under
/// way or done; whoever awaits it gets its result).
type ReadAhead = (String, u64, futures::future::Shared<futures::future::LocalBoxFuture<'static, Result<Option<Entry>, String>>>);

/// Takes a search's answer, the worker's milliseconds, and whether snippets follow it.
type SearchCallback = Box<dyn FnOnce(SearchResponse, f64, bool)>;
/// Takes the snippets that follow an answer ([`FromWorker::Snippets`]): (row index, snippet).
pub type SnippetsCallback = Box<dyn FnOnce(Vec<(usize, Vec<Segment>)>)>;
type GraphCallback = Box<dyn FnOnce(Vec<String>, Vec<String>)>;

thread_local! {
    static WORKER: RefCell<Option<web_sys::Worker>> = const { RefCell::new(None) };
    static NEXT: Cell<u32> = const { Cell::new(1) };
    static IMPORTS: RefCell<HashMap<u32, ImportCallback>> = RefCell::new(HashMap::new());
    static SEARCHES: RefCell<HashMap<u32, (SearchCallback, Option<SnippetsCallback>)>> = RefCell::new(HashMap::new());
    /// Searches answered whose later snippets are awaited.
    static SNIPPETS: RefCell<HashMap<u32, SnippetsCallback>> = RefCell::new(HashMap::new());
    static CITED: RefCell<HashMap<u32, GraphCallback>> = RefCell::new(HashMap::new());
    /// The list search asked ahead of its view, if any ([`Library::search_ahead`]).
    static AHEAD: RefCell<Option<Ahead>> = const { RefCell::new(None) };
    /// The cable read ahead of its page, if any ([`Library::read_ahead`]).
    static READ_AHEAD: RefCell<Option<ReadAhead>> = const { RefCell::new(None) };
    static DB: RefCell<Option<web_sys::IdbDatabase>> = const { RefCell::new(None) };
    /// Messages waiting for the worker to start listening.
    static QUEUE: RefCell<Option<Vec<(JsValue, js_sys::Array)>>> = const { RefCell::new(Some(Vec::new())) };
}

/// File contents per message to the worker. The page reads text and page files itself, a group
/// at a time ([`GroupRead`]), and transfers the contents: cloning a `File` into a message costs
/// the page 0.3–0.9 ms (2.4 s for the 6,717 corpus files, 5.9 s while the workers keep the cores
/// busy); a transfer costs next to nothing. One group is read while the next one's sizes are
/// asked, a few per task ([`SIZES_PER_TASK`]): asking a file's size waits for Chromium's browser
/// process, ~0.25 ms a file, several ms when the cores are busy (24 in one task made tasks of
/// 40–96 ms during the corpus import).
const FILES_PER_MESSAGE: usize = 24;
/// Files whose size is asked in one task.
const SIZES_PER_TASK: usize = 6;
/// Bytes the page may have sent that the worker has not read yet (it waits beyond that: a large
/// folder is never all in memory).
const AHEAD_BYTES: f64 = 48.0 * 1024.0 * 1024.0;

fn next_id() -> u32 {
    NEXT.with(|n| {
        let v = n.get();
        n.set(v + 1);
        v
    })
}

/// Sends a message to the worker.
fn send(msg: &ToWorker) -> Result<(), String> {
    send_with(msg, &[])
}

/// Sends a message with file inputs beside it (contents are transferred, not copied).
fn send_with(msg: &ToWorker, inputs: &[Input]) -> Result<(), String> {
    let value = crate::protocol::to_js(msg)?;
    let envelope = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&envelope, &JsValue::from_str("msg"), &value);
    let (_, transfer) = Input::attach(inputs, &envelope);
    let envelope: JsValue = envelope.into();
    if let Some(queued) = QUEUE.with(|q| {
        q.borrow_mut()
            .as_mut()
            .map(|q| q.push((envelope.clone(), transfer.clone())))
    }) {
        return Ok(queued);
    }
    post_envelope(&envelope, &transfer)
}

fn post_envelope(envelope: &JsValue, transfer: &js_sys::Array) -> Result<(), String> {
    WORKER.with(|w| match w.borrow().as_ref() {
        Some(w) => w
            .post_message_with_transfer(envelope, transfer)
            .map_err(|e| format!("{e:?}")),
        None => Err("The reader's background worker is not running; reload the page.".into()),
    })
}

/// A group of files being read: each file's content, or the file itself when it could not be
/// read (the worker tries again and reports the reason). The group is read in one piece, its
/// files joined in one `Blob` and cut apart again at their sizes. Starting a read costs the page
/// ~0.6 ms of Chromium's time whatever the file's size (4.2 s of the page's 12.3 s busy during the
/// import of the 6,717 corpus files, when each file was read on its own); a file's size costs
/// ~0.25 ms (Chromium asks the file system) and joining ~0.07 ms. Measured alternative: a
/// separator between the files instead of the sizes (Chromium then asks inside the joining,
/// 0.47 ms a file).
///
/// A file over [`MAX_INPUT_BYTES`] is not read here: it goes on as a file, and the parse worker
/// says why it is refused without reading it.
struct GroupRead {
    files: Vec<web_sys::File>,
    sizes: Vec<f64>,
    /// The joined read under way (`None`: the files could not be joined).
    joined: Option<wasm_bindgen_futures::JsFuture>,
}

impl GroupRead {
    /// Starts reading `files` (the read goes on while the page does other work). The sizes are
    /// asked a few at a time, the page's other tasks running between.
    async fn start(files: Vec<web_sys::File>) -> GroupRead {
        let mut sizes: Vec<f64> = Vec::with_capacity(files.len());
        for few in files.chunks(SIZES_PER_TASK) {
            if !sizes.is_empty() {
                yield_task().await;
            }
            sizes.extend(few.iter().map(|f| f.size()));
        }
        let fits = sizes.iter().filter(|&&s| read_here(s)).sum::<f64>() <= f64::from(u32::MAX);
        let parts: js_sys::Array = files.iter().zip(&sizes).filter(|(_, &s)| read_here(s)).map(|(f, _)| f).collect();
        let joined = fits
            .then(|| web_sys::Blob::new_with_blob_sequence(&parts).ok())
            .flatten()
            .map(|blob| wasm_bindgen_futures::JsFuture::from(blob.array_buffer()));
        GroupRead { files, sizes, joined }
    }

    /// The inputs read.
    async fn finish(self) -> Vec<Input> {
        let GroupRead { files, sizes, joined } = self;
        let contents = match Self::cut(joined, &sizes).await {
            Some(contents) => contents,
            // One of them could not be read: each on its own, so only that one fails.
            None => Self::read_each(&files, &sizes).await,
        };
        files
            .into_iter()
            .zip(contents)
            .map(|(f, content)| match content {
                Some(buf) => Input::Bytes(f.name(), buf),
                None => Input::File(f),
            })
            .collect()
    }

    /// Each file's content cut from the joined read (`None` for a file not read here); `None`
    /// when the read failed or its length is not the sum of the sizes read (a file changed since
    /// it was chosen).
    async fn cut(joined: Option<wasm_bindgen_futures::JsFuture>, sizes: &[f64]) -> Option<Vec<Option<js_sys::ArrayBuffer>>> {
        let joined = joined?.await.ok()?.dyn_into::<js_sys::ArrayBuffer>().ok()?;
        if f64::from(joined.byte_length()) != sizes.iter().filter(|&&s| read_here(s)).sum::<f64>() {
            return None;
        }
        let mut at = 0u32;
        Some(
            sizes
                .iter()
                .map(|&size| {
                    read_here(size).then(|| {
                        let end = at + size as u32;
                        let piece = joined.slice_with_end(at, end);
                        at = end;
                        piece
                    })
                })
                .collect(),
        )
    }

    /// Each file read on its own (`None` for a file not read here or that could not be read).
    async fn read_each(files: &[web_sys::File], sizes: &[f64]) -> Vec<Option<js_sys::ArrayBuffer>> {
        let reads = js_sys::Array::new();
        for (f, &s) in files.iter().zip(sizes) {
            let read = if read_here(s) { f.array_buffer() } else { js_sys::Promise::reject(&JsValue::NULL) };
            reads.push(&read);
        }
        let settled = wasm_bindgen_futures::JsFuture::from(js_sys::Promise::all_settled(&reads))
            .await
            .ok()
            .and_then(|v| v.dyn_into::<js_sys::Array>().ok());
        (0..files.len() as u32)
            .map(|i| {
                let value = settled
                    .as_ref()
                    .map(|a| a.get(i))
                    .and_then(|r| js_sys::Reflect::get(&r, &JsValue::from_str("value")).ok());
                value.and_then(|v| v.dyn_into::<js_sys::ArrayBuffer>().ok())
            })
            .collect()
    }
}

/// Whether a file of this size is read by the page (larger ones are refused by the parse worker).
fn read_here(size: f64) -> bool {
    size <= MAX_INPUT_BYTES as f64
}

/// Lets the page's other tasks run: resolves in a new task (a message to itself, which, unlike a
/// timer, Chromium does not hold back to 4 ms when repeated).
async fn yield_task() {
    let Ok(channel) = web_sys::MessageChannel::new() else { return };
    let p = js_sys::Promise::new(&mut |resolve, _| {
        channel.port1().set_onmessage(Some(&resolve));
    });
    let _ = channel.port2().post_message(&JsValue::NULL);
    let _ = wasm_bindgen_futures::JsFuture::from(p).await;
}

fn sleep(ms: i32) -> wasm_bindgen_futures::JsFuture {
    let p = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    wasm_bindgen_futures::JsFuture::from(p)
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
        Some(Entry {
            record: Arc::new(r),
            cable: Arc::new(cable),
        })
    }))
}

/// Every stored cable, a batch at a time in key order (for export): `each` gets every batch, and
/// the count read so far. A library of 250,000 cables (2 GB) is never whole in the page's memory.
pub async fn for_each_batch(mut each: impl FnMut(&[StoredCable], usize)) -> Result<usize, String> {
    const EXPORT_BATCH: u32 = 500;
    let db = db().await.map_err(|e| e.to_string())?;
    let mut after: Option<String> = None;
    let mut done = 0;
    loop {
        let batch = storage::get_batch(&db, after.as_deref(), EXPORT_BATCH).await.map_err(|e| e.to_string())?;
        done += batch.len();
        each(&batch, done);
        match batch.last() {
            Some(last) if batch.len() == EXPORT_BATCH as usize => after = Some(last.key.clone()),
            _ => return Ok(done),
        }
    }
}

impl Library {
    /// Shows an error notice.
    pub fn error(&self, text: impl Into<String>) {
        self.notice.set(Some(Notice {
            kind: NoticeKind::Error,
            text: text.into(),
            at: crate::location::current_hash(),
        }));
    }

    /// Shows an info notice.
    pub fn info(&self, text: impl Into<String>) {
        self.notice.set(Some(Notice {
            kind: NoticeKind::Info,
            text: text.into(),
            at: crate::location::current_hash(),
        }));
    }

    /// Imports texts (pastes, the sample); `done` gets the keys of the cables read.
    pub fn import(&self, inputs: Vec<TextInput>, done: impl FnOnce(Vec<String>) + 'static) {
        let job = next_id();
        self.start_job(job, false, done);
        if let Err(e) = send(&ToWorker::ImportTexts { job, inputs }) {
            IMPORTS.with(|m| m.borrow_mut().remove(&job));
            self.error(e);
        }
    }

    /// Imports files (opened or dropped): cable texts, saved pages, `cables.csv` of any size.
    /// `cables.csv` goes to the worker as a file (it streams it in chunks); the page reads the
    /// other files and transfers their contents, a few dozen per message, never more than
    /// [`AHEAD_BYTES`] ahead of the worker.
    pub fn import_files(
        &self,
        files: Vec<web_sys::File>,
        done: impl FnOnce(Vec<String>) + 'static,
    ) {
        if files.is_empty() {
            return;
        }
        let job = next_id();
        let is_csv = |f: &web_sys::File| f.name().to_ascii_lowercase().ends_with(".csv");
        let many = files.len() > 1 || files.iter().any(is_csv);
        self.start_job(job, many, done);
        let files_total = files.len();
        let (csvs, texts): (Vec<_>, Vec<_>) = files.into_iter().partition(is_csv);
        let first: Vec<Input> = csvs.into_iter().map(Input::File).collect();
        let msg = ToWorker::ImportFiles {
            job,
            complete: texts.is_empty(),
            names: Vec::new(),
            files_total,
        };
        if let Err(e) = send_with(&msg, &first) {
            IMPORTS.with(|m| m.borrow_mut().remove(&job));
            self.error(e);
            return;
        }
        if texts.is_empty() {
            return;
        }
        let lib = *self;
        spawn_local(async move {
            let running = || IMPORTS.with(|m| m.borrow().contains_key(&job));
            let groups: Vec<Vec<web_sys::File>> = texts
                .chunks(FILES_PER_MESSAGE)
                .map(<[web_sys::File]>::to_vec)
                .collect();
            let count = groups.len();
            let mut sent = 0.0;
            let mut groups = groups.into_iter();
            let mut next = match groups.next() {
                Some(g) => Some(GroupRead::start(g).await),
                None => None,
            };
            for i in 0..count {
                let Some(read) = next.take() else { break };
                // This group's read and the next one's sizes, together.
                let (inputs, following) = match groups.next() {
                    Some(g) => {
                        let (inputs, following) = futures::join!(read.finish(), GroupRead::start(g));
                        (inputs, Some(following))
                    }
                    None => (read.finish().await, None),
                };
                next = following;
                // Cancelled or failed: read no further.
                if !running() {
                    return;
                }
                while sent
                    - lib
                        .progress
                        .with_untracked(|p| p.as_ref().map_or(0.0, |p| p.bytes_done))
                    > AHEAD_BYTES
                {
                    let _ = sleep(20).await;
                    if !running() {
                        return;
                    }
                }
                sent += inputs.iter().map(Input::size).sum::<f64>();
                let names = inputs
                    .iter()
                    .filter(|i| matches!(i, Input::Bytes(..)))
                    .map(Input::name)
                    .collect();
                if let Err(e) = send_with(
                    &ToWorker::MoreFiles {
                        job,
                        complete: i + 1 == count,
                        names,
                    },
                    &inputs,
                ) {
                    lib.error(e);
                    return;
                }
            }
        });
    }

    fn start_job(&self, job: u32, keep_summary: bool, done: impl FnOnce(Vec<String>) + 'static) {
        let lib = *self;
        lib.progress.set(Some(Progress {
            job,
            ..Progress::default()
        }));
        IMPORTS.with(|m| {
            m.borrow_mut().insert(
                job,
                Box::new(move |s: ImportSummary| {
                    lib.progress.set(None);
                    let n = s.cables();
                    let reasons = s
                        .failed
                        .iter()
                        .map(|f| {
                            if s.failed.len() > 1 || keep_summary {
                                format!("{}: {}", f.source, f.reason)
                            } else {
                                f.reason.clone()
                            }
                        })
                        .collect::<Vec<_>>()
                        .join(" ");
                    if keep_summary || s.cancelled || n > 50 {
                        lib.summary.set(Some(s.clone()));
                    }
                    let keys = s.keys.clone();
                    // Navigate first, so the notice belongs to the page the reader lands on.
                    if n > 0 && !s.cancelled {
                        done(keys);
                    }
                    if n == 0 && !s.cancelled {
                        lib.error(if reasons.is_empty() {
                            "No cable found.".to_string()
                        } else {
                            reasons
                        });
                    } else if !s.failed.is_empty() {
                        lib.error(format!("Read {n} cable(s). Not read: {reasons}"));
                    } else if s.cancelled {
                        lib.info(format!(
                            "Import cancelled: {n} cable(s) read before Cancel are kept."
                        ));
                    } else if n > 1 {
                        lib.info(format!(
                            "Read {n} cables: {} new, {} new versions, {} already held.",
                            s.new, s.versions, s.duplicates
                        ));
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
            let _ = send(&ToWorker::Cancel { job: p.job });
        }
    }

    /// Runs a search in the worker; `done` gets the answer, the worker's time and whether
    /// snippets follow it, which `later` then gets: the snippets of rows past the first screen,
    /// in a large library.
    pub fn search(&self, request: SearchRequest, done: impl FnOnce(SearchResponse, f64, bool) + 'static, later: Option<SnippetsCallback>) {
        let seq = next_id();
        let wants_later = later.is_some();
        SEARCHES.with(|m| m.borrow_mut().insert(seq, (Box::new(done), later)));
        if let Err(e) = send(&ToWorker::Search { seq, request, later: wants_later, tentative: false }) {
            SEARCHES.with(|m| m.borrow_mut().remove(&seq));
            self.error(e);
        }
    }

    /// Rows `offset..offset + limit` of the list a browse state names, from the collection it is of:
    /// the library (searched in the worker) or the corpus hosted with the site (searched in the
    /// page, fetching what it needs). `done` gets the answer, or why there is none, and the time
    /// the search took, and whether snippets follow it, which `later` then takes ([`Self::search`]).
    pub fn search_list(&self, b: &Browse, offset: usize, limit: usize, expand: Vec<String>, done: impl FnOnce(Result<SearchResponse, String>, f64, bool) + 'static, later: Option<SnippetsCallback>) {
        let request = list_request(b, offset, limit, expand);
        if b.hosted {
            spawn_local(async move {
                let t0 = js_sys::Date::now();
                let answer = crate::hosted::search(request).await;
                done(answer, js_sys::Date::now() - t0, false);
            });
        } else {
            self.search(request, move |r, took_ms, more| done(Ok(r), took_ms, more), later);
        }
    }

    /// The page of the list a browse state names, as its view shows it: with the facets listed in
    /// full that the reader chose ([`Self::expanded_facets`]). A search for it asked ahead
    /// ([`Self::search_ahead`]) is taken instead of asking again. Arguments as [`Self::search_list`].
    pub fn search_list_page(&self, b: &Browse, done: impl FnOnce(Result<SearchResponse, String>, f64, bool) + 'static, later: Option<SnippetsCallback>) {
        let (offset, limit) = list_page_rows(b);
        let expand = self.expanded_facets.get_untracked();
        if !b.hosted {
            let request = list_request(b, offset, limit, expand.clone());
            let revision = self.revision.get_untracked();
            let taken = AHEAD.with(|a| {
                let mut a = a.borrow_mut();
                a.as_ref().is_some_and(|x| x.answers(&request, revision)).then(|| a.take()).flatten()
            });
            if let Some(ahead) = taken {
                if ahead.tentative {
                    let _ = send(&ToWorker::ListShown { seq: ahead.seq });
                }
                let done = move |r, took_ms, more| done(Ok(r), took_ms, more);
                match ahead.answer {
                    // Still under way: its answer goes where this search's would.
                    None => {
                        SEARCHES.with(|m| m.borrow_mut().insert(ahead.seq, (Box::new(done), later)));
                    }
                    // Already here: given on the next turn, as an answer from the worker would be.
                    Some(AheadAnswer { response, took_ms, more, snippets }) => spawn_local(async move {
                        give_answer(ahead.seq, Box::new(done), later, response, took_ms, more, snippets);
                    }),
                }
                return;
            }
        }
        self.search_list(b, offset, limit, expand, done, later);
    }

    /// Reads a cable from storage now, as the reader is about to open its page (its link pressed):
    /// the page takes it ([`Self::load`]) instead of reading it once the address has changed. Only
    /// the latest cable read ahead is kept.
    pub fn read_ahead(&self, key: &str) {
        use futures::FutureExt;
        let revision = self.revision.get_untracked();
        if READ_AHEAD.with(|r| r.borrow().as_ref().is_some_and(|(k, rev, _)| k == key && *rev == revision)) {
            return;
        }
        let owned = key.to_string();
        let read = async move { load_entry(&owned).await }.boxed_local().shared();
        READ_AHEAD.with(|r| *r.borrow_mut() = Some((key.to_string(), revision, read.clone())));
        spawn_local(read.map(|_| ()));
    }

    /// One cable of the library, read from storage and parsed ([`load_entry`]); or, when it was
    /// read ahead of its page ([`Self::read_ahead`]) in the same library, that read (awaited if
    /// still under way).
    pub async fn load(&self, key: &str) -> Result<Option<Entry>, String> {
        let revision = self.revision.get_untracked();
        let ahead = READ_AHEAD.with(|r| {
            let mut r = r.borrow_mut();
            match r.as_ref() {
                Some((k, rev, _)) if k == key && *rev == revision => r.take().map(|(.., read)| read),
                _ => None,
            }
        });
        match ahead {
            Some(read) => read.await,
            None => load_entry(key).await,
        }
    }

    /// Asks the worker now for the page of the list a browse state names, as the reader is about
    /// to go there: the list's view takes the answer ([`Self::search_list_page`]) instead of asking
    /// once the address has changed. `tentative`: a link pressed, not yet clicked (the list may
    /// never be shown); else a new address, which the page is about to follow. Only the latest
    /// search asked ahead is kept; the hosted corpus is searched in the page and not ahead.
    pub fn search_ahead(&self, b: &Browse, tentative: bool) {
        if b.hosted {
            return;
        }
        let (offset, limit) = list_page_rows(b);
        let request = list_request(b, offset, limit, self.expanded_facets.get_untracked());
        let revision = self.revision.get_untracked();
        let asked = AHEAD.with(|a| {
            let mut a = a.borrow_mut();
            match a.as_mut().filter(|x| x.answers(&request, revision)) {
                // The pressed link was followed: its list will be shown.
                Some(x) if x.tentative && !tentative => {
                    x.tentative = false;
                    Some(Some(x.seq))
                }
                Some(_) => Some(None),
                None => None,
            }
        });
        match asked {
            Some(Some(seq)) => {
                let _ = send(&ToWorker::ListShown { seq });
            }
            Some(None) => {}
            None => {
                let seq = next_id();
                if send(&ToWorker::Search { seq, request: request.clone(), later: true, tentative }).is_ok() {
                    AHEAD.with(|a| *a.borrow_mut() = Some(Ahead { seq, request, tentative, revision, answer: None }));
                }
            }
        }
    }

    /// The reference graph around a cable: `done(keys of loaded cables citing id, refs held)`.
    pub fn cited_by(
        &self,
        id: &str,
        refs: Vec<String>,
        done: impl FnOnce(Vec<String>, Vec<String>) + 'static,
    ) {
        let seq = next_id();
        CITED.with(|m| m.borrow_mut().insert(seq, Box::new(done)));
        let _ = send(&ToWorker::CitedBy {
            seq,
            id: id.to_string(),
            refs,
        });
    }

    /// Removes one cable from the library and from storage.
    pub fn delete(&self, key: String) {
        if let Err(e) = send(&ToWorker::Delete { key }) {
            self.error(e);
        }
    }

    /// Removes every cable.
    pub fn clear(&self) {
        if let Err(e) = send(&ToWorker::Clear) {
            self.error(e);
        }
    }
}

fn on_message(lib: Library, msg: FromWorker) {
    match msg {
        FromWorker::Started => {
            for (envelope, transfer) in QUEUE.with(|q| q.borrow_mut().take()).unwrap_or_default() {
                if let Err(e) = post_envelope(&envelope, &transfer) {
                    lib.error(e);
                }
            }
        }
        FromWorker::Ready {
            count,
            ms: _,
            error,
        } => {
            lib.count.set(count);
            lib.opening.set(None);
            lib.ready.set(true);
            lib.ready_ms
                .set(Some(js_sys::Date::now() - START.with(Cell::get)));
            lib.revision.update(|r| *r += 1);
            if let Some(e) = error {
                lib.error(e);
            }
        }
        FromWorker::Opening { done, total } => lib.opening.set(Some((done, total))),
        FromWorker::Progress(p) => {
            if lib
                .progress
                .with_untracked(|cur| cur.as_ref().is_some_and(|c| c.job == p.job))
            {
                lib.progress.set(Some(p));
            }
        }
        FromWorker::ImportDone(s) => {
            if let Some(cb) = IMPORTS.with(|m| m.borrow_mut().remove(&s.job)) {
                cb(s);
            }
        }
        FromWorker::Results {
            seq,
            response,
            took_ms,
            more,
        } => {
            if let Some((cb, later)) = SEARCHES.with(|m| m.borrow_mut().remove(&seq)) {
                give_answer(seq, cb, later, response, took_ms, more, None);
            } else {
                // A search asked ahead: kept until its view takes it.
                AHEAD.with(|a| {
                    if let Some(ahead) = a.borrow_mut().as_mut().filter(|x| x.seq == seq) {
                        ahead.answer = Some(AheadAnswer { response, took_ms, more, snippets: None });
                    }
                });
            }
        }
        FromWorker::Snippets { seq, rows } => {
            if let Some(cb) = SNIPPETS.with(|m| m.borrow_mut().remove(&seq)) {
                cb(rows);
            } else {
                AHEAD.with(|a| {
                    if let Some(answer) = a.borrow_mut().as_mut().filter(|x| x.seq == seq).and_then(|x| x.answer.as_mut()) {
                        answer.snippets = Some(rows);
                    }
                });
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

/// Gives search `seq`'s answer to its asker: `done` gets it, and whether snippets follow it,
/// which `later` gets (now when they already came, else when they come).
fn give_answer(seq: u32, done: SearchCallback, later: Option<SnippetsCallback>, response: SearchResponse, took_ms: f64, more: bool, snippets: Option<Vec<(usize, Vec<Segment>)>>) {
    let more = more && later.is_some();
    match (later.filter(|_| more), snippets) {
        (Some(later), Some(rows)) => {
            done(response, took_ms, true);
            later(rows);
        }
        (Some(later), None) => {
            SNIPPETS.with(|m| m.borrow_mut().insert(seq, later));
            done(response, took_ms, true);
        }
        (None, _) => done(response, took_ms, false),
    }
}

/// The search for rows `offset..offset + limit` of the list a browse state names.
fn list_request(b: &Browse, offset: usize, limit: usize, expand: Vec<String>) -> SearchRequest {
    SearchRequest { query: b.q.clone(), filters: b.filters.clone(), sort: b.sort.clone(), offset, limit, expand }
}

/// The rows of a browse state's page of its list: (offset, limit).
fn list_page_rows(b: &Browse) -> (usize, usize) {
    ((b.page.max(1) - 1) * crate::routes::LIST_PAGE_SIZE, crate::routes::LIST_PAGE_SIZE)
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
        opening: RwSignal::new(None),
        expanded_facets: RwSignal::new(Vec::new()),
    };
    provide_context(lib);
    let options = web_sys::WorkerOptions::new();
    options.set_type(web_sys::WorkerType::Classic);
    // The build id keeps page and worker of the same build together through any cache.
    match web_sys::Worker::new_with_options(
        &format!("./worker-start.js?v={}", env!("BUILD_ID")),
        &options,
    ) {
        Ok(worker) => {
            let onmessage = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(
                move |e: web_sys::MessageEvent| match crate::protocol::from_js::<FromWorker>(
                    &e.data(),
                ) {
                    Ok(m) => on_message(lib, m),
                    Err(err) => lib.error(format!(
                        "The reader's worker sent something unexpected: {err}"
                    )),
                },
            );
            worker.set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
            onmessage.forget();
            let onerror = Closure::<dyn FnMut(web_sys::Event)>::new(move |e: web_sys::Event| {
                let detail = e
                    .dyn_ref::<web_sys::ErrorEvent>()
                    .map(|e| e.message())
                    .unwrap_or_default();
                lib.error(format!("The reader's background worker failed ({detail}). Reload the page; your library is safe in this browser."));
            });
            worker.set_onerror(Some(onerror.as_ref().unchecked_ref()));
            onerror.forget();
            WORKER.with(|w| *w.borrow_mut() = Some(worker));
            if let Err(e) = send(&ToWorker::Load { positions_budget: positions_budget_setting() }) {
                lib.error(e);
            }
        }
        Err(e) => lib.error(format!(
            "This browser could not start the reader's background worker ({e:?})."
        )),
    }
    lib
}

/// A budget of word positions set for this browser (`localStorage["cable-reader:positions-budget"]`,
/// in bytes): a developer's and the tests' way to see a small library keep its positions in
/// storage, as a large one does.
fn positions_budget_setting() -> Option<u32> {
    let storage = web_sys::window()?.local_storage().ok()??;
    storage.get_item("cable-reader:positions-budget").ok()??.trim().parse().ok()
}

/// The library provided by [`provide_library`].
pub fn use_library() -> Library {
    expect_context::<Library>()
}
