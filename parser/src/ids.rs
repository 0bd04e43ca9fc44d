//! Reference ids: building them from a cable's parts, and canonicalising malformed WikiLeaks ids.

use crate::text::{all_digits, strip_zeros, FirstLetterLengths};

/// Station names (the middle part of reference ids) of US posts and offices that send cables, in
/// byte order (looked up by binary search: [`is_station`]).
pub const STATIONS: &[&str] = &[
    "ABIDJAN", "ABUDHABI", "ABUJA", "ACCRA", "ADANA", "ADDISABABA", "AITTAIPEI", "ALGIERS", "ALMATY",
    "AMMAN", "AMSTERDAM", "ANKARA", "ANTANANARIVO", "APIA", "ASHGABAT", "ASMARA", "ASTANA", "ASUNCION",
    "ATHENS", "AUCKLAND", "BAGHDAD", "BAKU", "BAMAKO", "BANDARSERIBEGAWAN", "BANGKOK", "BANGUI", "BANJUL",
    "BARCELONA", "BASRAH", "BEIJING", "BEIRUT", "BELFAST", "BELGRADE", "BELMOPAN", "BERLIN", "BERN",
    "BISHKEK", "BOGOTA", "BRASILIA", "BRATISLAVA", "BRAZZAVILLE", "BRIDGETOWN", "BRUSSELS", "BUCHAREST",
    "BUDAPEST", "BUENOSAIRES", "BUJUMBURA", "CAIRO", "CALCUTTA", "CALGARY", "CANBERRA", "CAPETOWN",
    "CARACAS", "CASABLANCA", "CHARLESTON", "CHENGDU", "CHENNAI", "CHIANGMAI", "CHISINAU", "CIUDADJUAREZ",
    "COLOMBO", "CONAKRY", "COPENHAGEN", "COTONOU", "CURACAO", "DAKAR", "DAMASCUS", "DARESSALAAM", "DHAHRAN",
    "DHAKA", "DILI", "DJIBOUTI", "DOHA", "DUBAI", "DUBLIN", "DURBAN", "DUSHANBE", "DUSSELDORF", "FLORENCE",
    "FRANKFURT", "FREETOWN", "FUKUOKA", "GABORONE", "GENEVA", "GEORGETOWN", "GUADALAJARA", "GUANGZHOU",
    "GUATEMALA", "GUAYAQUIL", "HALIFAX", "HAMBURG", "HAMILTON", "HANOI", "HARARE", "HAVANA", "HELSINKI",
    "HERMOSILLO", "HILLAH", "HOCHIMINHCITY", "HONGKONG", "HYDERABAD", "ISLAMABAD", "ISTANBUL", "JAKARTA",
    "JEDDAH", "JERUSALEM", "JOHANNESBURG", "KABUL", "KADUNA", "KAMPALA", "KARACHI", "KATHMANDU", "KHARTOUM",
    "KIEV", "KIGALI", "KINGSTON", "KINSHASA", "KIRKUK", "KOLKATA", "KOLONIA", "KOROR", "KRAKOW",
    "KUALALUMPUR", "KUWAIT", "KYIV", "LAGOS", "LAHORE", "LAPAZ", "LEIPZIG", "LIBREVILLE", "LILONGWE", "LIMA",
    "LISBON", "LJUBLJANA", "LOME", "LONDON", "LUANDA", "LUSAKA", "LUXEMBOURG", "MADRID", "MAJURO", "MALABO",
    "MANAGUA", "MANAMA", "MANILA", "MAPUTO", "MARSEILLE", "MASERU", "MATAMOROS", "MBABANE", "MELBOURNE",
    "MERIDA", "MEXICO", "MILAN", "MINSK", "MOGADISHU", "MONROVIA", "MONTERREY", "MONTEVIDEO", "MONTREAL",
    "MOSCOW", "MOSUL", "MUMBAI", "MUNICH", "MUSCAT", "NAHA", "NAIROBI", "NAPLES", "NASSAU", "NDJAMENA",
    "NEWDELHI", "NIAMEY", "NICOSIA", "NOGALES", "NOUAKCHOTT", "NUEVOLAREDO", "OSAKAKOBE", "OSLO", "OTTAWA",
    "OUAGADOUGOU", "PANAMA", "PARAMARIBO", "PARIS", "PARTO", "PERTH", "PESHAWAR", "PHNOMPENH",
    "PODGORICA", "PONTADELGADA", "PORTAUPRINCE", "PORTLOUIS", "PORTMORESBY", "PORTOALEGRE", "PORTOFSPAIN",
    "PRAGUE", "PRAIA", "PRETORIA", "PRISTINA", "QUEBEC", "QUITO", "RABAT", "RANGOON", "RECIFE", "REYKJAVIK",
    "RIGA", "RIODEJANEIRO", "RIYADH", "ROME", "RPODUBAI", "SANAA", "SANJOSE", "SANSALVADOR", "SANTIAGO",
    "SANTODOMINGO", "SAOPAULO", "SAPPORO", "SARAJEVO", "SECDEF", "SEOUL", "SHANGHAI", "SHENYANG",
    "SINGAPORE", "SKOPJE", "SOFIA", "STATE", "STOCKHOLM", "STPETERSBURG", "STRASBOURG", "SURABAYA", "SUVA",
    "SYDNEY", "TAIPEI", "TALLINN", "TASHKENT", "TBILISI", "TEGUCIGALPA", "TEHRAN", "TELAVIV", "THEHAGUE",
    "THESSALONIKI", "TIJUANA", "TIRANA", "TOKYO", "TORONTO", "TRIPOLI", "TUNIS", "ULAANBAATAR",
    "UNESCOPARISFR", "UNVIEVIENNA", "USDAFAS", "USEUBRUSSELS", "USNATO", "USOSCE", "USUNNEWYORK",
    "USUNROME", "VALLETTA", "VANCOUVER", "VATICAN", "VIENNA", "VIENTIANE", "VILNIUS", "VLADIVOSTOK",
    "WARSAW", "WELLINGTON", "WINDHOEK", "WINNIPEG", "YAOUNDE", "YEKATERINBURG", "YEREVAN", "ZAGREB",
];

