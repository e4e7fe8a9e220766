//! The client address a request is counted against: the TCP peer, or, behind a trusted balancer, the address the
//! balancer read from its own peer (`X-Forwarded-For`).
//!
//! Each proxy appends the address it received the request from, so the header is read from the right: addresses
//! of trusted proxies are skipped, and the first untrusted one is the client. Anything left of it was written by
//! the client itself and could be forged, so it is never used; without trusted proxies the header is ignored.

use std::net::IpAddr;
use std::str::FromStr;

use axum::http::HeaderMap;
use ipnet::IpNet;

/// Balancers whose `X-Forwarded-For` the server believes (`--trusted-proxy`).
#[derive(Debug, Clone, Default)]
pub struct TrustedProxies(Vec<IpNet>);

impl TrustedProxies {
    /// Trusts these networks.
    pub fn new(networks: Vec<IpNet>) -> Self {
        TrustedProxies(networks)
    }

    fn trusts(&self, ip: IpAddr) -> bool {
        let ip = ip.to_canonical(); // an IPv4 peer on a dual-stack socket arrives as ::ffff:a.b.c.d
        self.0.iter().any(|net| net.contains(&ip))
    }

    /// The client behind `peer`, given the request's headers.
    pub fn client(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        if !self.trusts(peer) {
            return peer;
        }
        // Several headers read as one list, in order.
        let hops: Vec<&str> = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .collect();
        let mut client = peer;
        for hop in hops.iter().rev() {
            let Ok(ip) = hop.parse::<IpAddr>() else { break }; // garbage: keep the last trustworthy address
            client = ip;
            if !self.trusts(ip) {
                break;
            }
        }
        client
    }
}

/// Parses `--trusted-proxy`: a network (`10.0.0.0/8`) or one address (`127.0.0.1`).
///
/// # Errors
/// A sentence naming the value.
pub fn parse_network(value: &str) -> Result<IpNet, String> {
    let value = value.trim();
    IpNet::from_str(value).or_else(|_| IpAddr::from_str(value).map(IpNet::from)).map_err(|_| {
        format!("{value:?} is not an IP address or network (expected e.g. 127.0.0.1, 10.0.0.0/8 or fd00::/8)")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(values: &[&str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for v in values {
            h.append("x-forwarded-for", v.parse().unwrap());
        }
        h
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn the_header_counts_only_behind_a_trusted_proxy() {
        let none = TrustedProxies::default();
        assert_eq!(none.client(ip("127.0.0.1"), &headers(&["203.0.113.7"])), ip("127.0.0.1"));
        let lb = TrustedProxies::new(vec![parse_network("127.0.0.1").unwrap(), parse_network("10.0.0.0/8").unwrap()]);
        assert_eq!(lb.client(ip("127.0.0.1"), &headers(&["203.0.113.7"])), ip("203.0.113.7"));
        assert_eq!(lb.client(ip("198.51.100.1"), &headers(&["203.0.113.7"])), ip("198.51.100.1"), "not our proxy");
        assert_eq!(lb.client(ip("127.0.0.1"), &HeaderMap::new()), ip("127.0.0.1"), "no header: the proxy itself");
    }

    #[test]
    fn forged_entries_left_of_the_client_are_ignored() {
        let lb = TrustedProxies::new(vec![parse_network("10.0.0.0/8").unwrap()]);
        // The client wrote "1.2.3.4"; the edge proxy appended the client's real address, an inner proxy its own.
        let h = headers(&["1.2.3.4, 203.0.113.7", "10.0.0.2"]);
        assert_eq!(lb.client(ip("10.0.0.3"), &h), ip("203.0.113.7"));
        assert_eq!(lb.client(ip("10.0.0.3"), &headers(&["203.0.113.7, not-an-ip"])), ip("10.0.0.3"));
        let mapped = ip("::ffff:10.0.0.3");
        assert_eq!(lb.client(mapped, &headers(&["203.0.113.9"])), ip("203.0.113.9"), "IPv4-mapped peer");
    }

    #[test]
    fn networks_parse_with_or_without_a_prefix() {
        assert_eq!(parse_network("fd00::/8").unwrap().to_string(), "fd00::/8");
        assert_eq!(parse_network(" 127.0.0.1 ").unwrap().to_string(), "127.0.0.1/32");
        assert!(parse_network("localhost").unwrap_err().contains("\"localhost\""));
    }
}
