//! The result list: the WikiLeaks columns (Reference ID, Subject, Created, Released,
//! Classification, Origin), sortable by each, with snippets and the searched words marked.
//!
//! The rows are slots: row *i* of one answer and row *i* of the next share their elements, and a
//! new answer only rewrites the texts and links that differ. A search then costs a few hundred
//! text updates instead of building and tearing down some thousand elements. A slot an answer
//! does not fill is hidden, not removed (nor the table when nothing matches), so the answer after
//! a short list does not build fifty rows again.

use crate::routes::{browse_href, cable_href_in_list, Browse};
use cable_index::{ResultRow, Segment};
use leptos::prelude::*;

/// The list columns: label, sort key.
const COLUMNS: [(&str, &str); 6] = [("Reference ID", "id"), ("Subject", "subject"), ("Created", "created"), ("Released", "released"), ("Classification", "class"), ("Origin", "origin")];

/// A sortable table of result rows.
#[component]
pub fn ResultTable(
    /// The rows of the page shown.
    rows: Memo<Vec<ResultRow>>,
    /// The sort the answer used (`created`, `-created`, ...).
    sort: Memo<String>,
    /// The browse state (for the column links and the cable links' search terms).
    browse: Signal<Browse>,
    /// At most this many rows (the first build comes in steps).
    limit: Signal<usize>,
    /// Hidden (nothing matches): kept, to be filled again by the next answer.
    #[prop(into)]
    hidden: Signal<bool>,
) -> impl IntoView {
    // The list the rows belong to (its page aside) and the first row's position in it: each row's
    // link carries its place, for the previous and next cables on the cable page.
    let list = Memo::new(move |_| browse.with(|b| (b.with_page(1), (b.page.max(1) - 1) * crate::routes::LIST_PAGE_SIZE)));
    let header = COLUMNS.iter().map(|&(label, key)| view! { <ColumnHeader label key sort browse/> }).collect_view();
    let count = crate::components::high_water(move || rows.with(Vec::len).min(limit.get()));
    view! {
        <div class="table-scroll" hidden=hidden>
            <table class="cable-list" role="table">
                <thead role="rowgroup"><tr role="row">{header}</tr></thead>
                <tbody role="rowgroup">
                    <For
                        each=move || 0..count.get()
                        key=|i| *i
                        children=move |i| view! { <RowSlot rows i list/> }
                    />
                </tbody>
            </table>
        </div>
    }
}

/// A column heading: a link that sorts by the column (descending first for dates), and the
/// current direction.
#[component]
fn ColumnHeader(label: &'static str, key: &'static str, sort: Memo<String>, browse: Signal<Browse>) -> impl IntoView {
    // aria-sort value and the sort the link asks for.
    let state = Memo::new(move |_| {
        sort.with(|current| {
            if current == key {
                ("ascending", format!("-{key}"))
            } else if current.strip_prefix('-') == Some(key) {
                ("descending", key.to_string())
            } else {
                ("none", if matches!(key, "created" | "released") { format!("-{key}") } else { key.to_string() })
            }
        })
    });
    let href = move || state.with(|(_, next)| browse.with(|b| browse_href(&b.with_sort(next))));
    let arrow = move || match state.with(|s| s.0) {
        "ascending" => " ▲",
        "descending" => " ▼",
        _ => "",
    };
    view! {
        <th scope="col" role="columnheader" aria-sort=move || state.with(|s| s.0)>
            <a href=href title=format!("Sort by {label}")>{label}{arrow}</a>
        </th>
    }
}

