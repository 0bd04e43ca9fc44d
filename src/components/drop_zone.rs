//! Drag and drop anywhere on the page: an overlay while files are dragged over, import on drop.

use crate::components::paste_box::open_imported;
use crate::files::file_list;
use crate::library::use_library;
use crate::location::use_route;
use leptos::prelude::*;

/// Listens on the window for dragged files and shows a drop overlay.
#[component]
pub fn DropZone() -> impl IntoView {
    let lib = use_library();
    let route = use_route();
    let active = RwSignal::new(false);
    let has_files = |ev: &web_sys::DragEvent| ev.data_transfer().is_some_and(|dt| dt.types().includes(&"Files".into(), 0));
    let h1 = window_event_listener(leptos::ev::dragover, move |ev: web_sys::DragEvent| {
        if has_files(&ev) {
            ev.prevent_default();
            active.set(true);
        }
    });
    let h2 = window_event_listener(leptos::ev::dragleave, move |ev: web_sys::DragEvent| {
        // Leaving the window (no related target) ends the drag display.
        if ev.related_target().is_none() {
            active.set(false);
        }
    });
    let h3 = window_event_listener(leptos::ev::drop, move |ev: web_sys::DragEvent| {
        active.set(false);
        let Some(dt) = ev.data_transfer() else { return };
        let files = file_list(dt.files());
        if files.is_empty() {
            let into_field = ev
                .target()
                .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
                .is_some_and(|el| matches!(el.tag_name().as_str(), "TEXTAREA" | "INPUT"));
            if into_field {
                return; // the browser puts dropped text into the field
            }
            // Dropped text (a selection dragged from another page) is read like a paste.
            if let Ok(text) = dt.get_data("text/plain") {
                if !text.trim().is_empty() {
                    ev.prevent_default();
                    let current = route.get_untracked();
                    lib.import(vec![crate::protocol::TextInput { text, source: "drop".into(), file_name: None }], move |keys| open_imported(&current, &keys));
                }
            }
            return;
        }
        ev.prevent_default();
        let current = route.get_untracked();
        lib.import_files(files, move |keys| open_imported(&current, &keys));
    });
    on_cleanup(move || {
        h1.remove();
        h2.remove();
        h3.remove();
    });
    view! {
        <div class="drop-overlay" class:active=move || active.get() aria-hidden="true">
            <div class="drop-message">"Drop cables to read them"</div>
        </div>
    }
}
