//! Library care: export the library (original texts; parsed fields as JSON lines and CSV) and
//! clear it.

use crate::components::import_progress::download_parts;
use crate::import::cable_from_record;
use crate::library::{for_each_batch, use_library};
use cable_parser::Cable;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// One CSV cell: quoted, quotes doubled.
fn csv_cell(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

/// The CSV columns of the parsed export.
const CSV_HEADER: &str = "key,reference_id,canonical_id,created,released,classification,origin,subject,tags,precedence,from,signers,classified_by,declassify_on,partial,paragraphs,references\n";

fn csv_row(key: &str, c: &Cable) -> String {
    let o = |v: &Option<String>| v.clone().unwrap_or_default();
    let cells = [
        key.to_string(),
        o(&c.reference_id),
        o(&c.canonical_id),
        o(&c.created),
        o(&c.released),
        o(&c.classification),
        o(&c.origin),
        o(&c.subject),
        c.tags.join(" "),
        o(&c.precedence),
        o(&c.from),
        c.signers.join("; "),
        o(&c.classified_by),
        o(&c.declassify_on),
        c.partial.to_string(),
        c.paragraphs.len().to_string(),
        c.references.iter().filter_map(|r| r.id.clone()).collect::<Vec<_>>().join(" "),
    ];
    let mut line = cells.iter().map(|c| csv_cell(c)).collect::<Vec<_>>().join(",");
    line.push('\n');
    line
}

/// Export and clear buttons for the library.
#[component]
pub fn LibraryTools() -> impl IntoView {
    let lib = use_library();
    // Cables exported so far while an export runs.
    let exported = RwSignal::new(None::<usize>);
    let export = move |format: &'static str| {
        if exported.get_untracked().is_some() {
            return;
        }
        exported.set(Some(0));
        spawn_local(async move {
            // Each batch becomes a Blob at once: the export leaves the Wasm memory as it is made.
            let parts = js_sys::Array::new();
            if format == "csv" {
                parts.push(&CSV_HEADER.into());
            }
            let r = for_each_batch(|records, done| {
                let mut text = String::new();
                for r in records {
                    match format {
                        "original" => {
                            let v = serde_wasm_bindgen::to_value(r).ok().and_then(|v| js_sys::JSON::stringify(&v).ok()).and_then(|s| s.as_string());
                            if let Some(line) = v {
                                text.push_str(&line);
                                text.push('\n');
                            }
                        }
                        "jsonl" => {
                            let Some(c) = cable_from_record(r) else { continue };
                            if let Ok(v) = serde_wasm_bindgen::to_value(&c) {
                                let _ = js_sys::Reflect::set(&v, &"key".into(), &r.key.as_str().into());
                                if let Some(line) = js_sys::JSON::stringify(&v).ok().and_then(|s| s.as_string()) {
                                    text.push_str(&line);
                                    text.push('\n');
                                }
                            }
                        }
                        _ => {
                            if let Some(c) = cable_from_record(r) {
                                text.push_str(&csv_row(&r.key, &c));
                            }
                        }
                    }
                }
                let one = js_sys::Array::of1(&text.into());
                if let Ok(blob) = web_sys::Blob::new_with_str_sequence(&one) {
                    parts.push(&blob);
                }
                exported.set(Some(done));
            })
            .await;
            match r {
                Ok(_) => {
                    let (name, mime) = match format {
                        "original" => ("cable-library-originals.jsonl", "application/x-ndjson"),
                        "jsonl" => ("cable-library.jsonl", "application/x-ndjson"),
                        _ => ("cable-library.csv", "text/csv"),
                    };
                    download_parts(name, mime, &parts);
                }
                Err(e) => lib.error(e),
            }
            exported.set(None);
        });
    };
    let busy = move || exported.get().is_some();
    let clear = move |_| {
        let n = lib.count.get_untracked();
        let ok = web_sys::window().and_then(|w| w.confirm_with_message(&format!("Delete all {n} cables from this browser? This cannot be undone; export first to keep a copy.")).ok()).unwrap_or(false);
        if ok {
            lib.clear();
        }
    };
    view! {
        <Show when=move || { lib.count.get() > 0 }>
            <section class="library-tools" aria-label="Library">
                <span class="muted">"Export the library: "</span>
                <button class="link-button" disabled=busy on:click=move |_| export("original")>"original texts (.jsonl)"</button>
                " · "
                <button class="link-button" disabled=busy on:click=move |_| export("jsonl")>"parsed fields (.jsonl)"</button>
                " · "
                <button class="link-button" disabled=busy on:click=move |_| export("csv")>"parsed fields (.csv)"</button>
                {move || exported.get().map(|n| view! { <span class="muted" role="status">{format!(" Exporting… {n} cables read")}</span> })}
                <span class="spacer"></span>
                <button class="link-button danger" on:click=clear>"Clear library…"</button>
            </section>
        </Show>
    }
}
