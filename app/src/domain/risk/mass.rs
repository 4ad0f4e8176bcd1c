//! The mass-incident rule's reading of a case's words: a listed word that signals a
//! gathering on its own, or a word that does with a head count ("20余名", "三十多人").
use super::settings::MassRule;

/// Why a text signals a mass incident: the word found, and the head count when it counted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MassSignal {
    pub word: String,
    pub people: Option<u32>,
}

/// The signal in `text` under `rule`, if any (whether the rule is on is the caller's).
pub fn signal(rule: &MassRule, text: &str) -> Option<MassSignal> {
    if let Some(w) = rule.words.iter().find(|w| text.contains(w.as_str())) {
        return Some(MassSignal { word: w.clone(), people: None });
    }
    let people = largest_head_count(text)?;
    if people < rule.min_people {
        return None;
    }
    rule.count_words.iter().find(|w| text.contains(w.as_str())).map(|w| MassSignal { word: w.clone(), people: Some(people) })
}

/// The largest number of people the text mentions: a number (digits or Chinese numerals),
/// an optional 余/多/几/来, then 名, 人, 户 or 位.
pub fn largest_head_count(text: &str) -> Option<u32> {
    let chars: Vec<char> = text.chars().collect();
    let mut best = None;
    let mut i = 0;
    while i < chars.len() {
        let start = i;
        while i < chars.len() && is_numeral(chars[i]) {
            i += 1;
        }
        if i == start {
            i += 1;
            continue;
        }
        let mut j = i;
        if j < chars.len() && matches!(chars[j], '余' | '多' | '几' | '来') {
            j += 1;
        }
        if j < chars.len()
            && matches!(chars[j], '名' | '人' | '户' | '位')
            && let Some(n) = number(&chars[start..i])
        {
            best = best.max(Some(n));
        }
    }
    best
}

fn is_numeral(c: char) -> bool {
    c.is_ascii_digit() || "零一二两三四五六七八九十百千".contains(c)
}

/// "20", "二十", "三百五十", "十几" (as ten), "两" — `None` for what is no number.
fn number(s: &[char]) -> Option<u32> {
    if s.iter().all(char::is_ascii_digit) {
        return s.iter().collect::<String>().parse().ok();
    }
    let digit = |c: char| "零一二三四五六七八九".find(c).map(|i| (i / '一'.len_utf8()) as u32).or((c == '两').then_some(2));
    let (mut total, mut current) = (0u32, 0u32);
    for &c in s {
        match c {
            '十' | '百' | '千' => {
                let unit = match c {
                    '十' => 10,
                    '百' => 100,
                    _ => 1000,
                };
                total = total.checked_add(current.max(1).checked_mul(unit)?)?;
                current = 0;
            }
            c => current = current.checked_mul(10)?.checked_add(digit(c)?)?,
        }
    }
    total.checked_add(current)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::risk::Settings;

    #[test]
    fn head_counts_in_digits_and_in_chinese() {
        assert_eq!(largest_head_count("某工地拖欠20余名农民工工资"), Some(20));
        assert_eq!(largest_head_count("三十多人聚在门口"), Some(30));
        assert_eq!(largest_head_count("十几户村民"), Some(10));
        assert_eq!(largest_head_count("两人争吵，后来二百五十人围观"), Some(250));
        assert_eq!(largest_head_count("3栋12楼漏水"), None);
        assert_eq!(largest_head_count("约36万元"), None);
    }

    #[test]
    fn a_word_alone_signals_and_a_count_word_needs_enough_people() {
        let rule = Settings::default().mass;
        assert_eq!(signal(&rule, "多名业主聚集维权").map(|s| s.word), Some("聚集".to_string()));
        let s = signal(&rule, "某工地拖欠20余名农民工工资，工人来访").unwrap();
        assert_eq!(s.people, Some(20));
        assert_eq!(signal(&rule, "拖欠3名工人工资"), None, "three people are below the threshold");
        assert_eq!(signal(&rule, "120名学生参加运动会"), None, "a crowd without a listed word");
    }

    #[test]
    fn the_threshold_is_inclusive() {
        let rule = Settings::default().mass;
        assert!(signal(&rule, "9人讨薪").is_none());
        assert!(signal(&rule, "10人讨薪").is_some());
    }
}
