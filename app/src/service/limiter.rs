//! Rate limits for the public livelihood-call forms, without captchas: a token bucket per
//! client address and per phone number, in memory (one server instance's view; several
//! instances each limit their own share). A refused request is refused before anything
//! is written.
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// `burst` requests at once, then `burst` more per `per` (refilled evenly).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rate {
    pub burst: u32,
    pub per: Duration,
}

impl Rate {
    /// `"20/600"`: 20 requests per 600 seconds. `None` for anything else.
    pub fn parse(raw: &str) -> Option<Rate> {
        let (n, secs) = raw.trim().split_once('/')?;
        let (burst, secs): (u32, u64) = (n.trim().parse().ok()?, secs.trim().parse().ok()?);
        (burst > 0 && secs > 0).then_some(Rate { burst, per: Duration::from_secs(secs) })
    }
}

/// The limits of the public forms; `None` switches a limit off.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limits {
    pub per_address: Option<Rate>,
    pub per_phone: Option<Rate>,
    /// Look-ups as the resident types (similar suggestions), per address: cheap one by
    /// one, but each compares the name with a whole call's suggestions.
    pub lookups: Option<Rate>,
    /// Bytes of photos one address may store in a day through the public report form.
    pub storage_per_day: Option<u64>,
    /// Calls of the JSON API per token.
    pub api_per_token: Option<Rate>,
}

impl Limits {
    /// 20 submissions per 10 minutes from one address (a village office may type in a
    /// meeting's worth), 5 per hour for one phone number.
    pub const DEFAULT: Limits = Limits {
        per_address: Some(Rate { burst: 20, per: Duration::from_secs(600) }),
        per_phone: Some(Rate { burst: 5, per: Duration::from_secs(3600) }),
        lookups: Some(Rate { burst: 60, per: Duration::from_secs(60) }),
        // Ten full reports of six large photos each.
        storage_per_day: Some(600 * 1024 * 1024),
        // A hotline platform filing and following its work orders, with room for bursts.
        api_per_token: Some(Rate { burst: 120, per: Duration::from_secs(60) }),
    };
    pub const OFF: Limits = Limits { per_address: None, per_phone: None, lookups: None, storage_per_day: None, api_per_token: None };
}

struct Bucket {
    tokens: f64,
    at: Instant,
}

/// Buckets for one kind of key.
struct Buckets {
    rate: Rate,
    map: HashMap<String, Bucket>,
}

impl Buckets {
    /// Takes one token, or says how long until one is there.
    fn take(&mut self, key: &str, now: Instant) -> Result<(), Duration> {
        let burst = self.rate.burst as f64;
        let per_sec = burst / self.rate.per.as_secs_f64();
        if self.map.len() > 50_000 {
            // Forget keys whose bucket has refilled: they are as good as new.
            self.map.retain(|_, b| b.tokens + now.duration_since(b.at).as_secs_f64() * per_sec < burst);
        }
        let b = self.map.entry(key.to_string()).or_insert(Bucket { tokens: burst, at: now });
        b.tokens = (b.tokens + now.duration_since(b.at).as_secs_f64() * per_sec).min(burst);
        b.at = now;
        if b.tokens >= 1.0 {
            b.tokens -= 1.0;
            Ok(())
        } else {
            Err(Duration::from_secs_f64((1.0 - b.tokens) / per_sec))
        }
    }
}

/// The limiter kept in the server's shared state.
pub struct Limiter {
    address: Option<Mutex<Buckets>>,
    phone: Option<Mutex<Buckets>>,
    lookups: Option<Mutex<Buckets>>,
    api: Option<Mutex<Buckets>>,
    storage: Option<(u64, Mutex<HashMap<String, Spent>>)>,
}

/// Bytes stored by one address since its day began.
struct Spent {
    since: Instant,
    bytes: u64,
}

const DAY: Duration = Duration::from_secs(24 * 3600);

impl std::fmt::Debug for Limiter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Limiter").field("address", &self.address.is_some()).field("phone", &self.phone.is_some()).finish()
    }
}

fn buckets(rate: Option<Rate>) -> Option<Mutex<Buckets>> {
    rate.map(|rate| Mutex::new(Buckets { rate, map: HashMap::new() }))
}

impl Limiter {
    pub fn new(limits: Limits) -> Limiter {
        Limiter {
            address: buckets(limits.per_address),
            phone: buckets(limits.per_phone),
            lookups: buckets(limits.lookups),
            api: buckets(limits.api_per_token),
            storage: limits.storage_per_day.map(|b| (b, Mutex::new(HashMap::new()))),
        }
    }

    /// One call of the JSON API by the token `token_id`: Ok, or the seconds to wait.
    pub fn check_api(&self, token_id: i64) -> Result<(), u64> {
        take(&self.api, &token_id.to_string(), Instant::now())
    }

