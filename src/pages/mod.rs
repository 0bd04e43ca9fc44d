//! Pages, one per route.

pub mod cable;
pub mod home;
