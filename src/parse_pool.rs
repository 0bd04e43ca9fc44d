//! Parse workers: the library worker hands groups of files to helper workers (one per core, the
//! same Wasm started under the name `parse`), which read, parse and index them apart and send back
//! a [`crate::batch`] buffer; the library worker stores the records and merges the segments in the
//! order the files came. This module owns both sides of that exchange.

use crate::batch::BatchBuilder;
use crate::files::{get, set, Input};
use crate::worker::{now, scope};
use crate::import::{decode_file, records_from_input, Rejected, MAX_INPUT_BYTES};
use serde::{Deserialize, Serialize};
use std::cell::RefCell;
use std::collections::HashMap;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{spawn_local, JsFuture};
use web_sys::{MessageEvent, Worker};

/// The name a parse worker is started under.
pub const PARSE_WORKER_NAME: &str = "parse";
/// Most parse workers started, whatever the core count.
const MAX_WORKERS: usize = 4;
/// Groups handed to one worker before the first comes back (so it never waits for work).
pub const IN_FLIGHT_PER_WORKER: usize = 2;
/// Milliseconds a parse worker may take to start before the library worker parses by itself.
const START_TIMEOUT_MS: i32 = 15_000;

/// What the library worker asks of a parse worker.
#[derive(Debug, Serialize, Deserialize)]
pub enum ParseRequest {
    /// Read, parse and index the inputs sent beside this message (files, then buffers).
    Inputs {
        /// Echoed in the answer.
        batch: u32,
        /// Names of the buffers.
        names: Vec<String>,
    },
    /// Parse and index the stored cables whose keys run from `first` to `last`, read from the
    /// library by the parse worker itself, under their stored keys: a library's index rebuilt.
    /// The answer has no records (they are stored already); its data is null when they could not
    /// be read.
    Reindex {
        /// Echoed in the answer.
        batch: u32,
        /// The first and last keys of the range.
        first: String,
        last: String,
    },
}

// ---- The parse worker's side ----

/// Runs a parse worker: answers each request with a batch buffer (transferred, not copied).
pub fn serve() {
    let handler = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
        let data = e.data();
        let Ok(request) = crate::protocol::from_js::<ParseRequest>(&get(&data, "msg")) else {
            return;
        };
        let (batch, work) = match request {
            ParseRequest::Inputs { batch, names } => (batch, Ok(Input::from_message(&data, &names))),
            ParseRequest::Reindex { batch, first, last } => (batch, Err((first, last))),
        };
        spawn_local(async move {
            let reindex = work.is_err();
            let (bytes, stored, mut ms) = match work {
                Ok(inputs) => parse_inputs(inputs).await,
                Err((first, last)) => match reindex_range(&first, &last).await {
                    Some(done) => done,
                    None => {
                        let answer = js_sys::Object::new();
                        set(&answer, "batch", &JsValue::from(batch));
                        set(&answer, "data", &JsValue::NULL);
                        let _ = scope().post_message(&answer);
                        return;
                    }
                },
            };
            let t = now();
            let buf = js_sys::Uint8Array::from(bytes.as_slice()).buffer();
            // The objects IndexedDB stores are made here, in parallel, not by the library worker.
            let records = js_sys::Array::new();
            for rec in stored.iter().filter(|_| !reindex) {
                records.push(&crate::storage::record_value(rec).unwrap_or(JsValue::NULL));
            }
            let answer = js_sys::Object::new();
            set(&answer, "batch", &JsValue::from(batch));
            set(&answer, "data", &buf);
            set(&answer, "records", &records);
            ms[3] += now() - t;
            set(
                &answer,
                "ms",
                &ms.iter()
                    .map(|m| JsValue::from(*m))
                    .collect::<js_sys::Array>(),
            );
            let _ = scope().post_message_with_transfer(&answer, &js_sys::Array::of1(&buf));
        });
    });
    scope().set_onmessage(Some(handler.as_ref().unchecked_ref()));
    handler.forget();
    let ready = js_sys::Object::new();
    set(&ready, "ready", &JsValue::TRUE);
    let _ = scope().post_message(&ready);
}

