//! A DNS resolver for reqwest that drops internal addresses, so the check happens when connecting: a name that
//! resolved to a public address when a URL was accepted and to `127.0.0.1` now (DNS rebinding) is still refused.

use std::net::SocketAddr;
use std::sync::Arc;

use reqwest::dns::{Addrs, Name, Resolve, Resolving};

use super::{address::is_internal, OutboundPolicy};

/// Resolves with the system resolver, then keeps only the addresses `policy` lets the server call.
#[derive(Debug, Clone)]
pub struct GuardedResolver {
    /// What may be called.
    pub policy: Arc<OutboundPolicy>,
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let policy = self.policy.clone();
        Box::pin(async move {
            let host = name.as_str().to_owned();
            // The port is replaced by the URL's when connecting.
            let addrs: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let allowed = filter(&policy, &host, addrs)?;
            Ok(Box::new(allowed.into_iter()) as Addrs)
        })
    }
}

/// The addresses of `host` that may be called.
///
/// # Errors
/// A sentence for people when every address is internal.
pub(super) fn filter(
    policy: &OutboundPolicy,
    host: &str,
    addrs: Vec<SocketAddr>,
) -> Result<Vec<SocketAddr>, Box<dyn std::error::Error + Send + Sync>> {
    if policy.allows_any_address(host) {
        return Ok(addrs);
    }
    let total = addrs.len();
    let allowed: Vec<SocketAddr> = addrs.into_iter().filter(|a| !is_internal(a.ip())).collect();
    if allowed.is_empty() && total > 0 {
        return Err(super::refused(host).into());
    }
    Ok(allowed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn addrs(ips: &[&str]) -> Vec<SocketAddr> {
        ips.iter().map(|ip| SocketAddr::new(ip.parse().expect("an IP"), 0)).collect()
    }

    #[test]
    fn internal_addresses_are_dropped_and_all_internal_is_refused() {
        let strict = OutboundPolicy::default();
        let mixed = filter(&strict, "shop.example", addrs(&["127.0.0.1", "93.184.216.34", "::1"])).expect("one left");
        assert_eq!(mixed, addrs(&["93.184.216.34"]));
        let err = filter(&strict, "rebound.example", addrs(&["127.0.0.1", "::ffff:10.0.0.1"])).unwrap_err();
        assert!(err.to_string().contains("`rebound.example`"), "{err}");
        let listed = OutboundPolicy { allow_private: false, allow_hosts: vec!["rebound.example".into()] };
        assert_eq!(filter(&listed, "rebound.example", addrs(&["127.0.0.1"])).expect("allowed").len(), 1);
    }
}
