//! Which requests the preview answers. A page on any web site can make the browser send
//! requests to 127.0.0.1, and a host name of the attacker's that resolves to 127.0.0.1 (DNS
//! rebinding) even lets it read the answers; so the preview answers only requests whose
//! `Host` is a local name, the bound address, an address typed as numbers, or a name the
//! user allowed (`--allow-host`), and whose `Origin`, when sent, is one of those.

use std::net::IpAddr;

/// The hosts the preview answers to.
#[derive(Debug, Clone)]
pub struct Policy {
    bound: IpAddr,
    allowed: Vec<String>,
}

impl Policy {
    /// The policy for a server bound to `bound`, with extra host names `allowed`.
    pub fn new(bound: IpAddr, allowed: &[String]) -> Policy {
        Policy { bound, allowed: allowed.iter().map(|h| h.trim().to_ascii_lowercase()).collect() }
    }

    /// Whether a `Host` header value (with or without a port) names this server.
    pub fn host_ok(&self, host: &str) -> bool {
        let name = strip_port(host).to_ascii_lowercase();
        if name == "localhost" || name.ends_with(".localhost") {
            return true;
        }
        if self.allowed.contains(&name) {
            return true;
        }
        // An address typed as numbers cannot be a rebound name: the browser connected to
        // what it shows.
        match name.trim_start_matches('[').trim_end_matches(']').parse::<IpAddr>() {
            Ok(ip) => ip.is_loopback() || ip == self.bound || self.bound.is_unspecified(),
            Err(_) => false,
        }
    }

    /// Whether an `Origin` header value is a page of this server (`null` is not).
    pub fn origin_ok(&self, origin: &str) -> bool {
        match origin.strip_prefix("http://").or_else(|| origin.strip_prefix("https://")) {
            Some(host) => !host.contains('/') && self.host_ok(host),
            None => false,
        }
    }
}

/// `host:port` → `host`, `[::1]:80` → `[::1]`.
fn strip_port(host: &str) -> &str {
    if host.starts_with('[') {
        return host.find(']').map_or(host, |i| &host[..=i]);
    }
    match host.rsplit_once(':') {
        Some((h, port)) if port.chars().all(|c| c.is_ascii_digit()) && !h.contains(':') => h,
        _ => host,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_names_only() {
        let p = Policy::new("127.0.0.1".parse().unwrap(), &["preview.test".into()]);
        for ok in
            ["localhost:1111", "127.0.0.1:1111", "[::1]:1111", "127.0.0.2", "app.localhost", "Preview.test:8"]
        {
            assert!(p.host_ok(ok), "{ok}");
        }
        for bad in ["evil.example:1111", "localhost.evil.example", "192.168.1.4:1111", "", "[::2]"] {
            assert!(!p.host_ok(bad), "{bad}");
        }
        assert!(p.origin_ok("http://localhost:1111"));
        assert!(!p.origin_ok("http://evil.example:1111"));
        assert!(!p.origin_ok("null"));
    }

    #[test]
    fn bound_address_counts() {
        let p = Policy::new("192.168.1.4".parse().unwrap(), &[]);
        assert!(p.host_ok("192.168.1.4:1111"));
        assert!(!p.host_ok("192.168.1.5:1111"));
        let any = Policy::new("0.0.0.0".parse().unwrap(), &[]);
        assert!(any.host_ok("192.168.1.5:1111"));
        assert!(!any.host_ok("rebind.example:1111"));
    }
}
