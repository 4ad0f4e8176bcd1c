//! The text search index: SQLite FTS5 tables or PostgreSQL trigrams and grams, and how a
//! typed text is matched against them.
#[allow(unused_imports)]
use super::*;

pub(super) use crate::store::placeholders::Arg;

/// The tokens of SQLite's `case_grams` index: every character and every pair of
/// neighbouring characters within a field, space-separated (PostgreSQL computes the same
/// set in its `case_grams` function).
pub fn grams(fields: &[&str]) -> String {
    let mut out = String::new();
    for field in fields {
        let chars: Vec<char> = field.chars().collect();
        for (i, c) in chars.iter().enumerate() {
            out.push(*c);
            out.push(' ');
            if let Some(next) = chars.get(i + 1) {
                out.push(*c);
                out.push(*next);
                out.push(' ');
            }
        }
    }
    out
}

pub async fn index_text(conn: &mut AnyConnection, backend: Backend, id: CaseId, t: &CheckedText) -> Result<(), StoreError> {
    let address = t.address.as_deref().unwrap_or("");
    match backend {
        Backend::Sqlite => {
            sqlx::query("INSERT INTO case_search (rowid, title, description, address) VALUES ($1, $2, $3, $4)")
                .bind(id)
                .bind(&t.title)
                .bind(&t.description)
                .bind(address)
                .execute(&mut *conn)
                .await?;
            sqlx::query("INSERT INTO case_grams (rowid, grams) VALUES ($1, $2)")
                .bind(id)
                .bind(grams(&[&t.title, &t.description, address]))
                .execute(&mut *conn)
                .await?;
        }
        Backend::Postgres => {
            sqlx::query("INSERT INTO case_search (case_id, body) VALUES ($1, $2)")
                .bind(id)
                .bind(format!("{}\n{}\n{}", t.title, t.description, address))
                .execute(conn)
                .await?;
        }
    }
    Ok(())
}

/// `%` and `_` in what people type are literal characters, not wildcards.
pub(super) fn like_pattern(text: &str) -> String {
    let escaped = text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    format!("%{escaped}%")
}

/// A text search whose index finds at most this many cases is answered from those cases
/// (looked up and sorted); a commoner word is checked row by row down the list instead,
/// where it is dense enough that a page turns up within a few thousand rows.
pub const TEXT_CANDIDATES: usize = 5000;

