//! One browse facet: its values with counts, each a link that chooses or unchooses the value
//! (the choice lives in the URL); long lists fold, tags are grouped by kind with their meanings.

use crate::components::import_progress::thousands;
use crate::routes::{browse_href, Browse};
use cable_index::{FacetCounts, FacetValue};
use leptos::prelude::*;

/// Values shown before "Show all".
const FOLDED: usize = 8;

fn value_label(facet: &str, v: &FacetValue) -> String {
    match facet {
        "month" => {
            const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
            let m: usize = v.value.get(5..7).and_then(|m| m.parse().ok()).unwrap_or(0);
            match MONTHS.get(m.wrapping_sub(1)) {
                Some(name) => format!("{name} {}", &v.value[..4]),
                None => v.value.clone(),
            }
        }
        _ => v.value.clone(),
    }
}

/// One value slot of a facet: shows whatever value has position `i` in the list, and is hidden
/// (with no text) when the list is shorter. It is one reactive view of one shape, rebuilt in
/// place: a new answer rewrites the counts and links that differ instead of building the list
/// again. (No memo per slot: most slots change with every answer.)
#[component]
fn ValueItem(facet: String, values: Memo<Vec<FacetValue>>, i: usize, browse: Signal<Browse>) -> impl IntoView {
    move || {
        let value = values.with(|vs| vs.get(i).cloned());
        let empty = value.is_none();
        let v = value.unwrap_or(FacetValue { value: String::new(), count: 0, selected: false, note: None, group: None });
        let label = value_label(&facet, &v);
        let href = if empty { String::new() } else { browse.with(|b| browse_href(&b.toggled(&facet, &v.value))) };
        let title = v.note.as_ref().map(|n| format!("{} — {n}", v.value));
        let action = if v.selected { "Remove" } else { "Only" };
        let aria = if empty { String::new() } else { format!("{action} {label} ({} cables)", v.count) };
        let no_note = v.note.is_none();
        view! {
            <li class:selected=v.selected class:empty=v.count == 0 hidden=empty>
                <a href=href title=title aria-label=aria aria-current=v.selected.then_some("true")>
                    <span class="check" aria-hidden="true">{match (empty, v.selected) { (true, _) => "", (false, true) => "☑", (false, false) => "☐" }}</span>
                    <span class="value">{label}</span>
                    <span class="note" hidden=no_note>{v.note.unwrap_or_default()}</span>
                    <span class="count">{if empty { String::new() } else { thousands(v.count) }}</span>
                </a>
            </li>
        }
    }
}

/// The value slots of one list (a facet, or one group of the tag facet).
#[component]
fn ValueSlots(facet: String, values: Memo<Vec<FacetValue>>, browse: Signal<Browse>) -> impl IntoView {
    let count = crate::components::high_water(move || values.with(Vec::len));
    view! {
        <For
            each=move || 0..count.get()
            key=|i| *i
            children=move |i| view! { <ValueItem facet=facet.clone() values i browse/> }
        />
    }
}

/// The values a facet shows: folded to the first few (and the chosen ones) unless listed in full.
fn shown_values(values: &[FacetValue], open: bool, folded: usize) -> Vec<FacetValue> {
    values.iter().enumerate().filter(|(i, v)| open || *i < folded || v.selected).map(|(_, v)| v.clone()).collect()
}

/// A facet's values (folded to the first few, or all). The tag facet groups them by kind.
#[component]
pub fn FacetList(
    /// The facet's name (`origin`, `tag`, ...).
    name: String,
    /// Its counts in the answer shown.
    facet: Memo<Option<FacetCounts>>,
    browse: Signal<Browse>,
    /// Listed in full.
    expanded: Signal<bool>,
    /// "Show all" / "Show fewer".
    on_toggle: Callback<()>,
) -> impl IntoView {
    let total = Memo::new(move |_| facet.with(|f| f.as_ref().map(|f| f.distinct.max(f.values.len())).unwrap_or(0)));
    let heading_id = format!("facet-{name}");
    let grouped = name == "tag";
    let list = if grouped {
        // Groups in the order their first (most frequent) value comes; four values each when folded.
        let groups = Memo::new(move |_| {
            let open = expanded.get();
            facet.with(|f| {
                let mut groups: Vec<(String, Vec<FacetValue>)> = Vec::new();
                for v in f.iter().flat_map(|f| f.values.iter()) {
                    let g = v.group.clone().unwrap_or_else(|| "Other".into());
                    match groups.iter_mut().find(|(n, _)| *n == g) {
                        Some((_, list)) => list.push(v.clone()),
                        None => groups.push((g, vec![v.clone()])),
                    }
                }
                groups.into_iter().map(|(g, list)| (g, shown_values(&list, open, 4))).collect::<Vec<_>>()
            })
        });
        // Group slots, as value slots: group *i* of one answer and of the next share elements.
        let count = crate::components::high_water(move || groups.with(Vec::len));
        let name = name.clone();
        view! {
            <For
                each=move || 0..count.get()
                key=|i| *i
                children=move |i| {
                    let values = Memo::new(move |_| groups.with(|gs| gs.get(i).map(|(_, v)| v.clone()).unwrap_or_default()));
                    let group = Memo::new(move |_| groups.with(|gs| gs.get(i).map(|(g, _)| g.clone())));
                    view! {
                        <li class="group" hidden=move || group.with(Option::is_none)>
                            <span class="group-name">{move || group.get().unwrap_or_default()}</span>
                            <ul><ValueSlots facet=name.clone() values browse/></ul>
                        </li>
                    }
                }
            />
        }
        .into_any()
    } else {
        let values = Memo::new(move |_| {
            let open = expanded.get();
            facet.with(|f| f.as_ref().map(|f| shown_values(&f.values, open, FOLDED)).unwrap_or_default())
        });
        view! { <ValueSlots facet=name.clone() values browse/> }.into_any()
    };
    let foldable = Memo::new(move |_| if grouped { total.get() > 4 } else { total.get() > FOLDED });
    view! {
        <section class="facet" aria-labelledby=heading_id.clone() hidden=move || facet.with(Option::is_none)>
            <h3 id=heading_id.clone()>{move || facet.with(|f| f.as_ref().map(|f| f.label.clone()).unwrap_or_default())}</h3>
            <ul class="facet-values">{list}</ul>
            // Kept and hidden when the list is short: answers come and go across the fold.
            <button class="link-button more" hidden=move || !foldable.get() on:click=move |_| on_toggle.run(())>
                {move || if expanded.get() { "Show fewer".to_string() } else { format!("Show all {}", thousands(total.get())) }}
            </button>
        </section>
    }
}
