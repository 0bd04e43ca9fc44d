//! Browse facets: the values of each facet per cable (a compact column), and their labels.

use crate::doc::Doc;
use serde::{Deserialize, Serialize};
use crate::fxhash::FxHashMap;

/// A facet of the browse page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Facet {
    /// Release day (`2010-11-28`).
    Released,
    /// Creation year.
    Year,
    /// Creation month (`2009-06`), listed under the chosen years.
    Month,
    /// Origin post.
    Origin,
    /// TAGS.
    Tag,
    /// Classification.
    Class,
    /// Precedence.
    Precedence,
    /// Signer.
    Signer,
    /// Classified by.
    ClassifiedBy,
    /// Declassification year.
    Decl,
    /// Partial extract or full text.
    Text,
}

impl Facet {
    /// Every facet, in the order the browse page lists them.
    pub const ALL: [Facet; 11] = [
        Facet::Released,
        Facet::Year,
        Facet::Month,
        Facet::Origin,
        Facet::Tag,
        Facet::Class,
        Facet::Precedence,
        Facet::Signer,
        Facet::ClassifiedBy,
        Facet::Decl,
        Facet::Text,
    ];

    /// The facet's name in URLs (`origin=Embassy%20Tripoli`).
    pub fn param(self) -> &'static str {
        match self {
            Facet::Released => "released",
            Facet::Year => "year",
            Facet::Month => "month",
            Facet::Origin => "origin",
            Facet::Tag => "tag",
            Facet::Class => "class",
            Facet::Precedence => "precedence",
            Facet::Signer => "signer",
            Facet::ClassifiedBy => "classified_by",
            Facet::Decl => "decl",
            Facet::Text => "text",
        }
    }

    /// The facet a URL parameter names.
    pub fn from_param(p: &str) -> Option<Facet> {
        Facet::ALL.into_iter().find(|f| f.param() == p)
    }

    /// Heading on the browse page.
    pub fn label(self) -> &'static str {
        match self {
            Facet::Released => "Release date",
            Facet::Year => "Created (year)",
            Facet::Month => "Created (month)",
            Facet::Origin => "Origin",
            Facet::Tag => "Tag",
            Facet::Class => "Classification",
            Facet::Precedence => "Precedence",
            Facet::Signer => "Signer",
            Facet::ClassifiedBy => "Classified by",
            Facet::Decl => "Declassify (year)",
            Facet::Text => "Text",
        }
    }

    /// How values are listed: by count (most first) or by value.
    pub fn by_count(self) -> bool {
        matches!(self, Facet::Origin | Facet::Tag | Facet::Signer | Facet::ClassifiedBy | Facet::Precedence | Facet::Class)
    }

    /// The facet values of a cable.
    pub fn values(self, d: &Doc) -> Vec<String> {
        fn nonempty(s: &str) -> Vec<String> {
            if s.trim().is_empty() {
                Vec::new()
            } else {
                vec![s.trim().to_string()]
            }
        }
        match self {
            Facet::Released => d.released.get(..10).map(nonempty).unwrap_or_default(),
            Facet::Year => d.created.get(..4).map(nonempty).unwrap_or_default(),
            Facet::Month => d.created.get(..7).map(nonempty).unwrap_or_default(),
            Facet::Origin => nonempty(&d.origin),
            Facet::Tag => distinct(&d.tags),
            Facet::Class => nonempty(&d.classification),
            Facet::Precedence => nonempty(&d.precedence),
            Facet::Signer => distinct(&d.signers),
            Facet::ClassifiedBy => nonempty(&person_key(&d.classified_by)),
            Facet::Decl => d.declassify_on.get(..4).map(nonempty).unwrap_or_default(),
            Facet::Text => vec![if d.partial { "Partial extract" } else { "Full text" }.to_string()],
        }
    }
}

