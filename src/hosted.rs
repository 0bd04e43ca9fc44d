//! The corpus hosted with the site: the files `cable publish` writes, served beside the app in
//! `corpus/` (on GitHub Pages or any static host) and fetched only as they are needed — the
//! manifest at start, the columns on the first browse, term chunks and row shards per search, one
//! text per opened cable. The one module that fetches the corpus; the search itself is
//! [`cable_index::hosted::HostedIndex`], pure.

use cable_index::hosted::{text_path, HostedIndex, Manifest};
use cable_index::{SearchRequest, SearchResponse};
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::cell::RefCell;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Folder of the hosted corpus, relative to the page.
pub const CORPUS_DIR: &str = "corpus/";

thread_local! {
    static MANIFEST: RefCell<Option<Manifest>> = const { RefCell::new(None) };
    static INDEX: RefCell<Option<HostedIndex>> = const { RefCell::new(None) };
    /// Texts of the hosted cables opened last (a cable page reads its cable again whenever the
    /// library changes).
    static TEXTS: RefCell<Vec<(String, String)>> = const { RefCell::new(Vec::new()) };
}

/// Hosted texts kept in [`TEXTS`].
const TEXTS_KEPT: usize = 16;

/// Whether the site hosts a corpus, shared by context.
#[derive(Clone, Copy)]
pub struct HostedCorpus {
    /// Cables hosted: `None` while asking or when the site hosts none.
    pub count: RwSignal<Option<usize>>,
}

/// Asks the host for its corpus manifest and provides the answer to the component tree.
pub fn provide_hosted() -> HostedCorpus {
    let h = HostedCorpus { count: RwSignal::new(None) };
    provide_context(h);
    spawn_local(async move {
        if let Ok(Some(m)) = manifest().await {
            h.count.set(Some(m.count));
        }
    });
    h
}

/// The hosted corpus.
pub fn use_hosted() -> HostedCorpus {
    expect_context::<HostedCorpus>()
}

/// Starts fetching a corpus file (the request runs while others are started).
fn start_fetch(path: &str) -> Result<js_sys::Promise, String> {
    let w = web_sys::window().ok_or("no window")?;
    Ok(w.fetch_with_str(&format!("{CORPUS_DIR}{path}")))
}

/// The bytes of a started fetch; `None` when the host has no such file.
async fn bytes_of(path: &str, fetch: js_sys::Promise) -> Result<Option<Vec<u8>>, String> {
    let unreachable = |_| format!("The hosted corpus could not be reached ({path}). Check the connection and try again.");
    let resp: web_sys::Response = JsFuture::from(fetch).await.map_err(unreachable)?.dyn_into().map_err(|_| "not a response".to_string())?;
    if resp.status() == 404 {
        return Ok(None);
    }
    if !resp.ok() {
        return Err(format!("The hosted corpus answered {} for {path}.", resp.status()));
    }
    let buf = JsFuture::from(resp.array_buffer().map_err(unreachable)?).await.map_err(unreachable)?;
    Ok(Some(js_sys::Uint8Array::new(&buf).to_vec()))
}

async fn fetch_required(path: &str) -> Result<Vec<u8>, String> {
    bytes_of(path, start_fetch(path)?).await?.ok_or_else(|| format!("The hosted corpus lacks {path}: it was published incompletely."))
}

/// The manifest of the hosted corpus; `Ok(None)` when the site hosts none.
pub async fn manifest() -> Result<Option<Manifest>, String> {
    if let Some(m) = MANIFEST.with(|m| m.borrow().clone()) {
        return Ok(Some(m));
    }
    let Some(bytes) = bytes_of("manifest.json", start_fetch("manifest.json")?).await? else { return Ok(None) };
    let text = String::from_utf8_lossy(&bytes);
    // A static host may answer any path with its HTML page: only a manifest counts.
    let Ok(value) = js_sys::JSON::parse(&text) else { return Ok(None) };
    let Ok(m) = serde_wasm_bindgen::from_value::<Manifest>(value) else { return Ok(None) };
    MANIFEST.with(|slot| *slot.borrow_mut() = Some(m.clone()));
    Ok(Some(m))
}

async fn ensure_open() -> Result<(), String> {
    if INDEX.with(|i| i.borrow().is_some()) {
        return Ok(());
    }
    let m = manifest().await?.ok_or("This site hosts no corpus.")?;
    let columns = fetch_required("columns.bin").await?;
    let h = HostedIndex::open(m, &columns).ok_or("The hosted corpus is damaged or of another version (columns.bin). Publish it again with this version of the reader.")?;
    INDEX.with(|i| *i.borrow_mut() = Some(h));
    Ok(())
}

/// Fetches the named files (all requests in flight at once) into the index.
async fn load(paths: Vec<String>) -> Result<(), String> {
    let started: Vec<(String, js_sys::Promise)> = paths.into_iter().map(|p| start_fetch(&p).map(|f| (p, f))).collect::<Result<_, _>>()?;
    for (path, fetch) in started {
        let bytes = bytes_of(&path, fetch).await?.ok_or_else(|| format!("The hosted corpus lacks {path}: it was published incompletely."))?;
        INDEX.with(|i| i.borrow_mut().as_mut().map(|h| h.add_file(&path, &bytes)).unwrap_or(Ok(())))?;
    }
    Ok(())
}

/// Searches the hosted corpus (fetching what the search needs).
pub async fn search(req: SearchRequest) -> Result<SearchResponse, String> {
    ensure_open().await?;
    load(INDEX.with(|i| i.borrow().as_ref().map(|h| h.files_for(&req)).unwrap_or_default())).await?;
    let mut r = INDEX.with(|i| i.borrow_mut().as_mut().map(|h| h.search(&req))).ok_or("The hosted corpus is not open.")?;
    load(INDEX.with(|i| i.borrow().as_ref().map(|h| h.row_files_for(&r)).unwrap_or_default())).await?;
    INDEX.with(|i| {
        if let Some(h) = i.borrow().as_ref() {
            h.fill_rows(&mut r);
        }
    });
    Ok(r)
}

/// The portable text of a hosted cable; `Ok(None)` when the site hosts no corpus or not this cable.
pub async fn cable_text(key: &str) -> Result<Option<String>, String> {
    if manifest().await?.is_none() {
        return Ok(None);
    }
    if let Some(text) = TEXTS.with(|t| t.borrow().iter().find(|(k, _)| k == key).map(|(_, text)| text.clone())) {
        return Ok(Some(text));
    }
    let path = text_path(key);
    let Some(bytes) = bytes_of(&path, start_fetch(&path)?).await? else { return Ok(None) };
    let text = String::from_utf8_lossy(&bytes).into_owned();
    TEXTS.with(|t| {
        let mut t = t.borrow_mut();
        if t.len() >= TEXTS_KEPT {
            t.remove(0);
        }
        t.push((key.to_string(), text.clone()));
    });
    Ok(Some(text))
}
