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

/// The proxies whose `X-Forwarded-For` is believed.
#[derive(Debug, Clone, Default)]
pub struct TrustedProxies(pub Arc<Vec<IpNet>>);

impl TrustedProxies {
    /// `10.0.0.1, 192.168.0.0/16`: addresses or networks, comma-separated. `Err` names the
    /// first entry that is neither, so a typo stops the server instead of trusting nobody.
    pub fn parse(raw: &str) -> Result<TrustedProxies, String> {
        let mut nets = Vec::new();
        for item in raw.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let net = item
                .parse::<IpNet>()
                .or_else(|_| item.parse::<IpAddr>().map(IpNet::from))
                .map_err(|_| format!("TRUSTED_PROXIES: {item:?} is not an address or network"))?;
            nets.push(net);
        }
        Ok(TrustedProxies(Arc::new(nets)))
    }

    fn trusts(&self, ip: IpAddr) -> bool {
        self.0.iter().any(|n| n.contains(&ip))
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
        assert!(TrustedProxies::parse("").unwrap().0.is_empty());
    }
}
