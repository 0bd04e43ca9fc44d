//! The home page: add cables (paste, files, sample), then browse and search the library.

use crate::components::browse::BrowseView;
use crate::components::file_open::FileOpen;
use crate::components::library_tools::LibraryTools;
use crate::components::paste_box::{open_imported, PasteBox};
use crate::library::use_library;
use crate::location::use_route;
use crate::protocol::TextInput;
use crate::components::import_progress::thousands;
use crate::hosted::use_hosted;
use crate::routes::{browse_href, Browse, Route};
use leptos::prelude::*;

/// The built-in sample: the WikiLeaks page of cable 09TRIPOLI748 as a reader copies it.
pub const SAMPLE_PAGE: &str = include_str!("../../public/samples/09TRIPOLI748-page.txt");

/// Home: add cables, browse the library.
#[component]
pub fn HomePage() -> impl IntoView {
    let lib = use_library();
    let route = use_route();
    let try_sample = move |_| {
        let current = route.get_untracked();
        lib.import(vec![TextInput { text: SAMPLE_PAGE.to_string(), source: "sample".into(), file_name: None }], move |keys| open_imported(&current, &keys));
    };
    let browse = Memo::new(move |_| match route.get() {
        Route::Home(b) => b,
        _ => Browse::default(),
    });
    let has_cables = Memo::new(move |_| lib.count.get() > 0);
    let hosted = use_hosted();
    let in_hosted = Memo::new(move |_| browse.with(|b| b.hosted));
    // The two collections, when the site hosts a corpus: links, so each view has its address.
    let tabs = move || {
        hosted.count.get().map(|n| {
            let here = in_hosted.get();
            view! {
                <nav class="collections" aria-label="Collections">
                    <a href=browse_href(&Browse { page: 1, ..Browse::default() }) class:current=!here aria-current=if here { None } else { Some("page") }>
                        {format!("Your library ({})", thousands(lib.count.get()))}
                    </a>
                    <a href=browse_href(&Browse { hosted: true, page: 1, ..Browse::default() }) class:current=here aria-current=if here { Some("page") } else { None }>
                        {format!("Hosted with this site ({})", thousands(n))}
                    </a>
                </nav>
            }
        })
    };
    let add = move || {
        view! {
            <PasteBox/>
            <div class="more-ways">
                <FileOpen/>
                <button class="secondary" on:click=try_sample>"Try a sample cable"</button>
            </div>
        }
    };
    // The stored library indexed again (its saved index is of another version): what is happening,
    // instead of an empty page.
    // A memo: the view is rebuilt only when the rebuild starts or ends (not on each count, which
    // would also empty a paste box being filled).
    let is_opening = Memo::new(move |_| lib.opening.with(Option::is_some));
    let opening = move || {
        let done = move || lib.opening.get().map_or(0, |(d, _)| d);
        let total = move || lib.opening.get().map_or(0, |(_, t)| t);
        view! {
            <section class="opening" role="status" aria-live="polite">
                <h1>"Opening your library"</h1>
                <p class="lede">"The search index saved with your cables was made by another version of the reader, so it is built again from the stored cables — once; the next visit opens at once."</p>
                <progress max=total value=done></progress>
                <p class="muted">{move || format!("{} of {} cables", thousands(done()), thousands(total()))}</p>
            </section>
        }
    };
    view! {
        {tabs}
        {move || if in_hosted.get() {
            view! { <BrowseView browse=browse/> }.into_any()
        } else if is_opening.get() && !has_cables.get() {
            opening().into_any()
        } else if has_cables.get() {
            view! {
                <details class="add-cables">
                    <summary>"Add cables — paste, open files (many at once, or cables.csv), or drop them anywhere"</summary>
                    {add()}
                </details>
                <BrowseView browse=browse/>
                <LibraryTools/>
            }.into_any()
        } else {
            view! {
                <section class="intro">
                    <h1>"Read a cable"</h1>
                    <p class="lede">
                        "Paste a cable from a WikiLeaks mirror — the whole copied page or just the cable's text — or open saved pages, text files or the whole cables.csv. "
                        "Every paragraph gets a link you can share. Cables stay in this browser."
                    </p>
                    {add()}
                </section>
                {move || if lib.ready.get() {
                    view! { <p class="muted empty-library">"No cables yet. Paste one above, open files, or try the sample."</p> }.into_any()
                } else {
                    view! { <p class="muted">"Opening the library…"</p> }.into_any()
                }}
            }.into_any()
        }}
    }
}
