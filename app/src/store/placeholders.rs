//! `$a, $a+1, …` for a query that takes a list: the `Any` driver binds one value per mark.
pub fn marks(from: usize, n: usize) -> String {
    (from..from + n).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    #[test]
    fn marks_count_from_the_first_free_number() {
        assert_eq!(super::marks(2, 3), "$2, $3, $4");
        assert_eq!(super::marks(1, 0), "");
    }
}
