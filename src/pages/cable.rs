//! The cable page: the cable from the library, or from the link itself (a self-contained share
//! link carries the cable's text), scrolled to and highlighting the linked paragraphs; for a cable
//! neither holds, a plain message and a way to add it.

use crate::components::cable_view::CableView;
use crate::components::file_open::FileOpen;
use crate::components::list_nav::{list_neighbours, ListNav};
use crate::components::paste_box::PasteBox;
use crate::components::share_dialog::Place;
use crate::import::{records_from_input, text_fingerprint};
use crate::library::{use_library, Entry};
use crate::location::use_route;
use crate::protocol::TextInput;
use crate::routes::{cable_href, CableLink, Route};
use crate::share::decode_payload;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::sync::Arc;

/// Scrolls the element with this id into view.
fn scroll_to(id: &str) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return };
    if let Some(el) = doc.get_element_by_id(id) {
        let opts = web_sys::ScrollIntoViewOptions::new();
        opts.set_block(web_sys::ScrollLogicalPosition::Center);
        el.scroll_into_view_with_scroll_into_view_options(&opts);
    }
}

/// What the page knows of its cable.
#[derive(Clone, PartialEq)]
enum Loaded {
    /// Still reading storage.
    Reading,
    /// The library holds it.
    Found(Entry),
    /// The link carries it (or the site hosts it: `true`) and the library does not hold this
    /// text; a note when something about it deserves a word (another text in the library, another
    /// id than the link names).
    Shared(Entry, Option<String>, bool),
    /// The library does not hold it and the link does not carry it.
    Missing,
    /// The link carries a text that cannot be read; the library's copy when it has one.
    BadLink(String, Option<Entry>),
    /// Storage failed.
    Failed(String),
}

/// Reads the cable a self-contained link carries.
fn shared_entry(payload: &str) -> Result<(Entry, String), String> {
    let text = decode_payload(payload).map_err(|e| e.message())?;
    entry_of(text, "shared link")
}

/// A cable read from a text that is not stored (a link's, the hosted corpus').
fn entry_of(text: String, source: &str) -> Result<(Entry, String), String> {
    let records = records_from_input(&text, source, None, js_sys::Date::now())
        .map_err(|r| format!("This link cannot be opened: the text in it is not a cable ({}). Nothing was stored.", r.0))?;
    let (record, cable) = records.into_iter().next().ok_or("This link cannot be opened: the text in it holds no cable. Nothing was stored.")?;
    Ok((Entry { record: Arc::new(record), cable: Arc::new(cable) }, text))
}

