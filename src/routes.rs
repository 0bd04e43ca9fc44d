//! Every URL format of the reader. Routes live in the fragment (`#/cable/09TRIPOLI748/par5`), so the
//! site works on any static host under any sub-path and the host never learns which cable is read.

/// What the home page shows: a search, chosen facet values, an order and a page
/// (`#/?q=oil&origin=Embassy%20Tripoli&sort=-created&page=2`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Browse {
    /// The search typed.
    pub q: String,
    /// Chosen facet values, `(facet, values)` in facet order of first choice.
    pub filters: Vec<(String, Vec<String>)>,
    /// Column to sort by (`-` for descending); empty for the default.
    pub sort: String,
    /// Page number, from 1.
    pub page: usize,
}

/// Facet parameters a browse URL may carry.
pub const FACET_PARAMS: [&str; 11] = ["released", "year", "month", "origin", "tag", "class", "precedence", "signer", "classified_by", "decl", "text"];

impl Browse {
    /// True when nothing is searched or chosen.
    pub fn is_default(&self) -> bool {
        self.q.trim().is_empty() && self.filters.is_empty() && self.sort.is_empty() && self.page <= 1
    }

    /// Whether a facet value is chosen.
    pub fn has(&self, facet: &str, value: &str) -> bool {
        self.filters.iter().any(|(f, vs)| f == facet && vs.iter().any(|v| v == value))
    }

    /// This state with a facet value chosen or unchosen (back to page 1).
    pub fn toggled(&self, facet: &str, value: &str) -> Browse {
        let mut b = self.clone();
        b.page = 1;
        match b.filters.iter_mut().find(|(f, _)| f == facet) {
            Some((_, vs)) => {
                if let Some(i) = vs.iter().position(|v| v == value) {
                    vs.remove(i);
                } else {
                    vs.push(value.to_string());
                }
            }
            None => b.filters.push((facet.to_string(), vec![value.to_string()])),
        }
        b.filters.retain(|(_, vs)| !vs.is_empty());
        b
    }

    /// This state with another search (facets kept, back to page 1).
    pub fn with_query(&self, q: &str) -> Browse {
        Browse { q: q.trim().to_string(), page: 1, ..self.clone() }
    }

    /// This state sorted by a column (back to page 1).
    pub fn with_sort(&self, sort: &str) -> Browse {
        Browse { sort: sort.to_string(), page: 1, ..self.clone() }
    }

    /// This state at another page.
    pub fn with_page(&self, page: usize) -> Browse {
        Browse { page: page.max(1), ..self.clone() }
    }

    fn to_query_string(&self) -> String {
        let mut parts = Vec::new();
        if !self.q.trim().is_empty() {
            parts.push(format!("q={}", encode(self.q.trim())));
        }
        for (f, vs) in &self.filters {
            for v in vs {
                parts.push(format!("{}={}", encode(f), encode(v)));
            }
        }
        if !self.sort.is_empty() {
            parts.push(format!("sort={}", encode(&self.sort)));
        }
        if self.page > 1 {
            parts.push(format!("page={}", self.page));
        }
        parts.join("&")
    }

    fn from_query_string(qs: &str) -> Browse {
        let mut b = Browse { page: 1, ..Browse::default() };
        for part in qs.split('&').filter(|p| !p.is_empty()).take(200) {
            let (k, v) = part.split_once('=').unwrap_or((part, ""));
            let (k, v) = (decode(k), decode(v));
            if v.len() > 2000 {
                continue;
            }
            match k.as_str() {
                "q" => b.q = v,
                "sort" => b.sort = v.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').take(20).collect(),
                "page" => b.page = v.parse().unwrap_or(1).clamp(1, 100_000),
                f if FACET_PARAMS.contains(&f) && !v.is_empty() && !b.has(f, &v) => {
                    b = Browse { page: b.page, ..b.toggled(f, &v) };
                }
                _ => {}
            }
        }
        b
    }
}