/// One form of a classifier's name for the facet, so that "Gene A. Cretz", "GENE A. CRETZ" and
/// "Gene Cretz" count as one person: middle initials dropped, a word written in one case
/// capitalised ("MCKINLEY" → "McKinley", "O'GRADY" → "O'Grady"; "LoGerfo" stays), a particle
/// after the first word in lower case ("Carol van Voorst").
pub fn person_key(name: &str) -> String {
    let words: Vec<&str> = name.split_whitespace().collect();
    let n = words.len();
    let mut out = String::with_capacity(name.len());
    for (i, w) in words.iter().enumerate() {
        let initial = w.trim_end_matches('.').chars().count() == 1;
        if initial && i > 0 && i + 1 < n {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        let mixed = w.chars().any(char::is_uppercase) && w.chars().any(char::is_lowercase);
        if i > 0 && cable_parser::body::is_name_particle(w) {
            out.push_str(&w.to_lowercase());
        } else if mixed {
            out.push_str(w);
        } else {
            // Capitalised, and again after an apostrophe, a hyphen or a leading "Mc".
            let mut upper_next = true;
            let mut prev = String::new();
            for c in w.chars() {
                let cased = if upper_next { c.to_uppercase().collect::<String>() } else { c.to_lowercase().collect() };
                out.push_str(&cased);
                prev.push_str(&cased);
                upper_next = matches!(c, '\'' | '-') || prev == "Mc";
            }
        }
    }
    out
}

/// The distinct non-empty values of a list, trimmed and sorted.
fn distinct(list: &[String]) -> Vec<String> {
    let mut v: Vec<String> = list.iter().map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect();
    v.sort();
    v.dedup();
    v
}

/// The values of one facet for every cable: value ids per cable (compressed sparse rows).
#[derive(Debug, Default, Clone)]
pub struct FacetColumn {
    /// Distinct values, by id.
    pub values: Vec<Box<str>>,
    pub(crate) lookup: FxHashMap<Box<str>, u32>,
    pub(crate) offsets: Vec<u32>,
    pub(crate) ids: Vec<u32>,
}

impl FacetColumn {
    /// An empty column.
    pub fn new() -> Self {
        FacetColumn { offsets: vec![0], ..Default::default() }
    }

    /// Appends the values of the next cable.
    pub fn push(&mut self, values: Vec<String>) {
        for v in values {
            let id = self.intern(&v);
            self.ids.push(id);
        }
        self.offsets.push(self.ids.len() as u32);
    }

    /// The id of a value, given one if it is new.
    pub(crate) fn intern(&mut self, v: &str) -> u32 {
        match self.lookup.get(v) {
            Some(&id) => id,
            None => {
                let id = self.values.len() as u32;
                let b: Box<str> = v.into();
                self.lookup.insert(b.clone(), id);
                self.values.push(b);
                id
            }
        }
    }

    /// The value ids of cable `doc`.
    pub fn of(&self, doc: u32) -> &[u32] {
        let d = doc as usize;
        match (self.offsets.get(d), self.offsets.get(d + 1)) {
            (Some(&a), Some(&b)) => &self.ids[a as usize..b as usize],
            _ => &[],
        }
    }

    /// The id of a value, if any cable has it.
    pub fn id(&self, value: &str) -> Option<u32> {
        self.lookup.get(value).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::person_key;

    #[test]
    fn one_form_of_a_classifiers_name() {
        let cases = [
            ("Gene A. Cretz", "Gene Cretz"),
            ("GENE A. CRETZ", "Gene Cretz"),
            ("Gene Cretz", "Gene Cretz"),
            ("CAROL VAN VOORST", "Carol van Voorst"),
            ("Carol van Voorst", "Carol van Voorst"),
            ("P Michael McKinley", "P Michael McKinley"),
            ("P MICHAEL MCKINLEY", "P Michael McKinley"),
            ("Daniel O'Grady", "Daniel O'Grady"),
            ("CATHERINE HILL-HERNDON", "Catherine Hill-Herndon"),
            ("Gregory LoGerfo", "Gregory LoGerfo"),
            ("Robert O. Blake, Jr.", "Robert Blake, Jr."),
            ("SHANNON", "Shannon"),
            ("", ""),
        ];
        for (name, key) in cases {
            assert_eq!(person_key(name), key, "{name:?}");
        }
    }
}
