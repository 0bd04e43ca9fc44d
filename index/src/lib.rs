//! Full-text search and browse facets over parsed cables, in memory: pure Rust (no browser, no
//! I/O), so it runs natively in tests and benches and in the reader's Web Worker.
//!
//! ```
//! use cable_index::{Doc, Index, SearchRequest};
//! let mut index = Index::new();
//! index.add(Doc { key: "09TRIPOLI748".into(), origin: "Embassy Tripoli".into(), text: "Fuel for the reactor".into(), ..Doc::default() });
//! let r = index.search(&SearchRequest { query: "reactor origin:tripoli".into(), ..SearchRequest::default() });
//! assert_eq!(r.total, 1);
//! ```

pub mod dict;
pub mod doc;
pub mod facets;
pub mod fxhash;
pub mod hosted;
pub mod postings;
pub mod query;
pub mod snapshot;
pub mod snippet;
pub mod stored_positions;
pub mod tokens;

pub use doc::Doc;
pub use facets::Facet;
pub use query::{parse_query, Field, Query};
pub use snippet::{highlight_ranges, Segment};

use facets::FacetColumn;
use postings::Posting;
use query::{field_term, field_term_into, Clause, Matcher};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use tokens::{for_each_term, normalize_into};

/// A search: the query typed, the facet values chosen, the order and the page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct SearchRequest {
    /// What was typed in the search box.
    pub query: String,
    /// Chosen facet values: `(facet param, values)`; AND across facets, OR within one.
    pub filters: Vec<(String, Vec<String>)>,
    /// `relevance`, or a column (`id`, `subject`, `created`, `released`, `class`, `origin`), with `-`
    /// in front for descending. Empty: relevance with a query, newest created first without.
    pub sort: String,
    /// First row of the page.
    pub offset: usize,
    /// Rows per page (0: 50).
    pub limit: usize,
    /// Facets (params) to list in full; the others list their first [`FACET_VALUES`] values.
    #[serde(default)]
    pub expand: Vec<String>,
}

/// Values a facet lists unless expanded (chosen values are always listed).
pub const FACET_VALUES: usize = 40;

/// A row of a result list: the WikiLeaks columns and a snippet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ResultRow {
    /// The cable's number in the index (a published corpus fetches the row by it).
    #[serde(default)]
    pub doc: u32,
    /// Library key (the cable page's id).
    pub key: String,
    /// Reference id.
    pub reference_id: String,
    /// Subject.
    pub subject: String,
    /// Created.
    pub created: String,
    /// Released.
    pub released: String,
    /// Classification.
    pub classification: String,
    /// Origin.
    pub origin: String,
    /// Words around the first match, matches marked (empty without a text query).
    pub snippet: Vec<Segment>,
}

/// One value of a facet with the number of matching cables.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FacetValue {
    /// The value (as it goes into the URL).
    pub value: String,
    /// Matching cables with this value (given the other facets' choices).
    pub count: usize,
    /// Chosen.
    pub selected: bool,
    /// What the value means (known TAGS), when known.
    pub note: Option<String>,
    /// A group within the facet (tag kind), when there is one.
    pub group: Option<String>,
}

/// A facet's values with counts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FacetCounts {
    /// URL parameter (`origin`).
    pub facet: String,
    /// Heading (`Origin`).
    pub label: String,
    /// Values with a count above zero (the first [`FACET_VALUES`] unless expanded), and every chosen value.
    pub values: Vec<FacetValue>,
    /// Distinct values with a count above zero (what "Show all" would list).
    pub distinct: usize,
}

/// The answer to a [`SearchRequest`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct SearchResponse {
    /// Cables matching the query and the chosen facet values.
    pub total: usize,
    /// The requested page of them.
    pub rows: Vec<ResultRow>,
    /// Every facet with counts.
    pub facets: Vec<FacetCounts>,
    /// Words to highlight (a `*` at the end marks a prefix).
    pub highlight: Vec<String>,
    /// Cables in the library.
    pub library_size: usize,
    /// The sort applied.
    pub sort: String,
}

/// What [`Index::facet_counts`] needs of a search ([`Index::search_rows`]): the cables matched
/// and the facet values chosen.
#[derive(Debug, Clone, Default)]
pub struct FacetWork {
    matched: Vec<u32>,
    masks: Vec<Option<Vec<bool>>>,
    chosen: Vec<Vec<String>>,
    active: Vec<usize>,
    expand: Vec<String>,
}

/// The list columns kept per cable.
#[derive(Debug, Clone)]
struct Row {
    key: String,
    reference_id: String,
    subject: String,
    created: String,
    released: String,
    classification: String,
    origin: String,
    fingerprint: u64,
}

