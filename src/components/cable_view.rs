//! A cable, laid out like the WikiLeaks page and beyond: heading, metadata table, fields, routing
//! header, and the body with a ¶ link on every numbered paragraph. All cable text is rendered as
//! text nodes, never as HTML.

use crate::components::match_nav::MatchNav;
use crate::components::result_table::class_css;
use crate::components::share_dialog::{Place, ShareDialog};
use crate::library::Entry;
use crate::location::page_base;
use crate::routes::{absolute_url, cable_href, facet_href, paragraph_href, Route};
use cable_parser::{tag_meaning, Cable, Recipient};
use leptos::prelude::*;

fn or_dash(v: &Option<String>) -> String {
    v.clone().unwrap_or_else(|| "—".into())
}

fn recipients_view(list: &[Recipient]) -> impl IntoView {
    let items: Vec<_> = list
        .iter()
        .map(|r| {
            let mut extra = Vec::new();
            if let Some(p) = &r.precedence {
                extra.push(p.clone());
            }
            let extra = extra.join(" ");
            view! {
                <li>
                    <span class="recipient">{r.name.clone()}</span>
                    {(!extra.is_empty()).then(|| view! { <span class="precedence">{extra.clone()}</span> })}
                </li>
            }
        })
        .collect();
    view! { <ul class="recipients">{items}</ul> }
}

/// The reference graph around a cable: loaded cables citing it, and which of its references the
/// library holds. `None` until the worker answers.
pub type Graph = Option<(Vec<String>, Vec<String>)>;

/// A value of a cable that is also a facet value: for a cable in the library, a link to the list
/// of every cable in the library that shares it; else the text.
fn facet_value(stored: bool, facet: &'static str, value: &str, shown: String) -> AnyView {
    if stored {
        let how = match facet {
            "tag" => "tagged",
            "origin" => "from",
            "signer" => "signed",
            "classified_by" => "classified by",
            _ => "with",
        };
        let title = format!("Every cable in your library {how} {value}");
        view! { <a class="facet-link" href=facet_href(facet, value) title=title>{shown}</a> }.into_any()
    } else {
        view! { <span>{shown}</span> }.into_any()
    }
}

