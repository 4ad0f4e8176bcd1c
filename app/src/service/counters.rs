//! Counts of cases received and of sign-ins since the process started, for `/metrics`. The
//! register and the audit trail are the records; these only give a monitor the rates, per
//! server process, as Prometheus counters are meant to be.
use crate::domain::case::Channel;
use crate::domain::signin::SignInRefusal;
use crate::error::AppError;
use std::sync::atomic::{AtomicU64, Ordering};

const CHANNELS: usize = Channel::ALL.len();
static RECEIVED: [AtomicU64; CHANNELS] = [const { AtomicU64::new(0) }; CHANNELS];

/// How a sign-in ended, as the counter labels it.
pub const SIGN_IN_OUTCOMES: [&str; 5] = ["accepted", "wrong_credentials", "throttled", "busy", "error"];
static SIGN_INS: [AtomicU64; 5] = [const { AtomicU64::new(0) }; 5];

pub(crate) fn received(channel: Channel) {
    if let Some(i) = Channel::ALL.iter().position(|c| *c == channel) {
        RECEIVED[i].fetch_add(1, Ordering::Relaxed);
    }
}

pub(crate) fn signed_in<T>(result: &Result<T, AppError>) {
    let i = match result {
        Ok(_) => 0,
        Err(AppError::SignIn(SignInRefusal::BadCredentials)) => 1,
        Err(AppError::SignIn(SignInRefusal::Throttled(_))) => 2,
        Err(AppError::SignIn(SignInRefusal::Busy)) => 3,
        Err(_) => 4,
    };
    SIGN_INS[i].fetch_add(1, Ordering::Relaxed);
}

/// Cases received by channel.
pub fn received_counts() -> Vec<(Channel, u64)> {
    Channel::ALL.iter().zip(&RECEIVED).map(|(c, n)| (*c, n.load(Ordering::Relaxed))).collect()
}

/// Sign-ins by outcome.
pub fn sign_in_counts() -> Vec<(&'static str, u64)> {
    SIGN_IN_OUTCOMES.iter().zip(&SIGN_INS).map(|(o, n)| (*o, n.load(Ordering::Relaxed))).collect()
}
