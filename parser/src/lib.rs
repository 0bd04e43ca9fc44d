//! A pure Rust parser for US diplomatic cables (Cablegate): raw cable text, WikiLeaks pages copied
//! as text, saved WikiLeaks pages and the bulk `cables.csv`. No I/O, no browser: text in, data out.
//!
//! ```
//! let parsed = cable_parser::parse("VZCZCXRO7857\nO 171049Z SEP 09\nFM AMEMBASSY TRIPOLI\nTO RUEHC/SECSTATE WASHDC IMMEDIATE 5271\nC O N F I D E N T I A L TRIPOLI 000748\n\nTAGS: PREL LY\nSUBJECT: A TEST\n\n1. (C) Text.\n");
//! let c = &parsed.cables[0];
//! assert_eq!(c.reference_id.as_deref(), Some("09TRIPOLI748"));
//! assert_eq!(c.origin.as_deref(), Some("Embassy Tripoli"));
//! assert_eq!(c.paragraphs[0].id, "par1");
//! ```

pub mod body;
pub mod cable;
pub mod header;
pub mod ids;
pub mod input;
pub mod model;
pub mod posts;
pub mod tags;
pub mod text;

pub use cable::{parse_cable, Meta};
pub use ids::canonical_id;
pub use input::{detect, parse_with, CsvReader, InputKind, Options};
pub use model::*;
pub use tags::{tag_kind, tag_meaning};

/// Parses any input (copied page, raw text, saved page, cables.csv) with default options.
pub fn parse(input: &str) -> Parsed {
    parse_with(input, &Options::default())
}

/// The reference id a file name suggests: `09TRIPOLI748.txt` gives `09TRIPOLI748`.
pub fn id_from_file_name(name: &str) -> Option<String> {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let stem = base.split('.').next().unwrap_or(base).to_ascii_uppercase();
    ids::looks_like_id(&stem).then_some(stem)
}