/// One row slot: shows whatever row of the answer has position `i`, and is hidden when the
/// answer has fewer rows. It is one reactive view of one shape, rebuilt in place: a new answer
/// rewrites the texts and links that differ. (No memo per slot: nearly every slot changes with
/// every answer, and 50 more nodes in the reactive graph cost more than the reruns they would
/// spare.)
#[component]
fn RowSlot(rows: Memo<Vec<ResultRow>>, i: usize, list: Memo<(Browse, usize)>) -> impl IntoView {
    // The most snippet pairs this slot has shown: a shorter snippet is padded to it with empty
    // pairs, so that a new answer rewrites the slot's text nodes instead of removing some and
    // building others (about 220 node insertions and removals per answer before).
    let pairs_shown = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    move || {
        let row = rows.with(|rows| rows.get(i).cloned());
        let empty = row.is_none();
        let r = row.unwrap_or_default();
        let href = if empty { String::new() } else { list.with(|(b, first)| cable_href_in_list(&r.key, b, first + i)) };
        let class = format!("class-cell {}", class_css(Some(r.classification.as_str())));
        // `CONFIDENTIAL//NOFORN` is wider than its column: it may break after the slashes (the
        // same two text nodes in every row, so that a new answer rewrites them in place).
        let (class_head, class_tail) = split_after_slashes(&r.classification);
        let no_snippet = r.snippet.is_empty();
        let mut pairs = snippet_pairs(r.snippet);
        let slots = pairs.len().max(pairs_shown.load(std::sync::atomic::Ordering::Relaxed));
        pairs_shown.store(slots, std::sync::atomic::Ordering::Relaxed);
        pairs.resize(slots, (String::new(), String::new()));
        let segs = pairs.into_iter().map(|(plain, hit)| view! { {plain}<mark>{hit}</mark> }).collect_view();
        view! {
            <tr role="row" hidden=empty>
                <td role="cell" class="id-cell"><a href=href>{r.reference_id}</a></td>
                <td role="cell" class="subject">{r.subject}<div class="snippet" hidden=no_snippet>{segs}</div></td>
                <td role="cell" class="nowrap created-cell">{r.created}</td>
                <td role="cell" class="nowrap released-cell">{r.released}</td>
                <td role="cell" class=class>{class_head}<wbr />{class_tail}</td>
                <td role="cell" class="origin-cell">{r.origin}</td>
            </tr>
        }
    }
}

/// A snippet's segments as (plain text, marked text) pairs, either part possibly empty (an empty
/// `mark` is not shown): every snippet has the same shape, so a new answer rewrites the texts of
/// the nodes in place instead of replacing a text node by a `mark` or back.
pub fn snippet_pairs(segments: Vec<Segment>) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = Vec::new();
    for s in segments {
        match pairs.last_mut() {
            Some((_, hit)) if s.hit && hit.is_empty() => *hit = s.text,
            Some((plain, hit)) if !s.hit && hit.is_empty() => plain.push_str(&s.text),
            _ if s.hit => pairs.push((String::new(), s.text)),
            _ => pairs.push((s.text, String::new())),
        }
    }
    pairs
}

/// A classification cut after its `//` (`CONFIDENTIAL//`, `NOFORN`), or whole and an empty rest.
pub fn split_after_slashes(classification: &str) -> (String, String) {
    match classification.find("//") {
        Some(p) => (classification[..p + 2].to_string(), classification[p + 2..].to_string()),
        None => (classification.to_string(), String::new()),
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

#[cfg(test)]
mod tests {
    use super::*;

    fn seg(text: &str, hit: bool) -> Segment {
        Segment { text: text.into(), hit }
    }

    #[test]
    fn a_classification_breaks_after_its_slashes() {
        assert_eq!(split_after_slashes("CONFIDENTIAL//NOFORN"), ("CONFIDENTIAL//".into(), "NOFORN".into()));
        assert_eq!(split_after_slashes("SECRET"), ("SECRET".into(), String::new()));
        assert_eq!(split_after_slashes(""), (String::new(), String::new()));
    }

    #[test]
    fn snippet_pairs_keep_every_segment_in_order() {
        let segs = vec![seg("… the ", false), seg("oil", true), seg(" and ", false), seg("gas", true), seg("Oil", true), seg(" end", false), seg(" more", false)];
        let pairs = snippet_pairs(segs.clone());
        assert_eq!(
            pairs,
            vec![("… the ".into(), "oil".into()), (" and ".into(), "gas".into()), ("".into(), "Oil".into()), (" end more".into(), "".into())]
        );
        // Read back in order, the pairs give the same text and the same marked words.
        let text: String = pairs.iter().map(|(p, h)| format!("{p}{h}")).collect();
        assert_eq!(text, segs.iter().map(|s| s.text.as_str()).collect::<String>());
        let marked: Vec<&str> = pairs.iter().map(|(_, h)| h.as_str()).filter(|h| !h.is_empty()).collect();
        assert_eq!(marked, vec!["oil", "gas", "Oil"]);
        assert!(snippet_pairs(Vec::new()).is_empty());
        assert_eq!(snippet_pairs(vec![seg("x", true)]), vec![("".into(), "x".into())]);
    }
}
