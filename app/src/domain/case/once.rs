//! A command filed once however often it is sent. A phone that loses its answer (the network
//! dropped after the server had filed the report) sends the report again; the phone names
//! each command with a key when it is written, and the server files a key only once.
use super::{CaseError, CaseId, UserId};

/// How long the server remembers a key: longer than a phone stays out of signal.
pub const COMMAND_KEY_KEEP_MS: i64 = 30 * 24 * 3600 * 1000;

/// The key a phone gave one command: 16 to 64 letters, digits or hyphens (a random UUID
/// in practice), so that keys of different phones never meet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandKey(String);

impl CommandKey {
    pub fn parse(s: &str) -> Result<Self, CaseError> {
        let s = s.trim();
        let ok = (16..=64).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
        if ok { Ok(Self(s.to_owned())) } else { Err(CaseError::BadCommandKey) }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A key seen before is the same command sent again only from the same person on the same
/// case; anything else is a key used twice by mistake, refused rather than taken as done.
pub fn check_repeat(first: (Option<UserId>, CaseId), again: (Option<UserId>, CaseId)) -> Result<(), CaseError> {
    if first == again { Ok(()) } else { Err(CaseError::BadCommandKey) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_uuid_is_a_key_and_junk_is_not() {
        let k = CommandKey::parse(" 0f8fad5b-d9cb-469f-a165-70867728950e ").unwrap();
        assert_eq!(k.as_str(), "0f8fad5b-d9cb-469f-a165-70867728950e");
        for bad in ["", "short", "0f8fad5b d9cb 469f", "ключ-ключ-ключ-ключ", &"a".repeat(65), "0f8fad5b;d9cb;469f;a165"] {
            assert_eq!(CommandKey::parse(bad), Err(CaseError::BadCommandKey), "{bad:?}");
        }
        assert!(CommandKey::parse(&"a".repeat(16)).is_ok());
        assert!(CommandKey::parse(&"a".repeat(64)).is_ok());
    }

    #[test]
    fn a_key_repeats_only_for_the_same_person_and_case() {
        assert_eq!(check_repeat((Some(7), 1), (Some(7), 1)), Ok(()));
        assert_eq!(check_repeat((Some(7), 1), (Some(8), 1)), Err(CaseError::BadCommandKey));
        assert_eq!(check_repeat((Some(7), 1), (Some(7), 2)), Err(CaseError::BadCommandKey));
        assert_eq!(check_repeat((None, 1), (Some(7), 1)), Err(CaseError::BadCommandKey));
    }
}
