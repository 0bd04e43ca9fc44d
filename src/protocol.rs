//! The messages between the page and the library worker (which parses, stores and indexes).
//! Both sides send them as JSON in bytes ([`to_js`], [`from_js`]); files travel beside a message as
//! `File`s.

use cable_index::{SearchRequest, SearchResponse, Segment};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use wasm_bindgen::{JsCast, JsValue};

/// A message as it crosses to the other thread: JSON, as UTF-8 bytes in a `Uint8Array`. The bytes
/// are copied across in one piece and read straight into the other side's memory. Building a JS
/// object field by field (serde-wasm-bindgen) cost a search answer, with its facets and rows,
/// about 15 ms at p50; a JS string cost a UTF-8 decoding on one side and an encoding on the other
/// (about 1.5 ms for a 50 KB answer on the test machine).
pub fn to_js<T: Serialize>(msg: &T) -> Result<JsValue, String> {
    let bytes = serde_json::to_vec(msg).map_err(|e| e.to_string())?;
    Ok(js_sys::Uint8Array::from(bytes.as_slice()).into())
}

/// Reads a message sent with [`to_js`] (or the same JSON as a string).
pub fn from_js<T: DeserializeOwned>(value: &JsValue) -> Result<T, String> {
    if let Some(bytes) = value.dyn_ref::<js_sys::Uint8Array>() {
        return serde_json::from_slice(&bytes.to_vec()).map_err(|e| e.to_string());
    }
    let text = value
        .as_string()
        .ok_or_else(|| "not a message of this reader".to_string())?;
    serde_json::from_str(&text).map_err(|e| e.to_string())
}

/// A text to import (a paste, or the sample).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TextInput {
    /// The text.
    pub text: String,
    /// `paste`, `sample`, or a file name.
    pub source: String,
    /// A file name that may name the cable.
    pub file_name: Option<String>,
}

/// What the page asks of the worker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ToWorker {
    /// Read the stored library and index it (sent once, at start).
    Load {
        /// Bytes of word positions the index may hold before it stores them (`None`: the
        /// worker's own budget; tests set a small one to see positions go to storage).
        positions_budget: Option<u32>,
    },
    /// Import texts.
    ImportTexts {
        /// Job number, echoed in progress and the summary.
        job: u32,
        /// The texts.
        inputs: Vec<TextInput>,
    },
    /// Import the files sent beside this message: `files` (`File`s, for `cables.csv`, read here in
    /// chunks) and `buffers` (the contents of text and page files, read by the page and
    /// transferred: cloning thousands of `File`s into messages cost the page seconds). More may
    /// follow in [`ToWorker::MoreFiles`].
    ImportFiles {
        /// Job number.
        job: u32,
        /// No more files follow.
        complete: bool,
        /// Names of the contents in `buffers`, in order.
        #[serde(default)]
        names: Vec<String>,
        /// Files in the whole import (for the progress estimate while contents still arrive).
        #[serde(default)]
        files_total: usize,
    },
    /// More files of an import (sent beside this message, as for [`ToWorker::ImportFiles`]).
    MoreFiles {
        /// Job number.
        job: u32,
        /// No more files follow.
        complete: bool,
        /// Names of the contents in `buffers`, in order.
        #[serde(default)]
        names: Vec<String>,
    },
    /// Stop an import; what is stored stays.
    Cancel {
        /// Job number.
        job: u32,
    },
    /// Run a search.
    Search {
        /// Sequence number, echoed in the results (older answers are dropped).
        seq: u32,
        /// The search.
        request: SearchRequest,
        /// The asker takes the snippets of rows past the first screen after the answer
        /// ([`FromWorker::Snippets`]); a later search that does so too makes them moot (the list
        /// it answered is gone). Otherwise every snippet comes with the answer.
        #[serde(default)]
        later: bool,
        /// Asked on a link's press, before its click: the list may never be shown, so it does not
        /// make an earlier list's later snippets moot (until [`ToWorker::ListShown`] says it is
        /// shown), and its own are always made.
        #[serde(default)]
        tentative: bool,
    },
    /// The list a tentative search answered is shown after all (the pressed link was clicked).
    ListShown {
        /// The search's sequence number.
        seq: u32,
    },
    /// Delete one cable.
    Delete {
        /// Its key.
        key: String,
    },
    /// Delete every cable.
    Clear,
    /// Keys of the loaded cables that reference this cable.
    CitedBy {
        /// Sequence number.
        seq: u32,
        /// Canonical id.
        id: String,
        /// The cable's references: the answer says which the library holds.
        refs: Vec<String>,
    },
}

/// Where an import is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Progress {
    /// Job number.
    pub job: u32,
    /// Cables read so far.
    pub cables: usize,
    /// Bytes of input read so far.
    pub bytes_done: f64,
    /// Bytes of input in all (of the files arrived so far, while a large selection is still
    /// arriving in the worker).
    pub bytes_total: f64,
    /// Milliseconds since the import started.
    pub elapsed_ms: f64,
    /// What is being read.
    pub current: String,
}

