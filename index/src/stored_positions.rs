//! Word positions kept out of memory. Positions are read for phrases only, yet they are half of a
//! large library's index (481 MB of 896 at 250,000 cables). Past a budget, the positions the index
//! holds leave it as a **run**: every list's positions gathered since the last run, in term order,
//! cut into pages the caller stores. A phrase then needs the pages of its words' runs: the caller
//! asks which ([`Index::position_pages_wanted`]), reads them and hands them over
//! ([`Index::hold_position_pages`]), which keeps the last pages read up to a budget of their own.
//!
//! A list's positions are one stream, each cable's in turn; a run holds the stream of the cables
//! added since the run before, so the runs and what is still held, one after the other, are the
//! whole stream ([`crate::postings::Posting::with_positions_in_parts`]).
//!
//! A page is `n` (u32), then `n` pieces' `(term, length)` (u32 each), then the pieces' bytes. A
//! term's positions may run over several pages; each page after its first begins with it.

use crate::postings::PositionPart;
use crate::query::Matcher;
use crate::{parse_query, Index, SearchRequest};
use std::collections::{HashMap, VecDeque};

/// A run of positions in storage: the positions of the cables numbered below `end_doc` (and not
/// in an earlier run), in pages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PositionRun {
    /// The run's number (pages are stored under it).
    pub id: u32,
    /// The first cable after the run.
    pub end_doc: u32,
    /// For each page, the term its first piece belongs to (ascending).
    pub first_terms: Vec<u32>,
}

impl PositionRun {
    /// The pages that may hold positions of term `t`: the page before the first one that begins
    /// with a later term, and those beginning with `t`.
    fn pages_of(&self, t: u32) -> impl Iterator<Item = u32> + '_ {
        let start = self.first_terms.partition_point(|&f| f < t);
        let before = start.checked_sub(1);
        let with_t = self.first_terms[start..].iter().take_while(move |&&f| f == t).count();
        before.into_iter().chain(start..start + with_t).map(|k| k as u32)
    }
}

/// The pages of positions read back from storage, kept up to a budget (oldest dropped first).
#[derive(Debug, Default)]
pub(crate) struct PageCache {
    pages: HashMap<(u32, u32), Vec<u8>>,
    order: VecDeque<(u32, u32)>,
    bytes: usize,
    /// Most bytes kept (0: the default, [`PAGE_CACHE_BYTES`]).
    pub(crate) budget: usize,
}

/// Bytes of pages read back kept by default.
pub const PAGE_CACHE_BYTES: usize = 32 << 20;

impl PageCache {
    pub(crate) fn bytes(&self) -> usize {
        self.bytes
    }
    fn get(&self, key: (u32, u32)) -> Option<&[u8]> {
        self.pages.get(&key).map(Vec::as_slice)
    }
    /// Keeps `pages` (all of them, even past the budget: a search is about to need them, and some
    /// it needs may be held already); [`PageCache::trim`] keeps to the budget after the search.
    fn hold(&mut self, pages: Vec<((u32, u32), Vec<u8>)>) {
        for (k, b) in pages {
            self.bytes += b.len();
            match self.pages.insert(k, b) {
                Some(old) => self.bytes -= old.len(),
                None => self.order.push_back(k),
            }
        }
    }
    /// Drops the pages read longest ago until the rest fit the budget.
    pub(crate) fn trim(&mut self) {
        let budget = if self.budget == 0 { PAGE_CACHE_BYTES } else { self.budget };
        while self.bytes > budget {
            let Some(k) = self.order.pop_front() else { break };
            if let Some(b) = self.pages.remove(&k) {
                self.bytes -= b.len();
            }
        }
    }
}

/// The pieces of a page: `(term, bytes)`; `None` when the bytes are not a page.
fn pieces(page: &[u8]) -> Option<Vec<(u32, &[u8])>> {
    let u32_at = |i: usize| -> Option<u32> { Some(u32::from_le_bytes(page.get(i..i + 4)?.try_into().ok()?)) };
    let n = u32_at(0)? as usize;
    let mut at = n.checked_mul(8)?.checked_add(4)?;
    if at > page.len() {
        return None;
    }
    let mut out = Vec::with_capacity(n);
    for k in 0..n {
        let (term, len) = (u32_at(4 + 8 * k)?, u32_at(8 + 8 * k)? as usize);
        out.push((term, page.get(at..at.checked_add(len)?)?));
        at += len;
    }
    (at == page.len()).then_some(out)
}