/// The fields of a cable beyond the metadata table, as a definition list.
#[component]
fn CableFields(cable: std::sync::Arc<Cable>, graph: RwSignal<Graph>, stored: bool) -> impl IntoView {
    let c = cable;
    let tags: Vec<_> = c
        .tags
        .iter()
        .map(|t| {
            let meaning = tag_meaning(t).map(str::to_string);
            let title = meaning.clone().unwrap_or_default();
            view! { <li class="tag" title=title>{facet_value(stored, "tag", t, t.clone())}{meaning.map(|m| view! { <span class="tag-meaning">{m}</span> })}</li> }
        })
        .collect();
    let refs: Vec<_> = c
        .references
        .iter()
        .map(|r| {
            let bullet = r.bullet.clone().map(|b| format!("{b}. ")).unwrap_or_default();
            let id_part = r.id.clone().map(|id| {
                let href = cable_href(&id);
                let id2 = id.clone();
                let held = Signal::derive(move || graph.with(|g| g.as_ref().map(|(_, held)| held.contains(&id2))));
                view! {
                    " "
                    <a class="ref-id" class:not-loaded=move || held.get() == Some(false) href=href>{id}</a>
                    {move || (held.get() == Some(false)).then(|| view! { <span class="muted small">" (not in your library)"</span> })}
                }
            });
            view! { <li><span class="ref-text">{bullet}{r.text.clone()}</span>{id_part}</li> }
        })
        .collect();
    // The classifier links to the facet's one form of the name ("Gene A. Cretz" → "Gene Cretz").
    let classified = match (&c.classified_by, &c.classification_reason) {
        (None, None) => None,
        (p, r) => Some(view! {
            {p.clone().map(|p| facet_value(stored, "classified_by", &cable_index::facets::person_key(&p), p))}
            {r.clone().map(|r| if p.is_some() { format!(" (reason {r})") } else { format!("reason {r}") })}
        }),
    };
    let signers: Vec<_> = c
        .signers
        .iter()
        .enumerate()
        .map(|(i, s)| view! { {(i > 0).then_some(", ")}{facet_value(stored, "signer", s, s.clone())} })
        .collect();
    let media: Vec<_> = c
        .media_urls
        .iter()
        .filter(|u| u.starts_with("http://") || u.starts_with("https://"))
        .map(|u| view! { <li><a href=u.clone() rel="noopener noreferrer nofollow" target="_blank">{u.clone()}</a></li> })
        .collect();
    let has_media = !media.is_empty();
    view! {
        <dl class="fields">
            {(!c.tags.is_empty()).then(|| view! { <dt>"Tags"</dt><dd><ul class="tags">{tags}</ul></dd> })}
            {c.from.clone().map(|f| view! { <dt>"From"</dt><dd>{f}</dd> })}
            {(!c.recipients.is_empty()).then(|| view! { <dt>"To"</dt><dd>{recipients_view(&c.recipients)}</dd> })}
            {(!c.info_recipients.is_empty()).then(|| view! { <dt>"Info"</dt><dd>{recipients_view(&c.info_recipients)}</dd> })}
            {c.date_time_group.clone().map(|d| view! { <dt>"Date-time group"</dt><dd>{d}{c.precedence.clone().map(|p| format!(" (precedence {p})"))}</dd> })}
            {(!c.references.is_empty()).then(|| view! { <dt>"References"</dt><dd><ul class="refs">{refs}</ul></dd> })}
            <dt>"Cited by"</dt>
            <dd class="cited-by">
                {move || match graph.get() {
                    None => view! { <span class="muted">"…"</span> }.into_any(),
                    Some((keys, _)) if keys.is_empty() => view! { <span class="muted">"No cable in your library cites this one."</span> }.into_any(),
                    Some((keys, _)) => view! {
                        <ul>{keys.into_iter().map(|k| view! { <li><a href=cable_href(&k)>{k.clone()}</a></li> }).collect_view()}</ul>
                    }.into_any(),
                }}
            </dd>
            {classified.map(|t| view! { <dt>"Classified by"</dt><dd>{t}</dd> })}
            {c.declassify_on.clone().map(|d| view! { <dt>"Declassify on"</dt><dd>{d}</dd> })}
            {(!c.signers.is_empty()).then(|| view! { <dt>"Signed"</dt><dd>{signers}</dd> })}
            {c.transmission_id.clone().map(|t| view! { <dt>"Transmission"</dt><dd><code>{t}</code></dd> })}
            {(c.redactions > 0).then(|| view! { <dt>"Redactions"</dt><dd>{c.redactions}</dd> })}
            {c.partial.then(|| view! { <dt>"Record"</dt><dd>"Partial extract: the full text of the original cable is not available."</dd> })}
            {has_media.then(|| view! { <dt>"Appears in"</dt><dd><ul>{media}</ul></dd> })}
        </dl>
    }
}

/// Text with the words matching `terms` wrapped in `<mark>` (as text nodes, never HTML).
pub fn marked(text: &str, terms: &[String]) -> AnyView {
    let ranges = cable_index::highlight_ranges(text, terms);
    if ranges.is_empty() {
        return text.to_string().into_any();
    }
    let mut parts = Vec::with_capacity(ranges.len() * 2 + 1);
    let mut at = 0;
    for (s, e) in ranges {
        parts.push(text[at..s].to_string().into_any());
        parts.push(view! { <mark>{text[s..e].to_string()}</mark> }.into_any());
        at = e;
    }
    parts.push(text[at..].to_string().into_any());
    parts.into_any()
}

