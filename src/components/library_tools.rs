//! Library care: export the library (original texts; parsed fields as JSON lines and CSV) and
//! clear it.

use crate::components::import_progress::download;
use crate::import::cable_from_record;
use crate::library::{load_all, use_library};
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
    let busy = RwSignal::new(false);
    let export = move |format: &'static str| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        spawn_local(async move {
            match load_all().await {
                Ok(records) => {
                    let mut parts: Vec<String> = Vec::with_capacity(records.len() + 1);
                    match format {
                        "original" => {
                            for r in &records {
                                let v = serde_wasm_bindgen::to_value(r).ok().and_then(|v| js_sys::JSON::stringify(&v).ok()).and_then(|s| s.as_string());
                                if let Some(mut line) = v {
                                    line.push('\n');
                                    parts.push(line);
                                }
                            }
                            download("cable-library-originals.jsonl", "application/x-ndjson", &parts);
                        }
                        "jsonl" => {
                            for r in &records {
                                let Some(c) = cable_from_record(r) else { continue };
                                let v = serde_wasm_bindgen::to_value(&c).ok();
                                if let Some(v) = v {
                                    let _ = js_sys::Reflect::set(&v, &"key".into(), &r.key.as_str().into());
                                    if let Some(mut line) = js_sys::JSON::stringify(&v).ok().and_then(|s| s.as_string()) {
                                        line.push('\n');
                                        parts.push(line);
                                    }
                                }
                            }
                            download("cable-library.jsonl", "application/x-ndjson", &parts);
                        }
                        _ => {
                            parts.push(CSV_HEADER.to_string());
                            for r in &records {
                                if let Some(c) = cable_from_record(r) {
                                    parts.push(csv_row(&r.key, &c));
                                }
                            }
                            download("cable-library.csv", "text/csv", &parts);
                        }
                    }
                }
                Err(e) => lib.error(e),
            }
            busy.set(false);
        });
    };
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
                <button class="link-button" disabled=move || busy.get() on:click=move |_| export("original")>"original texts (.jsonl)"</button>
                " · "
                <button class="link-button" disabled=move || busy.get() on:click=move |_| export("jsonl")>"parsed fields (.jsonl)"</button>
                " · "
                <button class="link-button" disabled=move || busy.get() on:click=move |_| export("csv")>"parsed fields (.csv)"</button>
                <span class="spacer"></span>
                <button class="link-button danger" on:click=clear>"Clear library…"</button>
            </section>
        </Show>
    }
}
