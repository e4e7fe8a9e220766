//! Allowed origins: which sites may call a widget's public endpoints from a browser.
//!
//! A widget's `allowed_origins` lists entries of the form `scheme://host[:port]`. `https://*.example.com` allows
//! every subdomain of `example.com`, at any depth, but not `example.com` itself. An empty list allows every
//! origin. Only requests that carry an `Origin` header (browsers) are checked: servers and curl send none, and the
//! widget key is public anyway. The list stops other sites from embedding a copied key; it is not a secret.
//!
//! Entries are stored in their canonical form (lowercase, no default port, no trailing slash), so matching is a
//! comparison of parsed parts.

use std::fmt;

/// Most entries in a widget's list.
pub const MAX_ORIGINS: usize = 100;

/// What every entry must look like, for error messages.
pub const EXPECTED: &str =
    "expected scheme://host[:port] without a path, such as https://shop.example or https://*.example.com";

/// One origin, or one pattern of origins.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OriginPattern {
    /// `http` or `https`.
    scheme: String,
    /// Lowercase host; for a wildcard, the domain after `*.`.
    host: String,
    /// `*.` before the host: any subdomain of it.
    wildcard: bool,
    /// The port, `None` for the scheme's default.
    port: Option<u16>,
}

impl OriginPattern {
    /// Parses an allowed-origins entry (wildcards allowed; one trailing `/` tolerated).
    ///
    /// # Errors
    /// A short reason, to be prefixed with the field name by the caller.
    pub fn parse(entry: &str) -> Result<Self, String> {
        let entry = entry.trim();
        if entry.is_empty() {
            return Err("is empty".into());
        }
        if entry == "*" {
            return Err("`*` is not needed: an empty allowed_origins list allows every origin".into());
        }
        let (scheme, rest) = split_scheme(entry)?;
        // A URL bar copy ends in `/`: harmless, so tolerated.
        let authority = rest.strip_suffix('/').unwrap_or(rest);
        if authority.contains(['/', '?', '#']) {
            return Err("must not have a path, query or fragment".into());
        }
        Self::from_authority(scheme, authority, true)
    }

    /// Parses the value of a request's `Origin` header; `None` for `null` or anything that is not an origin.
    pub fn parse_origin(value: &str) -> Option<Self> {
        let (scheme, authority) = split_scheme(value.trim()).ok()?;
        if authority.contains(['/', '?', '#']) {
            return None;
        }
        Self::from_authority(scheme, authority, false).ok()
    }

    /// The origin of an http(s) URL (`https://shop.example/a?b` → `https://shop.example`).
    ///
    /// # Errors
    /// A short reason when `url` is not an absolute http(s) URL with a valid host.
    pub fn of_url(url: &str) -> Result<Self, String> {
        if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err("must not contain spaces or control characters".into());
        }
        let (scheme, rest) = split_scheme(url)?;
        let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        Self::from_authority(scheme, &rest[..end], false)
    }

    fn from_authority(scheme: &str, authority: &str, allow_wildcard: bool) -> Result<Self, String> {
        if authority.contains('@') {
            return Err("must not contain user info (`user@`)".into());
        }
        let (host, port) = split_port(authority)?;
        let (wildcard, host) = match host.strip_prefix("*.") {
            Some(_) if !allow_wildcard => return Err("must not contain a wildcard".into()),
            Some(domain) => {
                if !domain.contains('.') || domain.starts_with('[') {
                    return Err("a wildcard must cover a domain, as in https://*.example.com".into());
                }
                (true, domain)
            }
            None => (false, host),
        };
        if host.contains('*') {
            return Err("a wildcard is only allowed as the first label, as in https://*.example.com".into());
        }
        let host = host.to_ascii_lowercase();
        valid_host(&host)?;
        let default_port = if scheme == "https" { 443 } else { 80 };
        Ok(OriginPattern { scheme: scheme.to_owned(), host, wildcard, port: port.filter(|p| *p != default_port) })
    }

    /// Whether `origin` (a parsed `Origin` header) is allowed by this entry.
    pub fn matches(&self, origin: &OriginPattern) -> bool {
        if self.scheme != origin.scheme || self.port != origin.port || origin.wildcard {
            return false;
        }
        if self.wildcard {
            // A real subdomain: `a.example.com` ends with `.example.com`; `evilexample.com` and
            // `example.com.evil.net` do not.
            origin.host.len() > self.host.len() + 1
                && origin.host.ends_with(&self.host)
                && origin.host.as_bytes()[origin.host.len() - self.host.len() - 1] == b'.'
        } else {
            self.host == origin.host
        }
    }
}

impl fmt::Display for OriginPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}://{}{}", self.scheme, if self.wildcard { "*." } else { "" }, self.host)?;
        match self.port {
            Some(port) => write!(f, ":{port}"),
            None => Ok(()),
        }
    }
}

/// Whether a request from `origin` (an `Origin` header value) passes a widget's stored list.
pub fn allows(allowed: &[String], origin: &str) -> bool {
    if allowed.is_empty() {
        return true;
    }
    let Some(origin) = OriginPattern::parse_origin(origin) else {
        return false; // `null` (sandboxed frames, file://) or garbage: never on a non-empty list
    };
    allowed.iter().filter_map(|entry| OriginPattern::parse(entry).ok()).any(|p| p.matches(&origin))
}

