//! The import panel: a progress bar (cables done, estimated total, rate, time left) with Cancel
//! while an import runs, then the summary (new, versions, duplicates, failed with reasons) with a
//! downloadable report.

use crate::library::use_library;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Formats a count with thousands separators (`12,345`).
pub fn thousands(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// Offers `text` as a file download named `name`.
pub fn download(name: &str, mime: &str, parts: &[String]) {
    let array = js_sys::Array::new();
    for p in parts {
        array.push(&wasm_bindgen::JsValue::from_str(p));
    }
    download_parts(name, mime, &array);
}

/// [`download`] of parts already out of the Wasm memory: strings or `Blob`s (a large export is
/// made a `Blob` per batch, so it is never whole in the page's memory).
pub fn download_parts(name: &str, mime: &str, array: &js_sys::Array) {
    let bag = web_sys::BlobPropertyBag::new();
    bag.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(array, &bag) else { return };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else { return };
    if let Some(doc) = web_sys::window().and_then(|w| w.document()) {
        if let Ok(a) = doc.create_element("a") {
            if let Ok(a) = a.dyn_into::<web_sys::HtmlAnchorElement>() {
                a.set_href(&url);
                a.set_download(name);
                a.click();
            }
        }
    }
    let url2 = url.clone();
    set_timeout(move || drop(web_sys::Url::revoke_object_url(&url2)), std::time::Duration::from_secs(30));
}

/// Progress of the running import, or the summary of the last one.
#[component]
pub fn ImportProgress() -> impl IntoView {
    let lib = use_library();
    let progress = move || {
        lib.progress.get().map(|p| {
            let total = p.estimated_total().max(p.cables);
            let fraction = if p.bytes_total > 0.0 { (p.bytes_done / p.bytes_total).clamp(0.0, 1.0) } else { 0.0 };
            let left = p.seconds_left().map(|s| if s < 1.0 { "under a second left".to_string() } else { format!("about {:.0} s left", s.ceil()) }).unwrap_or_default();
            let rate = p.rate();
            view! {
                <section class="import-progress" aria-live="polite" aria-label="Import progress">
                    <div class="progress-line">
                        <strong>{format!("Reading cables: {} of about {}", thousands(p.cables), thousands(total))}</strong>
                        <span class="muted">{if rate > 0.0 { format!(" · {} cables/s · {left}", thousands(rate.round() as usize)) } else { String::new() }}</span>
                        <button class="secondary cancel" on:click=move |_| lib.cancel()>"Cancel"</button>
                    </div>
                    <progress max="1" value=fraction.to_string() aria-label="Share of the input read"></progress>
                    <div class="muted small">{p.current.clone()}</div>
                </section>
            }
        })
    };
    let summary = move || {
        lib.summary.get().map(|s| {
            let report = s.report();
            let failed = s.failed.clone();
            view! {
                <section class="import-summary" aria-label="Import summary">
                    <h2>{if s.cancelled { "Import cancelled" } else { "Import finished" }}</h2>
                    <ul class="summary-counts">
                        <li><strong>{thousands(s.new)}</strong>" new"</li>
                        <li><strong>{thousands(s.versions)}</strong>" new versions of cables already held"</li>
                        <li><strong>{thousands(s.duplicates)}</strong>" duplicates (already held)"</li>
                        <li><strong>{thousands(s.failed.len())}</strong>" failed"</li>
                        <li class="muted">{format!("{:.1} s, {:.1} MB", s.elapsed_ms / 1000.0, s.bytes / 1e6)}</li>
                    </ul>
                    <Show when={let n = failed.len(); move || n > 0}>
                        <details>
                            <summary>"Why some failed"</summary>
                            <ul class="failures">
                                {failed.iter().take(200).map(|f| view! { <li><strong>{f.source.clone()}</strong>": "{f.reason.clone()}</li> }).collect_view()}
                            </ul>
                        </details>
                    </Show>
                    <div class="actions">
                        <button class="secondary" on:click=move |_| download("import-report.txt", "text/plain", std::slice::from_ref(&report))>"Download report"</button>
                        <button class="link-button" on:click=move |_| lib.summary.set(None)>"Dismiss"</button>
                    </div>
                </section>
            }
        })
    };
    view! { {progress} {summary} }
}