/// Where a text search looks first: three characters or more in the trigram index, one
/// or two (二字词 are common) in the index of single characters and pairs.
pub(super) enum TextIndex {
    /// SQLite FTS5, a quoted phrase for `case_search` (trigrams) or `case_grams`.
    Fts { table: &'static str, phrase: String },
    /// PostgreSQL `pg_trgm`: the LIKE pattern and its operator (`like_op`).
    Trigrams { pattern: String, op: &'static str },
    /// PostgreSQL `case_grams(body)`: the characters or pairs that must all be there
    /// (newline-separated), the LIKE pattern and its operator.
    Grams { grams: String, pattern: String, op: &'static str },
    /// Characters no index holds (SQLite's tokenizer splits at punctuation).
    None,
}

impl TextIndex {
    pub(super) fn of(backend: Backend, text: &str) -> TextIndex {
        let short = text.chars().count() < 3;
        let phrase = || format!("\"{}\"", text.replace('"', "\"\""));
        match backend {
            Backend::Sqlite if !short => TextIndex::Fts { table: "case_search", phrase: phrase() },
            Backend::Sqlite if text.chars().all(gram_char) => TextIndex::Fts { table: "case_grams", phrase: phrase() },
            Backend::Sqlite => TextIndex::None,
            // pg_trgm takes its trigrams from letters and digits only.
            Backend::Postgres if text.chars().filter(|c| c.is_alphanumeric()).count() >= 3 => {
                TextIndex::Trigrams { pattern: like_pattern(text), op: like_op(backend, text) }
            }
            Backend::Postgres => {
                let chars: Vec<char> = text.chars().collect();
                let grams: Vec<String> = if short { vec![text.to_string()] } else { chars.windows(2).map(|w| w.iter().collect()).collect() };
                let grams: Vec<String> = grams.into_iter().filter(|g| !g.contains('\n')).collect();
                TextIndex::Grams { grams: grams.join("\n"), pattern: like_pattern(text), op: like_op(backend, text) }
            }
        }
    }

    /// `SELECT <case id> FROM <index> WHERE <match>`, its values numbered by `arg`. For
    /// `counting`, PostgreSQL's index of characters and pairs goes unchecked: for one or
    /// two characters it is exact but for the case of Latin letters, and checking each row's
    /// text would cost more than the count is for.
    pub(super) fn ids(&self, args: &mut Vec<Arg>, counting: bool) -> Option<String> {
        let mut arg = |a: String| {
            args.push(Arg::Text(a));
            format!("${}", args.len())
        };
        Some(match self {
            TextIndex::Fts { table, phrase } => format!("SELECT rowid FROM {table} WHERE {table} MATCH {}", arg(phrase.clone())),
            TextIndex::Trigrams { pattern, op } => format!("SELECT case_id FROM case_search WHERE body {op} {} ESCAPE '\\'", arg(pattern.clone())),
            TextIndex::Grams { grams, .. } if counting => {
                format!("SELECT case_id FROM case_search WHERE case_grams(body) @> string_to_array(lower({}), chr(10))", arg(grams.clone()))
            }
            TextIndex::Grams { grams, pattern, op } => format!(
                // `body || ''` keeps the trigram index out: for fewer than three characters it
                // would read all of itself.
                "SELECT case_id FROM case_search WHERE case_grams(body) @> string_to_array(lower({}), chr(10)) AND (body || '') {op} {} ESCAPE '\\'",
                arg(grams.clone()),
                arg(pattern.clone())
            ),
            TextIndex::None => return None,
        })
    }
}

/// The operator that matches a text ignoring the case of Latin letters: SQLite's LIKE does
/// so itself; on PostgreSQL ILIKE, but plain LIKE (several times faster on Chinese text)
/// when the text has no letter that has a case.
pub(super) fn like_op(backend: Backend, text: &str) -> &'static str {
    let cased = text.chars().any(|c| c.is_lowercase() || c.is_uppercase());
    if backend == Backend::Postgres && cased { "ILIKE" } else { "LIKE" }
}

/// Characters SQLite's `case_grams` index holds as tokens: Chinese characters and ASCII
/// letters and digits (its tokenizer splits at everything else).
fn gram_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{2FA1F}')
}

/// How many cases the index finds for a text, counting no further than one past
/// `TEXT_CANDIDATES` (one row comes back, not the ids).
pub(super) async fn text_count(conn: &mut AnyConnection, index: &TextIndex) -> Result<Option<usize>, StoreError> {
    let mut args = Vec::new();
    let Some(ids) = index.ids(&mut args, true) else { return Ok(None) };
    let sql = format!("SELECT COUNT(*) FROM ({ids} LIMIT {}) t", TEXT_CANDIDATES + 1);
    let mut q = sqlx::query_scalar::<_, i64>(&sql);
    for a in args {
        if let Arg::Text(t) = a {
            q = q.bind(t);
        }
    }
    Ok(Some(q.fetch_one(&mut *conn).await? as usize))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postgresql_ignores_case_only_for_texts_with_letters_that_have_one() {
        assert_eq!(like_op(Backend::Postgres, "路灯不亮"), "LIKE");
        assert_eq!(like_op(Backend::Postgres, "3号楼"), "LIKE");
        assert_eq!(like_op(Backend::Postgres, "LED灯"), "ILIKE");
        assert_eq!(like_op(Backend::Postgres, "ä"), "ILIKE");
        assert_eq!(like_op(Backend::Sqlite, "LED"), "LIKE", "SQLite's LIKE ignores ASCII case itself");
    }

    #[test]
    fn grams_hold_every_character_and_every_neighbouring_pair_within_a_field() {
        assert_eq!(grams(&["噪音扰民", "ab"]), "噪 噪音 音 音扰 扰 扰民 民 a ab b ");
        // No pair spans two fields.
        assert!(!grams(&["路灯", "不亮"]).contains("灯不"));
        assert_eq!(grams(&[""]), "");
    }
}