/// Makes pages of about `page_bytes` from `(term, positions)` in term order.
fn make_pages(lists: impl Iterator<Item = (u32, Vec<u8>)>, page_bytes: usize) -> (Vec<Vec<u8>>, Vec<u32>) {
    let page_bytes = page_bytes.max(64);
    let (mut pages, mut first_terms) = (Vec::new(), Vec::new());
    let mut entries: Vec<(u32, u32)> = Vec::new();
    let mut body: Vec<u8> = Vec::new();
    let flush = |entries: &mut Vec<(u32, u32)>, body: &mut Vec<u8>, pages: &mut Vec<Vec<u8>>| {
        let mut page = Vec::with_capacity(4 + 8 * entries.len() + body.len());
        page.extend_from_slice(&(entries.len() as u32).to_le_bytes());
        for (t, l) in entries.drain(..) {
            page.extend_from_slice(&t.to_le_bytes());
            page.extend_from_slice(&l.to_le_bytes());
        }
        page.append(body);
        pages.push(page);
    };
    for (t, bytes) in lists {
        let mut rest = &bytes[..];
        while !rest.is_empty() {
            if entries.is_empty() {
                first_terms.push(t);
            }
            let take = (page_bytes - body.len().min(page_bytes - 1)).min(rest.len());
            entries.push((t, take as u32));
            body.extend_from_slice(&rest[..take]);
            rest = &rest[take..];
            if body.len() >= page_bytes {
                flush(&mut entries, &mut body, &mut pages);
            }
        }
    }
    if !entries.is_empty() {
        flush(&mut entries, &mut body, &mut pages);
    }
    (pages, first_terms)
}

impl Index {
    /// Bytes of word positions the index holds in memory (not counting pages read back).
    pub fn positions_held(&self) -> usize {
        self.positions_held
    }

    /// The runs of positions in storage, oldest first.
    pub fn position_runs(&self) -> &[PositionRun] {
        &self.position_runs
    }

    /// The number the next run will have: a stored run numbered from here on is none of this
    /// index's (left by an import that ended before its index was saved).
    pub fn next_position_run(&self) -> u32 {
        self.next_position_run
    }

    /// Keeps at most `bytes` of pages read back (0: [`PAGE_CACHE_BYTES`]).
    pub fn set_position_cache_budget(&mut self, bytes: usize) {
        self.position_pages.budget = bytes;
    }

    /// Moves every position the index holds out of it, as a run of pages of about `page_bytes`
    /// for the caller to store under `(run, page)` before it asks for any of them: the run's
    /// number and its pages. `None` when it holds none.
    pub fn take_positions_run(&mut self, page_bytes: usize) -> Option<(u32, Vec<Vec<u8>>)> {
        if self.positions_held == 0 {
            return None;
        }
        self.changes += 1;
        let lists = self.postings.iter_mut().enumerate().filter(|(_, p)| p.positions_len() > 0).map(|(t, p)| (t as u32, std::mem::take(&mut p.positions)));
        let (pages, first_terms) = make_pages(lists, page_bytes);
        let id = self.next_position_run;
        self.next_position_run += 1;
        self.position_runs.push(PositionRun { id, end_doc: self.rows.len() as u32, first_terms });
        self.positions_held = 0;
        Some((id, pages))
    }

    /// The runs (indices into [`Index::position_runs`]) holding positions of term `t`: those
    /// whose cables include one of its list.
    fn runs_of(&self, t: u32) -> Vec<usize> {
        let mut out = Vec::new();
        let mut run = 0;
        for (d, _) in self.postings[t as usize].docs() {
            while run < self.position_runs.len() && d >= self.position_runs[run].end_doc {
                run += 1;
            }
            if run == self.position_runs.len() {
                break;
            }
            if out.last() != Some(&run) {
                out.push(run);
            }
        }
        out
    }

