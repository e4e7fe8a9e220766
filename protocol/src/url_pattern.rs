//! URL patterns that pick the persona for a page. One implementation: the server validates patterns and picks the
//! persona of new conversations with it, the widget picks the persona on the page with it.
//!
//! # Semantics
//! - `/docs/**` (no host) matches the page's path; `shop.example.com/products/*` also matches the host, whatever
//!   the scheme (a leading `https://` in the pattern is ignored). A first segment is a host when it has a dot, a
//!   port or is `localhost`; `*` works in hosts too (`*.example.com/**`). A host without a port matches any port.
//! - `*` matches any run of characters within one path segment; `**` matches any number of whole segments,
//!   including none. A trailing slash is not significant; `/` matches the root.
//! - The host is compared case-insensitively, the path case-sensitively, both sides percent-decoded.
//! - The query and fragment are ignored, unless the pattern has a `?`: then the query must match the pattern's
//!   query, where `*` matches any run of characters.
//! - Specificity is the number of literal (non-wildcard) characters: the most specific match wins, ties go to the
//!   persona listed first, and no match means the default persona.

use std::fmt;

use crate::session::PersonaPublic;

/// Longest pattern accepted.
pub const MAX_PATTERN_LEN: usize = 512;

/// A parsed pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrlPattern {
    /// Lower-cased host glob, and port if given.
    host: Option<(String, Option<String>)>,
    /// Decoded path segments; `**` is a segment of its own.
    segments: Vec<String>,
    /// Query glob, when the pattern has a `?`.
    query: Option<String>,
}

/// Why a pattern is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PatternError {
    /// Empty or only whitespace.
    Empty,
    /// Longer than [`MAX_PATTERN_LEN`].
    TooLong,
    /// Contains whitespace or control characters.
    Whitespace,
    /// `**` is not a whole segment (`/a**`), or `***`.
    BadDoubleStar,
    /// The host part is not a host name (with an optional port).
    BadHost,
}

impl fmt::Display for PatternError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            PatternError::Empty => "a URL pattern is empty",
            PatternError::TooLong => "a URL pattern is longer than 512 characters",
            PatternError::Whitespace => "a URL pattern contains whitespace",
            PatternError::BadDoubleStar => "`**` must be a whole path segment, as in `/docs/**`",
            PatternError::BadHost => "a URL pattern's host is not a host name (e.g. `shop.example.com/products/*`)",
        })
    }
}

impl std::error::Error for PatternError {}

/// A page URL, split for matching.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageUrl {
    host: String,
    port: Option<String>,
    segments: Vec<String>,
    query: String,
}

/// Splits `host[:port]`, lower-casing the host.
fn split_port(hostport: &str) -> (String, Option<String>) {
    match hostport.rsplit_once(':') {
        Some((h, p)) if !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) => {
            (h.to_ascii_lowercase(), Some(p.into()))
        }
        _ => (hostport.to_ascii_lowercase(), None),
    }
}

/// Decodes `%XX` escapes (invalid ones stay as they are); the bytes are read as UTF-8, lossily.
fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        if b[i] == b'%' && i + 2 < b.len() {
            if let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Non-empty path segments, decoded one by one (so an encoded `%2F` stays inside its segment).
fn segments(path: &str) -> Vec<String> {
    path.split('/').filter(|s| !s.is_empty()).map(percent_decode).collect()
}

/// Byte index of the first `needle` in `haystack`. A plain scan rather than `str::find(&str)`: that pulls the
/// two-way substring searcher (~2 KB) into the widget's wasm, for patterns of two or three bytes.
fn find_bytes(haystack: &str, needle: &str) -> Option<usize> {
    haystack.as_bytes().windows(needle.len()).position(|w| w == needle.as_bytes())
}

/// Removes a `scheme://` prefix.
fn strip_scheme(s: &str) -> &str {
    match find_bytes(s, "://") {
        Some(i) if s[..i].bytes().all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'-' || b == b'.') => {
            &s[i + 3..]
        }
        _ => s,
    }
}

impl PageUrl {
    /// Splits an absolute URL (`https://host:port/path?query#fragment`) or a bare path.
    pub fn parse(url: &str) -> PageUrl {
        let url = url.trim();
        let url = url.split('#').next().unwrap_or_default();
        let (rest, query) = url.split_once('?').unwrap_or((url, ""));
        let (hostport, path) = if find_bytes(rest, "://").is_some() {
            let after = strip_scheme(rest);
            after.split_once('/').map_or((after, ""), |(h, p)| (h, p))
        } else {
            ("", rest)
        };
        // Credentials never take part in matching.
        let hostport = hostport.rsplit('@').next().unwrap_or_default();
        let (host, port) = split_port(hostport);
        PageUrl { host, port, segments: segments(path), query: query.to_owned() }
    }
}

