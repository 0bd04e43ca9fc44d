//! The term dictionary: every term's name in one buffer and an open-addressing table of term ids,
//! so a term costs one hash and (usually) one comparison to find, and no allocation of its own
//! to add — a library of 250,000 cables has about a million terms, and a parse worker adds each
//! of a segment's terms anew.

/// The Fx multiplier (Firefox, rustc).
const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

/// Up to 8 bytes as one word, by a few loads instead of a byte loop: two strings of the same
/// length have the same word only when they are the same (the length itself is hashed apart).
#[inline(always)]
fn load_short(b: &[u8]) -> u64 {
    let n = b.len();
    if n >= 8 {
        u64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]])
    } else if n >= 4 {
        // Two 4-byte loads, overlapping below 8.
        let lo = u64::from(u32::from_le_bytes([b[0], b[1], b[2], b[3]]));
        let hi = u64::from(u32::from_le_bytes([b[n - 4], b[n - 3], b[n - 2], b[n - 1]]));
        lo | hi << 32
    } else if n > 0 {
        // First, middle and last byte (the same byte when fewer).
        u64::from(b[0]) | u64::from(b[n / 2]) << 8 | u64::from(b[n - 1]) << 16
    } else {
        0
    }
}

/// The hash of a term's bytes: the Fx hash of its 8-byte words (the last one by [`load_short`]),
/// then the length. Not attacker-resistant; terms come from the reader's own library.
#[inline]
pub fn hash_term(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0;
    let mut rest = bytes;
    while rest.len() > 8 {
        h = (h.rotate_left(5) ^ load_short(&rest[..8])).wrapping_mul(SEED);
        rest = &rest[8..];
    }
    h = (h.rotate_left(5) ^ load_short(rest)).wrapping_mul(SEED);
    // The length, so `a` and `a\0` differ; then the high bits folded into the low ones, which pick
    // the slot (the high half is the slot's tag).
    let h = (h.rotate_left(5) ^ bytes.len() as u64).wrapping_mul(SEED);
    h ^ (h >> 32)
}

/// Byte equality, without a call for the short names most terms have.
#[inline(always)]
fn same(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    if a.len() <= 8 {
        return load_short(a) == load_short(b);
    }
    if a.len() <= 16 {
        let k = a.len() - 8;
        return load_short(&a[..8]) == load_short(&b[..8]) && load_short(&a[k..]) == load_short(&b[k..]);
    }
    a == b
}

/// Terms and their ids (0, 1, 2… in the order they were added).
#[derive(Debug, Clone)]
pub struct TermDict {
    /// Every name, one after the other.
    bytes: String,
    /// Where each name starts in `bytes`, and (last) where the last one ends: one more than
    /// there are names.
    starts: Vec<u32>,
    /// The table, indexed by the low bits of a term's hash: `0` empty, else the high half of the
    /// term's hash and its id + 1 in the low half. Its length is a power of two, at most 3/4 full
    /// (linear probing slows down fast past that).
    slots: Vec<u64>,
}

impl Default for TermDict {
    fn default() -> Self {
        TermDict::new()
    }
}

impl TermDict {
    /// An empty dictionary.
    pub fn new() -> Self {
        TermDict { bytes: String::new(), starts: vec![0], slots: Vec::new() }
    }

    /// Terms held.
    pub fn len(&self) -> usize {
        self.starts.len().saturating_sub(1)
    }

    /// True when no term is held.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The name of term `id`.
    #[inline]
    pub fn name(&self, id: u32) -> &str {
        let i = id as usize;
        &self.bytes[self.starts[i] as usize..self.starts[i + 1] as usize]
    }

    /// The bytes of term `id`'s name (no check of character boundaries: for comparing).
    #[inline(always)]
    fn name_bytes(&self, id: u32) -> &[u8] {
        let i = id as usize;
        &self.bytes.as_bytes()[self.starts[i] as usize..self.starts[i + 1] as usize]
    }

