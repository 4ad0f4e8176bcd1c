//! A share kept as its two counts: first-time resolution, on-time signing, satisfaction.
use serde::{Deserialize, Serialize};

/// A share, kept as its two counts so the screen can say "of how many".
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rate {
    pub part: i64,
    pub whole: i64,
}

impl Rate {
    /// Per mille, rounded half up; `None` when there is nothing to divide by (shown as
    /// "—", never as 0 % or 100 %).
    pub fn permille(self) -> Option<i64> {
        (self.whole > 0).then(|| (self.part * 2000 + self.whole) / (2 * self.whole))
    }

    /// "96.1%" or "—".
    pub fn percent_text(self) -> String {
        match self.permille() {
            Some(p) => format!("{}.{}%", p / 10, p % 10),
            None => "—".into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_round_half_up_and_say_nothing_without_a_whole() {
        assert_eq!(Rate { part: 961, whole: 1000 }.percent_text(), "96.1%");
        assert_eq!(Rate { part: 2, whole: 3 }.percent_text(), "66.7%");
        assert_eq!(Rate { part: 1, whole: 8 }.permille(), Some(125));
        assert_eq!(Rate { part: 1, whole: 2000 }.permille(), Some(1), "0.05 % rounds up to 0.1 %");
        assert_eq!(Rate { part: 3, whole: 3 }.percent_text(), "100.0%");
        assert_eq!(Rate::default().percent_text(), "—");
    }
}
