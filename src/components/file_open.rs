//! The "Open files" input: many .txt, .html and .csv files at once.

use crate::components::paste_box::open_imported;
use crate::files::file_list;
use crate::library::use_library;
use crate::location::use_route;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// A labelled file input; chosen files are read and imported.
#[component]
pub fn FileOpen() -> impl IntoView {
    let lib = use_library();
    let route = use_route();
    let on_change = move |ev: leptos::ev::Event| {
        let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else { return };
        let files = file_list(input.files());
        input.set_value("");
        if files.is_empty() {
            return;
        }
        let current = route.get_untracked();
        lib.import_files(files, move |keys| open_imported(&current, &keys));
    };
    view! {
        <div class="file-open">
            <label for="open-files" class="button">"Open files"</label>
            <input id="open-files" type="file" multiple accept=".txt,.html,.htm,.csv,text/plain,text/html,text/csv" on:change=on_change/>
            <span class="hint">".txt cables, saved WikiLeaks .html pages, cables.csv — or drop them anywhere on the page."</span>
        </div>
    }
}
