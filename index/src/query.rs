//! The search box's language: words, `"exact phrases"`, `prefix*`, `-exclusions` and fielded terms
//! (`tag:PREL`, `origin:tripoli`, `class:secret`, `from:`, `to:`, `subject:`, `signer:`, `ref:`).
//! Words are ANDed. Anything unparseable is read as plain words, never refused.

use crate::tokens::{for_each_word, normalize};

/// A field a term can be restricted to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    /// TAGS.
    Tag,
    /// The post that sent the cable (WikiLeaks' origin name).
    Origin,
    /// The classification.
    Class,
    /// The FM line.
    From,
    /// Action and info recipients.
    To,
    /// The subject line.
    Subject,
    /// Signers.
    Signer,
    /// Referenced cables (canonical ids).
    Ref,
    /// The cable's own id.
    Id,
}

impl Field {
    /// Every field with its name in queries.
    pub const ALL: [(Field, &'static str); 9] = [
        (Field::Tag, "tag"),
        (Field::Origin, "origin"),
        (Field::Class, "class"),
        (Field::From, "from"),
        (Field::To, "to"),
        (Field::Subject, "subject"),
        (Field::Signer, "signer"),
        (Field::Ref, "ref"),
        (Field::Id, "id"),
    ];

    /// The field a query prefix names (`classification` and `tags` are accepted too).
    pub fn from_name(name: &str) -> Option<Field> {
        let n = name.to_ascii_lowercase();
        let n = match n.as_str() {
            "tags" => "tag",
            "classification" => "class",
            "subj" => "subject",
            "signed" | "signers" => "signer",
            "refs" | "references" => "ref",
            "fm" => "from",
            other => other,
        }
        .to_string();
        Field::ALL.iter().find(|(_, s)| *s == n).map(|(f, _)| *f)
    }

    /// The byte that marks this field's terms in the index.
    pub fn code(self) -> char {
        match self {
            Field::Tag => 't',
            Field::Origin => 'o',
            Field::Class => 'c',
            Field::From => 'f',
            Field::To => 'r',
            Field::Subject => 's',
            Field::Signer => 'g',
            Field::Ref => 'x',
            Field::Id => 'i',
        }
    }
}

/// The index term of a word in a field (`\u{1}t:prel`); body words are indexed as themselves.
pub fn field_term(field: Field, norm: &str) -> String {
    let mut s = String::with_capacity(norm.len() + 3);
    field_term_into(field, norm, &mut s);
    s
}

/// Appends [`field_term`] to `out`.
pub fn field_term_into(field: Field, norm: &str, out: &mut String) {
    out.push('\u{1}');
    out.push(field.code());
    out.push(':');
    out.push_str(norm);
}

/// What one clause matches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Matcher {
    /// One normalized word.
    Word(String),
    /// Words starting with this (normalized).
    Prefix(String),
    /// Consecutive words.
    Phrase(Vec<String>),
}

/// One clause of a query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clause {
    /// The field, or `None` for the text.
    pub field: Option<Field>,
    /// What it matches.
    pub matcher: Matcher,
    /// An exclusion (`-word`).
    pub negated: bool,
}

impl Clause {
    /// The clause written in the search box's language again (normalized words): parsed, it gives
    /// this clause back. (`qadhafi`, `ura*`, `"nuclear fuel"`, `-libya`, `origin:"embassy tripoli"`.)
    pub fn to_query_text(&self) -> String {
        let mut out = String::new();
        if self.negated {
            out.push('-');
        }
        if let Some(f) = self.field {
            let name = Field::ALL.iter().find(|(g, _)| *g == f).map_or("", |(_, n)| n);
            out.push_str(name);
            out.push(':');
        }
        match &self.matcher {
            Matcher::Word(w) => out.push_str(w),
            Matcher::Prefix(p) => {
                out.push_str(p);
                out.push('*');
            }
            Matcher::Phrase(ws) => {
                out.push('"');
                out.push_str(&ws.join(" "));
                out.push('"');
            }
        }
        out
    }
}

/// A parsed query.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Query {
    /// The clauses, all of which must hold.
    pub clauses: Vec<Clause>,
}

impl Query {
    /// True when the query has no clause.
    pub fn is_empty(&self) -> bool {
        self.clauses.is_empty()
    }

    /// The words to highlight in results: body and subject words and phrases (prefixes end in `*`).
    pub fn highlight_terms(&self) -> Vec<String> {
        let mut out = Vec::new();
        for c in &self.clauses {
            if c.negated || !matches!(c.field, None | Some(Field::Subject)) {
                continue;
            }
            match &c.matcher {
                Matcher::Word(w) => out.push(w.clone()),
                Matcher::Prefix(p) => out.push(format!("{p}*")),
                Matcher::Phrase(ws) => out.extend(ws.iter().cloned()),
            }
        }
        out.sort();
        out.dedup();
        out
    }
}

