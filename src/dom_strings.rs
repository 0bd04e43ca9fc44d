//! Strings the page writes into the document over and over (attribute names, the empty string,
//! classification names), handed to JavaScript once and reused.
//!
//! Every Rust string given to a browser call is copied out of Wasm memory and decoded
//! (`TextDecoder`), ~1.5 µs a string in Chromium however short it is: a search's answer wrote about
//! 1,200 strings, 500 of them these. With wasm-bindgen's `enable-interning` feature a string
//! interned here is looked up instead (wasm-bindgen checks its cache on every `&str` it passes).

/// Attribute and element names the views set on every answer.
const NAMES: [&str; 11] = ["href", "hidden", "class", "title", "aria-label", "aria-current", "aria-sort", "data-state", "mark", "empty", "selected"];

/// Values that recur: the empty string (a hidden slot's texts), check marks, the classifications
/// WikiLeaks lists and their list cells' classes.
const VALUES: [&str; 18] = [
    "",
    "true",
    "☐",
    "☑",
    "UNCLASSIFIED",
    "UNCLASSIFIED//FOR OFFICIAL USE ONLY",
    "CONFIDENTIAL",
    "CONFIDENTIAL//NOFORN",
    "SECRET",
    "SECRET//NOFORN",
    "class-cell ",
    "class-cell unclassified",
    "class-cell confidential",
    "class-cell secret",
    "ascending",
    "descending",
    "none",
    " ",
];

/// Interns the strings above (once, at start; interning again is a no-op).
pub fn intern_repeated() {
    for s in NAMES.iter().chain(VALUES.iter()) {
        wasm_bindgen::intern(s);
    }
}
