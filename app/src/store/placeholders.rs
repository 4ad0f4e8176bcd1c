//! Queries that take a list of ids: the `Any` driver binds one value per `$n` mark.
use sqlx::Any;
use sqlx::any::AnyArguments;
use sqlx::query::Query;

/// `$from, $from+1, …`: `n` marks.
pub fn marks(from: usize, n: usize) -> String {
    (from..from + n).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ")
}

/// `q` with `ids` bound after the values it already has (their marks from `marks`).
pub fn bind_ids<'q>(q: Query<'q, Any, AnyArguments<'q>>, ids: &[i64]) -> Query<'q, Any, AnyArguments<'q>> {
    ids.iter().fold(q, |q, id| q.bind(*id))
}

#[cfg(test)]
mod tests {
    #[test]
    fn marks_count_from_the_first_free_number() {
        assert_eq!(super::marks(2, 3), "$2, $3, $4");
        assert_eq!(super::marks(1, 0), "");
    }
}
