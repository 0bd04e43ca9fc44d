//! Reusable pieces of the interface, one component per file.

pub mod browse;
pub mod cable_view;
pub mod drop_zone;
pub mod facet_list;
pub mod file_open;
pub mod import_progress;
pub mod key_help;
pub mod library_tools;
pub mod match_nav;
pub mod list_nav;
pub mod no_results;
pub mod notice;
pub mod paste_box;
pub mod result_table;
pub mod search_box;
pub mod share_dialog;

use leptos::prelude::*;

/// The number of slots a list keeps: the most it has needed so far. A list of slots (result rows,
/// facet values) hides the slots an answer does not fill instead of removing them, so that the
/// next, longer answer rewrites elements instead of building them again.
pub fn high_water(needed: impl Fn() -> usize + Send + Sync + 'static) -> Memo<usize> {
    Memo::new(move |before: Option<&usize>| needed().max(before.copied().unwrap_or(0)))
}
