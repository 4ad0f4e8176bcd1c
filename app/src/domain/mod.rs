//! Pure rules of the center: no I/O, compiles for the browser too.

/// Declares an enum stored as a stable text code (the same as its serde name). Parsing an
/// unknown code gives the named error type's `UnknownCode` variant.
macro_rules! coded_enum {
    ($err:ty => $(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $variant:ident => $code:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vm])* $variant),+ }
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub fn code(self) -> &'static str { match self { $($name::$variant => $code),+ } }
        }
        impl std::str::FromStr for $name {
            type Err = $err;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s.trim() {
                    $($code => Ok($name::$variant),)+
                    other => Err(<$err>::UnknownCode(other.to_string())),
                }
            }
        }
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { f.write_str(self.code()) }
        }
    };
}

pub mod access;
pub mod audit;
pub mod bulletin;
pub mod campaign;
pub mod case;
pub mod clock;
pub mod duty;
pub mod emergency;
pub mod evaluation;
pub mod geo;
pub mod hazard;
pub mod mediation;
pub mod notice;
pub mod open311;
pub mod org;
pub mod period;
pub mod privacy;
pub mod rate;
pub mod receipt;
pub mod report;
pub mod risk;
pub mod roster;
pub mod routing;
pub mod screen;
pub mod screen_delta;
pub mod session;
pub mod signin;
pub mod supervision;

pub use receipt::Receipt;