/// The letters a name contains, one bit per letter (`A` bit 0 … `Z` bit 25; any other byte bit 26).
const fn letter_mask(s: &str) -> u32 {
    let b = s.as_bytes();
    let mut m = 0;
    let mut i = 0;
    while i < b.len() {
        m |= if b[i].is_ascii_uppercase() { 1 << (b[i] - b'A') } else { 1 << 26 };
        i += 1;
    }
    m
}

/// [`letter_mask`] of each of the [`STATIONS`]: names `k` edits apart differ in at most `2k`
/// bits (an edit removes a letter, adds one, or both), so most stations are ruled out before an
/// edit distance is computed.
const STATION_MASKS: [u32; STATIONS.len()] = {
    let mut out = [0; STATIONS.len()];
    let mut i = 0;
    while i < STATIONS.len() {
        out[i] = letter_mask(STATIONS[i]);
        i += 1;
    }
    out
};

/// The first letters and lengths of the [`STATIONS`]: most words are ruled out without a search.
const STATION_LENGTHS: FirstLetterLengths = FirstLetterLengths::of(STATIONS);

/// True when `s` is one of the [`STATIONS`].
pub fn is_station(s: &str) -> bool {
    STATION_LENGTHS.may_hold(s) && STATIONS.binary_search(&s).is_ok()
}

/// Short forms and well-known misspellings of station names, mapped to the name WikiLeaks uses.
const STATION_FIXES: &[(&str, &str)] = &[
    ("SECSTATE", "STATE"), ("SECTSTATE", "STATE"), ("RIO", "RIODEJANEIRO"), ("PAUP", "PORTAUPRINCE"),
    ("HAGUE", "THEHAGUE"), ("VAT", "VATICAN"), ("USDA", "USDAFAS"), ("PARISFR", "UNESCOPARISFR"),
    ("SECDEFWASH", "SECDEF"), ("MADRIDSP", "MADRID"), ("BRAZILIA", "BRASILIA"), ("SCOPAULO", "SAOPAULO"),
    ("USUN", "USUNNEWYORK"), ("USUNNY", "USUNNEWYORK"), ("BUENOSQRES", "BUENOSAIRES"),
];