/// Reads, parses and indexes a group of inputs (the reads of files all started at once: each is
/// a round trip to the browser): the batch buffer and the records to store.
pub async fn parse_inputs(
    inputs: Vec<Input>,
) -> (Vec<u8>, Vec<crate::storage::StoredCable>, [f64; 4]) {
    let mut b = BatchBuilder::new();
    // Milliseconds reading, parsing, indexing, and writing the batch (for the bench page).
    let mut ms = [0.0; 4];
    let reads: Vec<Option<js_sys::Promise>> = inputs
        .iter()
        .map(|i| match i {
            Input::File(f) if f.size() <= MAX_INPUT_BYTES as f64 => Some(f.array_buffer()),
            _ => None,
        })
        .collect();
    for (input, read) in inputs.iter().zip(reads) {
        let name = input.name();
        let size = input.size();
        b.count_bytes(size);
        if size > MAX_INPUT_BYTES as f64 {
            b.fail(&name, format!("{name} is {:.0} MB; the reader takes text and page files up to {} MB (cables.csv of any size).", size / 1e6, MAX_INPUT_BYTES / (1024 * 1024)));
            continue;
        }
        let t = now();
        let bytes = match (read, input) {
            (Some(read), _) => JsFuture::from(read)
                .await
                .ok()
                .and_then(|b| b.dyn_into::<js_sys::ArrayBuffer>().ok())
                .map(|b| js_sys::Uint8Array::new(&b).to_vec()),
            (None, input) => input.bytes().await,
        };
        let Some(bytes) = bytes else {
            b.fail(
                &name,
                format!("{name} could not be read (was it moved or deleted?)."),
            );
            continue;
        };
        ms[0] += now() - t;
        let t = now();
        let read = if input.is_csv() {
            // Complete records of a cables.csv, cut by the library worker.
            Ok(csv_records(&String::from_utf8_lossy(&bytes), &name))
        } else {
            decode_file(&name, &bytes).and_then(|text| records_from_input(&text, &name, Some(&name), now()))
        };
        ms[1] += now() - t;
        let t = now();
        match read {
            Ok(records) => b.add(records),
            Err(Rejected(reason)) => b.fail(&name, reason),
        }
        ms[2] += now() - t;
    }
    let t = now();
    let (bytes, stored) = b.finish();
    ms[3] += now() - t;
    (bytes, stored, ms)
}

thread_local! {
    /// A parse worker's own connection to the library (opened at its first rebuild request).
    static LIBRARY: RefCell<Option<web_sys::IdbDatabase>> = const { RefCell::new(None) };
}

/// Reads the stored cables from `first` to `last` and indexes them ([`reindex_stored`]); `None`
/// when the library cannot be opened or read. Read here, their texts never pass through the
/// library worker (whose JS memory the objects of a 250,000-cable rebuild had grown).
async fn reindex_range(first: &str, last: &str) -> Option<(Vec<u8>, Vec<crate::storage::StoredCable>, [f64; 4])> {
    let t = now();
    let db = match LIBRARY.with(|l| l.borrow().clone()) {
        Some(db) => db,
        None => {
            let db = crate::storage::open().await.ok()?;
            LIBRARY.with(|l| *l.borrow_mut() = Some(db.clone()));
            db
        }
    };
    let values = crate::storage::get_range_values(&db, first, last).await.ok()?;
    let mut done = reindex_stored(&values);
    done.2[0] += now() - t;
    Some(done)
}

/// Parses and indexes stored cables (IndexedDB's objects) under their stored keys: the batch
/// buffer (no records to store: they are stored).
fn reindex_stored(stored: &JsValue) -> (Vec<u8>, Vec<crate::storage::StoredCable>, [f64; 4]) {
    let mut b = BatchBuilder::new();
    let mut ms = [0.0; 4];
    let t = now();
    let records: Vec<(crate::storage::StoredCable, cable_parser::Cable)> = js_sys::Array::from(stored)
        .iter()
        .filter_map(|v| serde_wasm_bindgen::from_value::<crate::storage::StoredCable>(v).ok())
        .filter_map(|rec| {
            let cable = crate::import::cable_from_record(&rec)?;
            Some((rec, cable))
        })
        .collect();
    ms[1] += now() - t;
    let t = now();
    b.count_bytes(records.iter().map(|(r, _)| r.original.len() as f64).sum());
    b.add(records);
    ms[2] += now() - t;
    let t = now();
    let (bytes, _) = b.finish();
    ms[3] += now() - t;
    (bytes, Vec::new(), ms)
}

/// The cables of complete `cables.csv` records (raw text from [`cable_parser::CsvReader::take_raw`]).
pub fn csv_records(raw: &str, source: &str) -> Vec<(crate::storage::StoredCable, cable_parser::Cable)> {
    let mut reader = cable_parser::CsvReader::new();
    reader.push(raw);
    std::iter::from_fn(|| reader.next_record(true)).map(|rec| crate::import::record_from_csv(rec, source, now())).collect()
}

// ---- The library worker's side ----

