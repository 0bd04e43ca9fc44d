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
    /// Browse the corpus hosted with the site instead of this browser's library (`in=hosted`).
    pub hosted: bool,
}

/// Facet parameters a browse URL may carry.
pub const FACET_PARAMS: [&str; 11] = ["released", "year", "month", "origin", "tag", "class", "precedence", "signer", "classified_by", "decl", "text"];

impl Browse {
    /// True when nothing is searched or chosen.
    pub fn is_default(&self) -> bool {
        self.q.trim().is_empty() && self.filters.is_empty() && self.sort.is_empty() && self.page <= 1 && !self.hosted
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
        if self.hosted {
            parts.push("in=hosted".to_string());
        }
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
                "in" => b.hosted = v == "hosted",
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

/// What a cable link says: which cable, where in it, and what comes with it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CableLink {
    /// Canonical id of the cable.
    pub id: String,
    /// Paragraph anchor, when the link points at one (`par5`, `parB`); the first of a range.
    pub paragraph: Option<String>,
    /// The last paragraph of a range (`par3..par5`).
    pub through: Option<String>,
    /// The search that led here (its words are highlighted): `?q=oil`.
    pub q: Option<String>,
    /// A quoted sentence to highlight: `?quote=…`.
    pub quote: Option<String>,
    /// The cable's text carried by a self-contained link (the encoded payload, `?z=…`; see
    /// [`crate::share`]).
    pub text: Option<String>,
    /// The list the cable was opened from and its place in it (`?list=…&at=11`), for the previous
    /// and next cables of that list.
    pub list: Option<ListPlace>,
}

/// A place in a list of cables: the browse state that lists them (its page aside) and the
/// position, from 0, in the whole list.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ListPlace {
    /// The search, facets and order of the list (page 1).
    pub browse: Browse,
    /// The position in the list.
    pub at: usize,
}

impl ListPlace {
    /// The list's page that shows this place.
    pub fn list_page(&self) -> Browse {
        self.browse.with_page(self.at / LIST_PAGE_SIZE + 1)
    }
}

/// Rows per page of a list (the browse view's page size).
pub const LIST_PAGE_SIZE: usize = 50;

impl CableLink {
    /// A link to a cable, at a paragraph (or none).
    pub fn new(id: &str, paragraph: Option<&str>) -> CableLink {
        CableLink { id: id.to_string(), paragraph: paragraph.map(str::to_string), ..CableLink::default() }
    }
}