/// Percent-encodes everything but unreserved characters.
pub fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Decodes percent-encoding (`+` is a space); invalid escapes stay as they are.
pub fn decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' if i + 2 < b.len() && b[i + 1].is_ascii_hexdigit() && b[i + 2].is_ascii_hexdigit() => {
                match u8::from_str_radix(std::str::from_utf8(&b[i + 1..i + 3]).unwrap_or("zz"), 16) {
                    Ok(v) => {
                        out.push(v);
                        i += 3;
                    }
                    Err(_) => {
                        out.push(b'%');
                        i += 1;
                    }
                }
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A place in the reader.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// The home page: add cables, browse and search the library.
    Home(Browse),
    /// A cable page, optionally at a paragraph (`par5`, `parB`).
    Cable {
        /// Canonical id of the cable.
        id: String,
        /// Paragraph anchor, when the link points at one.
        paragraph: Option<String>,
        /// The search that led here (its words are highlighted): `#/cable/ID?q=oil`.
        q: Option<String>,
    },
    /// A fragment the reader does not understand (shown as such, never executed).
    Unknown(String),
}

/// A library key as written in a link: ids upper case, a version suffix as the library writes it
/// (`09tripoli748_V2` → `09TRIPOLI748_v2`).
fn normalize_key(id: &str) -> String {
    let upper = id.to_ascii_uppercase();
    match upper.rfind("_V") {
        Some(i) if upper.len() > i + 2 && upper[i + 2..].bytes().all(|b| b.is_ascii_digit()) => format!("{}_v{}", &upper[..i], &upper[i + 2..]),
        _ => upper,
    }
}

