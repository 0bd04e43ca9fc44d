//! Every URL format of the reader. Routes live in the fragment (`#/cable/09TRIPOLI748/par5`), so the
//! site works on any static host under any sub-path and the host never learns which cable is read.

/// A place in the reader.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// The home page: paste box, library.
    Home,
    /// A cable page, optionally at a paragraph (`par5`, `parB`).
    Cable {
        /// Canonical id of the cable.
        id: String,
        /// Paragraph anchor, when the link points at one.
        paragraph: Option<String>,
    },
    /// A fragment the reader does not understand (shown as such, never executed).
    Unknown(String),
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
            return Route::Home;
        }
        let parts: Vec<&str> = h.split('/').filter(|p| !p.is_empty()).collect();
        match parts.as_slice() {
            ["cable", id] if is_segment(id) => Route::Cable { id: id.to_ascii_uppercase(), paragraph: None },
            ["cable", id, par] if is_segment(id) && is_segment(par) && par.starts_with("par") => {
                Route::Cable { id: id.to_ascii_uppercase(), paragraph: Some((*par).to_string()) }
            }
            _ => Route::Unknown(h.chars().take(200).collect()),
        }
    }

    /// The fragment of this route, with the leading `#`: a relative link that works under any path.
    pub fn href(&self) -> String {
        match self {
            Route::Home => "#/".to_string(),
            Route::Cable { id, paragraph: None } => format!("#/cable/{id}"),
            Route::Cable { id, paragraph: Some(p) } => format!("#/cable/{id}/{p}"),
            Route::Unknown(s) => format!("#/{s}"),
        }
    }
}

/// Link to a cable page.
pub fn cable_href(id: &str) -> String {
    Route::Cable { id: id.to_string(), paragraph: None }.href()
}

/// Link to a paragraph of a cable.
pub fn paragraph_href(id: &str, paragraph: &str) -> String {
    Route::Cable { id: id.to_string(), paragraph: Some(paragraph.to_string()) }.href()
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
    fn round_trips() {
        for r in [
            Route::Home,
            Route::Cable { id: "09TRIPOLI748".into(), paragraph: None },
            Route::Cable { id: "09TRIPOLI748".into(), paragraph: Some("par5".into()) },
            Route::Cable { id: "09TRIPOLI748".into(), paragraph: Some("par5-2".into()) },
        ] {
            assert_eq!(Route::from_hash(&r.href()), r);
        }
    }

    #[test]
    fn hostile_fragments_are_unknown() {
        assert!(matches!(Route::from_hash("#/cable/<script>alert(1)</script>"), Route::Unknown(_)));
        assert!(matches!(Route::from_hash("#javascript:alert(1)"), Route::Unknown(_)));
        assert_eq!(Route::from_hash(""), Route::Home);
        assert_eq!(Route::from_hash("#/"), Route::Home);
    }

    #[test]
    fn absolute_urls_keep_sub_path() {
        let r = Route::Cable { id: "09TRIPOLI748".into(), paragraph: Some("par5".into()) };
        assert_eq!(absolute_url("https://u.github.io/repo/", &r), "https://u.github.io/repo/#/cable/09TRIPOLI748/par5");
        assert_eq!(absolute_url("https://u.github.io/repo/#/old", &r), "https://u.github.io/repo/#/cable/09TRIPOLI748/par5");
    }
}