/// Prefixes that some WikiLeaks ids carry fused in front of the station.
const FUSED_PREFIXES: &[&str] = &["AMEMBASSY", "EMBASSY", "AMCONSUL", "EFTO", "NOFORN", "FSC"];

/// The reference id of a cable from its year, station and serial number: `09`, `TRIPOLI`, `000748`
/// give `09TRIPOLI748`. The station may contain spaces (`SAN JOSE`).
pub fn make_id(year: u32, station: &str, serial: &str) -> String {
    let yy = (year % 100) as u8;
    let mut id = String::with_capacity(2 + station.len() + serial.len());
    id.push(char::from(b'0' + yy / 10));
    id.push(char::from(b'0' + yy % 10));
    id.extend(station.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_uppercase()));
    let station_end = id.len();
    id.push_str(strip_zeros(serial));
    // A known station and a serial of digits are the canonical form already (as nearly every
    // reference's are): no second pass.
    if station_end > 2 && station_end < id.len() && all_digits(&id[station_end..]) && is_station(&id[2..station_end]) {
        return id;
    }
    canonical_id(&id)
}

/// Normalises a station as written in a banner or reference (`SECSTATE`, `SAN JOSE`) to the id form.
pub fn canonical_station(station: &str) -> String {
    let s: String =
        station.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_uppercase()).collect();
    fix_station(&s).to_string()
}

fn fix_station(s: &str) -> &str {
    let mut s = s;
    loop {
        let mut stripped = false;
        for p in FUSED_PREFIXES {
            if s.len() > p.len() + 2 && s.starts_with(p) {
                s = &s[p.len()..];
                stripped = true;
            }
        }
        if !stripped {
            break;
        }
    }
    if is_station(s) {
        return s;
    }
    if let Some((_, fixed)) = STATION_FIXES.iter().find(|(from, _)| *from == s) {
        return fixed;
    }
    if s.len() >= 4 {
        // A misspelt station: the one known station within one edit (two for long names).
        let limit = if s.len() >= 7 { 2 } else { 1 };
        let mut best: Option<(&str, usize)> = None;
        let mut ambiguous = false;
        let mask = letter_mask(s);
        for (st, st_mask) in STATIONS.iter().zip(STATION_MASKS) {
            if st.len().abs_diff(s.len()) > limit || (mask ^ st_mask).count_ones() as usize > 2 * limit {
                continue;
            }
            let d = edit_distance(s, st, limit);
            if d <= limit {
                match best {
                    Some((_, bd)) if bd < d => {}
                    Some((_, bd)) if bd == d => ambiguous = true,
                    _ => {
                        best = Some((st, d));
                        ambiguous = false;
                    }
                }
            }
        }
        if let (Some((st, _)), false) = (best, ambiguous) {
            return st;
        }
    } else if s.len() == 3 {
        if let Some(st) = STATIONS.iter().find(|st| st.len() == 4 && edit_distance(s, st, 1) == 1) {
            return st;
        }
    }
    s
}