    /// The stored pages (`(run, page)`) a search needs and the index does not hold: those of its
    /// phrases' words. Read them and hand them to [`Index::hold_position_pages`] before the search.
    pub fn position_pages_wanted(&self, req: &SearchRequest) -> Vec<(u32, u32)> {
        if self.position_runs.is_empty() {
            return Vec::new();
        }
        let mut out = Vec::new();
        for clause in parse_query(&req.query).clauses {
            let Matcher::Phrase(words) = &clause.matcher else { continue };
            for w in words {
                let Some(t) = self.lookup(&Self::term_key(clause.field, w)) else { continue };
                for r in self.runs_of(t) {
                    let run = &self.position_runs[r];
                    out.extend(run.pages_of(t).map(|p| (run.id, p)).filter(|k| self.position_pages.get(*k).is_none()));
                }
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Keeps pages read back from storage (see [`Index::position_pages_wanted`]); a page that is
    /// not one (damaged) is dropped, and the cables of its run then match no phrase.
    pub fn hold_position_pages(&mut self, pages: Vec<((u32, u32), Vec<u8>)>) {
        let pages = pages.into_iter().filter(|(_, b)| pieces(b).is_some()).collect();
        self.position_pages.hold(pages);
    }

    /// Bytes of pages read back and kept.
    pub fn position_cache_bytes(&self) -> usize {
        self.position_pages.bytes()
    }

    /// Term `t`'s positions in run `r`, from the pages held; `None` when one is missing.
    fn run_positions(&self, r: usize, t: u32) -> Option<Vec<u8>> {
        let run = &self.position_runs[r];
        let mut out = Vec::new();
        for p in run.pages_of(t) {
            let page = self.position_pages.get((run.id, p))?;
            for (term, bytes) in pieces(page)? {
                if term == t {
                    out.extend_from_slice(bytes);
                }
            }
        }
        Some(out)
    }

    /// Every cable of term `t` with its positions (as [`crate::postings::Posting::with_positions`]),
    /// from the runs' pages held and the positions in memory. Cables of a run whose pages are not
    /// held are left out.
    pub(crate) fn positions_of(&self, t: u32) -> (Vec<u32>, Vec<u32>, Vec<u32>) {
        let p = &self.postings[t as usize];
        if self.position_runs.is_empty() {
            return p.with_positions();
        }
        let with = self.runs_of(t);
        let stored: Vec<Option<Vec<u8>>> = (0..self.position_runs.len()).map(|r| if with.contains(&r) { self.run_positions(r, t) } else { Some(Vec::new()) }).collect();
        let mut parts: Vec<PositionPart<'_>> = self.position_runs.iter().zip(&stored).map(|(run, b)| PositionPart { end: run.end_doc, bytes: b.as_deref() }).collect();
        parts.push(PositionPart { end: u32::MAX, bytes: Some(&p.positions) });
        p.with_positions_in_parts(&parts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_cut_lists_and_give_them_back() {
        let lists = vec![(2u32, vec![1u8; 10]), (5, vec![2; 150]), (9, vec![3; 5]), (11, vec![4; 70])];
        let (pages, first) = make_pages(lists.clone().into_iter(), 64);
        assert!(pages.len() >= 4);
        let run = PositionRun { id: 0, end_doc: 1, first_terms: first.clone() };
        for (t, bytes) in &lists {
            let mut got = Vec::new();
            for p in run.pages_of(*t) {
                for (term, b) in pieces(&pages[p as usize]).expect("a page") {
                    if term == *t {
                        got.extend_from_slice(b);
                    }
                }
            }
            assert_eq!(&got, bytes, "term {t}");
        }
        // A term between two lists has no piece anywhere.
        assert!(run.pages_of(7).all(|p| pieces(&pages[p as usize]).unwrap().iter().all(|(t, _)| *t != 7)));
        assert!(pieces(&pages[0][..pages[0].len() - 1]).is_none(), "a cut page is refused");
        assert!(pieces(&[255, 255, 255, 255]).is_none());
    }

    #[test]
    fn the_cache_keeps_what_a_search_needs_and_then_drops_the_oldest() {
        let mut c = PageCache { budget: 100, ..PageCache::default() };
        c.hold(vec![((0, 0), vec![0; 60])]);
        c.hold(vec![((0, 1), vec![0; 30])]);
        c.trim();
        assert_eq!(c.bytes(), 90);
        // Past the budget until the search is done, then the oldest go.
        c.hold(vec![((0, 2), vec![0; 30])]);
        assert_eq!(c.bytes(), 120);
        c.trim();
        assert!(c.get((0, 0)).is_none() && c.get((0, 1)).is_some() && c.get((0, 2)).is_some());
        // The same page again is not counted twice.
        c.hold(vec![((0, 1), vec![0; 30])]);
        assert_eq!((c.bytes(), c.pages.len(), c.order.len()), (60, 2, 2));
        c.hold(vec![((1, 0), vec![0; 80]), ((1, 1), vec![0; 80])]);
        c.trim();
        assert_eq!((c.bytes(), c.pages.len()), (80, 1));
        assert!(c.get((1, 1)).is_some());
    }
}