/// Turns the words of a value into a matcher: one word, a prefix, or a phrase of several.
fn matcher_for(value: &str, quoted: bool) -> Option<Matcher> {
    let prefix = !quoted && value.ends_with('*');
    let mut words = Vec::new();
    for_each_word(value, |w, _, _| words.push(normalize(w)));
    match words.len() {
        0 => None,
        1 if prefix => Some(Matcher::Prefix(words.pop().unwrap_or_default())),
        1 => Some(Matcher::Word(words.pop().unwrap_or_default())),
        _ => Some(Matcher::Phrase(words)),
    }
}

/// Parses what a person typed in the search box.
pub fn parse_query(input: &str) -> Query {
    let mut clauses = Vec::new();
    let chars: Vec<char> = input.chars().take(2000).collect();
    let mut i = 0;
    while i < chars.len() {
        while i < chars.len() && chars[i].is_whitespace() {
            i += 1;
        }
        if i >= chars.len() {
            break;
        }
        let mut negated = false;
        if chars[i] == '-' && i + 1 < chars.len() && !chars[i + 1].is_whitespace() {
            negated = true;
            i += 1;
        }
        // field:
        let mut field = None;
        let word_start = i;
        let mut j = i;
        while j < chars.len() && chars[j].is_ascii_alphabetic() {
            j += 1;
        }
        if j < chars.len() && chars[j] == ':' && j > word_start {
            let name: String = chars[word_start..j].iter().collect();
            if let Some(f) = Field::from_name(&name) {
                field = Some(f);
                i = j + 1;
            }
        }
        let (value, quoted) = if i < chars.len() && chars[i] == '"' {
            let start = i + 1;
            let mut end = start;
            while end < chars.len() && chars[end] != '"' {
                end += 1;
            }
            let v: String = chars[start..end].iter().collect();
            i = (end + 1).min(chars.len());
            (v, true)
        } else {
            let start = i;
            while i < chars.len() && !chars[i].is_whitespace() {
                i += 1;
            }
            (chars[start..i].iter().collect::<String>(), false)
        };
        // A fielded value names one thing (an origin, a person): its words are a phrase; tags and ids
        // are whole values.
        if let Some(m) = matcher_for(&value, quoted) {
            clauses.push(Clause { field, matcher: m, negated });
        }
    }
    Query { clauses }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(w: &str) -> Matcher {
        Matcher::Word(w.into())
    }

    #[test]
    fn parses_every_form() {
        let q = parse_query(r#"qadhafi "nuclear fuel" ura* -libya tag:PREL origin:"Embassy Tripoli" class:secret TRIPOLI 000677"#);
        let c = &q.clauses;
        assert_eq!(c.len(), 9);
        assert_eq!(c[0], Clause { field: None, matcher: word("qadhafi"), negated: false });
        assert_eq!(c[1].matcher, Matcher::Phrase(vec!["nuclear".into(), "fuel".into()]));
        assert_eq!(c[2].matcher, Matcher::Prefix("ura".into()));
        assert!(c[3].negated);
        assert_eq!(c[4], Clause { field: Some(Field::Tag), matcher: word("prel"), negated: false });
        assert_eq!(c[5].field, Some(Field::Origin));
        assert_eq!(c[5].matcher, Matcher::Phrase(vec!["embassy".into(), "tripoli".into()]));
        assert_eq!(c[6], Clause { field: Some(Field::Class), matcher: word("secret"), negated: false });
        assert_eq!(c[8].matcher, word("677"));
    }

    #[test]
    fn each_clause_written_again_parses_to_itself() {
        let q = parse_query(r#"qadhafi "nuclear fuel" ura* -libya tag:PREL origin:"Embassy Tripoli" class:secret TRIPOLI 000677 -subject:oil signer:"Cretz""#);
        assert_eq!(q.clauses.len(), 11);
        for c in &q.clauses {
            assert_eq!(parse_query(&c.to_query_text()).clauses, vec![c.clone()], "{}", c.to_query_text());
        }
        assert_eq!(q.clauses[5].to_query_text(), r#"origin:"embassy tripoli""#);
        assert_eq!(q.clauses[3].to_query_text(), "-libya");
    }

    #[test]
    fn odd_input_is_read_as_words() {
        assert!(parse_query("").is_empty());
        assert!(parse_query("  - \" ").is_empty());
        let q = parse_query("unknown:thing \"unclosed phrase");
        assert_eq!(q.clauses.len(), 2);
        assert_eq!(q.clauses[0].matcher, Matcher::Phrase(vec!["unknown".into(), "thing".into()]));
        assert_eq!(q.clauses[1].matcher, Matcher::Phrase(vec!["unclosed".into(), "phrase".into()]));
        assert_eq!(parse_query("a-b").clauses[0].matcher, Matcher::Phrase(vec!["a".into(), "b".into()]));
    }
}
