//! The paste box: a labelled textarea and a "Read cable" button.

use crate::library::use_library;
use crate::location::{navigate, use_route};
use crate::protocol::TextInput;
use crate::routes::{home, CableLink, Route};
use leptos::prelude::*;

/// After an import: a link to a cable that just arrived stays where it is (and lands on its
/// paragraph); otherwise one new cable is opened, several are listed on the home page.
pub fn open_imported(current: &Route, keys: &[String]) {
    if let Route::Cable(CableLink { id, .. }) = current {
        if keys.iter().any(|k| k == id) {
            return;
        }
    }
    let first = keys.first();
    match first {
        Some(one) if keys.iter().all(|k| k == one) => navigate(&Route::cable(one, None)),
        None => {}
        Some(_) if matches!(current, Route::Home(_)) => {}
        Some(_) => navigate(&home()),
    }
}

/// A textarea labelled "Paste a cable" and the button that reads it.
#[component]
pub fn PasteBox(
    /// Text shown in the empty box.
    #[prop(optional, into)]
    placeholder: Option<String>,
) -> impl IntoView {
    let lib = use_library();
    let route = use_route();
    let text = RwSignal::new(String::new());
    let read = move || {
        let t = text.get_untracked();
        let current = route.get_untracked();
        lib.import(vec![TextInput { text: t, source: "paste".into(), file_name: None }], move |keys| {
            text.set(String::new());
            open_imported(&current, &keys);
        });
    };
    view! {
        <form class="paste" on:submit=move |ev| { ev.prevent_default(); read(); }>
            <label for="paste-box">"Paste a cable"</label>
            <textarea
                id="paste-box"
                rows="8"
                spellcheck="false"
                placeholder=placeholder.unwrap_or_else(|| "Paste a whole WikiLeaks cable page, or a cable's text (routing header and body).".into())
                prop:value=move || text.get()
                on:input=move |ev| text.set(event_target_value(&ev))
                on:keydown=move |ev: web_sys::KeyboardEvent| {
                    if ev.key() == "Enter" && (ev.ctrl_key() || ev.meta_key()) {
                        ev.prevent_default();
                        read();
                    }
                }
            ></textarea>
            <div class="actions">
                <button type="submit" class="primary">"Read cable"</button>
                <span class="hint">"Ctrl+Enter also reads."</span>
            </div>
        </form>
    }
}
