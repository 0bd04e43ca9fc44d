//! The current route as reactive state, kept in sync with the address bar's fragment (popstate
//! and hashchange: links, back/forward, reloads). Components reach it with [`use_route`]. Also
//! where each history entry was scrolled to: back and forward return to it (the page is drawn
//! after the address changes, so the browser's own restoring would land on a page not drawn yet).

use crate::routes::Route;
use leptos::prelude::*;
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use wasm_bindgen::{JsCast, JsValue};

/// Where the history entries were scrolled to, by the key each entry carries as its state.
#[derive(Default)]
struct ScrollMemory {
    /// The key of the entry shown, and its address: a scroll seen once the address has moved on
    /// (the browser scrolls a clicked link into view before the new page is drawn) is not the
    /// entry's.
    current: Option<(String, String)>,
    /// The last scroll offset seen on each entry.
    offsets: HashMap<String, f64>,
    /// The offset being restored on the entry shown (back or forward to it), until the next
    /// navigation: while it is set, a page does not scroll by itself (to its paragraph, or to the top).
    restoring: Option<f64>,
}

thread_local! {
    static SCROLL: RefCell<ScrollMemory> = RefCell::new(ScrollMemory::default());
    /// Told of a route before the page shows it ([`on_route_ahead`]).
    static AHEAD: RefCell<Option<AheadListener>> = RefCell::new(None);
}

/// What [`on_route_ahead`] calls: the route, and whether it is only pressed.
type AheadListener = Rc<dyn Fn(&Route, bool)>;

/// Tells the listener of [`on_route_ahead`] of a route about to be shown (`pressed`: a link's
/// press, which may not become a click).
fn tell_ahead(route: &Route, pressed: bool) {
    if let Some(f) = AHEAD.with(|a| a.borrow().clone()) {
        f(route, pressed);
    }
}

/// Frames a restore is tried for while the page is drawn (the library's answer comes from a
/// worker, a cable from storage): about a second and a half.
const RESTORE_FRAMES: u32 = 90;

fn history() -> Option<web_sys::History> {
    web_sys::window()?.history().ok()
}

/// The key the Navigation API gives the entry shown (`navigation.currentEntry.key`): the same
/// when back or forward returns to the entry, already the new entry's during `popstate`.
fn navigation_entry_key() -> Option<String> {
    let get = |target: &JsValue, name: &str| js_sys::Reflect::get(target, &JsValue::from_str(name)).ok().filter(|v| !v.is_undefined() && !v.is_null());
    let navigation = get(&web_sys::window()?.into(), "navigation")?;
    get(&get(&navigation, "currentEntry")?, "key")?.as_string()
}

/// The key the entry shown has: the Navigation API's where the browser has it, else the one kept
/// as its history state, if given.
fn recorded_entry_key() -> Option<String> {
    navigation_entry_key().or_else(|| history()?.state().ok()?.as_string())
}

/// The key of the entry shown ([`recorded_entry_key`]), given to it as its history state when it
/// has none (an entry made by following a link, in a browser without the Navigation API). Writing
/// it (`replaceState`) costs Chromium 1–2 ms, which came before the page asked the library worker
/// for the new address's answer: hence the Navigation API's key first.
fn entry_key() -> Option<String> {
    if let Some(k) = recorded_entry_key() {
        return Some(k);
    }
    let h = history()?;
    // Random, so that keys given before a reload (history keeps them) are not given again.
    let k = format!("{:08x}", (js_sys::Math::random() * 4_294_967_296.0) as u32);
    let _ = h.replace_state(&JsValue::from_str(&k), "");
    Some(k)
}

fn scroll_y() -> f64 {
    web_sys::window().and_then(|w| w.scroll_y().ok()).unwrap_or(0.0)
}

/// True while the entry shown is being returned to at its former scroll offset: a page then
/// leaves the scrolling alone.
pub fn restoring_scroll() -> bool {
    SCROLL.with(|m| m.borrow().restoring.is_some())
}

/// Scrolls to `y` once the page is tall enough, trying each frame for a while.
fn restore_scroll(y: f64, frames_left: u32) {
    let Some(w) = web_sys::window() else { return };
    if SCROLL.with(|m| m.borrow().restoring) != Some(y) {
        return; // another navigation since
    }
    w.scroll_to_with_x_and_y(0.0, y);
    if (scroll_y() - y).abs() < 2.0 || frames_left == 0 {
        return;
    }
    request_animation_frame(move || restore_scroll(y, frames_left - 1));
}

