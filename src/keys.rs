//! Keyboard shortcuts: which key presses are one (not typed into a field, no modifier but Shift,
//! no dialog open). The shortcuts themselves live with what they act on.

use wasm_bindgen::JsCast;

/// True when `ev` may act as a shortcut: no Ctrl, Alt or Meta; not typed into a field or an
/// editable element; no dialog open (it has the keyboard).
pub fn is_shortcut(ev: &web_sys::KeyboardEvent) -> bool {
    if ev.ctrl_key() || ev.meta_key() || ev.alt_key() {
        return false;
    }
    let typing = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .is_some_and(|el| matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT") || el.has_attribute("contenteditable"));
    let dialog_open = web_sys::window().and_then(|w| w.document()).is_some_and(|d| d.query_selector("dialog[open]").ok().flatten().is_some());
    !typing && !dialog_open
}