/// Columns a list can be sorted by.
const SORT_KEYS: [&str; 6] = ["id", "subject", "created", "released", "class", "origin"];

/// The index of a library of cables.
#[derive(Debug, Default)]
pub struct Index {
    rows: Vec<Row>,
    texts: Vec<Box<str>>,
    live: Vec<bool>,
    live_count: usize,
    by_key: HashMap<String, u32>,
    terms: dict::TermDict,
    postings: Vec<Posting>,
    doc_len: Vec<u32>,
    total_len: u64,
    facets: Vec<FacetColumn>,
    sorted_terms: Vec<u32>,
    sorted_terms_len: usize,
    ranks: HashMap<&'static str, Vec<u32>>,
    /// Scratch for [`Index::add_occurrences`]: each term's slot in the cable being added
    /// (`u32::MAX` outside it).
    slot_of_term: Vec<u32>,
    /// Most bytes of text kept for snippets (`None`: all). Past it, a cable's text is not kept
    /// and its snippet is made from a text the caller supplies ([`Index::snippet_for`]).
    text_budget: Option<usize>,
    /// Bytes of the texts kept.
    text_held: usize,
    /// True when the last text offered was not kept (the budget is reached).
    text_refused: bool,
    /// Bytes of word positions in the lists (those not moved to a run).
    positions_held: usize,
    /// Runs of positions moved to storage ([`stored_positions`]), oldest first.
    position_runs: Vec<stored_positions::PositionRun>,
    /// The number of the next run.
    next_position_run: u32,
    /// Pages of runs read back.
    position_pages: stored_positions::PageCache,
    /// Counts the changes to what a snapshot holds (see [`Index::changes`]).
    changes: u64,
    /// Each facet value's count over every cable held, as of [`Index::changes`] = the first
    /// number: a search matching most of the library counts the cables it does not match and
    /// takes them from these ([`Index::facet_counts`]).
    facet_totals: std::cell::RefCell<Option<(u64, Vec<Vec<usize>>)>>,
}

/// Orders classifications by level (then by name).
fn class_rank(c: &str) -> String {
    let level = if c.starts_with("TOP SECRET") {
        5
    } else if c.starts_with("SECRET") {
        4
    } else if c.starts_with("CONFIDENTIAL") {
        3
    } else if c.contains("FOR OFFICIAL USE ONLY") || c.contains("FOUO") {
        2
    } else if c.starts_with("UNCLASSIFIED") {
        1
    } else {
        0
    };
    format!("{level}{c}")
}

impl Index {
    /// An empty index.
    pub fn new() -> Self {
        Index { facets: Facet::ALL.iter().map(|_| FacetColumn::new()).collect(), ..Default::default() }
    }

    /// A number that changes whenever what a snapshot of the index holds does (a cable added or
    /// removed, positions moved out, texts put back): a snapshot written a piece at a time is
    /// abandoned when it changed meanwhile.
    pub fn changes(&self) -> u64 {
        self.changes
    }

    /// Cables held (deleted ones not counted).
    pub fn len(&self) -> usize {
        self.live_count
    }

    /// True when no cable is held.
    pub fn is_empty(&self) -> bool {
        self.live_count == 0
    }

    /// True when a cable with this key is held.
    pub fn contains(&self, key: &str) -> bool {
        self.by_key.get(key).is_some_and(|&d| self.live[d as usize])
    }

    /// Bytes of the texts held for snippets (most of the index's memory).
    pub fn text_bytes(&self) -> usize {
        self.text_held
    }

    /// Keeps at most `bytes` of text for snippets from now on (texts already kept stay): a large
    /// library keeps its texts in storage instead, and the caller hands the texts of the rows
    /// shown to [`Index::snippet_for`].
    pub fn set_text_budget(&mut self, bytes: usize) {
        self.text_budget = Some(bytes);
    }

    /// The text to keep for a cable: all of it while the budget allows, else none.
    fn keep_text(&mut self, text: Box<str>) -> Box<str> {
        self.text_refused = self.text_budget.is_some_and(|b| self.text_held + text.len() > b);
        if self.text_refused {
            return "".into();
        }
        self.text_held += text.len();
        text
    }

    /// True when the last cable's text was not kept for want of room (its snippets, and those of
    /// the cables after it, will be made from texts read back from storage).
    pub fn text_budget_reached(&self) -> bool {
        self.text_refused
    }

    /// True when cable `doc` is held but its text is not (it did not fit the text budget, or
    /// the texts have not been read back yet): its snippet needs [`Index::snippet_for`].
    pub fn text_missing(&self, doc: u32) -> bool {
        let d = doc as usize;
        self.live.get(d).copied().unwrap_or(false) && self.texts[d].is_empty() && self.doc_len[d] > 0
    }