/// A place in the reader.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// The home page: add cables, browse and search the library.
    Home(Browse),
    /// A cable page, optionally at a paragraph or a range of paragraphs
    /// (`#/cable/09TRIPOLI748/par3..par5?quote=…&z=…`).
    Cable(CableLink),
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
        // A text fragment directive (`:~:text=`) is the browser's; where the browser does not take
        // it away, it is not part of the route.
        let h = h.split(":~:").next().unwrap_or(h);
        let h = h.strip_prefix('/').unwrap_or(h);
        if h.is_empty() {
            return Route::Home(Browse { page: 1, ..Browse::default() });
        }
        if let Some(qs) = h.strip_prefix('?') {
            return Route::Home(Browse::from_query_string(qs));
        }
        let (path, qs) = h.split_once('?').unwrap_or((h, ""));
        let param = |name: &str, max: usize| {
            qs.split('&')
                .find_map(|p| p.strip_prefix(name).and_then(|v| v.strip_prefix('=')))
                .map(decode)
                .filter(|v| !v.trim().is_empty() && v.len() <= max)
        };
        let q = param("q", 2000);
        let quote = param("quote", 2000);
        let text = qs
            .split('&')
            .find_map(|p| p.strip_prefix("z="))
            .filter(|z| !z.is_empty())
            .map(|z| z.chars().take(crate::share::MAX_PAYLOAD_CHARS + 1).collect::<String>());
        // (A list of the whole library is `list=`: empty, and still a list.)
        let list = qs.split('&').find_map(|p| p.strip_prefix("list=")).map(decode).filter(|l| l.len() <= 6000).and_then(|l| {
            let at = param("at", 10)?.parse::<usize>().ok().filter(|&a| a < 100_000_000)?;
            Some(ListPlace { browse: Browse::from_query_string(&l).with_page(1), at })
        });
        let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
        let is_par = |p: &str| is_segment(p) && p.starts_with("par");
        match parts.as_slice() {
            ["cable", id] if is_segment(id) => Route::Cable(CableLink { id: normalize_key(id), paragraph: None, through: None, q, quote, text, list }),
            ["cable", id, par] if is_segment(id) => {
                let (first, last) = match par.split_once("..") {
                    Some((a, b)) => (a, Some(b)),
                    None => (*par, None),
                };
                if !is_par(first) || last.is_some_and(|l| !is_par(l)) {
                    return Route::Unknown(h.chars().take(200).collect());
                }
                let through = last.filter(|l| *l != first).map(str::to_string);
                Route::Cable(CableLink { id: normalize_key(id), paragraph: Some(first.to_string()), through, q, quote, text, list })
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
            Route::Cable(CableLink { id, paragraph, through, q, quote, text, list }) => {
                let mut s = format!("#/cable/{id}");
                if let Some(p) = paragraph {
                    s.push('/');
                    s.push_str(p);
                    if let Some(t) = through.as_deref().filter(|t| *t != p) {
                        s.push_str("..");
                        s.push_str(t);
                    }
                }
                let mut params = Vec::new();
                if let Some(q) = q.as_deref().filter(|q| !q.trim().is_empty()) {
                    params.push(format!("q={}", encode(q)));
                }
                if let Some(quote) = quote.as_deref().filter(|q| !q.trim().is_empty()) {
                    params.push(format!("quote={}", encode(quote)));
                }
                if let Some(l) = list {
                    params.push(format!("list={}&at={}", encode(&l.browse.with_page(1).to_query_string()), l.at));
                }
                // The payload last: the readable parts of a long link come first.
                if let Some(z) = text.as_deref().filter(|z| !z.is_empty()) {
                    params.push(format!("z={z}"));
                }
                if !params.is_empty() {
                    s.push('?');
                    s.push_str(&params.join("&"));
                }
                // Browsers that know text fragments scroll to and mark the quote themselves.
                if let Some(quote) = quote.as_deref().filter(|q| !q.trim().is_empty()) {
                    s.push_str(":~:text=");
                    s.push_str(&text_directive_encode(quote));
                }
                s
            }
            Route::Unknown(s) => format!("#/{s}"),
        }
    }
}

/// Percent-encodes a quote for a text directive: also `-`, `,` and `&`, which have meanings there.
fn text_directive_encode(s: &str) -> String {
    encode(s).replace('-', "%2D")
}

