//! Evaluation (考评): the ranking of units at `/center/evaluation` with the cases behind every
//! figure, and each unit's own scores on its phone at `/field/evaluation`.
pub mod api;
pub mod drill;
#[cfg(feature = "ssr")]
pub mod export;
pub mod field;
pub mod page;
pub mod texts;

pub use drill::{EvaluationDrillPage, FieldDrillPage};
pub use field::FieldEvaluationPage;
pub use page::EvaluationRankingPage;