    /// Distinct terms (words and field terms) in the vocabulary.
    pub fn term_count(&self) -> usize {
        self.terms.len()
    }

    /// Bytes held, by part: texts, postings' doc lists, postings' positions (with the pages of
    /// stored ones read back), term names, rows.
    pub fn memory_parts(&self) -> [usize; 5] {
        [
            self.text_bytes(),
            self.postings.iter().map(|p| p.docs.capacity()).sum::<usize>(),
            self.postings.iter().map(|p| p.positions.capacity()).sum::<usize>() + self.position_pages.bytes(),
            self.terms.heap_bytes(),
            self.rows.iter().map(|r| r.key.len() + r.reference_id.len() + r.subject.len() + r.created.len() + r.released.len() + r.classification.len() + r.origin.len() + 7 * 24).sum::<usize>(),
        ]
    }

    /// Approximate bytes held by the index (texts, postings, columns).
    pub fn heap_bytes(&self) -> usize {
        self.memory_parts().iter().sum()
    }

    #[inline]
    fn term_id(&mut self, term: &str) -> u32 {
        let hash = dict::hash_term(term.as_bytes());
        match self.terms.get_hashed(term, hash) {
            Some(id) => id,
            None => self.add_term(term, hash),
        }
    }

    /// Adds a term not in the dictionary, with an empty list.
    #[inline(never)]
    fn add_term(&mut self, term: &str, hash: u64) -> u32 {
        let id = self.terms.add_new(term, hash);
        self.postings.push(Posting::default());
        id
    }

    /// The id of a term, if the dictionary has it.
    fn lookup(&self, term: &str) -> Option<u32> {
        self.terms.get(term)
    }

    /// Adds a cable; a cable with the same key is replaced.
    pub fn add(&mut self, doc: Doc) {
        self.remove(&doc.key);
        self.append(doc);
    }

    /// Adds a cable without replacing one of the same key: for a segment, whose keys are decided
    /// when it is merged ([`Index::merge`]); two texts of one cable stay two cables.
    pub fn append(&mut self, doc: Doc) {
        self.changes += 1;
        let id = self.rows.len() as u32;
        let mut occurrences: Vec<(u32, u32)> = Vec::with_capacity(doc.text.len() / 5);
        let mut buf = String::new();
        let mut pos: u32 = 0;
        for_each_term(&doc.text, &mut buf, |term| {
            occurrences.push((self.term_id(term), pos));
            pos += 1;
        });
        let body_len = pos;
        pos += 1000;
        let mut field_values: Vec<(Field, &str, bool)> = Vec::new();
        field_values.extend(doc.tags.iter().map(|t| (Field::Tag, t.as_str(), true)));
        field_values.push((Field::Origin, doc.origin.as_str(), false));
        field_values.push((Field::Class, doc.classification.as_str(), false));
        field_values.push((Field::From, doc.from.as_str(), false));
        field_values.extend(doc.to.iter().map(|t| (Field::To, t.as_str(), false)));
        field_values.push((Field::Subject, doc.subject.as_str(), false));
        field_values.extend(doc.signers.iter().map(|t| (Field::Signer, t.as_str(), false)));
        field_values.extend(doc.references.iter().map(|t| (Field::Ref, t.as_str(), true)));
        field_values.push((Field::Id, doc.reference_id.as_str(), true));
        field_values.push((Field::Id, doc.key.as_str(), true));
        let mut term = String::new();
        for (field, value, whole) in field_values {
            if value.is_empty() {
                continue;
            }
            let mut words = 0;
            for_each_term(value, &mut buf, |w| {
                term.clear();
                field_term_into(field, w, &mut term);
                occurrences.push((self.term_id(&term), pos));
                pos += 1;
                words += 1;
            });
            // A tag or id written as one token (`OBAMA, BARACK` is also found as `obama`).
            if whole && words > 1 {
                let mut joined = String::new();
                for_each_term(value, &mut buf, |w| joined.push_str(w));
                let t = self.term_id(&field_term(field, &joined));
                occurrences.push((t, pos));
                pos += 1;
            }
            pos += 10;
        }
        self.add_occurrences(id, &occurrences);
        for (col, facet) in self.facets.iter_mut().zip(Facet::ALL) {
            col.push(facet.values(&doc));
        }
        self.doc_len.push(body_len);
        self.total_len += u64::from(body_len);
        self.rows.push(Row {
            key: doc.key.clone(),
            reference_id: doc.reference_id,
            subject: doc.subject,
            created: doc.created,
            released: doc.released,
            classification: doc.classification,
            origin: doc.origin,
            fingerprint: doc.fingerprint,
        });
        let text = self.keep_text(doc.text.into_boxed_str());
        self.texts.push(text);
        self.live.push(true);
        self.live_count += 1;
        self.by_key.insert(doc.key, id);
        self.ranks.clear();
    }