/// Text with search words marked, and a quote (a byte range of `text`) marked as the quote.
fn marked_with_quote(text: &str, terms: &[String], quote: Option<(usize, usize)>) -> AnyView {
    match quote {
        Some((s, e)) if s < e && e <= text.len() && text.is_char_boundary(s) && text.is_char_boundary(e) => view! {
            {marked(&text[..s], terms)}
            <mark class="quote">{text[s..e].to_string()}</mark>
            {marked(&text[e..], terms)}
        }
        .into_any(),
        _ => marked(text, terms),
    }
}

/// The paragraph and sentence selected on the page, when the selection lies in one paragraph.
fn selected_quote() -> Option<(String, String)> {
    use wasm_bindgen::JsCast;
    let sel = web_sys::window()?.get_selection().ok()??;
    if sel.is_collapsed() {
        return None;
    }
    let para_of = |node: Option<web_sys::Node>| -> Option<String> {
        let node = node?;
        let el = match node.dyn_ref::<web_sys::Element>() {
            Some(e) => e.clone(),
            None => node.parent_element()?,
        };
        Some(el.closest("p.para").ok()??.id())
    };
    let a = para_of(sel.anchor_node())?;
    let b = para_of(sel.focus_node())?;
    let text: String = String::from(sel.to_string()).split_whitespace().collect::<Vec<_>>().join(" ");
    (a == b && !text.is_empty() && text.len() <= 600).then_some((a, text))
}

