//! Naming the sending post the way WikiLeaks' index does (`Embassy Tripoli`, `Consulate Lagos`).

use crate::text::title_case;

/// Stations that are consulates (WikiLeaks: `Consulate <City>`), for cables without an `FM` line.
const CONSULATES: &[&str] = &[
    "ADANA", "AMSTERDAM", "AUCKLAND", "BARCELONA", "BELFAST", "CALCUTTA", "CALGARY", "CAPETOWN",
    "CASABLANCA", "CHENGDU", "CHENNAI", "CHIANGMAI", "CIUDADJUAREZ", "CURACAO", "DHAHRAN", "DUBAI", "DURBAN",
    "DUSSELDORF", "FLORENCE", "FRANKFURT", "FUKUOKA", "GUADALAJARA", "GUANGZHOU", "GUAYAQUIL", "HALIFAX",
    "HAMBURG", "HAMILTON", "HERMOSILLO", "HOCHIMINHCITY", "HONGKONG", "HYDERABAD", "ISTANBUL", "JEDDAH",
    "JERUSALEM", "JOHANNESBURG", "KARACHI", "KOLKATA", "KRAKOW", "LAGOS", "LAHORE", "LEIPZIG", "MARSEILLE",
    "MATAMOROS", "MELBOURNE", "MERIDA", "MILAN", "MONTERREY", "MONTREAL", "MUMBAI", "MUNICH", "NAHA",
    "NAPLES", "NOGALES", "NUEVOLAREDO", "OSAKAKOBE", "PERTH", "PESHAWAR", "PONTADELGADA", "PORTOALEGRE",
    "QUEBEC", "RECIFE", "RIODEJANEIRO", "SAOPAULO", "SAPPORO", "SHANGHAI", "SHENYANG", "STPETERSBURG",
    "STRASBOURG", "SURABAYA", "SYDNEY", "THESSALONIKI", "TIJUANA", "TORONTO", "VANCOUVER", "VLADIVOSTOK",
    "WINNIPEG", "YEKATERINBURG",
];

/// Offices WikiLeaks names in its own way, by the `FM` line's words (after `FM`, precedence removed).
const SPECIAL_FROM: &[(&str, &str)] = &[
    ("SECSTATE WASHDC", "Secretary of State"),
    ("SECSTATE", "Secretary of State"),
    ("USMISSION USNATO", "Mission USNATO"),
    ("USNATO", "Mission USNATO"),
    ("USMISSION USUN NEW YORK", "USUN New York"),
    ("USUN NEW YORK", "USUN New York"),
    ("USMISSION UNVIE VIENNA", "UNVIE"),
    ("UNVIE VIENNA", "UNVIE"),
    ("USMISSION GENEVA", "US Mission Geneva"),
    ("USEU BRUSSELS", "USEU Brussels"),
    ("USMISSION USEU BRUSSELS", "USEU Brussels"),
    ("USINT HAVANA", "US Interests Section Havana"),
    ("RPO DUBAI", "Iran RPO Dubai"),
    ("IRAN RPO DUBAI", "Iran RPO Dubai"),
    ("AIT TAIPEI", "American Institute Taiwan, Taipei"),
    ("REO BASRAH", "REO Basrah"),
    ("USDEL SECRETARY", "US Delegation, Secretary"),
    ("USOSCE", "Mission USOSCE"),
    ("USMISSION USOSCE", "Mission USOSCE"),
    ("UNESCO PARIS FR", "Mission UNESCO"),
    ("USMISSION UNESCO PARIS", "Mission UNESCO"),
    ("USUN ROME", "Mission UN Rome"),
    ("USMISSION UN ROME", "Mission UN Rome"),
    ("SECDEF WASHDC", "Secretary of Defense"),
    ("USDA FAS WASHDC", "Department of Agriculture"),
];

