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

fn value_item(facet: String, v: FacetValue, browse: Browse) -> impl IntoView {
    let href = browse_href(&browse.toggled(&facet, &v.value));
    let label = value_label(&facet, &v);
    let title = v.note.clone().map(|n| format!("{} — {n}", v.value)).unwrap_or_default();
    let action = if v.selected { format!("Remove {label}") } else { format!("Only {label}") };
    view! {
        <li class:selected=v.selected class:empty=v.count == 0>
            <a href=href title=title aria-label=format!("{action} ({} cables)", v.count) aria-current=if v.selected { Some("true") } else { None }>
                <span class="check" aria-hidden="true">{if v.selected { "☑" } else { "☐" }}</span>
                <span class="value">{label}</span>
                {v.note.clone().map(|n| view! { <span class="note">{n}</span> })}
                <span class="count">{thousands(v.count)}</span>
            </a>
        </li>
    }
}

/// A facet's values (folded to the first few, or all).
#[component]
pub fn FacetList(
    facet: FacetCounts,
    browse: Browse,
    /// Listed in full.
    expanded: bool,
    /// "Show all" / "Show fewer".
    on_toggle: Callback<()>,
) -> impl IntoView {
    let name = facet.facet.clone();
    let values = facet.values;
    let total = facet.distinct.max(values.len());
    let heading_id = format!("facet-{name}");
    let heading_id2 = heading_id.clone();
    let grouped = name == "tag";
    let list = move || {
        let open = expanded;
        if grouped {
            // Groups in the order their first (most frequent) value comes.
            let mut groups: Vec<(String, Vec<FacetValue>)> = Vec::new();
            for v in &values {
                let g = v.group.clone().unwrap_or_else(|| "Other".into());
                match groups.iter_mut().find(|(n, _)| *n == g) {
                    Some((_, list)) => list.push(v.clone()),
                    None => groups.push((g, vec![v.clone()])),
                }
            }
            groups
                .into_iter()
                .map(|(g, list)| {
                    let shown: Vec<FacetValue> = list.into_iter().enumerate().filter(|(i, v)| open || *i < 4 || v.selected).map(|(_, v)| v).collect();
                    view! {
                        <li class="group">
                            <span class="group-name">{g}</span>
                            <ul>{shown.into_iter().map(|v| value_item(name.clone(), v, browse.clone())).collect_view()}</ul>
                        </li>
                    }
                })
                .collect_view()
                .into_any()
        } else {
            values
                .iter()
                .enumerate()
                .filter(|(i, v)| open || *i < FOLDED || v.selected)
                .map(|(_, v)| value_item(name.clone(), v.clone(), browse.clone()))
                .collect_view()
                .into_any()
        }
    };
    let foldable = if grouped { total > 4 } else { total > FOLDED };
    view! {
        <section class="facet" aria-labelledby=heading_id.clone()>
            <h3 id=heading_id2>{facet.label}</h3>
            <ul class="facet-values">{list}</ul>
            {foldable.then(|| view! {
                <button class="link-button more" on:click=move |_| on_toggle.run(())>
                    {if expanded { "Show fewer".to_string() } else { format!("Show all {}", thousands(total)) }}
                </button>
            })}
        </section>
    }
}
