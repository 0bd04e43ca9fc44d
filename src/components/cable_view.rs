//! A cable, laid out like the WikiLeaks page and beyond: heading, metadata table, fields, routing
//! header, and the body with a ¶ link on every numbered paragraph. All cable text is rendered as
//! text nodes, never as HTML.

use crate::components::browse::class_css;
use crate::library::Entry;
use crate::location::page_base;
use crate::routes::{absolute_url, cable_href, paragraph_href, Route};
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

/// The fields of a cable beyond the metadata table, as a definition list.
#[component]
fn CableFields(cable: std::sync::Arc<Cable>, graph: RwSignal<Graph>) -> impl IntoView {
    let c = cable;
    let tags: Vec<_> = c
        .tags
        .iter()
        .map(|t| {
            let meaning = tag_meaning(t).map(str::to_string);
            let title = meaning.clone().unwrap_or_default();
            view! { <li class="tag" title=title>{t.clone()}{meaning.map(|m| view! { <span class="tag-meaning">{m}</span> })}</li> }
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
    let classified = match (&c.classified_by, &c.classification_reason) {
        (Some(p), Some(r)) => Some(format!("{p} (reason {r})")),
        (Some(p), None) => Some(p.clone()),
        (None, Some(r)) => Some(format!("reason {r}")),
        _ => None,
    };
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
            {(!c.signers.is_empty()).then(|| view! { <dt>"Signed"</dt><dd>{c.signers.join(", ")}</dd> })}
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

/// The whole cable page for a library entry; `target` is the paragraph the address points at.
#[component]
pub fn CableView(
    entry: Entry,
    #[prop(into)] target: Signal<Option<String>>,
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
            let share = absolute_url(&page_base(), &Route::Cable { id: key.clone(), paragraph: Some(pid.clone()), q: None });
            let label = format!("Link to paragraph {}", p.number);
            let pid_copy = pid.clone();
            let pid_badge = pid.clone();
            let share_copy = share.clone();
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
            view! {
                {heading}
                <p id=pid.clone() class="para" class:compact=compact class:target=move || target.get().as_deref() == Some(pid_for_class.as_str())>
                    <a class="pilcrow" href=href title=share aria-label=label on:click=on_pilcrow>"¶"</a>
                    <Show when=move || copied.get().as_deref() == Some(pid_badge.as_str())>
                        <span class="copied" role="status">"Link copied"</span>
                    </Show>
                    <span class="pnum">{format!("{}.", p.number)}</span>
                    {p.marking.clone().map(|m| view! { " " <span class="marking">{format!("({m})")}</span> })}
                    " "
                    <span class="ptext">{let text = p.text.clone(); move || highlight.with(|h| marked(&text, h))}</span>
                </p>
            }
        })
        .collect();
    let diagnostics: Vec<_> = c.diagnostics.iter().map(|d| view! { <li>{d.message.clone()}</li> }).collect();
    let has_diagnostics = !diagnostics.is_empty();
    let class_value = c.classification.clone();
    let class_cls = format!("class-cell {}", class_css(class_value.as_deref()));
    view! {
        <article class="cable">
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
                        <td>{or_dash(&c.origin)}</td>
                    </tr>
                </tbody>
            </table>
            <CableFields cable=c.clone() graph=graph/>
            <div class="view-toggle" role="group" aria-label="Text view">
                <button class:selected=move || !raw.get() aria-pressed=move || (!raw.get()).to_string() on:click=move |_| raw.set(false)>"Clean"</button>
                <button class:selected=move || raw.get() aria-pressed=move || raw.get().to_string() on:click=move |_| raw.set(true)>"Raw"</button>
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
                <button class="link-button danger" on:click=move |_| {
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
