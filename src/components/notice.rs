//! The notice bar: errors and confirmations of the latest action, announced to screen readers.

use crate::library::{use_library, NoticeKind};
use leptos::prelude::*;

/// Shows the library's latest notice, with a button to dismiss it.
#[component]
pub fn NoticeBar() -> impl IntoView {
    let lib = use_library();
    let route = crate::location::use_route();
    move || {
        // A notice belongs to the page it was given on (and the page a read cable opened).
        let here = route.get();
        lib.notice.get().filter(|n| crate::routes::Route::from_hash(&n.at) == here).map(|n| {
            let class = match n.kind {
                NoticeKind::Error => "notice error",
                NoticeKind::Info => "notice info",
            };
            view! {
                <div class=class role="alert">
                    <span class="notice-text">{n.text}</span>
                    <button class="dismiss" on:click=move |_| lib.notice.set(None) aria-label="Dismiss">"×"</button>
                </div>
            }
        })
    }
}