/// Characters allowed in an id or anchor segment of a route.
fn is_segment(s: &str) -> bool {
    !s.is_empty() && s.len() <= 64 && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

impl Route {
    /// Reads a route from a location hash (with or without the leading `#`).
    pub fn from_hash(hash: &str) -> Route {
        let h = hash.strip_prefix('#').unwrap_or(hash);
        let h = h.strip_prefix('/').unwrap_or(h);
        if h.is_empty() {
            return Route::Home(Browse { page: 1, ..Browse::default() });
        }
        if let Some(qs) = h.strip_prefix('?') {
            return Route::Home(Browse::from_query_string(qs));
        }
        let (path, qs) = h.split_once('?').unwrap_or((h, ""));
        let q = qs.split('&').find_map(|p| p.strip_prefix("q=")).map(decode).filter(|q| !q.trim().is_empty() && q.len() <= 2000);
        let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
        match parts.as_slice() {
            ["cable", id] if is_segment(id) => Route::Cable { id: normalize_key(id), paragraph: None, q },
            ["cable", id, par] if is_segment(id) && is_segment(par) && par.starts_with("par") => {
                Route::Cable { id: normalize_key(id), paragraph: Some((*par).to_string()), q }
            }
            _ => Route::Unknown(h.chars().take(200).collect()),
        }
    }

    /// The fragment of this route, with the leading `#`: a relative link that works under any path.
    pub fn href(&self) -> String {
        match self {
            Route::Home(b) => match b.to_query_string() {
                qs if qs.is_empty() => "#/".to_string(),
                qs => format!("#/?{qs}"),
            },
            Route::Cable { id, paragraph, q } => {
                let mut s = format!("#/cable/{id}");
                if let Some(p) = paragraph {
                    s.push('/');
                    s.push_str(p);
                }
                if let Some(q) = q.as_deref().filter(|q| !q.trim().is_empty()) {
                    s.push_str("?q=");
                    s.push_str(&encode(q));
                }
                s
            }
            Route::Unknown(s) => format!("#/{s}"),
        }
    }
}

/// The home page with nothing searched or chosen.
pub fn home() -> Route {
    Route::Home(Browse { page: 1, ..Browse::default() })
}

/// Link to a browse state.
pub fn browse_href(b: &Browse) -> String {
    Route::Home(b.clone()).href()
}

/// Link to a cable page.
pub fn cable_href(id: &str) -> String {
    Route::Cable { id: id.to_string(), paragraph: None, q: None }.href()
}

/// Link to a cable page from a search: the searched words are highlighted there.
pub fn cable_href_for_search(id: &str, q: &str) -> String {
    Route::Cable { id: id.to_string(), paragraph: None, q: Some(q.to_string()).filter(|q| !q.trim().is_empty()) }.href()
}

/// Link to a paragraph of a cable.
pub fn paragraph_href(id: &str, paragraph: &str) -> String {
    Route::Cable { id: id.to_string(), paragraph: Some(paragraph.to_string()), q: None }.href()
}

/// The absolute shareable URL of a route, given the page's URL without its fragment
/// (`https://user.github.io/repo/`).
pub fn absolute_url(base_without_fragment: &str, route: &Route) -> String {
    let base = base_without_fragment.split('#').next().unwrap_or(base_without_fragment);
    format!("{base}{}", route.href())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn facet_choices_toggle() {
        let b = Browse::default().toggled("origin", "Embassy Tripoli").toggled("origin", "Embassy Paris");
        assert!(b.has("origin", "Embassy Paris"));
        let b = b.toggled("origin", "Embassy Tripoli").toggled("origin", "Embassy Paris");
        assert!(b.filters.is_empty());
        assert_eq!(decode("a+b%20c%C3%BC"), "a b cü");
    }

    #[test]
    fn round_trips() {
        for r in [
            home(),
            Route::Home(Browse {
                q: "\"nuclear fuel\" tag:PREL -iran & ünï".into(),
                filters: vec![("origin".into(), vec!["Embassy Tripoli".into(), "Embassy Paris".into()]), ("year".into(), vec!["2009".into()])],
                sort: "-created".into(),
                page: 3,
            }),
            Route::Cable { id: "09TRIPOLI748".into(), paragraph: None, q: None },
            Route::Cable { id: "09TRIPOLI748".into(), paragraph: Some("par5".into()), q: None },
            Route::Cable { id: "09TRIPOLI748".into(), paragraph: Some("par5-2".into()), q: None },
            Route::Cable { id: "09TRIPOLI748_v2".into(), paragraph: Some("par3".into()), q: None },
            Route::Cable { id: "09TRIPOLI748".into(), paragraph: None, q: Some("\"human rights\" dialog*".into()) },
        ] {
            assert_eq!(Route::from_hash(&r.href()), r);
        }
    }

    #[test]
    fn hostile_fragments_are_unknown() {
        assert!(matches!(Route::from_hash("#/cable/<script>alert(1)</script>"), Route::Unknown(_)));
        assert!(matches!(Route::from_hash("#javascript:alert(1)"), Route::Unknown(_)));
        assert_eq!(Route::from_hash(""), home());
        assert_eq!(Route::from_hash("#/"), home());
        // Unknown parameters, bad escapes and odd sorts are dropped, never trusted.
        let Route::Home(b) = Route::from_hash("#/?evil=%3Cscript%3E&q=%ZZ%3&sort=%3Cimg%3E&page=-4&origin=") else { panic!() };
        assert_eq!(b.q, "%ZZ%3");
        assert_eq!(b.sort, "img");
        assert_eq!(b.page, 1);
        assert!(b.filters.is_empty());
    }

    #[test]
    fn absolute_urls_keep_sub_path() {
        let r = Route::Cable { id: "09TRIPOLI748".into(), paragraph: Some("par5".into()), q: None };
        assert_eq!(absolute_url("https://u.github.io/repo/", &r), "https://u.github.io/repo/#/cable/09TRIPOLI748/par5");
        assert_eq!(absolute_url("https://u.github.io/repo/#/old", &r), "https://u.github.io/repo/#/cable/09TRIPOLI748/par5");
    }
}
