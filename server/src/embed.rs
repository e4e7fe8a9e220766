//! What a site owner pastes into a page: the loader's URL and the `<script>` tag, built from the server's public
//! address.

use axum::http::{header, HeaderMap};
use serde::Serialize;

/// The server's public base URL (`https://chat.example`, no trailing slash), as the caller reached it.
///
/// The scheme comes from `X-Forwarded-Proto` (set by TLS-terminating proxies), else `http`; the host from the
/// `Host` header, else `localhost`. Anything that is not a plain host name or address is ignored, so the snippet is
/// always safe HTML.
pub fn public_base(headers: &HeaderMap) -> String {
    base_from_headers(headers)
}

fn base_from_headers(headers: &HeaderMap) -> String {
    let scheme = headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(',').next())
        .map(|v| v.trim().to_ascii_lowercase())
        .filter(|v| v == "https" || v == "http")
        .unwrap_or_else(|| "http".into());
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|h| {
            !h.is_empty()
                && h.len() <= 260
                && h.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']'))
        })
        .unwrap_or("localhost");
    format!("{scheme}://{host}")
}

/// How to embed a widget with one of its keys.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Embed {
    /// The loader's URL.
    pub script_url: String,
    /// Alias of `script_url`: API.md spells it `scriptUrl`.
    #[serde(rename = "scriptUrl")]
    pub script_url_alias: String,
    /// The ready-to-paste tag, exactly as the README and docs/EMBED.md show it.
    pub snippet: String,
}

impl Embed {
    /// The embed of `key` on the server at `base` (see [`public_base`]).
    pub fn new(base: &str, key: &str) -> Self {
        let script_url = format!("{base}/quincer.js");
        let snippet = format!(r#"<script async src="{script_url}" data-widget-key="{key}"></script>"#);
        Embed { script_url_alias: script_url.clone(), script_url, snippet }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base(pairs: &[(&'static str, &'static str)]) -> String {
        let mut headers = HeaderMap::new();
        for (k, v) in pairs {
            headers.insert(*k, v.parse().expect("header value"));
        }
        base_from_headers(&headers)
    }

    #[test]
    fn base_from_host_and_forwarded_proto() {
        assert_eq!(base(&[("host", "chat.example")]), "http://chat.example");
        assert_eq!(base(&[("host", "chat.example:8787"), ("x-forwarded-proto", "https")]), "https://chat.example:8787");
        assert_eq!(base(&[("host", "chat.example"), ("x-forwarded-proto", "HTTPS, http")]), "https://chat.example");
        assert_eq!(base(&[("host", "chat.example"), ("x-forwarded-proto", "gopher")]), "http://chat.example");
        assert_eq!(base(&[("host", "evil\"><script>")]), "http://localhost");
        assert_eq!(base(&[]), "http://localhost");
    }

    #[test]
    fn snippet_is_the_readme_tag() {
        let e = Embed::new("https://chat.example", "cw_live_abc");
        assert_eq!(e.script_url, "https://chat.example/quincer.js");
        assert_eq!(
            e.snippet,
            r#"<script async src="https://chat.example/quincer.js" data-widget-key="cw_live_abc"></script>"#
        );
        let json = serde_json::to_value(&e).expect("json");
        assert_eq!(json["scriptUrl"], json["script_url"]);
    }
}
