//! Browse and search the library: the facets (with counts that follow every choice), the result
//! list with the WikiLeaks columns (sortable, paged) and snippets with the searched words marked.
//! Everything shown is in the URL, so a view can be shared and back/forward work.

use crate::components::facet_list::FacetList;
use crate::components::import_progress::thousands;
use crate::components::no_results::NoResults;
use crate::components::result_table::ResultTable;
use crate::library::use_library;
use crate::routes::{browse_href, Browse};
use cable_index::SearchResponse;
use leptos::prelude::*;
use std::cell::Cell;
use std::rc::Rc;

/// Rows per page.
pub const PAGE_SIZE: usize = crate::routes::LIST_PAGE_SIZE;

/// Rows and facets shown by each step of the first build.
const FIRST_BUILD_ROWS: [usize; 6] = [8, 16, 24, 32, 41, PAGE_SIZE];
const FIRST_BUILD_FACETS: [usize; 6] = [2, 3, 4, 6, 8, usize::MAX];

/// The search answer shown, and how long the worker took.
#[derive(Clone, PartialEq)]
struct Shown {
    /// The browse state answered: the links shown are made from it, so they change with the
    /// answer (one update per search) and always fit the rows and counts on screen; its address
    /// is `data-state` on the results (for tests and benches).
    browse: Browse,
    response: SearchResponse,
    took_ms: f64,
    /// The snippets of some rows past the first screen are still to come (a large library):
    /// `data-snippets-pending` on the results while so.
    snippets_pending: bool,
}

