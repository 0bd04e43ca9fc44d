//! The cable page: the cable from the library, scrolled to and highlighting the linked paragraph;
//! or, for a cable the library does not hold, a plain message and a way to add it.

use crate::components::cable_view::CableView;
use crate::components::file_open::FileOpen;
use crate::components::paste_box::PasteBox;
use crate::library::{load_entry, use_library, Entry};
use crate::location::use_route;
use crate::routes::Route;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// Scrolls the paragraph with this element id into view.
fn scroll_to(id: &str) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return };
    if let Some(el) = doc.get_element_by_id(id) {
        let opts = web_sys::ScrollIntoViewOptions::new();
        opts.set_block(web_sys::ScrollLogicalPosition::Center);
        el.scroll_into_view_with_scroll_into_view_options(&opts);
    }
}

/// What the page knows of its cable.
#[derive(Clone, PartialEq)]
enum Loaded {
    /// Still reading storage.
    Reading,
    /// The library holds it.
    Found(Entry),
    /// The library does not hold it.
    Missing,
    /// Storage failed.
    Failed(String),
}

/// The page of cable `id`, at the paragraph the address names.
#[component]
pub fn CablePage(id: String) -> impl IntoView {
    let lib = use_library();
    let route = use_route();
    let loaded = RwSignal::new(Loaded::Reading);
    // Read the cable from storage, and again when the library changes (it may arrive by a paste).
    let key = id.clone();
    Effect::new(move |_| {
        lib.revision.track();
        let key = key.clone();
        spawn_local(async move {
            let next = match load_entry(&key).await {
                Ok(Some(e)) => Loaded::Found(e),
                Ok(None) => Loaded::Missing,
                Err(e) => Loaded::Failed(e),
            };
            // Keep the same entry (and the page) when the stored record did not change.
            let same = matches!((&next, &loaded.get_untracked()), (Loaded::Found(a), Loaded::Found(b)) if a.record == b.record);
            if !same {
                loaded.set(next);
            }
        });
    });
    let entry = Memo::new(move |_| match loaded.get() {
        Loaded::Found(e) => Some(e),
        _ => None,
    });
    let highlight = Memo::new(move |_| match route.get() {
        Route::Cable { q: Some(q), .. } => cable_index::parse_query(&q).highlight_terms(),
        _ => Vec::new(),
    });
    let target = Memo::new(move |_| match route.get() {
        Route::Cable { paragraph, .. } => paragraph,
        _ => None,
    });
    // Once the cable is on the page, bring the linked paragraph into view (again after a reload or
    // when the cable arrives later).
    let has_entry = Memo::new(move |_| entry.with(Option::is_some));
    Effect::new(move |_| {
        if has_entry.get() {
            if let Some(p) = target.get() {
                let p2 = p.clone();
                request_animation_frame(move || scroll_to(&p2));
            } else if let Some(w) = web_sys::window() {
                w.scroll_to_with_x_and_y(0.0, 0.0);
            }
        }
    });
    let id_for_missing = id.clone();
    move || match loaded.get() {
        Loaded::Found(e) => view! { <CableView entry=e target=target highlight=highlight/> }.into_any(),
        Loaded::Reading => view! { <p class="muted loading">"Opening the library…"</p> }.into_any(),
        Loaded::Failed(e) => view! { <section class="missing"><h1>"The library could not be read"</h1><p>{e}</p></section> }.into_any(),
        Loaded::Missing => {
            let what = match &target.get() {
                Some(p) => format!("paragraph {} of cable {}", p.trim_start_matches("par"), id_for_missing),
                None => format!("cable {id_for_missing}"),
            };
            view! {
                <section class="missing">
                    <h1>{format!("{id_for_missing} is not in your library")}</h1>
                    <p>
                        {format!("This link points to {what}. Your library does not hold that cable yet: links open cables that this browser has read. ")}
                        "Paste the cable here or drop its file, and the reader opens it at the linked place."
                    </p>
                    <PasteBox placeholder=format!("Paste cable {id_for_missing} here (a copied WikiLeaks page or the cable's text).")/>
                    <FileOpen/>
                </section>
            }
            .into_any()
        }
    }
}
