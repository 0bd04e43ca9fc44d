//! Browse and search the library: the facets (with counts that follow every choice), the result
//! list with the WikiLeaks columns (sortable, paged) and snippets with the searched words marked.
//! Everything shown is in the URL, so a view can be shared and back/forward work.

use crate::components::facet_list::FacetList;
use crate::components::import_progress::thousands;
use crate::library::use_library;
use crate::routes::{browse_href, cable_href_for_search, Browse};
use cable_index::{SearchRequest, SearchResponse};
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::cell::Cell;
use std::rc::Rc;

/// Rows per page.
pub const PAGE_SIZE: usize = 50;

/// The list columns: label, sort key.
const COLUMNS: [(&str, &str); 6] = [("Reference ID", "id"), ("Subject", "subject"), ("Created", "created"), ("Released", "released"), ("Classification", "class"), ("Origin", "origin")];

/// The search answer shown, and how long the worker took.
#[derive(Clone, PartialEq)]
struct Shown {
    /// The browse state answered (`data-state` on the results, for tests and benches).
    state: String,
    response: SearchResponse,
    took_ms: f64,
}

/// Facets and results for a browse state.
#[component]
pub fn BrowseView(#[prop(into)] browse: Signal<Browse>) -> impl IntoView {
    let lib = use_library();
    let shown = RwSignal::new(None::<Shown>);
    // Facets listed in full ("Show all"), kept across searches.
    let expanded = RwSignal::new(Vec::<String>::new());
    let latest = Rc::new(Cell::new(0u64));
    // Ask the worker whenever the browse state or the library changes; only the latest answer counts.
    Effect::new(move |_| {
        let b = browse.get();
        let expand = expanded.get();
        // The library changes under its searches; the hosted corpus does not.
        if !b.hosted {
            lib.revision.track();
        }
        let ticket = latest.get() + 1;
        latest.set(ticket);
        let latest = latest.clone();
        let request = SearchRequest {
            query: b.q.clone(),
            filters: b.filters.clone(),
            sort: b.sort.clone(),
            offset: (b.page.max(1) - 1) * PAGE_SIZE,
            limit: PAGE_SIZE,
            expand,
        };
        let state = browse_href(&b);
        if b.hosted {
            // The corpus hosted with the site: searched in the page, fetching what it needs.
            spawn_local(async move {
                let t0 = js_sys::Date::now();
                match crate::hosted::search(request).await {
                    Ok(response) if latest.get() == ticket => shown.set(Some(Shown { state, response, took_ms: js_sys::Date::now() - t0 })),
                    Ok(_) => {}
                    Err(e) => lib.error(e),
                }
            });
            return;
        }
        lib.search(request, move |response, took_ms| {
            if latest.get() == ticket {
                shown.set(Some(Shown { state, response, took_ms }));
            }
        });
    });
    move || {
        let Some(Shown { state, response: r, took_ms }) = shown.get() else {
            return view! { <p class="muted">"Searching…"</p> }.into_any();
        };
        let b = browse.get();
        let searching = !b.q.trim().is_empty() || !b.filters.is_empty();
        let years_chosen: Vec<String> = b.filters.iter().filter(|(f, _)| f == "year").flat_map(|(_, v)| v.clone()).collect();
        let facets = r
            .facets
            .iter()
            .filter(|f| !f.values.is_empty())
            .filter(|f| f.facet != "month" || !years_chosen.is_empty() || f.values.iter().any(|v| v.selected))
            .map(|f| {
                let mut f = f.clone();
                if f.facet == "month" && !years_chosen.is_empty() {
                    f.values.retain(|v| v.selected || years_chosen.iter().any(|y| v.value.starts_with(y.as_str())));
                }
                let name = f.facet.clone();
                let is_open = expanded.with(|e| e.contains(&name));
                let toggle = Callback::new(move |_: ()| {
                    expanded.update(|e| match e.iter().position(|x| *x == name) {
                        Some(i) => {
                            e.remove(i);
                        }
                        None => e.push(name.clone()),
                    })
                });
                view! { <FacetList facet=f browse=b.clone() expanded=is_open on_toggle=toggle/> }
            })
            .collect_view();
        let pages = r.total.div_ceil(PAGE_SIZE).max(1);
        let page = b.page.clamp(1, pages);
        let summary = if searching {
            format!("{} of {} cables match", thousands(r.total), thousands(r.library_size))
        } else {
            format!("{} cables{}", thousands(r.library_size), if b.hosted { " hosted with this site" } else { "" })
        };
        let chosen: Vec<(String, String)> = b.filters.iter().flat_map(|(f, vs)| vs.iter().map(move |v| (f.clone(), v.clone()))).collect();
        let b_for_chips = b.clone();
        let header = COLUMNS
            .iter()
            .map(|(label, key)| {
                let current = r.sort.as_str();
                let (aria, next) = if current == *key {
                    ("ascending", format!("-{key}"))
                } else if current == format!("-{key}") {
                    ("descending", key.to_string())
                } else {
                    ("none", if matches!(*key, "created" | "released") { format!("-{key}") } else { key.to_string() })
                };
                let arrow = match aria {
                    "ascending" => " ▲",
                    "descending" => " ▼",
                    _ => "",
                };
                view! {
                    <th scope="col" aria-sort=aria>
                        <a href=browse_href(&b.with_sort(&next)) title=format!("Sort by {label}")>{*label}{arrow}</a>
                    </th>
                }
            })
            .collect_view();
        let rows = r
            .rows
            .iter()
            .map(|row| {
                let class = format!("class-cell {}", class_css(Some(row.classification.as_str())));
                let snippet = (!row.snippet.is_empty()).then(|| {
                    let segs = row.snippet.iter().map(|s| if s.hit { view! { <mark>{s.text.clone()}</mark> }.into_any() } else { s.text.clone().into_any() }).collect_view();
                    view! { <div class="snippet">{segs}</div> }
                });
                view! {
                    <tr>
                        <td class="nowrap"><a href=cable_href_for_search(&row.key, &b.q)>{row.reference_id.clone()}</a></td>
                        <td class="subject">{row.subject.clone()}{snippet}</td>
                        <td class="nowrap">{row.created.clone()}</td>
                        <td class="nowrap">{row.released.clone()}</td>
                        <td class=class>{row.classification.clone()}</td>
                        <td>{row.origin.clone()}</td>
                    </tr>
                }
            })
            .collect_view();
        let pager = (pages > 1).then(|| {
            let prev = (page > 1).then(|| view! { <a class="button secondary" rel="prev" href=browse_href(&b.with_page(page - 1))>"← Previous"</a> });
            let next = (page < pages).then(|| view! { <a class="button secondary" rel="next" href=browse_href(&b.with_page(page + 1))>"Next →"</a> });
            view! {
                <nav class="pager" aria-label="Pages">
                    {prev}
                    <span>{format!("Page {} of {}", thousands(page), thousands(pages))}</span>
                    {next}
                </nav>
            }
        });
        view! {
            <div class="browse">
                <aside class="facets" aria-label="Browse by">
                    {facets}
                </aside>
                <section class="results" aria-label="Cables" data-state=state>
                    <div class="results-head">
                        <p class="result-count" aria-live="polite"><strong>{summary}</strong><span class="muted took">{format!(" · {:.1} ms", took_ms)}</span></p>
                        {(!chosen.is_empty() || !b.q.trim().is_empty()).then(|| view! {
                            <div class="chips">
                                {chosen.into_iter().map(|(f, v)| view! {
                                    <a class="chip" href=browse_href(&b_for_chips.toggled(&f, &v)) aria-label=format!("Remove {f}: {v}")>{format!("{f}: {v}")}" ×"</a>
                                }).collect_view()}
                                <a class="chip clear" href="#/">"Clear all"</a>
                            </div>
                        })}
                    </div>
                    {if r.total > 0 {
                        view! {
                            <div class="table-scroll">
                                <table class="cable-list">
                                    <thead><tr>{header}</tr></thead>
                                    <tbody>{rows}</tbody>
                                </table>
                            </div>
                        }.into_any()
                    } else {
                        view! { <p class="muted no-results">"No cable matches. Remove a choice or change the search."</p> }.into_any()
                    }}
                    {pager}
                </section>
            </div>
        }
        .into_any()
    }
}

/// A CSS class for a classification, for its colour.
pub fn class_css(classification: Option<&str>) -> &'static str {
    match classification {
        Some(c) if c.starts_with("SECRET") || c.starts_with("TOP SECRET") => "secret",
        Some(c) if c.starts_with("CONFIDENTIAL") => "confidential",
        Some("") | None => "",
        Some(_) => "unclassified",
    }
}