/// Levenshtein distance of two ASCII strings up to `limit`; `limit + 1` for any greater distance.
fn edit_distance(a: &str, b: &str, limit: usize) -> usize {
    let a = a.as_bytes();
    let b = b.as_bytes();
    if b.len() >= 64 || a.len() >= 64 || a.len().abs_diff(b.len()) > limit {
        return limit + 1;
    }
    // Only cells within `limit` of the diagonal can stay within `limit` (a banded table); cells
    // outside the band count as too far.
    const FAR: usize = usize::MAX / 4;
    let mut prev_buf = [FAR; 65];
    let mut cur_buf = [FAR; 65];
    let (mut prev, mut cur) = (&mut prev_buf[..=b.len() + 1], &mut cur_buf[..=b.len() + 1]);
    for (j, v) in prev.iter_mut().enumerate().take(b.len() + 1) {
        *v = j;
    }
    for i in 1..=a.len() {
        let lo = i.saturating_sub(limit).max(1);
        let hi = (i + limit).min(b.len());
        cur[lo - 1] = if lo == 1 { i } else { FAR };
        let mut row_min = cur[lo - 1];
        for j in lo..=hi {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            row_min = row_min.min(cur[j]);
        }
        cur[hi + 1] = FAR;
        if row_min > limit {
            return limit + 1;
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()].min(limit + 1)
}

/// Strips a section marker fused into an id after the year: `SECTION01OF02`, `SCTION02OF02`, `01OF02`.
fn strip_fused_section(rest: &str) -> &str {
    let b = rest.as_bytes();
    // A garbled "SECTION": 4 to 8 letters from S, E, C, T, I, O, N, Q.
    let mut i = 0;
    while i < b.len() && i < 8 && b"SECTIONQ".contains(&b[i]) {
        i += 1;
    }
    let word = &rest[..i];
    let looks_like_section = i == 0 || (i >= 4 && (word.contains("CT") || word.contains("TI") || word.contains("ION")));
    if !looks_like_section {
        return rest;
    }
    // NN or QN, then up to two letters (OF, O, F, GF), then NN.
    let mut j = i;
    let d1 = j;
    while j < b.len() && j - d1 < 2 && (b[j].is_ascii_digit() || b[j] == b'Q') {
        j += 1;
    }
    if j == d1 {
        return rest;
    }
    let l1 = j;
    while j < b.len() && j - l1 < 2 && b[j].is_ascii_alphabetic() {
        j += 1;
    }
    if j == l1 && i == 0 {
        return rest;
    }
    let d2 = j;
    while j < b.len() && j - d2 < 2 && b[j].is_ascii_digit() {
        j += 1;
    }
    if j - d2 == 0 || j >= b.len() || !b[j].is_ascii_alphabetic() {
        return rest;
    }
    &rest[j..]
}

/// The canonical form of a reference id: upper case, fused section markers and `EFTO`/`AMEMBASSY`
/// prefixes removed, station spellings fixed, serial without leading zeros or trailing residue.
/// Strings that are not ids come back upper-cased and trimmed.
pub fn canonical_id(id: &str) -> String {
    let id = id.trim();
    // Already upper-case letters and digits (as ids built from a banner are): used as it is.
    let owned;
    let up: &str = if id.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()) {
        id
    } else {
        owned = id.chars().filter(|c| !c.is_whitespace() && *c != '-').collect::<String>().to_ascii_uppercase();
        &owned
    };
    let b = up.as_bytes();
    if b.len() < 4 || !b[0].is_ascii_digit() || !b[1].is_ascii_digit() || !up.is_ascii() {
        return up.to_string();
    }
    let year = &up[..2];
    let rest = strip_fused_section(&up[2..]);
    // Station: letters up to the first digit.
    let st_end = rest.bytes().position(|c| c.is_ascii_digit()).unwrap_or(rest.len());
    let station = &rest[..st_end];
    if station.is_empty() {
        return up.to_string();
    }
    let digits_end = rest[st_end..].bytes().position(|c| !c.is_ascii_digit()).map_or(rest.len(), |p| st_end + p);
    let serial = &rest[st_end..digits_end];
    if !all_digits(serial) {
        return up.to_string();
    }
    let (station, serial) = (fix_station(station), strip_zeros(serial));
    let mut out = String::with_capacity(2 + station.len() + serial.len());
    out.push_str(year);
    out.push_str(station);
    out.push_str(serial);
    out
}