    /// Records a cable's `(term, position)` occurrences (positions ascending) in the postings:
    /// grouped by term with a counting pass instead of a sort (each posting list only needs its
    /// own positions in order, and the lists are independent of each other).
    fn add_occurrences(&mut self, doc: u32, occurrences: &[(u32, u32)]) {
        let mut slot_of = std::mem::take(&mut self.slot_of_term);
        slot_of.resize(self.terms.len(), u32::MAX);
        let mut distinct: Vec<u32> = Vec::new();
        let mut ends: Vec<u32> = Vec::new();
        for &(t, _) in occurrences {
            let s = &mut slot_of[t as usize];
            if *s == u32::MAX {
                *s = distinct.len() as u32;
                distinct.push(t);
                ends.push(0);
            }
            ends[*s as usize] += 1;
        }
        // Counts to start offsets, then fill.
        let mut sum = 0;
        for e in ends.iter_mut() {
            let n = *e;
            *e = sum;
            sum += n;
        }
        let mut positions = vec![0u32; occurrences.len()];
        for &(t, p) in occurrences {
            let s = slot_of[t as usize] as usize;
            positions[ends[s] as usize] = p;
            ends[s] += 1;
        }
        let mut start = 0;
        for (k, &t) in distinct.iter().enumerate() {
            let end = ends[k] as usize;
            let list = &mut self.postings[t as usize];
            let before = list.positions_len();
            list.add(doc, &positions[start..end]);
            self.positions_held += list.positions_len() - before;
            slot_of[t as usize] = u32::MAX;
            start = end;
        }
        self.slot_of_term = slot_of;
    }

    /// Removes a cable; returns whether it was held.
    pub fn remove(&mut self, key: &str) -> bool {
        let Some(&d) = self.by_key.get(key) else { return false };
        if !self.live[d as usize] {
            return false;
        }
        self.changes += 1;
        self.live[d as usize] = false;
        self.live_count -= 1;
        self.total_len -= u64::from(self.doc_len[d as usize]);
        self.text_held -= self.texts[d as usize].len();
        self.texts[d as usize] = "".into();
        self.by_key.remove(key);
        self.ranks.clear();
        true
    }

    /// Removes every cable (the text budget and the budget of position pages stay; the runs of
    /// positions are forgotten, their pages are the caller's to delete).
    pub fn clear(&mut self) {
        let budget = self.text_budget;
        let pages = self.position_pages.budget;
        let changes = self.changes + 1;
        *self = Index::new();
        self.text_budget = budget;
        self.position_pages.budget = pages;
        self.changes = changes;
    }

    /// Every live cable's key with the fingerprint it was added with.
    pub fn fingerprints(&self) -> Vec<(String, u64)> {
        self.rows.iter().zip(&self.live).filter(|(_, l)| **l).map(|(r, _)| (r.key.clone(), r.fingerprint)).collect()
    }

    /// Keys of the live cables whose references include `id` ("cited by").
    pub fn cited_by(&self, id: &str) -> Vec<String> {
        let mut buf = String::new();
        normalize_into(id, &mut buf);
        self.lookup(&field_term(Field::Ref, &buf))
            .map(|t| self.postings[t as usize].docs().filter(|(d, _)| self.live[*d as usize]).map(|(d, _)| self.rows[d as usize].key.clone()).collect())
            .unwrap_or_default()
    }

    /// Readies what a prefix search (`enrich*`) needs, so the first one does not wait for it: a
    /// worker calls this when it has nothing else to do after loading or importing.
    pub fn prepare_prefix_search(&mut self) {
        self.ensure_sorted_terms();
    }

    fn ensure_sorted_terms(&mut self) {
        if self.sorted_terms_len != self.terms.len() {
            let mut ids: Vec<u32> = (0..self.terms.len() as u32).collect();
            ids.sort_unstable_by(|a, b| self.terms.name(*a).cmp(self.terms.name(*b)));
            self.sorted_terms = ids;
            self.sorted_terms_len = self.terms.len();
        }
    }

    fn terms_with_prefix(&self, prefix: &str) -> Vec<u32> {
        let start = self.sorted_terms.partition_point(|t| self.terms.name(*t) < prefix);
        self.sorted_terms[start..].iter().take_while(|t| self.terms.name(**t).starts_with(prefix)).copied().collect()
    }

