//! The data a parsed cable yields: fields, paragraphs, recipients, references and diagnostics.

use serde::{Deserialize, Serialize};

/// A byte range into the text a cable was parsed from ([`Cable::text`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end`.
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }
}

/// Which kind of input a cable was found in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceFormat {
    /// Routing header and body as plain text.
    Raw,
    /// A whole WikiLeaks cable page copied from the browser as text.
    CopiedPage,
    /// A saved WikiLeaks cable page (`.html`).
    Html,
    /// One record of the bulk `cables.csv`.
    Csv,
    /// A body without any routing header or banner.
    Fragment,
}

/// One addressee of the `TO` or `INFO` block.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recipient {
    /// Routing indicator before the slash, e.g. `RUEHC`.
    pub route: Option<String>,
    /// The addressee, e.g. `SECSTATE WASHDC`.
    pub name: String,
    /// `FLASH`, `NIACT IMMEDIATE`, `IMMEDIATE`, `PRIORITY` or `ROUTINE`.
    pub precedence: Option<String>,
    /// Message control number, the trailing number of four or more digits.
    pub mcn: Option<String>,
}

/// One entry of the `REF:` block.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reference {
    /// Canonical id of the referenced cable, or `None` when the reference is not a cable.
    pub id: Option<String>,
    /// The reference as written.
    pub text: String,
    /// The list letter (`A`, `B`, ...) when the references are a lettered list.
    pub bullet: Option<String>,
}

/// A numbered (or lettered) paragraph of the body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Paragraph {
    /// The page anchor: `par5`, `parB`; a repeated number gets a suffix (`par5-2`) so ids stay unique.
    pub id: String,
    /// The number or letter as written (`5`, `B`).
    pub number: String,
    /// The paragraph's classification marking without parentheses (`C`, `SBU`, `S//NF`).
    pub marking: Option<String>,
    /// Clean text: page markers and SIPDIS lines removed, wrapped lines joined.
    pub text: String,
    /// A section heading that stands before this paragraph (`TAKE TWO: THE DIALOGUE FINALLY COMMENCES`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub heading: Option<String>,
    /// Where the paragraph stands in [`Cable::text`] (raw form).
    pub span: Span,
}

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Something expected is missing or odd; the fields are still usable.
    Warning,
    /// Informational: how a field was derived.
    Note,
}

/// Something missing or odd the parser noticed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    /// How serious it is.
    pub severity: Severity,
    /// A stable machine-readable code such as `missing_subject`.
    pub code: String,
    /// A sentence for people.
    pub message: String,
    /// Where in [`Cable::text`] it applies, when it applies to a place.
    pub span: Option<Span>,
}

/// A parsed cable: every field the parser could find, plus the text it came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cable {
    /// The reference id as WikiLeaks names it (`09TRIPOLI748`), or derived from the text.
    pub reference_id: Option<String>,
    /// The corrected id (malformed WikiLeaks ids such as `08ECTION01OF02MANAMA492` fixed).
    pub canonical_id: Option<String>,
    /// `YYYY-MM-DD HH:MM`, from the page or csv when present, else from the date-time group.
    pub created: Option<String>,
    /// `YYYY-MM-DD HH:MM`, when the input says it (pages only).
    pub released: Option<String>,
    /// `CONFIDENTIAL//NOFORN` style, as WikiLeaks lists it.
    pub classification: Option<String>,
    /// The sending post as WikiLeaks names it: `Embassy Tripoli`, `Secretary of State`.
    pub origin: Option<String>,
    /// The first `VZCZC...` token of the header.
    pub transmission_id: Option<String>,
    /// The date-time group, e.g. `171049Z SEP 09`.
    pub date_time_group: Option<String>,
    /// The precedence prosign line, e.g. `O P` (immediate, priority).
    pub precedence: Option<String>,
    /// The `FM` line without the `FM`, e.g. `AMEMBASSY TRIPOLI`.
    pub from: Option<String>,
    /// The `TO` block.
    pub recipients: Vec<Recipient>,
    /// The `INFO` block.
    pub info_recipients: Vec<Recipient>,
    /// The cable's subject line (clean).
    pub subject: Option<String>,
    /// The WikiLeaks index title, when the input is a page that shows it.
    pub title: Option<String>,
    /// TAGS, upper-case, in order, without duplicates.
    pub tags: Vec<String>,
    /// The kind of each tag, same order as `tags`.
    pub tag_kinds: Vec<TagKind>,
    /// The `REF:` block.
    pub references: Vec<Reference>,
    /// The person in the `Classified By:` line.
    pub classified_by: Option<String>,
    /// The reason of the classification (`1.4 (b), (d)`).
    pub classification_reason: Option<String>,
    /// `YYYY-MM-DD` from `E.O. 12958: DECL:`.
    pub declassify_on: Option<String>,
    /// The text between `SUMMARY` and `END SUMMARY`.
    pub summary: Option<String>,
    /// Signer surname(s) at the end of the body.
    pub signers: Vec<String>,
    /// True for "partial extract" records.
    pub partial: bool,
    /// Links of the "Appears in these articles" list of a saved page.
    pub media_urls: Vec<String>,
    /// Numbered paragraphs of the body.
    pub paragraphs: Vec<Paragraph>,
    /// Number of redaction runs (`XXXXXXXXXXXX`).
    pub redactions: usize,
    /// What was missing or odd.
    pub diagnostics: Vec<Diagnostic>,
    /// Which kind of input the cable came from.
    pub source_format: SourceFormat,
    /// The cable text (routing header, a newline, body) that spans refer to.
    pub text: String,
    /// The routing header: `text[header.start..header.end]`.
    pub header: Span,
    /// The body: `text[body.start..body.end]`.
    pub body: Span,
}

