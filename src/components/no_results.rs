//! What to try when nothing matches: how many cables each searched term finds alone, and how
//! many the search finds without the chosen facets, each a link to that search.

use crate::components::import_progress::thousands;
use crate::library::use_library;
use crate::routes::{browse_href, Browse};
use cable_index::parse_query;
use leptos::prelude::*;

/// A search to offer instead, with the number of cables it finds.
#[derive(Clone, Debug, PartialEq)]
struct Alternative {
    /// What the link says (a term, or "without the facets").
    label: String,
    /// Where it leads.
    browse: Browse,
    /// Cables it finds.
    total: usize,
}

/// The searches worth offering for `b`: each term alone (when there are two or more), and the
/// search without its facets (when some are chosen). Exclusions stay with each term.
fn alternatives(b: &Browse) -> Vec<(String, Browse)> {
    let query = parse_query(&b.q);
    let (positive, negated): (Vec<_>, Vec<_>) = query.clauses.iter().partition(|c| !c.negated);
    let exclusions: Vec<String> = negated.iter().map(|c| c.to_query_text()).collect();
    let mut out = Vec::new();
    if positive.len() >= 2 {
        for c in &positive {
            let term = c.to_query_text();
            let q = std::iter::once(term.clone()).chain(exclusions.iter().cloned()).collect::<Vec<_>>().join(" ");
            out.push((term, Browse { q, page: 1, ..b.clone() }));
        }
    }
    if !b.filters.is_empty() && !b.q.trim().is_empty() {
        out.push(("the search without the chosen facets".to_string(), Browse { filters: Vec::new(), page: 1, ..b.clone() }));
    }
    out
}

/// The empty answer: says so, then offers the searches that do find cables.
#[component]
pub fn NoResults(#[prop(into)] browse: Signal<Browse>) -> impl IntoView {
    let lib = use_library();
    let found = RwSignal::new(Vec::<Alternative>::new());
    // Each alternative asked once per empty answer; only those that find something are shown.
    Effect::new(move |_| {
        let b = browse.get();
        found.set(Vec::new());
        for (label, alt) in alternatives(&b) {
            let asked_for = b.clone();
            lib.search_list(&alt.clone(), 0, 1, Vec::new(), move |answer, _, _| {
                let total = answer.map_or(0, |r| r.total);
                // (Not when the search changed meanwhile.)
                if total > 0 && browse.with_untracked(|now| *now == asked_for) {
                    found.update(|f| f.push(Alternative { label, browse: alt, total }));
                }
            }, None);
        }
    });
    let offers = move || {
        let mut list = found.get();
        list.sort_by_key(|x| std::cmp::Reverse(x.total));
        (!list.is_empty()).then(|| {
            let items = list
                .into_iter()
                .map(|a| {
                    view! {
                        <li>
                            <a href=browse_href(&a.browse)>{a.label}</a>
                            <span class="muted">{format!(": {} {}", thousands(a.total), if a.total == 1 { "cable" } else { "cables" })}</span>
                        </li>
                    }
                })
                .collect_view();
            view! {
                <p class="try-instead">"These find cables:"</p>
                <ul class="try-instead">{items}</ul>
            }
        })
    };
    let all_of = move || {
        browse.with(|b| {
            let terms: Vec<String> = parse_query(&b.q).clauses.iter().filter(|c| !c.negated).map(|c| c.to_query_text()).collect();
            if terms.len() >= 2 {
                format!("No cable matches all of {}.", terms.join(", "))
            } else {
                "No cable matches.".to_string()
            }
        })
    };
    view! {
        <div class="no-results">
            <p class="muted">{all_of}" Remove a choice or change the search."</p>
            {offers}
        </div>
    }
}
