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
