//! The list of cables in the library, with the WikiLeaks columns.

use crate::library::use_library;
use crate::routes::cable_href;
use leptos::prelude::*;

/// A table of the library's cables: Reference ID, Subject, Created, Classification, Origin.
#[component]
pub fn LibraryList() -> impl IntoView {
    let lib = use_library();
    let count = move || lib.entries.with(Vec::len);
    view! {
        <section class="library" aria-labelledby="library-heading">
            <h2 id="library-heading">
                "Your library "
                <span class="count">{move || match count() { 1 => "1 cable".to_string(), n => format!("{n} cables") }}</span>
            </h2>
            <Show
                when=move || { lib.ready.get() || count() > 0 }
                fallback=|| view! { <p class="muted">"Opening the library…"</p> }
            >
                <Show
                    when=move || { count() > 0 }
                    fallback=|| view! { <p class="muted empty-library">"No cables yet. Paste one above, open files, or try the sample."</p> }
                >
                    <table class="cable-list">
                        <thead>
                            <tr>
                                <th scope="col">"Reference ID"</th>
                                <th scope="col">"Subject"</th>
                                <th scope="col">"Created"</th>
                                <th scope="col">"Classification"</th>
                                <th scope="col">"Origin"</th>
                                <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                            </tr>
                        </thead>
                        <tbody>
                            <For
                                each=move || lib.entries.get()
                                key=|e| (e.record.key.clone(), e.record.added_ms.to_bits())
                                children=move |e| {
                                    let c = e.cable.clone();
                                    let key = e.record.key.clone();
                                    let key_del = key.clone();
                                    let label = c.reference_id.clone().unwrap_or_else(|| key.clone());
                                    view! {
                                        <tr>
                                            <td><a href=cable_href(&key)>{label.clone()}</a></td>
                                            <td class="subject">{c.subject.clone().unwrap_or_default()}</td>
                                            <td class="nowrap">{c.created.clone().unwrap_or_default()}</td>
                                            <td class=format!("class-cell {}", class_css(c.classification.as_deref()))>{c.classification.clone().unwrap_or_default()}</td>
                                            <td>{c.origin.clone().unwrap_or_default()}</td>
                                            <td>
                                                <button class="link-button" aria-label=format!("Delete {label} from the library") on:click=move |_| lib.delete(key_del.clone())>"Delete"</button>
                                            </td>
                                        </tr>
                                    }
                                }
                            />
                        </tbody>
                    </table>
                </Show>
            </Show>
        </section>
    }
}

/// A CSS class for a classification, for its colour.
pub fn class_css(classification: Option<&str>) -> &'static str {
    match classification {
        Some(c) if c.starts_with("SECRET") => "secret",
        Some(c) if c.starts_with("CONFIDENTIAL") => "confidential",
        Some(_) => "unclassified",
        None => "",
    }
}
