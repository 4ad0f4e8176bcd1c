//! Queries that take a list of ids: the `Any` driver binds one value per `$n` mark.
use sqlx::Any;
use sqlx::any::AnyArguments;
use sqlx::query::Query;

/// A bind value for queries assembled from filters.
pub enum Arg {
    Int(i64),
    Text(String),
}

/// `q` with `args` bound in order (their marks numbered from $1 as they were pushed).
pub fn bind_args<'q>(q: Query<'q, Any, AnyArguments<'q>>, args: &'q [Arg]) -> Query<'q, Any, AnyArguments<'q>> {
    args.iter().fold(q, |q, a| match a {
        Arg::Int(v) => q.bind(*v),
        Arg::Text(v) => q.bind(v.as_str()),
    })
}

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