    fn bm25(&self, tf: u32, doc: u32, df: u32) -> f32 {
        let n = self.live.len().max(1) as f32;
        let avg = (self.total_len as f32 / self.live_count.max(1) as f32).max(1.0);
        let idf = ((n - df as f32 + 0.5) / (df as f32 + 0.5) + 1.0).ln();
        let tf = tf as f32;
        let dl = self.doc_len[doc as usize] as f32;
        idf * tf * 2.2 / (tf + 1.2 * (0.25 + 0.75 * dl / avg))
    }

    fn term_key(field: Option<Field>, norm: &str) -> String {
        match field {
            None => norm.to_string(),
            Some(f) => field_term(f, norm),
        }
    }

    /// Docs matching one clause, sorted, with a score each.
    fn eval(&self, clause: &Clause) -> Vec<(u32, f32)> {
        let weight = match clause.field {
            None => 1.0,
            Some(Field::Subject) => 1.5,
            Some(_) => 0.2,
        };
        match &clause.matcher {
            Matcher::Word(w) => match self.lookup(&Self::term_key(clause.field, w)) {
                Some(t) => {
                    let p = &self.postings[t as usize];
                    p.docs().map(|(d, tf)| (d, weight * self.bm25(tf, d, p.df))).collect()
                }
                None => Vec::new(),
            },
            Matcher::Prefix(pre) => {
                let mut all: Vec<(u32, f32)> = Vec::new();
                for t in self.terms_with_prefix(&Self::term_key(clause.field, pre)).into_iter().take(5000) {
                    let p = &self.postings[t as usize];
                    all.extend(p.docs().map(|(d, tf)| (d, weight * self.bm25(tf, d, p.df))));
                }
                all.sort_unstable_by_key(|x| x.0);
                let mut out: Vec<(u32, f32)> = Vec::with_capacity(all.len());
                for (d, s) in all {
                    match out.last_mut() {
                        Some(last) if last.0 == d => last.1 += s,
                        _ => out.push((d, s)),
                    }
                }
                out
            }
            Matcher::Phrase(words) => {
                let mut lists = Vec::with_capacity(words.len());
                for w in words {
                    match self.lookup(&Self::term_key(clause.field, w)) {
                        Some(t) => lists.push((self.positions_of(t), self.postings[t as usize].df)),
                        None => return Vec::new(),
                    }
                }
                let mut cursors = vec![0usize; lists.len()];
                let mut out = Vec::new();
                let first_docs = &lists[0].0 .0;
                'docs: for (k0, &d) in first_docs.iter().enumerate() {
                    for (li, l) in lists.iter().enumerate().skip(1) {
                        let docs = &l.0 .0;
                        let c = &mut cursors[li];
                        while *c < docs.len() && docs[*c] < d {
                            *c += 1;
                        }
                        if *c >= docs.len() {
                            break 'docs;
                        }
                        if docs[*c] != d {
                            continue 'docs;
                        }
                    }
                    let (o0, p0) = (&lists[0].0 .1, &lists[0].0 .2);
                    let mut count = 0;
                    for &start in &p0[o0[k0] as usize..o0[k0 + 1] as usize] {
                        let ok = lists.iter().enumerate().skip(1).all(|(li, l)| {
                            let k = cursors[li];
                            let ps = &l.0 .2[l.0 .1[k] as usize..l.0 .1[k + 1] as usize];
                            ps.binary_search(&(start + li as u32)).is_ok()
                        });
                        if ok {
                            count += 1;
                        }
                    }
                    if count > 0 {
                        let score: f32 = lists.iter().map(|l| self.bm25(count, d, l.1)).sum();
                        out.push((d, weight * score));
                    }
                }
                out
            }
        }
    }

    fn rank(&mut self, key: &'static str) -> &[u32] {
        if !self.ranks.contains_key(key) {
            let mut order: Vec<u32> = (0..self.rows.len() as u32).collect();
            let rows = &self.rows;
            // Every order ends with the cable's number, so it is total and an unstable sort gives
            // what a stable one would. The keys are compared where they are (a sort of a large
            // library's rows makes millions of comparisons: none may allocate).
            let created = |d: u32| rows[d as usize].created.as_str();
            match key {
                "class" | "subject" => {
                    let first: Vec<String> = match key {
                        "class" => rows.iter().map(|r| class_rank(&r.classification)).collect(),
                        _ => rows.iter().map(|r| r.subject.to_lowercase()).collect(),
                    };
                    order.sort_unstable_by(|&a, &b| (first[a as usize].as_str(), created(a), a).cmp(&(first[b as usize].as_str(), created(b), b)));
                }
                _ => {
                    let k = |d: u32| -> (&str, &str, u32) {
                        let r = &rows[d as usize];
                        match key {
                            "id" => (&r.reference_id, "", d),
                            "released" => (&r.released, &r.created, d),
                            "origin" => (&r.origin, &r.created, d),
                            _ => (&r.created, &r.reference_id, d),
                        }
                    };
                    order.sort_unstable_by(|&a, &b| k(a).cmp(&k(b)));
                }
            }
            let mut rank = vec![0u32; rows.len()];
            for (i, d) in order.into_iter().enumerate() {
                rank[d as usize] = i as u32;
            }
            self.ranks.insert(key, rank);
        }
        &self.ranks[key]
    }

    /// Words around the first match in the body (the subject is shown anyway); in the subject when
    /// the body has none.
    fn snippet(&self, d: u32, terms: &[String]) -> Vec<Segment> {
        self.snippet_for(d, &self.texts[d as usize], terms)
    }

    /// The snippet of cable `doc` made from `text`, its searched text ([`Doc::text`]), for a cable
    /// whose text the index does not keep ([`Index::text_missing`]).
    pub fn snippet_for(&self, doc: u32, text: &str, terms: &[String]) -> Vec<Segment> {
        let Some(row) = self.rows.get(doc as usize) else { return Vec::new() };
        let subject = &row.subject;
        let body_from = if !subject.is_empty() && text.starts_with(subject.as_str()) { subject.len() } else { 0 };
        let body = &text[body_from..];
        if body_from > 0 && snippet::first_match(body, terms).is_some() {
            return snippet::snippet(body, terms, 220);
        }
        snippet::snippet(text, terms, 220)
    }

    /// Runs a search: matching cables, facet counts, one page of rows.
    pub fn search(&mut self, req: &SearchRequest) -> SearchResponse {
        let (mut response, work) = self.search_rows(req);
        response.facets = self.facet_counts(&work);
        response
    }

    /// [`Index::search`] without its facet counts, which [`Index::facet_counts`] makes from the
    /// returned work: a caller that must read the rows' texts from storage first counts the facets
    /// while the reads are under way.
    pub fn search_rows(&mut self, req: &SearchRequest) -> (SearchResponse, FacetWork) {
        let query = parse_query(&req.query);
        // The sorted vocabulary is for prefixes only: sorting it costs ~70 ms for the corpus after
        // a reload or an import, which a search without a prefix need not wait for.
        if query.clauses.iter().any(|c| matches!(c.matcher, Matcher::Prefix(_))) {
            self.ensure_sorted_terms();
        }
        let (pos, neg): (Vec<&Clause>, Vec<&Clause>) = query.clauses.iter().partition(|c| !c.negated);

        // Matching docs with scores.
        let mut matched: Vec<(u32, f32)> = if pos.is_empty() {
            (0..self.live.len() as u32).filter(|d| self.live[*d as usize]).map(|d| (d, 0.0)).collect()
        } else {
            let mut lists: Vec<Vec<(u32, f32)>> = pos.iter().map(|c| self.eval(c)).collect();
            lists.sort_by_key(Vec::len);
            let mut acc = lists.remove(0);
            for l in lists {
                if acc.is_empty() {
                    break;
                }
                let mut j = 0;
                acc.retain_mut(|(d, s)| {
                    while j < l.len() && l[j].0 < *d {
                        j += 1;
                    }
                    if j < l.len() && l[j].0 == *d {
                        *s += l[j].1;
                        true
                    } else {
                        false
                    }
                });
            }
            acc.retain(|(d, _)| self.live[*d as usize]);
            acc
        };
        for c in neg {
            let excluded = self.eval(c);
            let mut j = 0;
            matched.retain(|(d, _)| {
                while j < excluded.len() && excluded[j].0 < *d {
                    j += 1;
                }
                !(j < excluded.len() && excluded[j].0 == *d)
            });
        }

        // The phrases are matched: the pages of positions read back for them keep to their budget.
        self.position_pages.trim();

        // Facet choices as masks over value ids.
        let mut masks: Vec<Option<Vec<bool>>> = vec![None; Facet::ALL.len()];
        let mut chosen: Vec<Vec<String>> = vec![Vec::new(); Facet::ALL.len()];
        for (param, values) in &req.filters {
            let Some(f) = Facet::from_param(param) else { continue };
            let fi = Facet::ALL.iter().position(|x| *x == f).unwrap_or(0);
            if values.is_empty() {
                continue;
            }
            let col = &self.facets[fi];
            let mask = masks[fi].get_or_insert_with(|| vec![false; col.values.len()]);
            for v in values {
                if let Some(id) = col.id(v) {
                    mask[id as usize] = true;
                }
                chosen[fi].push(v.clone());
            }
        }
        let active: Vec<usize> = (0..masks.len()).filter(|i| masks[*i].is_some()).collect();

        // The cables passing every chosen facet.
        let passes = |d: u32| active.iter().all(|&fi| {
            let mask = masks[fi].as_deref().unwrap_or(&[]);
            self.facets[fi].of(d).iter().any(|&v| mask.get(v as usize).copied().unwrap_or(false))
        });
        let matched_docs: Vec<u32> = matched.iter().map(|&(d, _)| d).collect();
        let mut results: Vec<(u32, f32)> = if active.is_empty() { matched } else { matched.into_iter().filter(|&(d, _)| passes(d)).collect() };
        let work = FacetWork { matched: matched_docs, masks, chosen, active, expand: req.expand.clone() };

        // Order and page.
        let total = results.len();
        let (sort_key, desc) = {
            let s = req.sort.trim();
            let (desc, k) = match s.strip_prefix('-') {
                Some(k) => (true, k),
                None => (false, s),
            };
            match SORT_KEYS.iter().find(|x| **x == k) {
                Some(k) => (*k, desc),
                None if !query.is_empty() && (k.is_empty() || k == "relevance") => ("relevance", true),
                None => ("created", true),
            }
        };
        let limit = if req.limit == 0 { 50 } else { req.limit.min(1000) };
        let offset = req.offset.min(total);
        let want = (offset + limit).min(total);
        if sort_key == "relevance" {
            let created = self.rank("created");
            let cmp = |a: &(u32, f32), b: &(u32, f32)| b.1.total_cmp(&a.1).then_with(|| created[b.0 as usize].cmp(&created[a.0 as usize]));
            if want < results.len() && want > 0 {
                results.select_nth_unstable_by(want - 1, cmp);
                results.truncate(want);
            }
            results.sort_by(cmp);
        } else {
            let rank = self.rank(sort_key);
            let key = |d: u32| if desc { u32::MAX - rank[d as usize] } else { rank[d as usize] };
            if want < results.len() && want > 0 {
                results.select_nth_unstable_by_key(want - 1, |x| key(x.0));
                results.truncate(want);
            }
            results.sort_by_key(|x| key(x.0));
        }
        let highlight = query.highlight_terms();
        let rows = results
            .iter()
            .skip(offset)
            .take(limit)
            .map(|(d, _)| match self.rows.get(*d as usize) {
                Some(r) => ResultRow {
                    doc: *d,
                    key: r.key.clone(),
                    reference_id: r.reference_id.clone(),
                    subject: r.subject.clone(),
                    created: r.created.clone(),
                    released: r.released.clone(),
                    classification: r.classification.clone(),
                    origin: r.origin.clone(),
                    snippet: if highlight.is_empty() { Vec::new() } else { self.snippet(*d, &highlight) },
                },
                // A published corpus: the row is fetched by its number.
                None => ResultRow { doc: *d, ..ResultRow::default() },
            })
            .collect();
        let sort = match (sort_key, desc) {
            ("relevance", _) => "relevance".to_string(),
            (k, true) => format!("-{k}"),
            (k, false) => k.to_string(),
        };
        (SearchResponse { total, rows, facets: Vec::new(), highlight, library_size: self.live_count, sort }, work)
    }

    /// Adds one to the count of each facet value of cable `d` (`counts`: one list per facet).
    fn count_values_of(&self, d: u32, counts: &mut [Vec<usize>]) {
        for (col, counts) in self.facets.iter().zip(counts.iter_mut()) {
            for &v in col.of(d) {
                counts[v as usize] += 1;
            }
        }
    }

    /// Each facet value's count over every cable held (computed once per change to the index).
    fn facet_totals(&self) -> Vec<Vec<usize>> {
        let mut cache = self.facet_totals.borrow_mut();
        match cache.as_ref() {
            Some((changes, totals)) if *changes == self.changes => totals.clone(),
            _ => {
                let mut totals: Vec<Vec<usize>> = self.facets.iter().map(|c| vec![0; c.values.len()]).collect();
                for d in (0..self.live.len() as u32).filter(|&d| self.live[d as usize]) {
                    self.count_values_of(d, &mut totals);
                }
                *cache = Some((self.changes, totals.clone()));
                totals
            }
        }
    }

    /// The facet counts of a search made by [`Index::search_rows`]: a cable passing every chosen
    /// facet counts everywhere; failing exactly one, it counts for that facet only (so each facet
    /// shows what choosing its other values would add). Cables the index no longer has (it was
    /// cleared meanwhile) count nowhere.
    pub fn facet_counts(&self, work: &FacetWork) -> Vec<FacetCounts> {
        let FacetWork { matched, masks, chosen, active, expand } = work;
        // With no facet chosen, a search that matches most of the library (the home page matches
        // all of it) counts the cables held that it does not match, and takes them from the
        // totals (natively at 96,403 cables the home view's search took 10–13 ms counting every
        // cable, 5–7 ms this way).
        let complement = active.is_empty() && matched.len() * 2 > self.live_count && matched.windows(2).all(|w| w[0] < w[1]);
        let mut counts: Vec<Vec<usize>> = if complement { self.facet_totals() } else { self.facets.iter().map(|c| vec![0; c.values.len()]).collect() };
        if complement {
            let mut matches = matched.iter().copied().peekable();
            for d in 0..self.live.len() as u32 {
                if matches.next_if_eq(&d).is_some() || !self.live[d as usize] {
                    continue;
                }
                for (col, counts) in self.facets.iter().zip(counts.iter_mut()) {
                    for &v in col.of(d) {
                        if let Some(c) = counts.get_mut(v as usize) {
                            *c = c.saturating_sub(1);
                        }
                    }
                }
            }
        }
        // (A cable no longer held has no values: `of` gives none.)
        for &d in matched.iter().filter(|_| !complement) {
            let mut failed = None;
            let mut fails = 0;
            for &fi in active {
                let mask = masks[fi].as_deref().unwrap_or(&[]);
                if !self.facets[fi].of(d).iter().any(|&v| mask.get(v as usize).copied().unwrap_or(false)) {
                    fails += 1;
                    failed = Some(fi);
                    if fails > 1 {
                        break;
                    }
                }
            }
            match (fails, failed) {
                (0, _) => self.count_values_of(d, &mut counts),
                (1, Some(fi)) => {
                    for &v in self.facets[fi].of(d) {
                        counts[fi][v as usize] += 1;
                    }
                }
                _ => {}
            }
        }
        Facet::ALL
            .iter()
            .enumerate()
            .map(|(fi, f)| {
                let col = &self.facets[fi];
                let selected = |v: usize| masks[fi].as_ref().is_some_and(|m| m.get(v).copied().unwrap_or(false));
                let mut ids: Vec<usize> = (0..counts[fi].len()).filter(|&v| counts[fi][v] > 0 || selected(v)).collect();
                let distinct = ids.iter().filter(|&&v| counts[fi][v] > 0).count();
                let name = |v: usize| &*col.values[v];
                if f.by_count() {
                    ids.sort_by(|a, b| counts[fi][*b].cmp(&counts[fi][*a]).then_with(|| name(*a).cmp(name(*b))));
                } else if *f == Facet::Released {
                    ids.sort_by(|a, b| name(*b).cmp(name(*a)));
                } else {
                    ids.sort_by(|a, b| name(*a).cmp(name(*b)));
                }
                if !expand.iter().any(|e| e == f.param()) && ids.len() > FACET_VALUES {
                    let mut kept = 0;
                    ids.retain(|&v| {
                        kept += 1;
                        kept <= FACET_VALUES || selected(v)
                    });
                }
                let mut values: Vec<FacetValue> = ids
                    .into_iter()
                    .map(|v| {
                        let value = col.values[v].to_string();
                        let (note, group) = if *f == Facet::Tag {
                            (cable_parser::tag_meaning(&value).map(str::to_string), Some(tag_group(&value).to_string()))
                        } else {
                            (None, None)
                        };
                        FacetValue { selected: selected(v), value, count: counts[fi][v], note, group }
                    })
                    .collect();
                // Chosen values no cable has (a link from another library) still show, with 0.
                for c in &chosen[fi] {
                    if !values.iter().any(|v| &v.value == c) {
                        values.push(FacetValue { value: c.clone(), count: 0, selected: true, note: None, group: None });
                    }
                }
                FacetCounts { facet: f.param().to_string(), label: f.label().to_string(), values, distinct }
            })
            .collect()
    }
}

/// The group a tag is listed under.
fn tag_group(tag: &str) -> &'static str {
    match cable_parser::tag_kind(tag) {
        cable_parser::TagKind::Geographic => "Geographic",
        cable_parser::TagKind::Subject => "Subject",
        cable_parser::TagKind::Program => "Program",
        cable_parser::TagKind::Person => "Person",
        cable_parser::TagKind::Organisation => "Organisation",
        cable_parser::TagKind::Unknown => "Other",
    }
}
