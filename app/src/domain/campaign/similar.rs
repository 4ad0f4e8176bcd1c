//! "Similar suggestions already submitted", shown while a resident types a name: the
//! overlap of character bigrams, which needs no word segmentation for Chinese.
use std::collections::HashSet;

/// At or above this, a suggestion is shown as similar.
pub const SIMILAR_THRESHOLD: f64 = 0.3;

fn bigrams(text: &str) -> HashSet<(char, char)> {
    let chars: Vec<char> = text.chars().filter(|c| c.is_alphanumeric()).collect();
    if chars.len() == 1 {
        return std::iter::once((chars[0], chars[0])).collect();
    }
    chars.windows(2).map(|w| (w[0], w[1])).collect()
}

/// Dice coefficient of the two texts' bigram sets, in 0..=1.
pub fn similarity(a: &str, b: &str) -> f64 {
    let (x, y) = (bigrams(a), bigrams(b));
    if x.is_empty() || y.is_empty() {
        return 0.0;
    }
    2.0 * x.intersection(&y).count() as f64 / (x.len() + y.len()) as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_same_project_in_other_words_is_similar_and_another_is_not() {
        assert!(similarity("城区新增公共停车位", "新增公共停车位") >= SIMILAR_THRESHOLD);
        assert!(similarity("增加公共停车位", "老城区停车位不够") >= SIMILAR_THRESHOLD);
        assert!(similarity("城区新增公共停车位", "农村饮用水提标改造") < SIMILAR_THRESHOLD);
        assert_eq!(similarity("", "停车"), 0.0);
    }

    proptest! {
        #[test]
        fn similarity_is_symmetric_bounded_and_one_for_itself(a in "\\PC{1,30}", b in "\\PC{0,30}") {
            let s = similarity(&a, &b);
            prop_assert!((0.0..=1.0).contains(&s));
            prop_assert!((s - similarity(&b, &a)).abs() < 1e-12);
            if a.chars().any(|c| c.is_alphanumeric()) {
                prop_assert!((similarity(&a, &a) - 1.0).abs() < 1e-12);
            }
        }
    }
}
