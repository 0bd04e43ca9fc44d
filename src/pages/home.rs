//! The home page: paste box, file input, sample, and the library.

use crate::components::file_open::FileOpen;
use crate::components::library_list::LibraryList;
use crate::components::paste_box::{open_imported, PasteBox};
use crate::library::use_library;
use crate::location::use_route;
use leptos::prelude::*;

/// The built-in sample: the WikiLeaks page of cable 09TRIPOLI748 as a reader copies it.
pub const SAMPLE_PAGE: &str = include_str!("../../public/samples/09TRIPOLI748-page.txt");

/// Home: read a cable, see the library.
#[component]
pub fn HomePage() -> impl IntoView {
    let lib = use_library();
    let route = use_route();
    let try_sample = move |_| {
        let current = route.get_untracked();
        lib.import(vec![(SAMPLE_PAGE.to_string(), "sample".into(), None)], Vec::new(), move |keys| open_imported(&current, &keys));
    };
    view! {
        <section class="intro">
            <h1>"Read a cable"</h1>
            <p class="lede">
                "Paste a cable from a WikiLeaks mirror — the whole copied page or just the cable's text — or open saved pages and text files. "
                "Every paragraph gets a link you can share. Cables stay in this browser."
            </p>
            <PasteBox/>
            <div class="more-ways">
                <FileOpen/>
                <button class="secondary" on:click=try_sample>"Try a sample cable"</button>
            </div>
        </section>
        <LibraryList/>
    }
}