    /// Every name, in id order.
    pub fn names(&self) -> impl Iterator<Item = &str> + '_ {
        (0..self.len() as u32).map(|id| self.name(id))
    }

    /// Bytes held (names, their starts, the table).
    pub fn heap_bytes(&self) -> usize {
        self.bytes.capacity() + 4 * self.starts.capacity() + 8 * self.slots.capacity()
    }

    /// Walks the table from the slot of `hash` until `term` or an empty slot: `Ok(id)` when held,
    /// `Err(slot)` (the empty slot) when not.
    #[inline(always)]
    fn probe(&self, term: &str, hash: u64) -> Result<u32, usize> {
        if self.slots.is_empty() {
            return Err(0);
        }
        let mask = self.slots.len() - 1;
        let tag = hash & 0xffff_ffff_0000_0000;
        let mut i = hash as usize & mask;
        loop {
            let s = self.slots[i];
            if s == 0 {
                return Err(i);
            }
            if s & 0xffff_ffff_0000_0000 == tag {
                let id = (s as u32) - 1;
                if same(self.name_bytes(id), term.as_bytes()) {
                    return Ok(id);
                }
            }
            i = (i + 1) & mask;
        }
    }

    /// The id of `term`, if held.
    #[inline]
    pub fn get(&self, term: &str) -> Option<u32> {
        self.get_hashed(term, hash_term(term.as_bytes()))
    }

    /// [`TermDict::get`] with the hash already made ([`hash_term`]).
    #[inline]
    pub fn get_hashed(&self, term: &str, hash: u64) -> Option<u32> {
        self.probe(term, hash).ok()
    }

    /// The id of `term`, added when new.
    #[inline]
    pub fn id(&mut self, term: &str) -> u32 {
        let hash = hash_term(term.as_bytes());
        match self.probe(term, hash) {
            Ok(id) => id,
            Err(slot) => self.insert_at(term, hash, slot),
        }
    }

    /// Adds `term`, known not to be held, whose hash is `hash` ([`hash_term`]); returns its id.
    pub fn add_new(&mut self, term: &str, hash: u64) -> u32 {
        let slot = match self.probe(term, hash) {
            Err(slot) => slot,
            Ok(id) => return id,
        };
        self.insert_at(term, hash, slot)
    }

    #[cold]
    fn grow(&mut self) {
        let size = (self.slots.len() * 2).max(64);
        let mut slots = vec![0u64; size];
        let mask = size - 1;
        for id in 0..self.len() as u32 {
            let hash = hash_term(self.name_bytes(id));
            let mut i = hash as usize & mask;
            while slots[i] != 0 {
                i = (i + 1) & mask;
            }
            slots[i] = (hash & 0xffff_ffff_0000_0000) | u64::from(id + 1);
        }
        self.slots = slots;
    }

    #[inline(never)]
    fn insert_at(&mut self, term: &str, hash: u64, mut slot: usize) -> u32 {
        let id = self.len() as u32;
        if (self.len() + 1) * 4 > self.slots.len() * 3 {
            self.grow();
            slot = match self.probe(term, hash) {
                Err(s) => s,
                Ok(id) => return id,
            };
        }
        self.bytes.push_str(term);
        self.starts.push(self.bytes.len() as u32);
        self.slots[slot] = (hash & 0xffff_ffff_0000_0000) | u64::from(id + 1);
        id
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_in_order_of_arrival_and_found_again() {
        let mut d = TermDict::new();
        let words: Vec<String> = (0..5000).map(|i| format!("w{}", i * 7919 % 10007)).collect();
        let mut seen = std::collections::HashMap::new();
        for w in &words {
            let next = seen.len() as u32;
            let want = *seen.entry(w.clone()).or_insert(next);
            assert_eq!(d.id(w), want, "{w}");
        }
        assert_eq!(d.len(), seen.len());
        for (w, &id) in &seen {
            assert_eq!(d.get(w), Some(id));
            assert_eq!(d.name(id), w);
        }
        assert_eq!(d.get("absent"), None);
        assert_eq!(d.names().count(), d.len());
    }

    #[test]
    fn empty_and_zero_padded_names_are_distinct() {
        let mut d = TermDict::new();
        assert_eq!(d.get(""), None);
        let a = d.id("a");
        let a0 = d.id("a\0");
        let empty = d.id("");
        assert_eq!((a, a0, empty), (0, 1, 2));
        assert_ne!(hash_term(b"a"), hash_term(b"a\0"));
        assert_eq!((d.get("a"), d.get("a\0"), d.get("")), (Some(0), Some(1), Some(2)));
        assert_eq!(d.name(2), "");
    }

    #[test]
    fn short_loads_and_equality_agree_with_the_bytes() {
        let words: Vec<Vec<u8>> = (0..=20).flat_map(|n| [vec![b'a'; n], (0..n as u8).map(|i| b'a' + i).collect(), (0..n as u8).map(|i| b'z' - i).collect()]).collect();
        for a in &words {
            for b in &words {
                if a.len() == b.len() && a.len() <= 8 {
                    assert_eq!(load_short(a) == load_short(b), a == b, "{a:?} {b:?}");
                }
                assert_eq!(same(a, b), a == b, "{a:?} {b:?}");
                if a != b {
                    assert_ne!(hash_term(a), hash_term(b), "{a:?} {b:?}");
                }
            }
        }
    }

    #[test]
    fn unicode_names() {
        let mut d = TermDict::new();
        for w in ["été", "qadhafi", "каддафи", "القذافي", "x"] {
            let id = d.id(w);
            assert_eq!(d.name(id), w);
        }
        assert_eq!(d.get("каддафи"), Some(2));
    }
}