fn split_scheme(s: &str) -> Result<(&'static str, &str), String> {
    let (scheme, rest) = s.split_once("://").ok_or("must start with https:// or http://")?;
    match scheme.to_ascii_lowercase().as_str() {
        "https" => Ok(("https", rest)),
        "http" => Ok(("http", rest)),
        _ => Err("must start with https:// or http://".into()),
    }
}

fn split_port(authority: &str) -> Result<(&str, Option<u16>), String> {
    // `[::1]:8080`: the port follows the bracket.
    let (host, port) = if authority.starts_with('[') {
        let end = authority.find(']').ok_or("has an unclosed `[` in its host")?;
        let (host, rest) = authority.split_at(end + 1);
        match rest {
            "" => (host, None),
            _ => (host, Some(rest.strip_prefix(':').ok_or("has something after its host")?)),
        }
    } else {
        match authority.rsplit_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        }
    };
    let port = match port {
        None => None,
        Some(p) => Some(
            p.parse::<u16>()
                .ok()
                .filter(|n| *n > 0 && p.bytes().all(|b| b.is_ascii_digit()))
                .ok_or("has an invalid port (1 to 65535)")?,
        ),
    };
    Ok((host, port))
}

fn valid_host(host: &str) -> Result<(), String> {
    if host.is_empty() {
        return Err("has no host".into());
    }
    if let Some(inner) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        let ok = inner.contains(':') && inner.bytes().all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.');
        return if ok { Ok(()) } else { Err("has an invalid IPv6 address".into()) };
    }
    if !host.is_ascii() {
        return Err("has a non-ASCII host: use its punycode form (xn--…), as browsers send it".into());
    }
    let label_ok = |l: &str| {
        !l.is_empty()
            && l.len() <= 63
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    };
    if host.len() > 253 || !host.split('.').all(label_ok) {
        return Err("has an invalid host".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canon(entry: &str) -> Result<String, String> {
        OriginPattern::parse(entry).map(|p| p.to_string())
    }

    #[test]
    fn entries_are_canonicalised() {
        assert_eq!(canon("https://Shop.Example").unwrap(), "https://shop.example");
        assert_eq!(canon(" https://shop.example/ ").unwrap(), "https://shop.example");
        assert_eq!(canon("HTTPS://shop.example:443").unwrap(), "https://shop.example");
        assert_eq!(canon("http://localhost:80").unwrap(), "http://localhost");
        assert_eq!(canon("http://localhost:3000").unwrap(), "http://localhost:3000");
        assert_eq!(canon("https://*.Example.com").unwrap(), "https://*.example.com");
        assert_eq!(canon("http://127.0.0.1:8080").unwrap(), "http://127.0.0.1:8080");
        assert_eq!(canon("http://[::1]:8080").unwrap(), "http://[::1]:8080");
    }

    #[test]
    fn bad_entries_say_why() {
        let cases = [
            ("", "empty"),
            ("*", "empty allowed_origins"),
            ("shop.example", "https://"),
            ("ftp://shop.example", "https://"),
            ("https://shop.example/path", "path"),
            ("https://shop.example?x=1", "query"),
            ("https://user@shop.example", "user info"),
            ("https://shop.example:0", "port"),
            ("https://shop.example:99999", "port"),
            ("https://shop.example:", "port"),
            ("https://", "no host"),
            ("https://*.com", "wildcard"),
            ("https://a.*.example.com", "wildcard"),
            ("https://*example.com", "wildcard"),
            ("https://shop_example.com", "invalid host"),
            ("https://-shop.example", "invalid host"),
            ("https://shop..example", "invalid host"),
            ("https://bücher.example", "punycode"),
            ("https://[zz::1]", "IPv6"),
        ];
        for (entry, why) in cases {
            let err = canon(entry).expect_err(entry);
            assert!(err.contains(why), "{entry:?}: {err:?} should mention {why:?}");
        }
    }

    #[test]
    fn matching() {
        let list = |entries: &[&str]| entries.iter().map(|e| canon(e).unwrap()).collect::<Vec<_>>();
        let shop = list(&["https://shop.example", "https://*.example.com", "http://localhost:3000"]);
        for ok in
            ["https://shop.example", "https://SHOP.example:443", "https://a.example.com", "https://a.b.example.com"]
        {
            assert!(allows(&shop, ok), "{ok} should be allowed");
        }
        for no in [
            "https://example.com",
            "https://example.com.evil.net",
            "https://evilexample.com",
            "http://shop.example",
            "https://shop.example:8443",
            "https://evil.example",
            "http://localhost",
            "http://localhost:3001",
            "null",
            "",
            "https://shop.example/path",
        ] {
            assert!(!allows(&shop, no), "{no:?} should be refused");
        }
        assert!(allows(&[], "https://anything.example"), "an empty list allows every origin");
        assert!(allows(&[], "null"));
    }

    #[test]
    fn origins_of_urls() {
        let of = |u: &str| OriginPattern::of_url(u).map(|p| p.to_string());
        assert_eq!(of("https://shop.example/a/b?c#d").unwrap(), "https://shop.example");
        assert_eq!(of("http://shop.example:8080").unwrap(), "http://shop.example:8080");
        assert!(of("shop.example").is_err());
        assert!(of("https:///path").is_err());
        assert!(of("https://shop example").is_err());
        assert!(of("javascript:alert(1)").is_err());
        assert!(of("https://*.example.com/").is_err());
    }
}
