//! The searched words in a cable: how many places the clean text marks, and buttons (keys `n` and
//! `N`) that bring the next or previous one into view.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// The marked places of the clean text, in document order.
fn marks() -> Vec<web_sys::Element> {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return Vec::new() };
    let Ok(list) = doc.query_selector_all("article.cable .cable-text mark:not(.quote)") else { return Vec::new() };
    (0..list.length()).filter_map(|i| list.item(i)?.dyn_into::<web_sys::Element>().ok()).collect()
}

/// "3 of 7 marked ↑ ↓": shown when the search that led to the cable marks words in its text.
#[component]
pub fn MatchNav(
    /// The words marked.
    highlight: Signal<Vec<String>>,
    /// The raw view is shown (its text is not marked): going to a place shows the clean text.
    raw: RwSignal<bool>,
) -> impl IntoView {
    let count = RwSignal::new(0usize);
    let current = RwSignal::new(None::<usize>);
    // Counted once the text is drawn, and again when the words change.
    Effect::new(move |_| {
        highlight.track();
        current.set(None);
        request_animation_frame(move || {
            let _ = count.try_set(marks().len());
        });
    });
    let go = move |step: isize| {
        raw.set(false);
        let list = marks();
        if list.is_empty() {
            return;
        }
        let n = list.len() as isize;
        let next = match current.get_untracked() {
            Some(i) => (i as isize + step).rem_euclid(n) as usize,
            None if step > 0 => 0,
            None => (n - 1) as usize,
        };
        for (i, m) in list.iter().enumerate() {
            let _ = m.class_list().toggle_with_force("current", i == next);
        }
        let opts = web_sys::ScrollIntoViewOptions::new();
        opts.set_block(web_sys::ScrollLogicalPosition::Center);
        list[next].scroll_into_view_with_scroll_into_view_options(&opts);
        count.set(list.len());
        current.set(Some(next));
    };
    let handle = window_event_listener(leptos::ev::keydown, move |ev| {
        if count.get_untracked() == 0 || !crate::keys::is_shortcut(&ev) {
            return;
        }
        match ev.key().as_str() {
            "n" => go(1),
            "N" => go(-1),
            _ => return,
        }
        ev.prevent_default();
    });
    on_cleanup(move || handle.remove());
    move || {
        (count.get() > 0).then(|| {
            let place = move || match current.get() {
                Some(i) => format!("{} of {} marked", i + 1, count.get()),
                None => format!("{} marked", count.get()),
            };
            view! {
                <div class="match-nav" role="group" aria-label="The searched words in this cable">
                    <span class="match-place" aria-live="polite">{place}</span>
                    <button type="button" class="secondary" title="Previous marked place (N)" aria-label="Previous marked place" aria-keyshortcuts="Shift+N" on:click=move |_| go(-1)>"↑"</button>
                    <button type="button" class="secondary" title="Next marked place (n)" aria-label="Next marked place" aria-keyshortcuts="n" on:click=move |_| go(1)>"↓"</button>
                </div>
            }
        })
    }
}