impl Route {
    /// A cable page at a paragraph (or none).
    pub fn cable(id: &str, paragraph: Option<&str>) -> Route {
        Route::Cable(CableLink::new(id, paragraph))
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

/// Link to the library's list with one facet value chosen (`#/?tag=PREL`): every cable that
/// shares it.
pub fn facet_href(facet: &str, value: &str) -> String {
    browse_href(&Browse { page: 1, ..Browse::default() }.toggled(facet, value))
}

/// Link to a cable page.
pub fn cable_href(id: &str) -> String {
    Route::cable(id, None).href()
}

/// Link to a cable page from a list (`b`, at position `at`): the searched words are highlighted
/// there, and the page leads on to the previous and next cables of the list.
pub fn cable_href_in_list(id: &str, b: &Browse, at: usize) -> String {
    let q = Some(b.q.clone()).filter(|q| !q.trim().is_empty());
    Route::Cable(CableLink { q, list: Some(ListPlace { browse: b.with_page(1), at }), ..CableLink::new(id, None) }).href()
}

/// Link to a paragraph of a cable.
pub fn paragraph_href(id: &str, paragraph: &str) -> String {
    Route::cable(id, Some(paragraph)).href()
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
                hosted: false,
            }),
            Route::Home(Browse { q: "oil".into(), hosted: true, page: 1, ..Browse::default() }),
            Route::cable("09TRIPOLI748", None),
            Route::cable("09TRIPOLI748", Some("par5")),
            Route::cable("09TRIPOLI748", Some("par5-2")),
            Route::cable("09TRIPOLI748_v2", Some("par3")),
            Route::Cable(CableLink { q: Some("\"human rights\" dialog*".into()), ..CableLink::new("09TRIPOLI748", None) }),
            Route::Cable(CableLink { through: Some("par5-2".into()), ..CableLink::new("09TRIPOLI748", Some("par3")) }),
            Route::Cable(CableLink {
                q: Some("oil -gas & \"x\"".into()),
                list: Some(ListPlace {
                    browse: Browse { q: "oil -gas & \"x\"".into(), filters: vec![("origin".into(), vec!["Embassy Tripoli".into()])], sort: "-created".into(), page: 1, hosted: true },
                    at: 137,
                }),
                ..CableLink::new("09TRIPOLI748", None)
            }),
            Route::Cable(CableLink { list: Some(ListPlace { browse: Browse { page: 1, ..Browse::default() }, at: 0 }), ..CableLink::new("09TRIPOLI748", Some("par2")) }),
            Route::Cable(CableLink {
                quote: Some("Qadhafi's son - \"the heir\", & more".into()),
                text: Some("1eJzLSM3JyQcABiwCFQ".into()),
                ..CableLink::new("09TRIPOLI748", Some("parB")) }),
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
    fn ranges_quotes_and_text_fragments() {
        let r = Route::Cable(CableLink { through: Some("par5".into()), quote: Some("oil - gas, 50%".into()), ..CableLink::new("09TRIPOLI748", Some("par3")) });
        assert_eq!(r.href(), "#/cable/09TRIPOLI748/par3..par5?quote=oil%20-%20gas%2C%2050%25:~:text=oil%20%2D%20gas%2C%2050%25");
        // Where the browser leaves the directive in the fragment, it is ignored.
        assert_eq!(Route::from_hash("#/cable/09TRIPOLI748/par3..par5:~:text=oil"), Route::Cable(CableLink { through: Some("par5".into()), ..CableLink::new("09TRIPOLI748", Some("par3")) }));
        // A range of one paragraph is that paragraph; a bad end makes the whole link unknown.
        assert_eq!(Route::from_hash("#/cable/X/par3..par3"), Route::cable("X", Some("par3")));
        assert!(matches!(Route::from_hash("#/cable/X/par3..<b>"), Route::Unknown(_)));
        assert!(matches!(Route::from_hash("#/cable/X/par3..par4..par5"), Route::Unknown(_)));
        // A huge payload is cut (and then refused by the decoder), never kept whole.
        let Route::Cable(CableLink { text: Some(z), .. }) = Route::from_hash(&format!("#/cable/X?z=1{}", "A".repeat(300_000))) else { panic!() };
        assert_eq!(z.len(), crate::share::MAX_PAYLOAD_CHARS + 1);
    }

    #[test]
    fn a_cable_opened_from_a_list_knows_its_place() {
        let b = Browse { q: "oil".into(), sort: "-created".into(), page: 3, ..Browse::default() };
        let href = cable_href_in_list("09TRIPOLI748", &b, 117);
        assert_eq!(href, "#/cable/09TRIPOLI748?q=oil&list=q%3Doil%26sort%3D-created&at=117");
        let Route::Cable(link) = Route::from_hash(&href) else { panic!() };
        let place = link.list.unwrap();
        assert_eq!(place.list_page(), Browse { page: 3, ..b });
        // A place without its position, or with a position that is no number, is no place.
        for h in ["#/cable/X?list=q%3Doil", "#/cable/X?list=q%3Doil&at=-1", "#/cable/X?list=q%3Doil&at=9999999999999"] {
            let Route::Cable(link) = Route::from_hash(h) else { panic!() };
            assert_eq!(link.list, None, "{h}");
        }
    }

    #[test]
    fn absolute_urls_keep_sub_path() {
        let r = Route::cable("09TRIPOLI748", Some("par5"));
        assert_eq!(absolute_url("https://u.github.io/repo/", &r), "https://u.github.io/repo/#/cable/09TRIPOLI748/par5");
        assert_eq!(absolute_url("https://u.github.io/repo/#/old", &r), "https://u.github.io/repo/#/cable/09TRIPOLI748/par5");
    }
}