/// The page of cable `id`, at the place the address names.
#[component]
pub fn CablePage(id: String) -> impl IntoView {
    let lib = use_library();
    let route = use_route();
    let loaded = RwSignal::new(Loaded::Reading);
    let link = Memo::new(move |_| match route.get() {
        Route::Cable(l) => l,
        _ => CableLink::default(),
    });
    let payload = Memo::new(move |_| link.with(|l| l.text.clone()));
    // The text a shared link carried, for "Keep in library".
    let shared_text = StoredValue::new(None::<(String, &'static str)>);
    // Read the cable from storage (again when the library changes: it may arrive by a paste), and
    // from the link when it carries the text.
    let key = id.clone();
    Effect::new(move |_| {
        lib.revision.track();
        let payload = payload.get();
        let key = key.clone();
        spawn_local(async move {
            let stored = lib.load(&key).await;
            let next = match (stored, payload) {
                (Ok(Some(e)), None) => Loaded::Found(e),
                // Not in the library: the corpus hosted with the site may have it.
                (Ok(None), None) => match crate::hosted::cable_text(&key).await {
                    Ok(Some(text)) => match entry_of(text.clone(), "hosted") {
                        Ok((e, _)) => {
                            let _ = shared_text.try_set_value(Some((text, "hosted corpus")));
                            Loaded::Shared(e, None, true)
                        }
                        Err(m) => Loaded::Failed(m),
                    },
                    Ok(None) => Loaded::Missing,
                    Err(m) => Loaded::Failed(m),
                },
                (Err(e), None) => Loaded::Failed(e),
                (stored, Some(p)) => {
                    let held = stored.ok().flatten();
                    match shared_entry(&p) {
                        Err(message) => Loaded::BadLink(message, held),
                        Ok((shared, text)) => {
                            let _ = shared_text.try_set_value(Some((text, "shared link")));
                            match held {
                                Some(h) if text_fingerprint(&h.cable) == text_fingerprint(&shared.cable) => Loaded::Found(h),
                                held => {
                                    let shared_key = shared.record.key.clone();
                                    let note = if crate::import::base_key(&shared_key) != crate::import::base_key(&key) {
                                        Some(format!("This link names {key}, but the cable in it is {shared_key}."))
                                    } else if held.is_some() {
                                        Some("Your library holds another text of this cable; this page shows the text that came with the link.".to_string())
                                    } else {
                                        None
                                    };
                                    Loaded::Shared(shared, note, false)
                                }
                            }
                        }
                    }
                }
            };
            // Keep the same entry (and the page) when the record did not change.
            // The page may be gone by now (a delete navigates home while the hosted corpus is
            // asked): then there is nothing to show.
            let Some(current) = loaded.try_get_untracked() else { return };
            let same = match (&next, &current) {
                (Loaded::Found(a), Loaded::Found(b)) => a.record == b.record,
                (Loaded::Shared(a, ..), Loaded::Shared(b, ..)) => a.record.original == b.record.original,
                _ => false,
            };
            if !same {
                let _ = loaded.try_set(next);
            }
        });
    });
    let highlight = Memo::new(move |_| link.with(|l| l.q.as_deref().map(|q| cable_index::parse_query(q).highlight_terms()).unwrap_or_default()));
    let place = Memo::new(move |_| link.with(|l| Place { from: l.paragraph.clone(), through: l.through.clone(), quote: l.quote.clone() }));
    // Once the cable is on the page, bring the linked paragraph (or quote) into view (again after a
    // reload or when the cable arrives later).
    let has_cable = Memo::new(move |_| matches!(loaded.get(), Loaded::Found(_) | Loaded::Shared(..)));
    Effect::new(move |_| {
        // (Read first, so that the effect follows each new place, also after a return below.)
        let p = place.get();
        // (Back or forward to this page returns to where it was scrolled instead.)
        if has_cable.get() && !crate::location::restoring_scroll() {
            request_animation_frame(move || {
                let quote_mark = web_sys::window().and_then(|w| w.document()).and_then(|d| d.query_selector("mark.quote").ok().flatten());
                match (&p.from, quote_mark) {
                    (_, Some(m)) if p.quote.is_some() => {
                        let opts = web_sys::ScrollIntoViewOptions::new();
                        opts.set_block(web_sys::ScrollLogicalPosition::Center);
                        m.scroll_into_view_with_scroll_into_view_options(&opts);
                    }
                    (Some(id), _) => scroll_to(id),
                    _ => {
                        if let Some(w) = web_sys::window() {
                            w.scroll_to_with_x_and_y(0.0, 0.0);
                        }
                    }
                }
            });
        }
    });
    let keep = move |_| {
        let Some((text, source)) = shared_text.get_value() else { return };
        lib.import(vec![TextInput { text, source: source.into(), file_name: None }], move |keys| {
            if !keys.is_empty() {
                lib.info("The cable is now in your library.");
            }
        });
    };
    // The cables around this one in the list it was opened from: one search for both bars.
    let around = list_neighbours(link.into());
    let id_for_missing = id.clone();
    move || match loaded.get() {
        Loaded::Found(e) => view! { <ListNav link around keys=true/><CableView entry=e place=place highlight=highlight/><ListNav link around/> }.into_any(),
        Loaded::Shared(e, note, hosted) => view! {
            <aside class="shared-banner" class:hosted-banner=hosted role="note">
                {if hosted {
                    view! { <p><strong>"From the corpus hosted with this site."</strong>" It is not in your library; nothing was stored. "</p> }.into_any()
                } else {
                    view! {
                        <p>
                            <strong>"This cable came with the link."</strong>
                            " It is shown from the link itself and is not in your library; nothing was stored. "
                            {note.map(|n| view! { <span class="shared-note">{n}" "</span> })}
                        </p>
                    }.into_any()
                }}
                <button type="button" class="primary" on:click=keep>"Keep in my library"</button>
            </aside>
            <ListNav link around keys=true/>
            <CableView entry=e place=place highlight=highlight stored=false/>
            <ListNav link around/>
        }
        .into_any(),
        Loaded::Reading => view! { <p class="muted loading">"Opening the library…"</p> }.into_any(),
        Loaded::Failed(e) => view! { <section class="missing"><h1>"The library could not be read"</h1><p>{e}</p></section> }.into_any(),
        Loaded::BadLink(message, held) => {
            let held_link = held.map(|e| {
                let href = cable_href(&e.record.key);
                view! { <p><a href=href>{format!("Open your library's copy of {}", e.record.key)}</a></p> }
            });
            view! {
                <section class="missing bad-link">
                    <h1>"This link is damaged"</h1>
                    <p class="bad-link-reason">{message}</p>
                    {held_link}
                </section>
            }
            .into_any()
        }
        Loaded::Missing => {
            let what = match &place.get().from {
                Some(p) => format!("paragraph {} of cable {}", p.trim_start_matches("par"), id_for_missing),
                None => format!("cable {id_for_missing}"),
            };
            view! {
                <section class="missing">
                    <h1>{format!("{id_for_missing} is not in your library")}</h1>
                    <p>
                        {format!("This link points to {what}. Your library does not hold that cable yet: links open cables that this browser has read. ")}
                        "Paste the cable here or drop its file, and the reader opens it at the linked place."
                    </p>
                    <PasteBox placeholder=format!("Paste cable {id_for_missing} here (a copied WikiLeaks page or the cable's text).")/>
                    <FileOpen/>
                </section>
            }
            .into_any()
        }
    }
}
