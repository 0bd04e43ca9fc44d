//! Reading through a list: on a cable opened from a list (a search, chosen facets, an order), the
//! previous and next cables of that list, the place in it, and the way back to its page.

use crate::components::import_progress::thousands;
use crate::library::use_library;
use crate::routes::{browse_href, cable_href_in_list, CableLink, ListPlace};
use cable_index::{ResultRow, SearchResponse};
use leptos::prelude::*;

/// A neighbour in the list: its link and what it is.
#[derive(Clone, Debug, PartialEq)]
struct Neighbour {
    href: String,
    title: String,
}

/// What the bar shows.
#[derive(Clone, Debug, PartialEq)]
pub struct Around {
    place: ListPlace,
    total: usize,
    previous: Option<Neighbour>,
    next: Option<Neighbour>,
}

fn neighbour(row: &ResultRow, place: &ListPlace, at: usize) -> Neighbour {
    Neighbour { href: cable_href_in_list(&row.key, &place.browse, at), title: format!("{}: {}", row.reference_id, row.subject) }
}

/// The cables around `place` in the answer to the rows `offset..` of its list, when the row at the
/// place is still cable `id` (the list may have changed since the link was made).
fn around(place: &ListPlace, id: &str, offset: usize, r: &SearchResponse) -> Option<Around> {
    let here = place.at.checked_sub(offset)?;
    if r.rows.get(here).map(|row| row.key.as_str()) != Some(id) {
        return None;
    }
    let previous = here.checked_sub(1).and_then(|p| r.rows.get(p)).map(|row| neighbour(row, place, place.at - 1));
    let next = r.rows.get(here + 1).map(|row| neighbour(row, place, place.at + 1));
    Some(Around { place: place.clone(), total: r.total, previous, next })
}

/// The cables around the place `link` has in its list, asked for once per link (one search of
/// three rows) and shared by the bars of the page; `None` while asked for, or when the cable is no
/// longer at that place.
pub fn list_neighbours(link: Signal<CableLink>) -> ReadSignal<Option<Around>> {
    let lib = use_library();
    let shown = RwSignal::new(None::<Around>);
    Effect::new(move |_| {
        let (id, place) = link.with(|l| (l.id.clone(), l.list.clone()));
        shown.set(None);
        let Some(place) = place else { return };
        // The row before, the row itself and the row after.
        let offset = place.at.saturating_sub(1);
        lib.search_list(&place.browse.clone(), offset, 3, Vec::new(), move |answer, _, _| {
            let still = link.with_untracked(|l| l.id == id && l.list.as_ref() == Some(&place));
            if let (true, Ok(r)) = (still, answer) {
                shown.set(around(&place, &id, offset, &r));
            }
        }, None);
    });
    shown.read_only()
}

/// How the bar names the list: "in the list", or "in the search “oil”" (a search that is one
/// quoted phrase shows it in these quotes alone: “human rights”, not “"human rights"”).
fn searched_words(q: &str) -> String {
    let q = q.trim();
    if q.is_empty() {
        "in the list".to_string()
    } else if q.len() > 1 && q.starts_with('"') && q.ends_with('"') && !q[1..q.len() - 1].contains('"') {
        format!("in the search “{}”", &q[1..q.len() - 1])
    } else {
        format!("in the search “{q}”")
    }
}

/// The bar: "← Previous · 12 of 75 in the search “oil” · Back to the list · Next →", from the
/// neighbours [`list_neighbours`] found. With `keys` (one bar of the page), `j` goes to the next
/// cable, `k` to the previous, `u` back to the list.
#[component]
pub fn ListNav(#[prop(into)] link: Signal<CableLink>, around: ReadSignal<Option<Around>>, #[prop(optional)] keys: bool) -> impl IntoView {
    if keys {
        let handle = window_event_listener(leptos::ev::keydown, move |ev| {
            if !crate::keys::is_shortcut(&ev) {
                return;
            }
            let target = around.with_untracked(|s| {
                let a = s.as_ref()?;
                match ev.key().as_str() {
                    "j" => a.next.as_ref().map(|n| n.href.clone()),
                    "k" => a.previous.as_ref().map(|n| n.href.clone()),
                    "u" => Some(browse_href(&a.place.list_page())),
                    _ => None,
                }
            });
            if let Some(href) = target {
                ev.prevent_default();
                crate::location::navigate(&crate::routes::Route::from_hash(&href));
            }
        });
        on_cleanup(move || handle.remove());
    }
    // The bar keeps its room while the neighbours are asked for (the page does not jump).
    let has_list = Memo::new(move |_| link.with(|l| l.list.is_some()));
    let content = move || {
        around.get().map(|a| {
            let within = searched_words(&a.place.browse.q);
            let previous = a.previous.map(|n| view! { <a class="button secondary" rel="prev" href=n.href title=format!("{} (k)", n.title) aria-keyshortcuts="k">"← Previous"</a> });
            let next = a.next.map(|n| view! { <a class="button secondary" rel="next" href=n.href title=format!("{} (j)", n.title) aria-keyshortcuts="j">"Next →"</a> });
            view! {
                {previous}
                <span class="list-place">
                    {format!("{} of {} {within}", thousands(a.place.at + 1), thousands(a.total))}
                    " · "
                    <a href=browse_href(&a.place.list_page()) title="Back to the list (u)" aria-keyshortcuts="u">"Back to the list"</a>
                </span>
                {next}
            }
        })
    };
    move || has_list.get().then(|| view! { <nav class="list-nav" aria-label="The list this cable was opened from">{content}</nav> })
}

#[cfg(test)]
mod tests {
    use super::searched_words;

    #[test]
    fn the_bar_names_the_search_once_quoted() {
        assert_eq!(searched_words("  "), "in the list");
        assert_eq!(searched_words(" oil "), "in the search “oil”");
        assert_eq!(searched_words("\"human rights\""), "in the search “human rights”");
        assert_eq!(searched_words("\"human rights\" oil \"x\""), "in the search “\"human rights\" oil \"x\"”");
        assert_eq!(searched_words("\""), "in the search “\"”");
    }
}
