//! The current route as reactive state, kept in sync with the address bar's fragment (hashchange:
//! links, back/forward, reloads). Components reach it with [`use_route`].

use crate::routes::Route;
use leptos::prelude::*;

/// The current route, shared by context.
#[derive(Clone, Copy)]
pub struct CurrentRoute(pub ReadSignal<Route>);

fn read_hash() -> Route {
    Route::from_hash(&current_hash())
}

/// The address bar's fragment as it is now.
pub fn current_hash() -> String {
    web_sys::window().and_then(|w| w.location().hash().ok()).unwrap_or_default()
}

/// Starts following the address bar and provides the route to the component tree.
pub fn provide_route() -> ReadSignal<Route> {
    let (route, set_route) = signal(read_hash());
    let handle = window_event_listener(leptos::ev::hashchange, move |_| set_route.set(read_hash()));
    on_cleanup(move || handle.remove());
    provide_context(CurrentRoute(route));
    route
}

/// The current route.
pub fn use_route() -> ReadSignal<Route> {
    expect_context::<CurrentRoute>().0
}

/// Goes to a route (adds a history entry, like following a link).
pub fn navigate(route: &Route) {
    if let Some(w) = web_sys::window() {
        let _ = w.location().set_hash(&route.href());
    }
}

/// The page's URL without its fragment, for absolute share links.
pub fn page_base() -> String {
    web_sys::window().and_then(|w| w.location().href().ok()).map(|h| h.split('#').next().unwrap_or("").to_string()).unwrap_or_default()
}