/// Glob match where `*` matches any run of characters (including none).
fn glob(pattern: &str, text: &str) -> bool {
    let (p, t): (Vec<char>, Vec<char>) = (pattern.chars().collect(), text.chars().collect());
    let (mut pi, mut ti, mut star, mut mark) = (0, 0, None, 0);
    while ti < t.len() {
        if pi < p.len() && p[pi] != '*' && p[pi] == t[ti] {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

/// Matches path segments, `**` spanning any number of whole segments.
///
/// Dynamic programming over (pattern suffix, path suffix), O(pattern × path) glob calls: the plain recursion tried
/// every way to split the path between the `**`s, exponential in their number (found by fuzzing, `fuzz/`).
fn match_segments(pattern: &[String], path: &[String]) -> bool {
    let n = path.len();
    // `next[j]`: the pattern segments after the current one match `path[j..]`. No segments match only the end.
    let mut next = vec![false; n + 1];
    next[n] = true;
    for segment in pattern.iter().rev() {
        let mut current = vec![false; n + 1];
        if segment == "**" {
            // `**` then the rest matches `path[j..]` if the rest matches any `path[k..]`, k >= j.
            let mut any = false;
            for j in (0..=n).rev() {
                any |= next[j];
                current[j] = any;
            }
        } else {
            for j in 0..n {
                current[j] = next[j + 1] && glob(segment, &path[j]);
            }
        }
        next = current;
    }
    next[0]
}

impl UrlPattern {
    /// Parses and validates a pattern.
    ///
    /// # Errors
    /// [`PatternError`] says what is wrong.
    pub fn parse(pattern: &str) -> Result<UrlPattern, PatternError> {
        let p = pattern.trim();
        if p.is_empty() {
            return Err(PatternError::Empty);
        }
        if p.len() > MAX_PATTERN_LEN {
            return Err(PatternError::TooLong);
        }
        if p.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(PatternError::Whitespace);
        }
        // A fragment never reaches the server and never decides the persona.
        let p = strip_scheme(p).split('#').next().unwrap_or_default();
        let (rest, query) = match p.split_once('?') {
            Some((r, q)) => (r, Some(q.to_owned())),
            None => (p, None),
        };
        // The first segment is a host if it looks like one (a dot, a port, or `localhost`); else all is path.
        let first = rest.split('/').next().unwrap_or_default();
        let is_host = !rest.starts_with('/')
            && (first.contains('.') || first.contains(':') || first.eq_ignore_ascii_case("localhost"));
        let (host, path) = if !is_host {
            (None, rest)
        } else {
            let (h, path) = rest.split_once('/').map_or((rest, ""), |(h, p)| (h, p));
            let (name, port) = split_port(h);
            let ok = !name.is_empty()
                && name.chars().all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | '*' | '_'))
                && !h.ends_with(':');
            if !ok {
                return Err(PatternError::BadHost);
            }
            (Some((name, port)), path)
        };
        let segments = segments(path);
        if segments.iter().any(|s| find_bytes(s, "**").is_some() && s != "**") {
            return Err(PatternError::BadDoubleStar);
        }
        Ok(UrlPattern { host, segments, query })
    }

    /// Whether the page matches.
    pub fn matches(&self, url: &PageUrl) -> bool {
        if let Some((host, port)) = &self.host {
            if !glob(host, &url.host) || port.as_ref().is_some_and(|p| Some(p) != url.port.as_ref()) {
                return false;
            }
        }
        if let Some(q) = &self.query {
            if !glob(q, &url.query) {
                return false;
            }
        }
        match_segments(&self.segments, &url.segments)
    }

    /// Literal (non-wildcard) characters: the more, the more specific.
    pub fn specificity(&self) -> usize {
        let host = self.host.as_ref().map_or(0, |(h, p)| h.len() + p.as_ref().map_or(0, String::len));
        let literal = |s: &str| s.chars().filter(|&c| c != '*').count();
        // Each literal segment also counts its slash, so `/a/b` beats `/ab`.
        let path: usize = self.segments.iter().filter(|s| *s != "**").map(|s| literal(s) + 1).sum();
        host + path + self.query.as_deref().map_or(0, literal)
    }
}

