//! Calls the server makes to URLs its clients choose (webhook receivers, storefronts), kept away from the server's
//! own machine and private networks (SSRF).
//!
//! Three checks, because each alone has a gap:
//! - when a URL is accepted ([`OutboundPolicy::check_destination`]): only `http(s)`, and the host, resolved, must
//!   have no internal address, so a mistake is a clear 400 at once;
//! - when connecting ([`resolver::GuardedResolver`]): the name is resolved again and internal addresses dropped,
//!   so DNS rebinding cannot swap a public address for `127.0.0.1` after the URL was accepted;
//! - on every redirect ([`redirect::policy`]): a few hops at most, each checked like the first URL.
//!
//! # Layout
//! - [`address`]: which IP addresses are internal.
//! - [`resolver`]: the connect-time filter; [`redirect`]: the redirect policy.

pub mod address;
pub mod redirect;
pub mod resolver;

use std::sync::Arc;

use url::{Host, Url};

use resolver::GuardedResolver;

/// Which internal destinations outbound calls may reach ([`crate::Config::outbound`]).
///
/// Off by default: the demo (`--demo`) turns `allow_private` on, because its store and webhook receivers run on
/// the same machine; `--allow-private-network` and `--allow-outbound-host` set it explicitly.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OutboundPolicy {
    /// Allow every internal address (loopback, private, link-local, unspecified).
    pub allow_private: bool,
    /// Host names or IP addresses allowed even when internal (lowercase, IPv6 without brackets).
    pub allow_hosts: Vec<String>,
}

/// Why a host is refused, for the client's error message.
pub(crate) fn refused(host: &str) -> String {
    format!(
        "`{host}` is a loopback, private, link-local or otherwise internal address, which this server does not call; \
         give a public address (the server's operator can allow it with --allow-private-network or \
         --allow-outbound-host)"
    )
}

impl OutboundPolicy {
    /// Everything allowed: tests and the demo, whose peers run on this machine.
    pub fn allow_all() -> OutboundPolicy {
        OutboundPolicy { allow_private: true, allow_hosts: Vec::new() }
    }

    /// Whether `host` may be called whatever its addresses are.
    pub fn allows_any_address(&self, host: &str) -> bool {
        let host = host.trim_start_matches('[').trim_end_matches(']');
        self.allow_private || self.allow_hosts.iter().any(|h| h.eq_ignore_ascii_case(host))
    }

    /// Checks what can be checked without resolving: the scheme, and the host when it is an IP literal (those never
    /// reach the resolver).
    ///
    /// # Errors
    /// A sentence for the client.
    pub fn check_url(&self, url: &Url) -> Result<(), String> {
        if !matches!(url.scheme(), "http" | "https") {
            return Err(format!("only http:// and https:// URLs are called, not `{}:`", url.scheme()));
        }
        let ip = match url.host() {
            None => return Err("the URL has no host".into()),
            Some(Host::Domain(_)) => return Ok(()),
            Some(Host::Ipv4(ip)) => std::net::IpAddr::V4(ip),
            Some(Host::Ipv6(ip)) => std::net::IpAddr::V6(ip),
        };
        if address::is_internal(ip) && !self.allows_any_address(&ip.to_string()) {
            return Err(refused(&ip.to_string()));
        }
        Ok(())
    }

    /// Checks a URL a client gives, resolving its host: refused if any address is internal. A name that does not
    /// resolve now is accepted (it may later); the connect-time check still applies to it.
    ///
    /// # Errors
    /// A sentence for the client (answer 400).
    pub async fn check_destination(&self, url: &str) -> Result<(), String> {
        let parsed = Url::parse(url.trim()).map_err(|e| format!("not a valid URL ({e}): {url}"))?;
        self.check_url(&parsed)?;
        let Some(Host::Domain(name)) = parsed.host() else { return Ok(()) };
        if self.allows_any_address(name) {
            return Ok(());
        }
        let Ok(addrs) = tokio::net::lookup_host((name, parsed.port_or_known_default().unwrap_or(80))).await else {
            return Ok(());
        };
        let addrs: Vec<_> = addrs.collect();
        if addrs.iter().any(|a| address::is_internal(a.ip())) {
            return Err(refused(name));
        }
        Ok(())
    }

    /// An HTTP client builder whose connections, proxies and redirects obey this policy. Proxies are off: through
    /// a proxy, the resolver would check the proxy's address instead of the destination's.
    pub fn client_builder(self: &Arc<Self>) -> reqwest::ClientBuilder {
        reqwest::Client::builder()
            .dns_resolver(Arc::new(GuardedResolver { policy: self.clone() }))
            .no_proxy()
            .redirect(redirect::policy(self.clone()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(policy: &OutboundPolicy, url: &str) -> Result<(), String> {
        policy.check_url(&Url::parse(url).expect("a URL"))
    }

    #[test]
    fn literal_internal_hosts_are_refused_unless_allowed() {
        let strict = OutboundPolicy::default();
        for url in [
            "http://127.0.0.1/",
            "http://10.1.2.3:8080/hook",
            "http://169.254.169.254/latest/meta-data",
            "http://[::1]/",
            "http://[::ffff:127.0.0.1]/",
            "http://0x7f.1/",
            "http://2130706433/",
            "http://0/",
        ] {
            assert!(check(&strict, url).is_err(), "{url} must be refused");
            assert!(check(&OutboundPolicy::allow_all(), url).is_ok(), "{url} is allowed by allow_private");
        }
        let listed = OutboundPolicy { allow_private: false, allow_hosts: vec!["::1".into(), "10.1.2.3".into()] };
        assert!(check(&listed, "http://[::1]:9000/").is_ok());
        assert!(check(&listed, "http://10.1.2.3/").is_ok());
        assert!(check(&listed, "http://10.1.2.4/").is_err());
    }

    #[test]
    fn only_http_schemes_are_called() {
        let strict = OutboundPolicy::default();
        assert!(check(&strict, "https://hooks.example/x").is_ok());
        for url in ["file:///etc/passwd", "ftp://hooks.example/", "gopher://hooks.example/"] {
            assert!(check(&strict, url).is_err(), "{url}");
        }
    }

    #[tokio::test]
    async fn names_resolving_to_loopback_are_refused() {
        let strict = OutboundPolicy::default();
        let err = strict.check_destination("http://localhost:9/hook").await.unwrap_err();
        assert!(err.contains("`localhost`"), "{err}");
        let listed = OutboundPolicy { allow_private: false, allow_hosts: vec!["localhost".into()] };
        assert!(listed.check_destination("http://LOCALHOST:9/hook").await.is_ok());
    }
}
