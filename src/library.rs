//! The library of cables held in this browser, as reactive state: loaded from storage at start,
//! grown by imports. Components reach it with [`use_library`].

use crate::import::{cable_from_record, records_from_input, Rejected};
use crate::storage::{self, StoredCable};
use cable_parser::Cable;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::cell::RefCell;
use std::sync::Arc;

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
    /// Every cable, most recently added first.
    pub entries: RwSignal<Vec<Entry>>,
    /// False until the stored library has been read.
    pub ready: RwSignal<bool>,
    /// The latest notice.
    pub notice: RwSignal<Option<Notice>>,
}

thread_local! {
    static DB: RefCell<Option<web_sys::IdbDatabase>> = const { RefCell::new(None) };
}

async fn db() -> Result<web_sys::IdbDatabase, storage::StorageError> {
    if let Some(db) = DB.with(|d| d.borrow().clone()) {
        return Ok(db);
    }
    let db = storage::open().await?;
    DB.with(|d| *d.borrow_mut() = Some(db.clone()));
    Ok(db)
}

fn now_ms() -> f64 {
    js_sys::Date::now()
}

impl Library {
    /// The entry with this key, if the library holds it (reactive).
    pub fn get(&self, key: &str) -> Option<Entry> {
        self.entries.with(|v| v.iter().find(|e| e.record.key == key).cloned())
    }

    /// Shows an error notice.
    pub fn error(&self, text: impl Into<String>) {
        self.notice.set(Some(Notice { kind: NoticeKind::Error, text: text.into(), at: crate::location::current_hash() }));
    }

    /// Shows an info notice.
    pub fn info(&self, text: impl Into<String>) {
        self.notice.set(Some(Notice { kind: NoticeKind::Info, text: text.into(), at: crate::location::current_hash() }));
    }

    /// Reads inputs (pasted text or files' contents: `(text, source, file name)`), stores every cable
    /// found in one transaction, adds them to the library and calls `done` with their keys.
    /// Inputs without a cable are reported and nothing of them is stored.
    /// `problems` are earlier rejections (unreadable files) to report together.
    pub fn import(&self, inputs: Vec<(String, String, Option<String>)>, mut problems: Vec<String>, done: impl FnOnce(Vec<String>) + 'static) {
        let lib = *self;
        let mut records: Vec<(StoredCable, Cable)> = Vec::new();
        let many = inputs.len() + problems.len() > 1;
        for (text, source, file_name) in inputs {
            match records_from_input(&text, &source, file_name.as_deref(), now_ms()) {
                Ok(mut r) => records.append(&mut r),
                Err(Rejected(msg)) => problems.push(if many { format!("{source}: {msg}") } else { msg }),
            }
        }
        if records.is_empty() {
            lib.error(problems.join(" "));
            return;
        }
        spawn_local(async move {
            let stored: Vec<StoredCable> = records.iter().map(|(r, _)| r.clone()).collect();
            let result = match db().await {
                Ok(db) => storage::put_all(&db, &stored).await,
                Err(e) => Err(e),
            };

            let keys: Vec<String> = records.iter().map(|(r, _)| r.key.clone()).collect();
            lib.entries.update(|entries| {
                for (rec, cable) in records.into_iter().rev() {
                    entries.retain(|e| e.record.key != rec.key);
                    entries.insert(0, Entry { record: Arc::new(rec), cable: Arc::new(cable) });
                }
            });
            let count = keys.len();
            // Navigate first, so the notice belongs to the page the reader lands on.
            done(keys);
            if let Err(e) = result {
                lib.error(format!("{e} The cable is shown but was not kept."));
            } else if problems.is_empty() {
                if count > 1 {
                    lib.info(format!("Read {count} cables."));
                } else {
                    lib.notice.set(None);
                }
            } else {
                lib.error(format!("Read {count} cable(s). Not read: {}", problems.join(" ")));
            }
        });
    }

    /// Reads files (opened or dropped) and imports the cables in them; unreadable files are reported.
    pub fn import_files(&self, files: Vec<web_sys::File>, done: impl FnOnce(Vec<String>) + 'static) {
        let lib = *self;
        spawn_local(async move {
            let (inputs, problems) = crate::files::read_files(files).await;
            if inputs.is_empty() {
                lib.error(problems.join(" "));
                return;
            }
            lib.import(inputs, problems, done);
        });
    }

    /// Removes one cable from the library and from storage.
    pub fn delete(&self, key: String) {
        let lib = *self;
        spawn_local(async move {
            let result = match db().await {
                Ok(db) => storage::delete(&db, &key).await,
                Err(e) => Err(e),
            };
            match result {
                Ok(()) => lib.entries.update(|v| v.retain(|e| e.record.key != key)),
                Err(e) => lib.error(e.to_string()),
            }
        });
    }
}

/// Creates the library, starts reading the stored cables, and provides it to the component tree.
pub fn provide_library() -> Library {
    let lib = Library { entries: RwSignal::new(Vec::new()), ready: RwSignal::new(false), notice: RwSignal::new(None) };
    provide_context(lib);
    spawn_local(async move {
        match db().await {
            Ok(db) => match storage::get_all(&db).await {
                Ok(mut stored) => {
                    stored.sort_by(|a, b| b.added_ms.partial_cmp(&a.added_ms).unwrap_or(std::cmp::Ordering::Equal));
                    let entries: Vec<Entry> = stored
                        .into_iter()
                        .filter_map(|r| {
                            let cable = cable_from_record(&r)?;
                            Some(Entry { record: Arc::new(r), cable: Arc::new(cable) })
                        })
                        .collect();
                    lib.entries.update(|v| {
                        // Keep anything imported while the library was loading.
                        for e in entries {
                            if !v.iter().any(|x| x.record.key == e.record.key) {
                                v.push(e);
                            }
                        }
                    });
                }
                Err(e) => lib.error(format!("{e} Cables you read now will still be shown.")),
            },
            Err(e) => lib.error(format!("{e} Cables you read now will be shown but not kept.")),
        }
        lib.ready.set(true);
    });
    lib
}

/// The library provided by [`provide_library`].
pub fn use_library() -> Library {
    expect_context::<Library>()
}