/// The same special offices by the station of their reference ids.
const SPECIAL_STATIONS: &[(&str, &str)] = &[
    ("STATE", "Secretary of State"),
    ("USNATO", "Mission USNATO"),
    ("USUNNEWYORK", "USUN New York"),
    ("UNVIEVIENNA", "UNVIE"),
    ("GENEVA", "US Mission Geneva"),
    ("USEUBRUSSELS", "USEU Brussels"),
    ("HAVANA", "US Interests Section Havana"),
    ("RPODUBAI", "Iran RPO Dubai"),
    ("IRANRPODUBAI", "Iran RPO Dubai"),
    ("AITTAIPEI", "American Institute Taiwan, Taipei"),
    ("TAIPEI", "American Institute Taiwan, Taipei"),
    ("BASRAH", "REO Basrah"),
    ("USOSCE", "Mission USOSCE"),
    ("UNESCOPARISFR", "Mission UNESCO"),
    ("SECDEF", "Secretary of Defense"),
    ("USDAFAS", "Department of Agriculture"),
];

/// Cities whose WikiLeaks spelling differs from the `FM` line's (`KIEV` is listed as Kyiv).
const CITY_RENAMES: &[(&str, &str)] = &[("KIEV", "KYIV"), ("CALCUTTA", "KOLKATA")];

fn renamed(city: &str) -> &str {
    CITY_RENAMES.iter().find(|(from, _)| *from == city).map_or(city, |(_, to)| to)
}

/// The origin as WikiLeaks names it, from the `FM` line (e.g. `AMEMBASSY TRIPOLI`).
pub fn origin_from_fm(fm: &str) -> Option<String> {
    let fm = fm.trim().trim_end_matches('/').trim();
    // Drop trailing "//..." office suffixes (`USDEL SECRETARY//MEXICO//`) and country codes.
    let fm = fm.split("//").next().unwrap_or(fm).trim();
    if fm.is_empty() {
        return None;
    }
    let upper = fm.to_ascii_uppercase();
    if let Some((_, name)) = SPECIAL_FROM.iter().find(|(k, _)| *k == upper) {
        return Some((*name).to_string());
    }
    let mut words = upper.split_whitespace();
    let first = words.next()?;
    let mut rest: Vec<&str> = words.collect();
    // Trailing two-letter country code (`AMEMBASSY TRIPOLI LY`).
    if rest.len() >= 2 && rest.last().is_some_and(|w| w.len() == 2) {
        rest.pop();
    }
    let city = rest.join(" ");
    let city = renamed(&city);
    let kind = match first {
        "AMEMBASSY" | "USLO" | "USOFFICE" | "AMEMB" => "Embassy",
        "AMCONSUL" | "AMCONGEN" => "Consulate",
        _ => return None,
    };
    if city.is_empty() {
        return None;
    }
    Some(format!("{} {}", kind, title_case(city)))
}

/// The origin as WikiLeaks names it, from the station of the reference id (`TRIPOLI`), for cables
/// without an `FM` line. `city_words` is the station as written in the banner (`SAN JOSE`), used for
/// the spelling with spaces.
pub fn origin_from_station(station: &str, city_words: Option<&str>) -> Option<String> {
    if station.is_empty() {
        return None;
    }
    if let Some((_, name)) = SPECIAL_STATIONS.iter().find(|(k, _)| *k == station) {
        return Some((*name).to_string());
    }
    let city = city_words.map(|w| w.to_ascii_uppercase()).unwrap_or_else(|| station.to_string());
    let city = renamed(city.trim()).to_string();
    let kind = if CONSULATES.contains(&station) { "Consulate" } else { "Embassy" };
    Some(format!("{} {}", kind, title_case(&city)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_posts_like_wikileaks() {
        assert_eq!(origin_from_fm("AMEMBASSY TRIPOLI").as_deref(), Some("Embassy Tripoli"));
        assert_eq!(origin_from_fm("AMEMBASSY PORT AU PRINCE").as_deref(), Some("Embassy Port Au Prince"));
        assert_eq!(origin_from_fm("AMCONSUL LAGOS").as_deref(), Some("Consulate Lagos"));
        assert_eq!(origin_from_fm("SECSTATE WASHDC").as_deref(), Some("Secretary of State"));
        assert_eq!(origin_from_fm("AMEMBASSY KIEV").as_deref(), Some("Embassy Kyiv"));
        assert_eq!(origin_from_fm("USDEL SECRETARY//MEXICO//").as_deref(), Some("US Delegation, Secretary"));
        assert_eq!(origin_from_station("SAOPAULO", Some("SAO PAULO")).as_deref(), Some("Consulate Sao Paulo"));
    }
}
