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