impl Cable {
    /// The routing header as text.
    pub fn header_text(&self) -> &str {
        &self.text[self.header.start..self.header.end]
    }
    /// The body as text.
    pub fn body_text(&self) -> &str {
        &self.text[self.body.start..self.body.end]
    }
    /// The id to file this cable under: canonical id, else reference id.
    pub fn key(&self) -> Option<&str> {
        self.canonical_id.as_deref().or(self.reference_id.as_deref())
    }

    /// A fingerprint of the body's words that ignores layout (line wrapping, spacing), so the same
    /// cable copied from a page or from raw text is recognised as the same, and another text of
    /// the same cable (a re-release) as another.
    pub fn text_fingerprint(&self) -> u64 {
        let mut h: u64 = 0xcbf29ce484222325;
        for word in self.body_text().split_whitespace() {
            for &b in word.as_bytes() {
                h ^= u64::from(b);
                h = h.wrapping_mul(0x100000001b3);
            }
            h ^= 0x20;
            h = h.wrapping_mul(0x100000001b3);
        }
        h
    }

    /// The cable as a copied WikiLeaks page gives it: the metadata table (when the cable has an id)
    /// and the cable's own text. Parsing it gives back the same fields and paragraph anchors; share
    /// links and published corpora carry cables in this form.
    pub fn portable_text(&self) -> String {
        let mut out = String::with_capacity(self.text.len() + 200);
        if let Some(id) = self.reference_id.as_deref().or(self.canonical_id.as_deref()) {
            let cell = |v: &Option<String>| v.as_deref().unwrap_or("").replace(['|', '\n', '\r'], " ");
            out.push_str("Reference ID | Created | Released | Classification | Origin |\n---|---|---|---|---|\n");
            out.push_str(&format!(
                "{} | {} | {} | {} | {} |\n",
                id.replace(['|', '\n', '\r'], " "),
                cell(&self.created),
                cell(&self.released),
                cell(&self.classification),
                cell(&self.origin)
            ));
        }
        out.push_str(&self.text);
        out
    }
}

/// Kinds of TAGS, as cablemap and the State Department's TAGS handbook distinguish them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TagKind {
    /// Two-letter country or area code (`LY`).
    Geographic,
    /// Subject tag (`PREL`, `PGOV`).
    Subject,
    /// Program tag, `K` + three letters (`KDEM`).
    Program,
    /// A person (`CLINTON, HILLARY`).
    Person,
    /// An organisation (`NATO`, `UNSC`).
    Organisation,
    /// Not recognised.
    Unknown,
}

/// The result of parsing one input: every cable found, plus diagnostics about the input as a whole.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Parsed {
    /// Cables found, in input order.
    pub cables: Vec<Cable>,
    /// Problems with the input as a whole (no cable found, binary data, ...).
    pub diagnostics: Vec<Diagnostic>,
}
