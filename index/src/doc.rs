//! What the index keeps of a cable: the list columns, the facet values, the searchable fields and the
//! text for snippets.

use cable_parser::Cable;
use serde::{Deserialize, Serialize};

/// A cable as the index sees it. Built from a parsed [`Cable`] with [`Doc::from_cable`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Doc {
    /// The library key (canonical id, `_v2` for a second version).
    pub key: String,
    /// The reference id as WikiLeaks names it.
    pub reference_id: String,
    /// Subject line.
    pub subject: String,
    /// `YYYY-MM-DD HH:MM`.
    pub created: String,
    /// `YYYY-MM-DD HH:MM`, when known.
    pub released: String,
    /// `SECRET//NOFORN` style.
    pub classification: String,
    /// `Embassy Tripoli` style.
    pub origin: String,
    /// TAGS.
    pub tags: Vec<String>,
    /// Highest precedence of the action recipients (`IMMEDIATE`...).
    pub precedence: String,
    /// The FM line.
    pub from: String,
    /// Recipients, action then info.
    pub to: Vec<String>,
    /// Signers.
    pub signers: Vec<String>,
    /// The person who classified it.
    pub classified_by: String,
    /// `YYYY-MM-DD` of `DECL:`.
    pub declassify_on: String,
    /// Ids of referenced cables.
    pub references: Vec<String>,
    /// A partial extract.
    pub partial: bool,
    /// The text searched and quoted in snippets: subject, then the clean paragraphs.
    pub text: String,
    /// A fingerprint of the cable's text, kept for the caller (the library tells versions apart by it).
    #[serde(default)]
    pub fingerprint: u64,
}

/// A cable id's station and serial, the way cables cite each other and a cable's header names
/// itself (`TRIPOLI 677` from `09TRIPOLI677`): the searched text ends with them, so a search for
/// `TRIPOLI 677` (or `TRIPOLI 000677`) finds the cable itself, not only the cables citing it.
pub fn citation(id: &str) -> Option<(&str, &str)> {
    if !cable_parser::ids::looks_like_id(id) {
        return None;
    }
    let rest = &id[2..];
    let (station, serial) = rest.split_at(rest.find(|c: char| c.is_ascii_digit())?);
    serial.bytes().all(|b| b.is_ascii_digit()).then_some((station, serial))
}

impl Doc {
    /// What the index keeps of a parsed cable stored under `key`.
    pub fn from_cable(key: &str, c: &Cable) -> Doc {
        let mut text = String::with_capacity(c.body.end.saturating_sub(c.body.start) + 128);
        if let Some(s) = &c.subject {
            text.push_str(s);
            text.push('\n');
        }
        if c.paragraphs.is_empty() {
            text.push_str(c.body_text());
        } else {
            for p in &c.paragraphs {
                if let Some(h) = &p.heading {
                    text.push_str(h);
                    text.push('\n');
                }
                if !p.number.is_empty() {
                    text.push_str(&p.number);
                    text.push_str(". ");
                }
                text.push_str(&p.text);
                text.push('\n');
            }
        }
        // The cable's own citation last, as its header and other cables' REF lines give it.
        if let Some((station, serial)) = c.canonical_id.as_deref().or(c.reference_id.as_deref()).and_then(citation) {
            text.push_str(station);
            text.push(' ');
            text.push_str(serial);
            text.push('\n');
        }
        let precedence = c.recipients.iter().filter_map(|r| r.precedence.clone()).next().or_else(|| c.precedence.clone()).unwrap_or_default();
        Doc {
            key: key.to_string(),
            reference_id: c.reference_id.clone().or_else(|| c.canonical_id.clone()).unwrap_or_else(|| key.to_string()),
            subject: c.subject.clone().unwrap_or_default(),
            created: c.created.clone().unwrap_or_default(),
            released: c.released.clone().unwrap_or_default(),
            classification: c.classification.clone().unwrap_or_default(),
            origin: c.origin.clone().unwrap_or_default(),
            tags: c.tags.clone(),
            precedence,
            from: c.from.clone().unwrap_or_default(),
            to: c.recipients.iter().chain(&c.info_recipients).map(|r| r.name.clone()).collect(),
            signers: c.signers.clone(),
            classified_by: c.classified_by.clone().unwrap_or_default(),
            declassify_on: c.declassify_on.clone().unwrap_or_default(),
            references: c.references.iter().filter_map(|r| r.id.clone()).collect(),
            partial: c.partial,
            text,
            fingerprint: 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Index, SearchRequest};

    #[test]
    fn citations_of_cable_ids() {
        assert_eq!(citation("09TRIPOLI677"), Some(("TRIPOLI", "677")));
        assert_eq!(citation("10STATE17263"), Some(("STATE", "17263")));
        assert_eq!(citation("06USUNNEWYORK123"), Some(("USUNNEWYORK", "123")));
        for not_an_id in ["", "09", "TRIPOLI677", "09TRIPOLI", "0912345", "09tripoli677", "09TRIPOLI677A"] {
            assert_eq!(citation(not_an_id), None, "{not_an_id}");
        }
    }

    #[test]
    fn a_cable_is_found_by_its_own_citation() {
        let page = include_str!("../../public/samples/09TRIPOLI748-page.txt");
        let parsed = cable_parser::parse(page);
        let cable = &parsed.cables[0];
        let mut index = Index::new();
        index.add(Doc::from_cable("09TRIPOLI748", cable));
        for q in ["TRIPOLI 748", "TRIPOLI 000748", "\"TRIPOLI 748\"", "tripoli 748"] {
            let r = index.search(&SearchRequest { query: q.into(), limit: 10, ..SearchRequest::default() });
            assert_eq!(r.total, 1, "{q}");
        }
        let r = index.search(&SearchRequest { query: "TRIPOLI 749".into(), limit: 10, ..SearchRequest::default() });
        assert_eq!(r.total, 0);
    }
}
