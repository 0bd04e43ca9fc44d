//! The keyboard shortcuts, listed in a dialog: opened with `?` or the header's "Keys" button.

use leptos::prelude::*;

/// Every shortcut of the reader and what it does.
const KEYS: &[(&str, &str)] = &[
    ("/", "Search cables (the search box)"),
    ("j", "The next cable of the list a cable was opened from"),
    ("k", "The previous cable of that list"),
    ("u", "Back to that list"),
    ("n", "The next place the searched words are marked in a cable"),
    ("N", "The previous marked place"),
    ("Ctrl+Enter", "Read the cable pasted in the box"),
    ("?", "This list"),
];

/// The "Keys" button and its dialog.
#[component]
pub fn KeyHelp() -> impl IntoView {
    let dialog = NodeRef::<leptos::html::Dialog>::new();
    let open = move || {
        if let Some(el) = dialog.get_untracked() {
            if !el.open() {
                let _ = el.show_modal();
            }
        }
    };
    let handle = window_event_listener(leptos::ev::keydown, move |ev| {
        if ev.key() == "?" && crate::keys::is_shortcut(&ev) {
            ev.prevent_default();
            open();
        }
    });
    on_cleanup(move || handle.remove());
    let rows = KEYS.iter().map(|(k, what)| view! { <tr><td><kbd>{*k}</kbd></td><td>{*what}</td></tr> }).collect_view();
    view! {
        <button type="button" class="keys-button" aria-haspopup="dialog" aria-keyshortcuts="?" on:click=move |_| open()>"Keys"</button>
        <dialog class="key-help" node_ref=dialog aria-labelledby="key-help-title">
            <form method="dialog">
                <h2 id="key-help-title">"Keyboard shortcuts"</h2>
                <table class="keys">
                    <tbody>{rows}</tbody>
                </table>
                <p class="muted small">"Not while typing in a field."</p>
                <div class="dialog-actions"><button type="submit">"Close"</button></div>
            </form>
        </dialog>
    }
}
