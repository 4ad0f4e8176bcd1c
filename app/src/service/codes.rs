//! What residents and programs hold instead of an account: tracking codes read out on the
//! phone, the secret shown once beside them, and how both are checked. Cases and
//! suggestions share all of it.
use crate::domain::clock::local_date;
use crate::store::hash::sha256_hex;
use rand::Rng;

/// Letters and digits nobody confuses when reading them over the phone (no 0/O, 1/I/L).
const CODE_ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";

/// `len` characters of the phone alphabet, from the thread's cryptographic generator.
pub fn random_code(len: usize) -> String {
    let mut rng = rand::rng();
    (0..len).map(|_| CODE_ALPHABET[rng.random_range(0..CODE_ALPHABET.len())] as char).collect()
}

/// A new tracking code: the local day, then six characters nobody misreads.
pub fn tracking_code(now: i64) -> String {
    format!("{}{}", code_day(now), random_code(6))
}

/// `YYMMDD` of the instant in the center's time zone, the start of every code, so a
/// code read out on the phone also says roughly when it was filed.
pub fn code_day(ms: i64) -> String {
    let (y, m, d) = local_date(ms);
    format!("{:02}{m:02}{d:02}", y % 100)
}

/// The code of the day of `ms` whose six characters spell `n` (modulo 31^6): for data
/// generators that need codes unique by construction.
pub fn numbered_code(ms: i64, n: u64) -> String {
    let base = CODE_ALPHABET.len() as u64;
    let mut x = n % base.pow(6);
    let mut code = code_day(ms);
    for _ in 0..6 {
        code.push(CODE_ALPHABET[(x % base) as usize] as char);
        x /= base;
    }
    code
}

/// A new secret to show once beside a code.
pub fn new_secret() -> String {
    random_code(8)
}

/// The stored form of a code's secret. Residents type secrets in any case and with
/// stray spaces, so both are ignored.
pub fn secret_hash(code: &str, secret: &str) -> String {
    sha256_hex(format!("{code}:{}", secret.trim().to_ascii_uppercase()).as_bytes())
}

/// The stored form of an API token.
pub fn token_hash(token: &str) -> String {
    sha256_hex(token.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_start_with_the_day_in_the_centers_time_zone() {
        // 2026-11-28 16:30 UTC is already the 29th in Quzhou.
        assert_eq!(code_day(1_795_883_400_000), "261129");
        assert_eq!(code_day(0), "700101");
        assert_eq!(code_day(951_782_400_000 - 8 * 3600 * 1000), "000229");
    }

    #[test]
    fn codes_use_only_the_phone_alphabet() {
        let code = tracking_code(0);
        assert_eq!(code.len(), 12);
        assert!(code[6..].bytes().all(|b| CODE_ALPHABET.contains(&b)));
    }

    #[test]
    fn secrets_are_compared_ignoring_case_and_spaces() {
        assert_eq!(secret_hash("A", " abc "), secret_hash("A", "ABC"));
        assert_ne!(secret_hash("A", "ABC"), secret_hash("B", "ABC"));
    }
}