/// The persona for `page_url`: the most specific matching pattern wins, ties go to the persona listed first, and
/// no match gives the default persona (or the first one). Invalid stored patterns are skipped.
pub fn choose<'a>(personas: &'a [PersonaPublic], page_url: &str) -> Option<&'a PersonaPublic> {
    let url = PageUrl::parse(page_url);
    let mut best: Option<(usize, &PersonaPublic)> = None;
    for persona in personas {
        for pattern in persona.url_patterns.iter().filter_map(|p| UrlPattern::parse(p).ok()) {
            let score = pattern.specificity();
            if pattern.matches(&url) && best.is_none_or(|(s, _)| score > s) {
                best = Some((score, persona));
            }
        }
    }
    best.map(|(_, p)| p).or_else(|| personas.iter().find(|p| p.is_default)).or(personas.first())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Fuzzing regression (`fuzz/`, target `url_pattern`): many `**` against a long path took exponential time.
    #[test]
    fn many_double_stars_match_in_polynomial_time() {
        let started = std::time::Instant::now();
        let pattern = UrlPattern::parse(&format!("/{}x", "**/".repeat(40))).expect("a valid pattern");
        let deep = PageUrl::parse(&format!("https://shop.example/{}b", "a/".repeat(200)));
        assert!(!pattern.matches(&deep));
        let hit = PageUrl::parse(&format!("https://shop.example/{}x", "a/".repeat(200)));
        assert!(pattern.matches(&hit));
        // The fuzzer's own input: a pattern line, then the page URL.
        let input =
            "**/**/**/**/**/**/**/**/**/**/**/.(*\n.*\n\n&&&&**\x0b/**//*;\n*/;\n*/*\n\x03/**\n////////////552\x13/\
                     :;!/..//////777\x13/*:;!/..////***/**/**/.(*\n.*\n\n&&&&**\x0b/**//*;\n*/;\n*/*\n\x03/**\n//////\
                     //////552\x13/:;!/..//////777\x13/*:;!/..////*";
        let (pattern, url) = input.split_once('\n').expect("two lines");
        if let Ok(p) = UrlPattern::parse(pattern) {
            let _ = p.matches(&PageUrl::parse(url));
        }
        assert!(started.elapsed() < std::time::Duration::from_secs(2), "took {:?}", started.elapsed());
    }

    /// (pattern, url, matches)
    const TABLE: &[(&str, &str, bool)] = &[
        // Paths, literal.
        ("/pricing", "https://x.example/pricing", true),
        ("/pricing", "https://x.example/pricing/", true),
        ("/pricing/", "https://x.example/pricing", true),
        ("/pricing", "https://x.example/pricing/plans", false),
        ("/pricing", "https://x.example/Pricing", false),
        ("/", "https://x.example/", true),
        ("/", "https://x.example", true),
        ("/", "https://x.example/docs", false),
        ("/docs", "/docs", true),
        // `*` within one segment.
        ("/products/*", "https://x.example/products/jacket", true),
        ("/products/*", "https://x.example/products/jacket/red", false),
        ("/products/*", "https://x.example/products", false),
        ("/products/*-jacket", "https://x.example/products/storm-jacket", true),
        ("/products/*-jacket", "https://x.example/products/storm-pants", false),
        ("/*/checkout", "https://x.example/eu/checkout", true),
        ("/blog/*/*", "https://x.example/blog/2026/hello", true),
        // `**` across segments.
        ("/docs/**", "https://x.example/docs", true),
        ("/docs/**", "https://x.example/docs/getting-started", true),
        ("/docs/**", "https://x.example/docs/a/b/c", true),
        ("/docs/**", "https://x.example/documentation", false),
        ("/**/edit", "https://x.example/a/b/edit", true),
        ("/**/edit", "https://x.example/edit", true),
        ("/**", "https://x.example/anything/at/all", true),
        ("/a/**/z", "https://x.example/a/z", true),
        ("/a/**/z", "https://x.example/a/b/c/z", true),
        ("/a/**/z", "https://x.example/a/b/c", false),
        // Query and fragment.
        ("/search", "https://x.example/search?q=boots#top", true),
        ("/search?q=*", "https://x.example/search?q=boots", true),
        ("/search?q=*", "https://x.example/search?lang=en", false),
        ("/search?q=*", "https://x.example/search", false),
        ("/landing#promo", "https://x.example/landing", true),
        // Hosts.
        ("shop.example.com/products/*", "https://shop.example.com/products/boot", true),
        ("shop.example.com/products/*", "http://SHOP.Example.COM/products/boot", true),
        ("shop.example.com/products/*", "https://blog.example.com/products/boot", false),
        ("https://shop.example.com/**", "http://shop.example.com/x", true),
        ("*.example.com/**", "https://eu.example.com/x", true),
        ("localhost:3000/docs/**", "http://localhost:3000/docs/a", true),
        ("localhost:3000/docs/**", "http://localhost:4000/docs/a", false),
        ("localhost/docs/**", "http://localhost:4000/docs/a", true),
        ("shop.example.com", "https://shop.example.com/", true),
        ("shop.example.com", "https://shop.example.com/cart", false),
        ("/products/*", "https://user:pw@x.example/products/a", true),
        // Percent-encoding and unicode.
        ("/café", "https://x.example/caf%C3%A9", true),
        ("/caf%C3%A9", "https://x.example/café", true),
        ("/a b", "https://x.example/a%20b", false), // patterns cannot hold spaces: refused, so no match
        ("/a%20b", "https://x.example/a%20b", true),
        ("/über/*", "https://x.example/%C3%BCber/mäntel", true),
        ("/日本/**", "https://x.example/%E6%97%A5%E6%9C%AC/tokyo", true),
        ("/files/a%2Fb", "https://x.example/files/a%2Fb", true),
        ("/files/a/b", "https://x.example/files/a%2Fb", false),
        ("/100%", "https://x.example/100%", true),
        ("products/*", "https://x.example/products/a", true),
        ("**", "https://x.example/a/b", true),
    ];

    #[test]
    fn the_pattern_table() {
        assert!(TABLE.len() >= 40);
        for (pattern, url, expected) in TABLE {
            let got = UrlPattern::parse(pattern).is_ok_and(|p| p.matches(&PageUrl::parse(url)));
            assert_eq!(got, *expected, "{pattern:?} on {url:?}");
        }
    }

    #[test]
    fn invalid_patterns_are_refused_with_a_reason() {
        for (pattern, error) in [
            ("", PatternError::Empty),
            ("   ", PatternError::Empty),
            ("/a b", PatternError::Whitespace),
            ("/docs**", PatternError::BadDoubleStar),
            ("/***", PatternError::BadDoubleStar),
            ("sh op/x", PatternError::Whitespace),
            ("exa$mple.com/x", PatternError::BadHost),
            ("example.com:/x", PatternError::BadHost),
        ] {
            assert_eq!(UrlPattern::parse(pattern), Err(error.clone()), "{pattern:?}");
            assert!(!error.to_string().is_empty());
        }
        assert_eq!(UrlPattern::parse(&format!("/{}", "a".repeat(600))), Err(PatternError::TooLong));
    }

    #[test]
    fn specificity_counts_literal_characters() {
        let s = |p: &str| UrlPattern::parse(p).unwrap().specificity();
        assert!(s("/docs/api/**") > s("/docs/**"));
        assert!(s("/products/storm-*") > s("/products/*"));
        assert!(s("shop.example.com/**") > s("/**"));
        assert_eq!(s("/**"), 0);
    }

    fn persona(id: &str, patterns: &[&str], is_default: bool) -> PersonaPublic {
        PersonaPublic {
            id: id.into(),
            name: id.into(),
            bubble_color: "#000000".into(),
            on_bubble_color: "#ffffff".into(),
            url_patterns: patterns.iter().map(|p| p.to_string()).collect(),
            is_default,
            greeting: None,
            avatar_url: None,
            capture_leads: false,
        }
    }

    #[test]
    fn the_most_specific_persona_wins_and_ties_go_first() {
        let personas = [
            persona("support", &[], true),
            persona("docs", &["/docs/**"], false),
            persona("api-docs", &["/docs/api/**"], false),
            persona("sales", &["/pricing", "/plans/*"], false),
            persona("sales-2", &["/pricing"], false),
            persona("broken", &["/a b", "/pricing/**"], false),
        ];
        let pick = |url: &str| choose(&personas, url).map(|p| p.id.as_str());
        assert_eq!(pick("https://x.example/docs/intro"), Some("docs"));
        assert_eq!(pick("https://x.example/docs/api/auth"), Some("api-docs"));
        assert_eq!(pick("https://x.example/pricing"), Some("sales"), "tie: first listed");
        assert_eq!(pick("https://x.example/plans/pro"), Some("sales"));
        assert_eq!(pick("https://x.example/pricing/eu"), Some("broken"), "valid patterns of a persona still work");
        assert_eq!(pick("https://x.example/"), Some("support"), "no match: the default");
        assert_eq!(choose(&[], "https://x.example/"), None);
        let no_default = [persona("a", &["/a"], false), persona("b", &[], false)];
        assert_eq!(choose(&no_default, "/zzz").map(|p| p.id.as_str()), Some("a"), "no default: the first");
    }
}