struct Helper {
    worker: Worker,
    /// Resolves when the worker has started (with `true`), or with `false` after a timeout.
    ready: js_sys::Promise,
    /// Groups sent and not yet answered.
    pending: usize,
    /// False once it failed: it gets no more work.
    alive: bool,
}

thread_local! {
    static HELPERS: RefCell<Option<Vec<Helper>>> = const { RefCell::new(None) };
    /// Answers awaited, by batch number: the function resolving the batch's promise.
    static WAITING: RefCell<HashMap<u32, (usize, js_sys::Function)>> = RefCell::new(HashMap::new());
    static NEXT_BATCH: RefCell<u32> = const { RefCell::new(0) };
}

/// Starts the parse workers (once; later calls do nothing). Called when the library is loaded, so
/// they are ready before the first import.
pub fn warm() {
    if HELPERS.with(|h| h.borrow().is_some()) {
        return;
    }
    let cores = scope().navigator().hardware_concurrency() as usize;
    let n = cores.clamp(1, MAX_WORKERS);
    let mut helpers = Vec::new();
    for slot in 0..n {
        if let Some(h) = spawn(slot) {
            helpers.push(h);
        }
    }
    HELPERS.with(|h| *h.borrow_mut() = Some(helpers));
}

/// Lets the parse workers go: a worker's memory only grows (its Wasm memory never shrinks), so
/// after a large import or rebuild they are ended, and [`warm`] starts fresh, small ones once the
/// index is saved (the moment of most memory). Does nothing while a batch is out.
pub fn retire() {
    if WAITING.with(|w| !w.borrow().is_empty()) {
        return;
    }
    for helper in HELPERS.with(|h| h.borrow_mut().take()).into_iter().flatten() {
        helper.worker.terminate();
    }
}

fn spawn(slot: usize) -> Option<Helper> {
    let options = web_sys::WorkerOptions::new();
    options.set_type(web_sys::WorkerType::Classic);
    options.set_name(PARSE_WORKER_NAME);
    let worker = Worker::new_with_options(
        &format!("./worker-start.js?v={}", env!("BUILD_ID")),
        &options,
    )
    .ok()?;
    let mut resolve_ready: Option<js_sys::Function> = None;
    let ready = js_sys::Promise::new(&mut |resolve, _| {
        let timeout_resolve = resolve.clone();
        let no = Closure::once_into_js(move || {
            let _ = timeout_resolve.call1(&JsValue::NULL, &JsValue::FALSE);
        });
        let _ = scope().set_timeout_with_callback_and_timeout_and_arguments_0(
            no.unchecked_ref(),
            START_TIMEOUT_MS,
        );
        resolve_ready = Some(resolve);
    });
    let resolve_ready = resolve_ready?;
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
        let data = e.data();
        if get(&data, "ready").is_truthy() {
            let _ = resolve_ready.call1(&JsValue::NULL, &JsValue::TRUE);
            return;
        }
        if get(&data, "batch").as_f64().is_some() {
            answer(
                get(&data, "batch").as_f64().unwrap_or_default() as u32,
                data,
            );
        }
    });
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    // A worker that fails (it should not: the parser does not panic) answers its pending groups
    // with nothing (their files are reported as failed) and gets no more work.
    let on_error = Closure::<dyn FnMut(web_sys::Event)>::new(move |_e: web_sys::Event| {
        HELPERS.with(|h| {
            if let Some(helper) = h.borrow_mut().as_mut().and_then(|hs| hs.get_mut(slot)) {
                helper.alive = false;
                helper.worker.terminate();
            }
        });
        let lost: Vec<u32> = WAITING.with(|w| {
            w.borrow()
                .iter()
                .filter(|(_, (s, _))| *s == slot)
                .map(|(b, _)| *b)
                .collect()
        });
        for b in lost {
            answer(b, JsValue::NULL);
        }
    });
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    on_error.forget();
    Some(Helper {
        worker,
        ready,
        pending: 0,
        alive: true,
    })
}

fn answer(batch: u32, data: JsValue) {
    if let Some((slot, resolve)) = WAITING.with(|w| w.borrow_mut().remove(&batch)) {
        HELPERS.with(|h| {
            if let Some(helper) = h.borrow_mut().as_mut().and_then(|hs| hs.get_mut(slot)) {
                helper.pending = helper.pending.saturating_sub(1);
            }
        });
        let _ = resolve.call1(&JsValue::NULL, &data);
    }
}

