//! The search box in the page header ("Search cables"): `/` focuses it; searching shows ranked
//! results on the home page, with the facets chosen so far.

use crate::location::{navigate, use_route};
use crate::routes::{Browse, Route};
use leptos::prelude::*;

/// The labelled search field and its button.
#[component]
pub fn SearchBox() -> impl IntoView {
    let route = use_route();
    let text = RwSignal::new(String::new());
    // The field shows the search of the page the reader is on.
    Effect::new(move |_| {
        let q = match route.get() {
            Route::Home(b) => b.q,
            _ => String::new(),
        };
        text.set(q);
    });
    let input_ref = NodeRef::<leptos::html::Input>::new();
    let handle = window_event_listener(leptos::ev::keydown, move |ev| {
        if ev.key() == "/" && crate::keys::is_shortcut(&ev) {
            if let Some(input) = input_ref.get() {
                ev.prevent_default();
                let _ = input.focus();
                input.select();
            }
        }
    });
    on_cleanup(move || handle.remove());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let current = match route.get_untracked() {
            Route::Home(b) => b,
            _ => Browse::default(),
        };
        navigate(&Route::Home(current.with_query(&text.get_untracked())));
    };
    view! {
        <form class="search" role="search" on:submit=submit>
            <label for="search-cables" class="visually-hidden">"Search cables"</label>
            <input
                id="search-cables"
                type="search"
                node_ref=input_ref
                aria-label="Search cables"
                placeholder="Search cables   ( / )"
                autocomplete="off"
                spellcheck="false"
                prop:value=move || text.get()
                on:input=move |ev| text.set(event_target_value(&ev))
            />
            <button type="submit" class="primary">"Search"</button>
        </form>
    }
}