impl Progress {
    /// Estimated cables in all (from bytes read so far).
    pub fn estimated_total(&self) -> usize {
        if self.bytes_done <= 0.0 {
            return self.cables;
        }
        ((self.cables as f64) * self.bytes_total / self.bytes_done)
            .round()
            .max(self.cables as f64) as usize
    }

    /// Cables per second.
    pub fn rate(&self) -> f64 {
        if self.elapsed_ms <= 0.0 {
            0.0
        } else {
            self.cables as f64 * 1000.0 / self.elapsed_ms
        }
    }

    /// Seconds left, estimated from bytes.
    pub fn seconds_left(&self) -> Option<f64> {
        if self.bytes_done <= 0.0 || self.elapsed_ms < 300.0 {
            return None;
        }
        Some(
            (self.bytes_total - self.bytes_done).max(0.0) * self.elapsed_ms
                / self.bytes_done
                / 1000.0,
        )
    }
}

/// One input that yielded nothing, or one cable that could not be kept.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Failure {
    /// The file or `paste`.
    pub source: String,
    /// What was wrong and what to do.
    pub reason: String,
}

/// How an import ended.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ImportSummary {
    /// Job number.
    pub job: u32,
    /// Cables new to the library.
    pub new: usize,
    /// Cables already held with another text, kept as another version.
    pub versions: usize,
    /// Cables already held with the same text (not stored again).
    pub duplicates: usize,
    /// Inputs or cables not taken, with reasons.
    pub failed: Vec<Failure>,
    /// Keys of the cables read (new, versions and duplicates), in input order (at most 1,000).
    pub keys: Vec<String>,
    /// Stopped by Cancel (what was read before is kept).
    pub cancelled: bool,
    /// Milliseconds the import took.
    pub elapsed_ms: f64,
    /// Bytes read.
    pub bytes: f64,
}

impl ImportSummary {
    /// Cables read in all.
    pub fn cables(&self) -> usize {
        self.new + self.versions + self.duplicates
    }

    /// The summary as a plain-text report a person can download.
    pub fn report(&self) -> String {
        let mut s = format!(
            "Import report\nnew: {}\nnew versions of cables already held: {}\nduplicates (already held, not stored again): {}\nfailed: {}\n{}time: {:.1} s, {:.1} MB\n",
            self.new,
            self.versions,
            self.duplicates,
            self.failed.len(),
            if self.cancelled { "cancelled: yes (cables read before Cancel are kept)\n" } else { "" },
            self.elapsed_ms / 1000.0,
            self.bytes / 1e6
        );
        if !self.failed.is_empty() {
            s.push_str("\nFailed:\n");
            for f in &self.failed {
                s.push_str(&format!("{}\t{}\n", f.source, f.reason));
            }
        }
        s
    }
}

/// What the worker tells the page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum FromWorker {
    /// The worker is listening (messages sent before this would be lost, so the page queues them).
    Started,
    /// The stored library is indexed.
    Ready {
        /// Cables held.
        count: usize,
        /// Milliseconds from the worker's start.
        ms: f64,
        /// A problem reading storage, if any.
        error: Option<String>,
    },
    /// The stored library is being indexed again (it has no saved index this version can read):
    /// cables indexed so far, of all stored.
    Opening {
        /// Cables indexed so far.
        done: usize,
        /// Cables stored.
        total: usize,
    },
    /// An import moved on.
    Progress(Progress),
    /// An import ended.
    ImportDone(ImportSummary),
    /// Search results.
    Results {
        /// The request's sequence number.
        seq: u32,
        /// The answer.
        response: SearchResponse,
        /// Milliseconds the worker spent.
        took_ms: f64,
        /// The snippets of some rows past the first screen follow in a [`FromWorker::Snippets`]
        /// (a library past the worker's text budget reads them from storage after answering).
        #[serde(default)]
        more: bool,
    },
    /// The snippets a [`FromWorker::Results`] said would follow: (row index in its answer,
    /// snippet). Rows that could not be read are not listed.
    Snippets {
        /// The request's sequence number.
        seq: u32,
        /// Row index and snippet.
        rows: Vec<(usize, Vec<Segment>)>,
    },
    /// The library changed (import, delete, clear): searches should run again.
    Changed {
        /// Cables held.
        count: usize,
    },
    /// Something failed outside an import.
    Error {
        /// What and what to do.
        message: String,
    },
    /// Cables citing a cable.
    CitedBy {
        /// The request's sequence number.
        seq: u32,
        /// Keys.
        keys: Vec<String>,
        /// The references asked about that the library holds.
        held: Vec<String>,
    },
}
