//! The share dialog: a link to the cable, a paragraph, a range of paragraphs or a quoted sentence —
//! self-contained (the cable's text travels in the link) when it fits, the short link otherwise —
//! and a citation in plain text, Markdown or BibTeX.

use crate::components::import_progress::thousands;
use crate::location::page_base;
use crate::routes::{absolute_url, CableLink, Route};
use crate::share::{citation, encode_payload, portable_text, CitationFormat, CitationTarget, LINK_LIMIT};
use cable_parser::Cable;
use leptos::html;
use leptos::prelude::*;
use std::sync::Arc;

/// A place in a cable: paragraphs (first and last) and a quote. What a link points at, and what
/// the person asked to share.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Place {
    /// First paragraph (`par3`); `None` for the whole cable.
    pub from: Option<String>,
    /// Last paragraph of a range.
    pub through: Option<String>,
    /// A selected sentence.
    pub quote: Option<String>,
}

/// Copies text to the clipboard (where the browser allows it).
fn copy(text: &str) {
    if let Some(w) = web_sys::window() {
        let _ = w.navigator().clipboard().write_text(text);
    }
}

/// The dialog; shown while `request` holds something.
#[component]
pub fn ShareDialog(
    /// The cable shared.
    cable: Arc<Cable>,
    /// Its key in links.
    key: String,
    /// What to share; `None` closes the dialog.
    request: RwSignal<Option<Place>>,
) -> impl IntoView {
    let dialog = NodeRef::<html::Dialog>::new();
    // The compressed text, made once, on first need.
    let payload = StoredValue::new(None::<String>);
    let cable_for_payload = cable.clone();
    let get_payload = move || {
        if payload.with_value(Option::is_none) {
            payload.set_value(Some(encode_payload(&portable_text(&cable_for_payload))));
        }
        payload.get_value().unwrap_or_default()
    };
    let from = RwSignal::new(String::new());
    let through = RwSignal::new(String::new());
    let quote = RwSignal::new(None::<String>);
    let use_quote = RwSignal::new(true);
    let self_contained = RwSignal::new(true);
    let format = RwSignal::new(CitationFormat::Plain);
    let copied = RwSignal::new(None::<&'static str>);

    // Open (and fill) when asked; the dialog element is the outside world.
    Effect::new(move |_| {
        let Some(el) = dialog.get() else { return };
        match request.get() {
            Some(r) => {
                from.set(r.from.clone().unwrap_or_default());
                through.set(r.through.clone().or(r.from.clone()).unwrap_or_default());
                quote.set(r.quote.clone());
                use_quote.set(true);
                copied.set(None);
                if !el.open() {
                    let _ = el.show_modal();
                }
            }
            None => {
                if el.open() {
                    el.close();
                }
            }
        }
    });

    let pars: Vec<(String, String)> = cable.paragraphs.iter().map(|p| (p.id.clone(), p.number.clone())).collect();
    let pars = Arc::new(pars);
    let position = {
        let pars = pars.clone();
        move |id: &str| pars.iter().position(|(p, _)| p == id)
    };
    // The chosen range, in document order.
    let range = {
        let position = position.clone();
        Memo::new(move |_| {
            let (f, t) = (from.get(), through.get());
            match (position(&f), position(&t)) {
                (Some(a), Some(b)) if b > a => (Some(f), Some(t)),
                (Some(a), Some(b)) if b < a => (Some(t), Some(f)),
                (Some(_), _) => (Some(f), None),
                _ => (None, None),
            }
        })
    };
    let key_link = key.clone();
    let link_for = move |with_text: bool| {
        let (p, t) = range.get();
        let q = if use_quote.get() { quote.get() } else { None };
        let link = CableLink { paragraph: p, through: t, quote: q, text: with_text.then(&get_payload), ..CableLink::new(&key_link, None) };
        absolute_url(&page_base(), &Route::Cable(link))
    };
    let full_link = {
        let link_for = link_for.clone();
        Memo::new(move |_| if request.with(Option::is_some) { link_for(true) } else { String::new() })
    };
    let short_link = {
        let link_for = link_for.clone();
        Memo::new(move |_| if request.with(Option::is_some) { link_for(false) } else { String::new() })
    };
    let fits = Memo::new(move |_| full_link.with(|l| l.len() <= LINK_LIMIT));
    let link = Memo::new(move |_| if self_contained.get() && fits.get() { full_link.get() } else { short_link.get() });
    let cite_cable = cable.clone();
    let cite_key = key.clone();
    let pars_cite = pars.clone();
    let citation_text = Memo::new(move |_| {
        let (p, t) = range.get();
        let number = |id: &Option<String>| id.as_ref().and_then(|id| pars_cite.iter().find(|(p, _)| p == id)).map(|(_, n)| n.clone());
        let paragraphs: Vec<String> = [number(&p), number(&t)].into_iter().flatten().collect();
        // A citation goes into footnotes and bibliographies: it carries the short link.
        citation(&cite_cable, &cite_key, &CitationTarget { paragraphs, url: short_link.get() }, format.get())
    });
    let title = {
        let pars = pars.clone();
        let key = key.clone();
        move || {
            let number = |id: &str| pars.iter().find(|(p, _)| p == id).map(|(_, n)| n.clone()).unwrap_or_default();
            match range.get() {
                (Some(a), Some(b)) => format!("Share paragraphs {}–{} of {key}", number(&a), number(&b)),
                (Some(a), None) => format!("Share paragraph {} of {key}", number(&a)),
                _ => format!("Share {key}"),
            }
        }
    };
    let options = move |with_whole: bool| {
        let mut v = Vec::new();
        if with_whole {
            v.push(view! { <option value="">"whole cable"</option> }.into_any());
        }
        for (id, n) in pars.iter() {
            v.push(view! { <option value=id.clone()>{format!("¶{n}")}</option> }.into_any());
        }
        v
    };
    let from_options = options.clone()(true);
    let through_options = options(false);
    let close = move || request.set(None);
    view! {
        <dialog class="share-dialog" node_ref=dialog aria-labelledby="share-title" on:close=move |_| request.set(None)>
            <form method="dialog" class="share-form" on:submit=move |ev| { ev.prevent_default(); close(); }>
                <h2 id="share-title">{title}</h2>
                <div class="share-range">
                    <label>"From " <select prop:value=move || from.get() on:change=move |ev| {
                        let v = event_target_value(&ev);
                        through.set(v.clone());
                        from.set(v);
                    }>{from_options}</select></label>
                    <label class:hidden=move || from.with(String::is_empty)>" to " <select prop:value=move || through.get() on:change=move |ev| through.set(event_target_value(&ev))>{through_options}</select></label>
                </div>
                {move || quote.get().map(|q| view! {
                    <label class="share-quote">
                        <input type="checkbox" prop:checked=move || use_quote.get() on:change=move |ev| use_quote.set(event_target_checked(&ev))/>
                        " Highlight the quote “" <q>{q}</q> "”"
                    </label>
                })}
                <fieldset class="share-kind">
                    <legend class="visually-hidden">"Kind of link"</legend>
                    <label class:disabled=move || !fits.get()>
                        <input type="radio" name="share-kind" prop:checked=move || self_contained.get() && fits.get() prop:disabled=move || !fits.get() on:change=move |_| self_contained.set(true)/>
                        " With the cable's text: opens for anyone, also where the cable was never loaded"
                    </label>
                    <label>
                        <input type="radio" name="share-kind" prop:checked=move || !self_contained.get() || !fits.get() on:change=move |_| self_contained.set(false)/>
                        " Short link: opens where the cable is in the library or hosted with this site"
                    </label>
                </fieldset>
                {move || (!fits.get()).then(|| view! {
                    <p class="share-too-long" role="status">
                        {format!(
                            "This cable is too long to travel inside a link: with its text the link would be {} characters, and the reader keeps links under {} so that e-mail and chat apps keep them whole. Below is the short link instead: it opens for people who hold this cable or where it is hosted.",
                            thousands(full_link.with(String::len)), thousands(LINK_LIMIT)
                        )}
                    </p>
                })}
                <label class="share-link-label" for="share-link">"Share link"</label>
                <div class="copy-row">
                    <input id="share-link" class="share-link" type="text" readonly prop:value=move || link.get() on:focus=move |ev| {
                        use wasm_bindgen::JsCast;
                        if let Some(i) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) { i.select(); }
                    }/>
                    <button type="button" on:click=move |_| { copy(&link.get_untracked()); copied.set(Some("link")); }>"Copy"</button>
                </div>
                <p class="muted small share-size">{move || format!("{} characters", thousands(link.with(String::len)))}</p>
                <h3>"Copy citation " <span class="muted small">"(with the short link)"</span></h3>
                <div class="citation-formats" role="group" aria-label="Citation format">
                    {CitationFormat::ALL.into_iter().map(|f| view! {
                        <button type="button" class:selected=move || format.get() == f aria-pressed=move || (format.get() == f).to_string() on:click=move |_| format.set(f)>{f.label()}</button>
                    }).collect_view()}
                </div>
                <textarea class="citation" readonly aria-label="Citation" rows="5" prop:value=move || citation_text.get()></textarea>
                <div class="dialog-actions">
                    <button type="button" on:click=move |_| { copy(&citation_text.get_untracked()); copied.set(Some("citation")); }>"Copy citation"</button>
                    <span class="copied-status" role="status">{move || match copied.get() {
                        Some("link") => "Link copied",
                        Some(_) => "Citation copied",
                        None => "",
                    }}</span>
                    <button type="submit" class="secondary">"Close"</button>
                </div>
            </form>
        </dialog>
    }
}
