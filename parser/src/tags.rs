//! TAGS: what kind each tag is (geographic, subject, program, person, organisation) and what the
//! common ones mean.

use crate::model::TagKind;

/// Organisations that appear as TAGS, sorted (looked up by binary search).
const ORGANISATIONS: &[&str] = &[
    "AMISOM", "APEC", "ARF", "ASEAN", "AU", "CARICOM", "CIA", "CIS", "COE", "DEA", "DHS", "ECOWAS", "ELN",
    "ETA", "EU", "EUN", "FAO", "FARC", "FBI", "G20", "G8", "GCC", "HAMAS", "HIZBALLAH", "IAEA", "IBRD",
    "ICAO", "ICC", "ICJ", "ICRC", "ICTR", "ICTY", "IDB", "ILC", "IMF", "IMO", "INTERPOL", "IWC", "LTTE",
    "MDC", "MERCOSUR", "MINUSTAH", "MONUC", "NASA", "NATO", "OAS", "OECD", "OIC", "OIE", "OPEC", "OSCE",
    "PKK", "SAARC", "SADC", "SCO", "TALIBAN", "UN", "UNAMA", "UNAMI", "UNDP", "UNEP", "UNESCO", "UNGA",
    "UNHCR", "UNHRC", "UNICEF", "UNIFIL", "UNMIK", "UNMIS", "UNSC", "USAID", "USEU", "USNATO", "USTR", "USUN",
    "WBG", "WFP", "WHO", "WTO", "ZANU-PF",
];

/// What a tag is, by cablemap's rules: two letters are geographic, a comma makes a person, `K` plus
/// three letters is a program, known subject prefixes make subject tags, known bodies organisations.
pub fn tag_kind(tag: &str) -> TagKind {
    let t = tag.trim();
    if t.len() == 2 && t.bytes().all(|b| b.is_ascii_uppercase()) {
        return TagKind::Geographic;
    }
    if t.contains(',') || (t.contains(' ') && t.split_whitespace().count() == 2 && t.len() > 8 && !t.contains("RIGHTS")) {
        return TagKind::Person;
    }
    if ORGANISATIONS.binary_search(&t).is_ok() {
        return TagKind::Organisation;
    }
    if t.len() == 4 && t.starts_with('K') && t.bytes().all(|b| b.is_ascii_uppercase()) {
        return TagKind::Program;
    }
    if t.len() == 4 && t.bytes().all(|b| b.is_ascii_uppercase()) && matches!(t.as_bytes()[0], b'A' | b'B' | b'C' | b'E' | b'M' | b'O' | b'P' | b'S' | b'T') {
        return TagKind::Subject;
    }
    TagKind::Unknown
}

/// Meanings of common subject and program TAGS (from the State Department's TAGS handbook).
pub const TAG_MEANINGS: &[(&str, &str)] = &[
    ("PREL", "External political relations"), ("PGOV", "Internal governmental affairs"),
    ("PHUM", "Human rights"), ("PINR", "Intelligence"), ("PTER", "Terrorists and terrorism"),
    ("ECON", "Economic conditions"), ("EFIN", "Financial and monetary affairs"), ("ETRD", "Foreign trade"),
    ("EINV", "Foreign investments"), ("ENRG", "Energy and power"), ("EPET", "Petroleum and natural gas"),
    ("MARR", "Military and defense arrangements"), ("MOPS", "Military operations"), ("MASS", "Military assistance and sales"),
    ("KDEM", "Democratization"), ("KJUS", "Justice"), ("KCRM", "Criminal activity"), ("KNNP", "Nuclear non-proliferation"),
    ("SNAR", "Narcotics"), ("SOCI", "Social conditions"), ("SENV", "Environmental affairs"), ("SMIG", "Migration"),
    ("ASEC", "Security"), ("AMGT", "Management operations"), ("CASC", "Assistance to citizens"), ("CVIS", "Visas"),
    ("OVIP", "Visits of important persons"), ("OEXC", "Educational and cultural exchange"), ("OPRC", "Public relations and correspondence"),
    ("PARM", "Arms control"), ("PINS", "National security"), ("PREF", "Refugees"), ("PBTS", "Boundaries and territorial sovereignty"),
    ("KPAO", "Public affairs office"), ("KTIP", "Trafficking in persons"), ("KWMN", "Women's issues"), ("KISL", "Islamic affairs"),
    ("EAID", "Foreign economic assistance"), ("EAGR", "Agriculture"), ("ELAB", "Labor"), ("TBIO", "Biotechnology"),
    ("TSPL", "Science and technology policy"), ("KIRF", "Religious freedom"), ("KPKO", "Peacekeeping operations"),
    ("KSUM", "Summit meetings"), ("KCOR", "Corruption"), ("KMDR", "Media reaction reporting"), ("SCUL", "Cultural affairs"),
    ("PINT", "Internal political affairs"),
];

/// The meaning of a tag, when it is a known subject or program tag.
pub fn tag_meaning(tag: &str) -> Option<&'static str> {
    TAG_MEANINGS.iter().find(|(t, m)| *t == tag && !m.is_empty()).map(|(_, m)| *m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn organisations_are_sorted_for_the_binary_search() {
        assert!(ORGANISATIONS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn kinds() {
        assert_eq!(tag_kind("LY"), TagKind::Geographic);
        assert_eq!(tag_kind("PREL"), TagKind::Subject);
        assert_eq!(tag_kind("KDEM"), TagKind::Program);
        assert_eq!(tag_kind("CLINTON, HILLARY"), TagKind::Person);
        assert_eq!(tag_kind("NATO"), TagKind::Organisation);
        assert_eq!(tag_kind("ICAO"), TagKind::Organisation);
        assert_eq!(tag_kind("ZANU-PF"), TagKind::Organisation);
        assert_eq!(tag_meaning("PHUM"), Some("Human rights"));
    }
}
