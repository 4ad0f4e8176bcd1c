//! The one digest of the system: the links of the case history chain, and every secret,
//! token and submitter key kept only as a hash.
use sha2::{Digest, Sha256};

pub fn sha256_hex(data: &[u8]) -> String {
    Sha256::digest(data).iter().map(|b| format!("{b:02x}")).collect()
}
