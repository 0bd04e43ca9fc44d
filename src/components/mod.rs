//! Reusable pieces of the interface, one component per file.

pub mod cable_view;
pub mod drop_zone;
pub mod file_open;
pub mod library_list;
pub mod notice;
pub mod paste_box;