/// Collapses runs of blank lines into one.
fn collapse_blank_lines(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut blank = 0;
    for line in s.lines() {
        if line.trim().is_empty() {
            blank += 1;
            if blank > 1 {
                continue;
            }
        } else {
            blank = 0;
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out.trim_end().to_string()
}

/// The whole cable page for an entry; `place` is where the address points (paragraphs, quote).
#[component]
pub fn CableView(
    entry: Entry,
    #[prop(into)] place: Signal<Place>,
    /// Whether the entry is in the library (a cable opened from a self-contained link is not).
    #[prop(default = true)]
    stored: bool,
    /// Words to highlight (from the search that led here).
    #[prop(into)]
    highlight: Signal<Vec<String>>,
) -> impl IntoView {
    let c = entry.cable.clone();
    let key = entry.record.key.clone();
    let raw = RwSignal::new(false);
    let lib = crate::library::use_library();
    let key_delete = key.clone();
    // The reference graph, asked again whenever the library changes.
    let graph: RwSignal<Graph> = RwSignal::new(None);
    let graph_id = c.canonical_id.clone().unwrap_or_else(|| key.clone());
    let ref_ids: Vec<String> = c.references.iter().filter_map(|r| r.id.clone()).collect();
    Effect::new(move |_| {
        lib.revision.track();
        lib.cited_by(&graph_id, ref_ids.clone(), move |keys, held| graph.set(Some((keys, held))));
    });
    let heading_id = c.reference_id.clone().unwrap_or_else(|| key.clone());
    let subject = c.subject.clone().or_else(|| c.title.clone()).unwrap_or_else(|| "(no subject)".into());
    let body = c.body_text().to_string();
    // Text before the first numbered paragraph (banner, E.O., TAGS, SUBJECT, REF); all of the body
    // when it has no numbered paragraphs.
    let first_par_offset = c.paragraphs.first().map(|p| p.span.start.saturating_sub(c.body.start).min(body.len())).unwrap_or(body.len());
    // In the clean view the preamble drops page markers, SIPDIS and lone classification lines.
    let preamble = body[..first_par_offset]
        .lines()
        .filter(|l| {
            let t = l.trim();
            !(cable_parser::body::is_marker_line(t) || matches!(t, "SIPDIS" | "CONFIDENTIAL" | "UNCLASSIFIED" | "SECRET" | "LIMITED OFFICIAL USE"))
        })
        .collect::<Vec<_>>()
        .join("\n");
    let preamble = collapse_blank_lines(preamble.trim_end());
    // Lettered items before the first numbered paragraph are reference lists (WikiLeaks anchored
    // them too): shown compactly.
    let first_numbered = c.paragraphs.iter().position(|p| p.number.bytes().all(|b| b.is_ascii_digit())).unwrap_or(c.paragraphs.len());
    let header_text = c.header_text().to_string();
    let full_text = c.text.clone();
    // Paragraphs the address points at (a range in document order) and where its quote stands.
    let par_ids: Vec<String> = c.paragraphs.iter().map(|p| p.id.clone()).collect();
    let par_texts: Vec<(String, String)> = c.paragraphs.iter().map(|p| (p.id.clone(), p.text.clone())).collect();
    let targets = Memo::new(move |_| {
        let p = place.get();
        let pos = |id: &Option<String>| id.as_ref().and_then(|id| par_ids.iter().position(|x| x == id));
        match (pos(&p.from), pos(&p.through)) {
            (Some(a), Some(b)) => par_ids[a.min(b)..=a.max(b)].to_vec(),
            (Some(a), None) => vec![par_ids[a].clone()],
            _ => Vec::new(),
        }
    });
    let quote_at = Memo::new(move |_| {
        let q = place.with(|p| p.quote.clone())?;
        let in_targets = targets.with(|t| par_texts.iter().filter(|(id, _)| t.contains(id)).find_map(|(id, text)| crate::share::quote_range(text, &q).map(|r| (id.clone(), r))));
        in_targets.or_else(|| par_texts.iter().find_map(|(id, text)| crate::share::quote_range(text, &q).map(|r| (id.clone(), r))))
    });
    let share: RwSignal<Option<Place>> = RwSignal::new(None);
    // The paragraph whose link was just copied (shows "Link copied" for a moment).
    let copied: RwSignal<Option<String>> = RwSignal::new(None);
    let paragraphs: Vec<_> = c
        .paragraphs
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let compact = i < first_numbered;
            let pid = p.id.clone();
            let pid_for_class = pid.clone();
            let href = paragraph_href(&key, &pid);
            let share_url = absolute_url(&page_base(), &Route::cable(&key, Some(&pid)));
            let label = format!("Link to paragraph {}", p.number);
            let pid_copy = pid.clone();
            let pid_badge = pid.clone();
            let share_copy = share_url.clone();
            // Following the link puts it in the address bar; it is also copied for sharing.
            let on_pilcrow = move |_| {
                if let Some(w) = web_sys::window() {
                    let _ = w.navigator().clipboard().write_text(&share_copy);
                }
                copied.set(Some(pid_copy.clone()));
                let pid_done = pid_copy.clone();
                set_timeout(
                    move || copied.update(|c| if c.as_deref() == Some(pid_done.as_str()) { *c = None }),
                    std::time::Duration::from_millis(2000),
                );
            };
            let heading = p.heading.clone().map(|h| view! { <h3 class="section-heading">{h}</h3> });
            let pid_share = pid.clone();
            let pid_quote = pid.clone();
            let share_label = format!("Share paragraph {}", p.number);
            view! {
                {heading}
                <p id=pid.clone() class="para" class:compact=compact class:target=move || targets.with(|t| t.contains(&pid_for_class))>
                    <a class="pilcrow" href=href title=share_url aria-label=label on:click=on_pilcrow>"¶"</a>
                    <button type="button" class="share-par" aria-label=share_label title="Share this paragraph (select a sentence first to quote it)" on:click=move |_| {
                        let quote = selected_quote().filter(|(p, _)| *p == pid_share).map(|(_, q)| q);
                        share.set(Some(Place { from: Some(pid_share.clone()), through: None, quote }));
                    }>"Share"</button>
                    <Show when=move || copied.get().as_deref() == Some(pid_badge.as_str())>
                        <span class="copied" role="status">"Link copied"</span>
                    </Show>
                    <span class="pnum">{format!("{}.", p.number)}</span>
                    {p.marking.clone().map(|m| view! { " " <span class="marking">{format!("({m})")}</span> })}
                    " "
                    <span class="ptext">{let text = p.text.clone(); move || {
                        let q = quote_at.with(|q| q.as_ref().filter(|(id, _)| *id == pid_quote).map(|(_, r)| *r));
                        highlight.with(|h| marked_with_quote(&text, h, q))
                    }}</span>
                </p>
            }
        })
        .collect();
    // The share button of the whole cable: a sentence selected in a paragraph becomes a quote of it;
    // otherwise the place the address points at is offered.
    let open_share = move |()| {
        let req = match selected_quote() {
            Some((pid, q)) => Place { from: Some(pid), through: None, quote: Some(q) },
            None => place.get_untracked(),
        };
        share.set(Some(req));
    };
    let diagnostics: Vec<_> = c.diagnostics.iter().map(|d| view! { <li>{d.message.clone()}</li> }).collect();
    let has_diagnostics = !diagnostics.is_empty();
    let class_value = c.classification.clone();
    let class_cls = format!("class-cell {}", class_css(class_value.as_deref()));
    view! {
        <article class="cable">
            <ShareDialog cable=c.clone() key=key.clone() request=share/>
            <div class="cable-top">
                <button type="button" class="share-cable" on:click=move |_| open_share(())>"Share or cite…"</button>
            </div>
            <h1>
                <span class="refid">{heading_id.clone()}</span>
                <span class="subject">{let s = subject.clone(); move || highlight.with(|h| marked(&s, h))}</span>
            </h1>
            <table class="meta">
                <thead>
                    <tr>
                        <th scope="col">"Reference ID"</th>
                        <th scope="col">"Created"</th>
                        <th scope="col">"Released"</th>
                        <th scope="col">"Classification"</th>
                        <th scope="col">"Origin"</th>
                    </tr>
                </thead>
                <tbody>
                    <tr>
                        <td>{heading_id}</td>
                        <td>{or_dash(&c.created)}</td>
                        <td>{or_dash(&c.released)}</td>
                        <td class=class_cls>{or_dash(&class_value)}</td>
                        <td>{match &c.origin {
                            Some(o) => facet_value(stored, "origin", o, o.clone()),
                            None => view! { "—" }.into_any(),
                        }}</td>
                    </tr>
                </tbody>
            </table>
            <CableFields cable=c.clone() graph=graph stored=stored/>
            <div class="text-tools">
                <div class="view-toggle" role="group" aria-label="Text view">
                    <button class:selected=move || !raw.get() aria-pressed=move || (!raw.get()).to_string() on:click=move |_| raw.set(false)>"Clean"</button>
                    <button class:selected=move || raw.get() aria-pressed=move || raw.get().to_string() on:click=move |_| raw.set(true)>"Raw"</button>
                </div>
                <MatchNav highlight raw/>
            </div>
            <Show when=move || raw.get()>
                <pre class="raw-text">{full_text.clone()}</pre>
            </Show>
            <div class="cable-text" class:hidden=move || raw.get()>
                {(!header_text.trim().is_empty()).then(|| view! { <pre class="routing" aria-label="Routing header">{header_text.clone()}</pre> })}
                <div class="body">
                    {(!preamble.is_empty()).then(|| view! { <pre class="preamble">{preamble.clone()}</pre> })}
                    {paragraphs}
                </div>
            </div>
            <div class="cable-actions">
                <button type="button" class="share-cable" on:click=move |_| open_share(())>"Share or cite…"</button>
                <button class="link-button danger" class:hidden=!stored on:click=move |_| {
                    let ok = web_sys::window().and_then(|w| w.confirm_with_message(&format!("Delete {key_delete} from this browser's library?")).ok()).unwrap_or(false);
                    if ok {
                        lib.delete(key_delete.clone());
                        crate::location::navigate(&crate::routes::home());
                    }
                }>"Delete from library"</button>
            </div>
            {has_diagnostics.then(|| view! {
                <details class="diagnostics">
                    <summary>"Parser notes"</summary>
                    <ul>{diagnostics}</ul>
                </details>
            })}
        </article>
    }
}
