//! The cable reader: a Leptos app that reads US diplomatic cables pasted or dropped into the page,
//! keeps them in the browser, and links every paragraph.

pub mod batch;
pub mod components;
pub mod dom_strings;
pub mod files;
pub mod hosted;
pub mod import;
pub mod keys;
pub mod library;
pub mod location;
pub mod pages;
pub mod parse_pool;
pub mod protocol;
pub mod routes;
pub mod share;
pub mod storage;
pub mod worker;

use components::drop_zone::DropZone;
use components::import_progress::ImportProgress;
use components::key_help::KeyHelp;
use components::notice::NoticeBar;
use components::search_box::SearchBox;
use leptos::prelude::*;
use pages::cable::CablePage;
use pages::home::HomePage;
use routes::Route;

/// Shows a Rust panic as a message on the page instead of leaving it dead, and logs it.
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        let doc = web_sys::window().and_then(|w| w.document());
        if let Some(el) = doc.as_ref().and_then(|d| d.get_element_by_id("fatal")) {
            let detail = info.to_string();
            el.set_text_content(Some(&format!(
                "The reader hit an internal error and stopped. Your library is safe in this browser; reload the page to continue. Details: {detail}"
            )));
            let _ = el.remove_attribute("hidden");
        }
    }));
}

/// The page a route shows.
#[derive(Debug, Clone, PartialEq)]
enum Page {
    Home,
    Cable(String),
    Unknown,
}

/// The whole app: route, library, notices, drop zone and the page for the current route.
#[component]
pub fn App() -> impl IntoView {
    dom_strings::intern_repeated();
    let route = location::provide_route();
    let lib = library::provide_library();
    hosted::provide_hosted();
    // A list's search starts as soon as the reader is known to be going there (a link pressed, a
    // new address before the page follows it): the list finds its answer on its way.
    // A cable's page, likewise, finds its cable already read.
    location::on_route_ahead(move |to, pressed| match to {
        Route::Home(b) if *to != route.get_untracked() => lib.search_ahead(b, pressed),
        Route::Cable(link) if !matches!(route.get_untracked(), Route::Cable(shown) if shown.id == link.id) => lib.read_ahead(&link.id),
        _ => {}
    });
    // Which page is shown: a new paragraph of the same cable does not rebuild the page.
    let page = Memo::new(move |_| match route.get() {
        Route::Home(_) => Page::Home,
        Route::Cable(link) => Page::Cable(link.id),
        Route::Unknown(_) => Page::Unknown,
    });
    view! {
        <header class="site">
            <a class="brand" href="#/">"Cable Reader"</a>
            <SearchBox/>
            <span class="tagline">"Nothing leaves this page."</span>
            <KeyHelp/>
        </header>
        <NoticeBar/>
        <ImportProgress/>
        <main>
            {move || match page.get() {
                Page::Home => view! { <HomePage/> }.into_any(),
                Page::Cable(id) => view! { <CablePage id=id/> }.into_any(),
                Page::Unknown => view! {
                    <section class="unknown">
                        <h1>"This link is not one of the reader's"</h1>
                        <p>"The address after # is not a cable or paragraph link. "<a href="#/">"Go to the home page"</a>"."</p>
                    </section>
                }.into_any(),
            }}
        </main>
        <DropZone/>
    }
}