/// The parse workers that started, as a count (0: parse in the library worker itself). One that
/// did not start in time gets no work.
pub async fn ready_workers() -> usize {
    warm();
    let promises: Vec<js_sys::Promise> = HELPERS.with(|h| {
        h.borrow()
            .as_ref()
            .map(|hs| hs.iter().map(|x| x.ready.clone()).collect())
            .unwrap_or_default()
    });
    for (slot, p) in promises.into_iter().enumerate() {
        if !JsFuture::from(p).await.ok().is_some_and(|v| v.is_truthy()) {
            HELPERS.with(|h| {
                if let Some(helper) = h.borrow_mut().as_mut().and_then(|hs| hs.get_mut(slot)) {
                    helper.alive = false;
                }
            });
        }
    }
    HELPERS.with(|h| {
        h.borrow()
            .as_ref()
            .map_or(0, |hs| hs.iter().filter(|x| x.alive).count())
    })
}

/// Sends a group of files to the least busy parse worker; the future gives its answer (see
/// [`Answer::read`]), or null when the worker failed. `None` when no parse worker is left.
pub fn send(inputs: &[Input]) -> Option<JsFuture> {
    let msg = js_sys::Object::new();
    let (names, transfer) = Input::attach(inputs, &msg);
    post_request(msg, &transfer, |batch| ParseRequest::Inputs { batch, names })
}

/// Asks the least busy parse worker to read and index the stored cables from `first` to `last`
/// under their keys ([`ParseRequest::Reindex`]); as [`send`].
pub fn send_range(first: &str, last: &str) -> Option<JsFuture> {
    let (first, last) = (first.to_string(), last.to_string());
    post_request(js_sys::Object::new(), &js_sys::Array::new(), |batch| ParseRequest::Reindex { batch, first, last })
}

/// Posts a request (its message `msg` already holding what travels beside it) to the least busy
/// parse worker; the future gives the answer.
fn post_request(msg: js_sys::Object, transfer: &js_sys::Array, request: impl FnOnce(u32) -> ParseRequest) -> Option<JsFuture> {
    let batch = NEXT_BATCH.with(|n| {
        let mut n = n.borrow_mut();
        *n = n.wrapping_add(1);
        *n
    });
    let (slot, worker) = HELPERS.with(|h| {
        let mut h = h.borrow_mut();
        let hs = h.as_mut()?;
        let (slot, helper) = hs
            .iter_mut()
            .enumerate()
            .filter(|(_, x)| x.alive)
            .min_by_key(|(_, x)| x.pending)?;
        helper.pending += 1;
        Some((slot, helper.worker.clone()))
    })?;
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        WAITING.with(|w| w.borrow_mut().insert(batch, (slot, resolve)));
    });
    set(&msg, "msg", &crate::protocol::to_js(&request(batch)).ok()?);
    if worker.post_message_with_transfer(&msg, transfer).is_err() {
        answer(batch, JsValue::NULL);
    }
    Some(JsFuture::from(promise))
}

/// A parse worker's answer as the library worker takes it.
pub struct Answer {
    /// The batch.
    pub batch: crate::batch::ParsedBatch,
    /// The records to store (objects made by [`crate::storage::record_value`]), one per cable of
    /// the batch.
    pub records: js_sys::Array,
    /// Milliseconds the worker spent reading, parsing, indexing and writing the batch.
    pub ms: [f64; 4],
}

impl Answer {
    /// Reads the answer to [`send_range`] (no records); `None` as for [`Answer::read`].
    pub fn read_reindexed(data: &JsValue) -> Option<crate::batch::ParsedBatch> {
        let buf: js_sys::ArrayBuffer = get(data, "data").dyn_into().ok()?;
        crate::batch::ParsedBatch::from_bytes(js_sys::Uint8Array::new(&buf).to_vec())
    }

    /// Reads an answer; `None` when the worker failed or sent something this build cannot read.
    pub fn read(data: &JsValue) -> Option<Answer> {
        let buf: js_sys::ArrayBuffer = get(data, "data").dyn_into().ok()?;
        let records: js_sys::Array = get(data, "records").dyn_into().ok()?;
        let batch = crate::batch::ParsedBatch::from_bytes(js_sys::Uint8Array::new(&buf).to_vec())?;
        (records.length() as usize == batch.records.len() && records.iter().all(|r| r.is_object()))
            .then_some(Answer {
                batch,
                records,
                ms: timings(data),
            })
    }
}

fn timings(data: &JsValue) -> [f64; 4] {
    let a: js_sys::Array = get(data, "ms").dyn_into().unwrap_or_default();
    [0, 1, 2, 3].map(|i| a.get(i).as_f64().unwrap_or(0.0))
}
