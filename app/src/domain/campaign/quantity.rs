//! 一事一提 asks for "quantifiable content": how many schools, how many kilometres, how
//! many households. A suggestion's content passes when it states at least one number
//! with what it counts — digits, or a Chinese numeral followed by a measure word.

/// Measure words and units that turn a Chinese numeral into a quantity. Longer ones
/// first is not needed: any match after the numeral counts.
const MEASURES: &[&str] = &[
    "个",
    "所",
    "条",
    "公里",
    "千米",
    "米",
    "平方米",
    "平方",
    "户",
    "人",
    "座",
    "处",
    "家",
    "台",
    "辆",
    "场",
    "次",
    "名",
    "张",
    "间",
    "套",
    "项",
    "元",
    "万元",
    "亿元",
    "亩",
    "吨",
    "小时",
    "天",
    "年",
    "月",
    "周",
    "盏",
    "棵",
    "株",
    "只",
    "批",
    "段",
    "栋",
    "幢",
    "层",
    "床",
    "位",
    "路",
    "班",
    "期",
    "支",
    "块",
    "根",
    "口",
    "辆次",
    "人次",
    "分钟",
    "成",
    "倍",
    "公顷",
];

const NUMERALS: &str = "零〇一二两三四五六七八九十百千万亿半几";

/// Does the text say how much? `"新建3所幼儿园"`, `"改造两条道路"` do; `"希望改善环境"`,
/// `"一些路灯坏了"` do not.
pub fn states_a_quantity(text: &str) -> bool {
    let chars: Vec<char> = text.chars().collect();
    for (i, c) in chars.iter().enumerate() {
        if c.is_ascii_digit() || ('０'..='９').contains(c) {
            return true;
        }
        if NUMERALS.contains(*c) && !matches!(c, '几') {
            // The numeral may run on (三十五); look after its last character.
            let mut j = i;
            while j + 1 < chars.len() && NUMERALS.contains(chars[j + 1]) {
                j += 1;
            }
            let rest: String = chars[j + 1..].iter().take(3).collect();
            if MEASURES.iter().any(|m| rest.starts_with(m)) {
                return true;
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn numbers_with_what_they_count_are_quantities() {
        for yes in ["新建3所幼儿园", "改造两条背街小巷", "增设二十盏路灯", "为五百户老人安装扶手", "覆盖１２个村", "投资约300万元", "三十五个停车位"]
        {
            assert!(states_a_quantity(yes), "{yes}");
        }
    }

    #[test]
    fn wishes_without_a_number_are_not() {
        for no in ["希望改善村里的环境", "一些路灯坏了", "多建一点公园", "十分必要", "", "尽快解决停车难"] {
            assert!(!states_a_quantity(no), "{no}");
        }
    }

    proptest! {
        #[test]
        fn any_text_with_a_digit_in_it_states_a_quantity(prefix in "\\PC{0,20}", n in 0u32..100_000, suffix in "\\PC{0,20}") {
            let text = format!("{prefix}{n}{suffix}");
            prop_assert!(states_a_quantity(&text));
        }

        #[test]
        fn the_check_never_panics(text in "\\PC{0,60}") {
            let _ = states_a_quantity(&text);
        }
    }
}
