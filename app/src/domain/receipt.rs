//! What a resident keeps after reporting a problem or making a suggestion.
use serde::{Deserialize, Serialize};

/// The tracking code, and the secret shown only this once beside it (only its hash is kept).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipt {
    pub id: i64,
    pub code: String,
    pub secret: String,
}