/// Facets and results for a browse state.
#[component]
pub fn BrowseView(#[prop(into)] browse: Signal<Browse>) -> impl IntoView {
    let lib = use_library();
    let shown = RwSignal::new(None::<Shown>);
    // Facets listed in full ("Show all"), kept across searches.
    let expanded = lib.expanded_facets;
    let latest = Rc::new(Cell::new(0u64));
    // Ask the worker whenever the browse state or the library changes; only the latest answer counts.
    Effect::new(move |_| {
        let b = browse.get();
        expanded.track();
        // The library changes under its searches; the hosted corpus does not.
        if !b.hosted {
            lib.revision.track();
        }
        let ticket = latest.get() + 1;
        latest.set(ticket);
        let latest = latest.clone();
        let answered_for = b.clone();
        // In a large library the snippets of rows past the first screen come after the answer:
        // they fill the rows in place (the same answer, so only those rows' snippets change).
        let later: crate::library::SnippetsCallback = {
            let latest = latest.clone();
            Box::new(move |rows| {
                if latest.get() == ticket {
                    shown.update(|s| {
                        if let Some(s) = s {
                            for (k, snippet) in rows {
                                if let Some(row) = s.response.rows.get_mut(k) {
                                    row.snippet = snippet;
                                }
                            }
                            s.snippets_pending = false;
                        }
                    });
                }
            })
        };
        lib.search_list_page(&b, move |answer, took_ms, more| match answer {
            Ok(response) if latest.get() == ticket => shown.set(Some(Shown { browse: answered_for, response, took_ms, snippets_pending: more })),
            Ok(_) => {}
            Err(e) => lib.error(e),
        }, Some(later));
    });
    // What the view shows, each piece apart, so an answer only touches what changed in it.
    let answered = Memo::new(move |_| shown.with(Option::is_some));
    // The browse state of the answer shown (not the address, which runs ahead while a search is
    // under way).
    let browse: Signal<Browse> = Memo::new(move |_| shown.with(|s| s.as_ref().map(|s| s.browse.clone()).unwrap_or_default())).into();
    let total = Memo::new(move |_| shown.with(|s| s.as_ref().map_or(0, |s| s.response.total)));
    let library_size = Memo::new(move |_| shown.with(|s| s.as_ref().map_or(0, |s| s.response.library_size)));
    let rows = Memo::new(move |_| shown.with(|s| s.as_ref().map(|s| s.response.rows.clone()).unwrap_or_default()));
    let sort = Memo::new(move |_| shown.with(|s| s.as_ref().map(|s| s.response.sort.clone()).unwrap_or_default()));
    let pending = Memo::new(move |_| shown.with(|s| s.as_ref().is_some_and(|s| s.snippets_pending)));
    let took = move || shown.with(|s| s.as_ref().map(|s| format!(" · {:.1} ms", s.took_ms)).unwrap_or_default());
    // Another page of the list, once drawn, is read from its first row: the results' head is
    // brought up when it is above the window (a pager at the bottom was used). Not when back or
    // forward returns to a page: it comes back where it was.
    let page_shown = Memo::new(move |_| shown.with(|s| s.as_ref().map(|s| s.browse.page.max(1))));
    let results = NodeRef::<leptos::html::Section>::new();
    Effect::new(move |previous: Option<Option<usize>>| {
        let page = page_shown.get();
        if let (Some(Some(before)), Some(now)) = (previous, page) {
            if before != now && !crate::location::restoring_scroll() {
                if let Some(head) = results.get_untracked().filter(|h| h.get_bounding_client_rect().top() < 0.0) {
                    head.scroll_into_view();
                }
            }
        }
        page
    });
    let facets = Memo::new(move |_| shown.with(|s| s.as_ref().map(facets_to_show).unwrap_or_default()));
    // The first answer builds the whole view (some thousand elements), too much for one task
    // while an import keeps the cores busy: it comes in six steps, a frame apart (rows and facets
    // at the top first). Later answers rebuild the slots in place and need no steps.
    let stage = RwSignal::new(0usize);
    Effect::new(move |_| {
        if answered.get() && stage.get() < FIRST_BUILD_ROWS.len() - 1 {
            request_animation_frame(move || set_timeout(move || stage.update(|s| *s += 1), std::time::Duration::ZERO));
        }
    });
    let row_limit = Signal::derive(move || FIRST_BUILD_ROWS[stage.get()]);
    // Every facet of the answer, also those with nothing to show for it (hidden, not removed: the
    // next answer fills them again without building them). A step of the first build counts the
    // facets shown.
    let facet_names = Memo::new(move |_| {
        let limit = FIRST_BUILD_FACETS[stage.get()];
        facets.with(|visible| {
            shown.with(|s| {
                let mut shown_so_far = 0;
                s.iter()
                    .flat_map(|s| s.response.facets.iter())
                    .take_while(|f| {
                        if visible.iter().any(|v| v.facet == f.facet) {
                            shown_so_far += 1;
                        }
                        shown_so_far <= limit
                    })
                    .map(|f| f.facet.clone())
                    .collect::<Vec<_>>()
            })
        })
    });
    let facet_list = move |name: String| {
        let facet = {
            let name = name.clone();
            Memo::new(move |_| facets.with(|fs| fs.iter().find(|f| f.facet == name).cloned()))
        };
        let is_open = {
            let name = name.clone();
            Signal::derive(move || expanded.with(|e| e.contains(&name)))
        };
        let toggle = {
            let name = name.clone();
            Callback::new(move |_: ()| {
                expanded.update(|e| match e.iter().position(|x| *x == name) {
                    Some(i) => {
                        e.remove(i);
                    }
                    None => e.push(name.clone()),
                })
            })
        };
        view! { <FacetList name facet browse expanded=is_open on_toggle=toggle/> }
    };
    let summary = move || {
        let (searching, hosted) = browse.with(|b| (!b.q.trim().is_empty() || !b.filters.is_empty(), b.hosted));
        if searching {
            format!("{} of {} cables match", thousands(total.get()), thousands(library_size.get()))
        } else {
            format!("{} cables{}", thousands(library_size.get()), if hosted { " hosted with this site" } else { "" })
        }
    };
    let chips = move || {
        browse.with(|b| {
            let chosen: Vec<(String, String)> = b.filters.iter().flat_map(|(f, vs)| vs.iter().map(move |v| (f.clone(), v.clone()))).collect();
            (!chosen.is_empty() || !b.q.trim().is_empty()).then(|| {
                let chips = chosen
                    .into_iter()
                    .map(|(f, v)| {
                        view! { <a class="chip" href=browse_href(&b.toggled(&f, &v)) aria-label=format!("Remove {f}: {v}")>{format!("{f}: {v}")}" ×"</a> }
                    })
                    .collect_view();
                view! {
                    <div class="chips">
                        {chips}
                        <a class="chip clear" href="#/">"Clear all"</a>
                    </div>
                }
            })
        })
    };
    let pager = move || {
        let pages = total.get().div_ceil(PAGE_SIZE).max(1);
        (pages > 1).then(|| {
            browse.with(|b| {
                let page = b.page.clamp(1, pages);
                let prev = (page > 1).then(|| view! { <a class="button secondary" rel="prev" href=browse_href(&b.with_page(page - 1))>"← Previous"</a> });
                let next = (page < pages).then(|| view! { <a class="button secondary" rel="next" href=browse_href(&b.with_page(page + 1))>"Next →"</a> });
                view! {
                    <nav class="pager" aria-label="Pages">
                        {prev}
                        <span>{format!("Page {} of {}", thousands(page), thousands(pages))}</span>
                        {next}
                    </nav>
                }
            })
        })
    };
    // On a narrow screen the facets are folded behind a button, so that the list comes first.
    let facets_open = RwSignal::new(false);
    let chosen = Memo::new(move |_| browse.with(|b| b.filters.iter().map(|(_, vs)| vs.len()).sum::<usize>()));
    let toggle_label = move || match (facets_open.get(), chosen.get()) {
        (true, _) => "Hide the facets".to_string(),
        (false, 0) => "Browse by date, origin, tag, classification…".to_string(),
        (false, n) => format!("Browse by date, origin, tag, classification… ({n} chosen)"),
    };
    view! {
        <Show when=move || answered.get() fallback=|| view! { <p class="muted">"Searching…"</p> }>
            <button
                class="secondary facets-toggle"
                aria-controls="facets"
                aria-expanded=move || facets_open.get().to_string()
                on:click=move |_| facets_open.update(|o| *o = !*o)
            >
                {toggle_label}
            </button>
            <div class="browse">
                <aside id="facets" class="facets" class:open=move || facets_open.get() aria-label="Browse by">
                    <For each=move || facet_names.get() key=|name| name.clone() children=facet_list/>
                </aside>
                <section class="results" node_ref=results aria-label="Cables" data-state=move || browse.with(browse_href) data-snippets-pending=move || pending.get().then_some("true")>
                    <div class="results-head">
                        <p class="result-count" aria-live="polite"><strong>{summary}</strong><span class="muted took">{took}</span></p>
                        {chips}
                    </div>
                    {move || (total.get() == 0).then(|| view! { <NoResults browse/> })}
                    <ResultTable rows sort browse limit=row_limit hidden=Signal::derive(move || total.get() == 0)/>
                    {pager}
                </section>
            </div>
        </Show>
    }
}

/// The facets of an answer with values to show; months only once a year is chosen (and then that
/// year's).
fn facets_to_show(s: &Shown) -> Vec<cable_index::FacetCounts> {
    let years_chosen: Vec<&str> = s.browse.filters.iter().filter(|(f, _)| f == "year").flat_map(|(_, v)| v.iter().map(String::as_str)).collect();
    s.response
        .facets
        .iter()
        .filter(|f| !f.values.is_empty())
        .filter(|f| f.facet != "month" || !years_chosen.is_empty() || f.values.iter().any(|v| v.selected))
        .map(|f| {
            let mut f = f.clone();
            if f.facet == "month" && !years_chosen.is_empty() {
                f.values.retain(|v| v.selected || years_chosen.iter().any(|y| v.value.starts_with(y)));
            }
            f
        })
        .collect()
}