/// Records a navigation (the entry shown is new, or returned to), and scrolls: back to where a
/// returned-to entry was; to the top when a link leads to another page.
fn on_navigation(from: &Route, to: &Route) {
    let Some(key) = entry_key() else { return };
    let saved = SCROLL.with(|m| {
        let mut m = m.borrow_mut();
        // A new entry has no offset yet; one returned to has its last.
        let saved = m.offsets.get(&key).copied();
        m.current = Some((key, current_hash()));
        m.restoring = saved;
        saved
    });
    match saved {
        Some(y) => request_animation_frame(move || restore_scroll(y, RESTORE_FRAMES)),
        None if std::mem::discriminant(from) != std::mem::discriminant(to) => {
            if let Some(w) = web_sys::window() {
                w.scroll_to_with_x_and_y(0.0, 0.0);
            }
        }
        None => {}
    }
}

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
    if let Some(h) = history() {
        let _ = h.set_scroll_restoration(web_sys::ScrollRestoration::Manual);
    }
    SCROLL.with(|m| m.borrow_mut().current = entry_key().map(|k| (k, current_hash())));
    // A new address is followed from `popstate`, which Chromium and Firefox fire during the
    // fragment navigation itself (a link, `location.hash`, back or forward), instead of waiting
    // for `hashchange`, which comes a task later: 1–4 ms, and up to 15 ms when the browser is
    // busy. `hashchange` stays for a browser that fires no `popstate` on a fragment navigation;
    // whichever comes second finds the entry already followed.
    let follow = move || {
        let hash = current_hash();
        let key = recorded_entry_key();
        let followed = SCROLL.with(|m| m.borrow().current.as_ref().is_some_and(|(k, h)| key.as_ref() == Some(k) && *h == hash));
        if followed {
            return;
        }
        let to = Route::from_hash(&hash);
        tell_ahead(&to, false);
        on_navigation(&route.get_untracked(), &to);
        set_route.set(to);
    };
    let popped = window_event_listener(leptos::ev::popstate, move |_| follow());
    let handle = window_event_listener(leptos::ev::hashchange, move |_| follow());
    // The offset of the entry shown, kept as it changes (a page's own scrolling included).
    let scrolled = window_event_listener(leptos::ev::scroll, move |_| {
        SCROLL.with(|m| {
            let mut m = m.borrow_mut();
            if let Some((k, hash)) = &m.current {
                if *hash == current_hash() {
                    let k = k.clone();
                    m.offsets.insert(k, scroll_y());
                }
            }
        });
    });
    // A person scrolling takes over from a restore still waiting for the page to be drawn.
    let took_over = || SCROLL.with(|m| m.borrow_mut().restoring = None);
    let wheel = window_event_listener(leptos::ev::wheel, move |_| took_over());
    let touch = window_event_listener(leptos::ev::touchstart, move |_| took_over());
    on_cleanup(move || {
        popped.remove();
        handle.remove();
        scrolled.remove();
        wheel.remove();
        touch.remove();
    });
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

/// Calls `ahead` with each route the reader is about to be shown, as early as it is known: a link
/// of this page as soon as a person presses it (the main button of a mouse or pen, no modifier
/// key: the click that follows will go there, in this tab), some tens of milliseconds before the
/// click; and a new address (a link followed, back or forward, an address typed) before the page
/// follows it. `ahead` is told which (true: only pressed so far). Not a touch press, which is as
/// often the start of a scroll. One listener: a second call replaces the first.
pub fn on_route_ahead(ahead: impl Fn(&Route, bool) + 'static) {
    AHEAD.with(|a| *a.borrow_mut() = Some(Rc::new(ahead)));
    let handle = window_event_listener(leptos::ev::pointerdown, move |ev| {
        if ev.button() != 0 || ev.pointer_type() == "touch" || ev.ctrl_key() || ev.meta_key() || ev.shift_key() || ev.alt_key() {
            return;
        }
        let Some(link) = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()).and_then(|e| e.closest("a[href]").ok().flatten()) else {
            return;
        };
        if link.has_attribute("download") || link.get_attribute("target").is_some_and(|t| t != "_self") {
            return;
        }
        match link.get_attribute("href") {
            Some(href) if href.starts_with('#') => tell_ahead(&Route::from_hash(&href), true),
            _ => {}
        }
    });
    on_cleanup(move || {
        handle.remove();
        AHEAD.with(|a| *a.borrow_mut() = None);
    });
}

/// The page's URL without its fragment, for absolute share links.
pub fn page_base() -> String {
    web_sys::window().and_then(|w| w.location().href().ok()).map(|h| h.split('#').next().unwrap_or("").to_string()).unwrap_or_default()
}