    /// Counts `bytes` about to be stored for `address` against its day's budget: Ok, or the
    /// seconds until its day is over. Nothing is counted for a refusal.
    pub fn spend_storage(&self, address: &str, bytes: u64) -> Result<(), u64> {
        self.spend_storage_at(address, bytes, Instant::now())
    }

    fn spend_storage_at(&self, address: &str, bytes: u64, now: Instant) -> Result<(), u64> {
        let Some((budget, map)) = &self.storage else { return Ok(()) };
        if bytes == 0 {
            return Ok(());
        }
        let mut map = map.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() > 50_000 {
            map.retain(|_, s| now.duration_since(s.since) < DAY);
        }
        let spent = map.entry(address.to_string()).or_insert(Spent { since: now, bytes: 0 });
        if now.duration_since(spent.since) >= DAY {
            *spent = Spent { since: now, bytes: 0 };
        }
        if spent.bytes + bytes > *budget {
            return Err((DAY - now.duration_since(spent.since)).as_secs().max(1));
        }
        spent.bytes += bytes;
        Ok(())
    }

    /// One look-up from `address`: Ok, or the seconds to wait. Its own bucket, so typing
    /// never uses up the address's submissions.
    pub fn check_lookup(&self, address: &str) -> Result<(), u64> {
        take(&self.lookups, address, Instant::now())
    }

    /// One request from `address` (and `phone`, when given): Ok, or the seconds to wait.
    /// The phone's token is taken only when the address had one. A phone's bucket is kept
    /// per address, so a number typed by someone else elsewhere never uses up its owner's.
    pub fn check(&self, address: &str, phone: Option<&str>) -> Result<(), u64> {
        self.check_at(address, phone, Instant::now())
    }

    fn check_at(&self, address: &str, phone: Option<&str>, now: Instant) -> Result<(), u64> {
        take(&self.address, address, now)?;
        match phone {
            Some(p) => take(&self.phone, &format!("{p}|{address}"), now),
            None => Ok(()),
        }
    }
}

/// One token for `key` from a limit's buckets (none when the limit is off): Ok, or the whole
/// seconds to wait, at least one.
fn take(buckets: &Option<Mutex<Buckets>>, key: &str, now: Instant) -> Result<(), u64> {
    match buckets {
        Some(b) => b.lock().unwrap_or_else(|p| p.into_inner()).take(key, now).map_err(|d| d.as_secs().max(1)),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_parse_from_the_environment_form() {
        assert_eq!(Rate::parse("20/600"), Some(Rate { burst: 20, per: Duration::from_secs(600) }));
        for bad in ["", "off", "0/60", "5/0", "x/60", "5"] {
            assert_eq!(Rate::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_burst_is_cut_at_the_limit_and_refills_over_time() {
        let l = Limiter::new(Limits {
            per_address: Some(Rate { burst: 3, per: Duration::from_secs(30) }),
            per_phone: None,
            lookups: None,
            storage_per_day: None,
            api_per_token: None,
        });
        let t0 = Instant::now();
        for _ in 0..3 {
            l.check_at("1.2.3.4", None, t0).unwrap();
        }
        assert_eq!(l.check_at("1.2.3.4", None, t0), Err(10), "one token per 10 s");
        l.check_at("5.6.7.8", None, t0).expect("another address has its own bucket");
        l.check_at("1.2.3.4", None, t0 + Duration::from_secs(10)).expect("refilled");
    }

    #[test]
    fn a_phone_typed_elsewhere_never_uses_up_its_owners_quota_and_off_means_off() {
        let l = Limiter::new(Limits { per_address: None, per_phone: Some(Rate { burst: 2, per: Duration::from_secs(3600) }), ..Limits::OFF });
        let t0 = Instant::now();
        l.check_at("a", Some("13800001111"), t0).unwrap();
        l.check_at("a", Some("13800001111"), t0).unwrap();
        assert!(l.check_at("a", Some("13800001111"), t0).is_err(), "one sender, one number: limited");
        l.check_at("b", Some("13800001111"), t0).expect("the number's owner, elsewhere, still may");
        l.check_at("a", None, t0).expect("no phone, no phone limit");
        let off = Limiter::new(Limits::OFF);
        for _ in 0..1000 {
            off.check_at("a", Some("1"), t0).unwrap();
        }
    }

    #[test]
    fn an_address_stores_at_most_its_daily_budget() {
        let l = Limiter::new(Limits { storage_per_day: Some(100), ..Limits::OFF });
        let t0 = Instant::now();
        l.spend_storage_at("a", 60, t0).unwrap();
        assert_eq!(l.spend_storage_at("a", 50, t0 + Duration::from_secs(3600)), Err(23 * 3600), "until its day is over");
        l.spend_storage_at("a", 40, t0).expect("what fits still fits");
        l.spend_storage_at("b", 100, t0).expect("another address has its own budget");
        l.spend_storage_at("a", 100, t0 + DAY).expect("a new day");
    }
}
