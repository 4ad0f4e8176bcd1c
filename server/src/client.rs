//! Who is asking: the client's address as the limiters and the audit trail see it. Behind
//! the center's reverse proxy every request comes from the proxy, so residents would share
//! one bucket; a request from a proxy listed in `TRUSTED_PROXIES` is taken to be from the
//! address that proxy put in `X-Forwarded-For` (the rightmost one no trusted proxy added).
//! From anyone else the header is ignored: it is only a claim.
use app::server_ctx::ClientAddr;
use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use ipnet::IpNet;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

/// Addresses and networks as an operator writes them: `10.0.0.1, 192.168.0.0/16`.
#[derive(Debug, Clone, Default)]
pub struct Networks(Arc<Vec<IpNet>>);

impl Networks {
    /// `Err` names the first entry that is neither an address nor a network, so a typo
    /// stops the server instead of quietly leaving someone out.
    pub fn parse(raw: &str) -> Result<Networks, String> {
        let mut nets = Vec::new();
        for item in raw.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let net = item
                .parse::<IpNet>()
                .or_else(|_| item.parse::<IpAddr>().map(IpNet::from))
                .map_err(|_| format!("addresses or networks separated by commas; {item:?} is neither"))?;
            nets.push(net);
        }
        Ok(Networks(Arc::new(nets)))
    }

    /// Whether `ip` is in one of them (an IPv4 client on a dual-stack socket included).
    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = match ip {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4).unwrap_or(ip),
            v4 => v4,
        };
        self.0.iter().any(|n| n.contains(&ip))
    }
}

/// The proxies whose `X-Forwarded-For` is believed.
#[derive(Debug, Clone, Default)]
pub struct TrustedProxies(pub Networks);

impl TrustedProxies {
    pub fn parse(raw: &str) -> Result<TrustedProxies, String> {
        Networks::parse(raw).map(TrustedProxies)
    }

    fn trusts(&self, ip: IpAddr) -> bool {
        self.0.contains(ip)
    }

    /// The client behind `peer`, given the `X-Forwarded-For` values it sent.
    pub fn client_of(&self, peer: IpAddr, forwarded_for: &[&str]) -> IpAddr {
        if !self.trusts(peer) {
            return peer;
        }
        let hops: Vec<IpAddr> = forwarded_for.iter().flat_map(|v| v.split(',')).filter_map(|s| s.trim().parse().ok()).collect();
        hops.iter().rev().copied().find(|ip| !self.trusts(*ip)).or(hops.first().copied()).unwrap_or(peer)
    }
}

pub async fn client_address(State(proxies): State<TrustedProxies>, mut req: Request, next: Next) -> Response {
    let peer = req.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip());
    if let Some(peer) = peer {
        let forwarded: Vec<&str> = req.headers().get_all("x-forwarded-for").iter().filter_map(|v| v.to_str().ok()).collect();
        let client = proxies.client_of(peer, &forwarded);
        req.extensions_mut().insert(ClientAddr(client));
    }
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn only_a_trusted_proxy_is_believed() {
        let p = TrustedProxies::parse("127.0.0.1, 10.0.0.0/8").unwrap();
        assert_eq!(p.client_of(ip("203.0.113.9"), &["1.2.3.4"]), ip("203.0.113.9"), "a resident cannot pick their own address");
        assert_eq!(p.client_of(ip("127.0.0.1"), &["1.2.3.4"]), ip("1.2.3.4"));
        // The client wrote a false first entry; the proxy appended the real one.
        assert_eq!(p.client_of(ip("10.0.0.5"), &["6.6.6.6, 1.2.3.4"]), ip("1.2.3.4"));
        assert_eq!(p.client_of(ip("10.0.0.5"), &["1.2.3.4, 10.0.0.7"]), ip("1.2.3.4"), "a chain of proxies");
        assert_eq!(p.client_of(ip("10.0.0.5"), &[]), ip("10.0.0.5"));
        assert_eq!(p.client_of(ip("10.0.0.5"), &["nonsense"]), ip("10.0.0.5"));
        assert!(TrustedProxies::parse("10.0.0.0/8, proxy.local").is_err());
        let nobody = TrustedProxies::parse("").unwrap();
        assert_eq!(nobody.client_of(ip("127.0.0.1"), &["1.2.3.4"]), ip("127.0.0.1"), "no proxy trusted");
    }

    #[test]
    fn networks_take_addresses_and_ranges_and_v4_clients_on_a_v6_socket() {
        let n = Networks::parse("127.0.0.1, 10.20.0.0/16, ::1").unwrap();
        assert!(n.contains(ip("10.20.3.4")) && n.contains(ip("::1")) && n.contains(ip("::ffff:127.0.0.1")));
        assert!(!n.contains(ip("10.21.0.1")) && !n.contains(ip("127.0.0.2")));
        assert!(Networks::parse("the office").unwrap_err().contains("\"the office\""));
    }
}