/// True when `s` has the shape of a reference id: two digits, letters, digits (`09TRIPOLI748`).
pub fn looks_like_id(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() < 5 || b.len() > 40 || !b[0].is_ascii_digit() || !b[1].is_ascii_digit() {
        return false;
    }
    let mut i = 2;
    let letters_start = i;
    while i < b.len() && b[i].is_ascii_uppercase() {
        i += 1;
    }
    if i - letters_start < 2 {
        return false;
    }
    let digits_start = i;
    while i < b.len() && b[i].is_ascii_alphanumeric() {
        i += 1;
    }
    i == b.len() && digits_start < b.len() && b[digits_start].is_ascii_digit() && b[b.len() - 1].is_ascii_digit()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The letter-mask bound `fix_station` relies on: names `d` edits apart differ in at most
    /// `2d` bits. Checked on every station against one and two edits of it.
    #[test]
    fn letter_masks_never_rule_out_a_near_station() {
        let edits = |w: &[u8]| -> Vec<Vec<u8>> {
            let mut out = Vec::new();
            for i in 0..=w.len() {
                for c in [b'A', b'Q', b'Z', b'7'] {
                    let mut v = w.to_vec();
                    v.insert(i, c);
                    out.push(v);
                    if i < w.len() {
                        let mut v = w.to_vec();
                        v[i] = c;
                        out.push(v);
                    }
                }
                if i < w.len() {
                    let mut v = w.to_vec();
                    v.remove(i);
                    out.push(v);
                }
            }
            out
        };
        for st in STATIONS {
            for one in edits(st.as_bytes()) {
                for two in std::iter::once(one.clone()).chain(edits(&one)) {
                    let d = full_edit_distance(&two, st.as_bytes());
                    let bits = (letter_mask(std::str::from_utf8(&two).unwrap()) ^ letter_mask(st)).count_ones() as usize;
                    assert!(bits <= 2 * d, "{st} / {}", String::from_utf8_lossy(&two));
                }
            }
        }
    }

    /// The whole Levenshtein table, for checking the banded one.
    fn full_edit_distance(a: &[u8], b: &[u8]) -> usize {
        let mut prev: Vec<usize> = (0..=b.len()).collect();
        for i in 1..=a.len() {
            let mut cur = vec![i; b.len() + 1];
            for j in 1..=b.len() {
                cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + usize::from(a[i - 1] != b[j - 1]));
            }
            prev = cur;
        }
        prev[b.len()]
    }

    #[test]
    fn banded_edit_distance_agrees_with_the_full_table_up_to_the_limit() {
        let mut words: Vec<String> = STATIONS.iter().map(|s| s.to_string()).collect();
        // Misspellings: a letter dropped, doubled, changed, two swapped.
        for st in STATIONS.iter().step_by(7) {
            let b = st.as_bytes();
            for k in 0..b.len() {
                let mut v = b.to_vec();
                v.remove(k);
                words.push(String::from_utf8(v.clone()).unwrap());
                v.insert(k, b'X');
                v.insert(k, b[k]);
                words.push(String::from_utf8(v).unwrap());
                if k + 1 < b.len() {
                    let mut w = b.to_vec();
                    w.swap(k, k + 1);
                    words.push(String::from_utf8(w).unwrap());
                }
            }
        }
        for a in words.iter().step_by(3) {
            for b in STATIONS {
                for limit in [1, 2] {
                    let want = full_edit_distance(a.as_bytes(), b.as_bytes()).min(limit + 1);
                    assert_eq!(edit_distance(a, b, limit), want, "{a} {b} {limit}");
                }
            }
        }
    }

    #[test]
    fn stations_are_in_byte_order_for_binary_search() {
        assert!(STATIONS.windows(2).all(|w| w[0] < w[1]), "{:?}", STATIONS.windows(2).find(|w| w[0] >= w[1]));
        assert!(is_station("TRIPOLI") && is_station("ABIDJAN") && is_station("ZAGREB") && !is_station("TRIPOL"));
    }

    #[test]
    fn canonical_fixes_malformed_ids() {
        assert_eq!(canonical_id("08ECTION01OF02MANAMA492"), "08MANAMA492");
        assert_eq!(canonical_id("08SCTION02OF02SAOPAULO335"), "08SAOPAULO335");
        assert_eq!(canonical_id("09EFTOLONDON2618"), "09LONDON2618");
        assert_eq!(canonical_id("06SECSTATE123"), "06STATE123");
        assert_eq!(canonical_id("06MADRID002583ZFR2585"), "06MADRID2583");
        assert_eq!(canonical_id("0901OF02RPODUBAI288"), "09RPODUBAI288");
        assert_eq!(canonical_id("09TRIPOLI748"), "09TRIPOLI748");
        assert_eq!(canonical_id("06ANOI582"), "06HANOI582");
        assert_eq!(canonical_id("09AMEMBASSYHANOI909"), "09HANOI909");
    }

    #[test]
    fn make_id_from_parts() {
        assert_eq!(make_id(2009, "TRIPOLI", "000748"), "09TRIPOLI748");
        assert_eq!(make_id(66, "BUENOS AIRES", "2481"), "66BUENOSAIRES2481");
        assert!(looks_like_id("09TRIPOLI748"));
        assert!(!looks_like_id("TRIPOLI748"));
    }
}
