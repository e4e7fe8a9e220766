//! Statements put together at run time (list filters, partial updates), with `$N` placeholders, which both
//! engines read. (sqlx's `QueryBuilder` writes `?` for `sqlx::Any`, which Postgres rejects.)

use std::fmt::Display;

use sqlx::any::{AnyArguments, AnyRow};
use sqlx::query::{Query, QueryAs, QueryScalar};
use sqlx::{Any, Arguments, Encode, FromRow, Type};

/// A statement and its arguments, built piece by piece like sqlx's `QueryBuilder`.
#[derive(Default)]
pub struct Builder<'q> {
    sql: String,
    args: AnyArguments<'q>,
    count: usize,
}

impl<'q> Builder<'q> {
    /// Starts a statement with `sql`.
    pub fn new(sql: impl Into<String>) -> Self {
        Self { sql: sql.into(), ..Self::default() }
    }

    /// Appends SQL text.
    pub fn push(&mut self, sql: impl Display) -> &mut Self {
        use std::fmt::Write;
        let _ = write!(self.sql, "{sql}");
        self
    }

    /// Appends the next placeholder (`$N`) and binds `value` to it.
    pub fn push_bind<T: 'q + Encode<'q, Any> + Type<Any>>(&mut self, value: T) -> &mut Self {
        // An argument the engine cannot encode surfaces when the statement runs; `AnyArguments` only stores it.
        let _ = self.args.add(value);
        self.count += 1;
        let n = self.count;
        self.push(format_args!("${n}"))
    }

    /// Binds values separated by `separator` (an `IN (…)` list).
    pub fn separated<'b>(&'b mut self, separator: &'static str) -> Separated<'b, 'q> {
        Separated { builder: self, separator, first: true }
    }

    /// The statement text so far.
    pub fn sql(&self) -> &str {
        &self.sql
    }

    /// The statement, to execute.
    pub fn build(&mut self) -> Query<'_, Any, AnyArguments<'_>> {
        sqlx::query_with(&self.sql, std::mem::take(&mut self.args))
    }

    /// The statement, reading rows as `T`.
    pub fn build_query_as<T: for<'r> FromRow<'r, AnyRow>>(&mut self) -> QueryAs<'_, Any, T, AnyArguments<'_>> {
        sqlx::query_as_with(&self.sql, std::mem::take(&mut self.args))
    }

    /// The statement, reading its first column as `T`.
    pub fn build_query_scalar<T>(&mut self) -> QueryScalar<'_, Any, T, AnyArguments<'_>>
    where
        (T,): for<'r> FromRow<'r, AnyRow>,
    {
        sqlx::query_scalar_with(&self.sql, std::mem::take(&mut self.args))
    }
}

/// Values bound one after the other with a separator, from [`Builder::separated`].
pub struct Separated<'b, 'q> {
    builder: &'b mut Builder<'q>,
    separator: &'static str,
    first: bool,
}

impl<'q> Separated<'_, 'q> {
    /// Appends the separator (except before the first) and binds `value`.
    pub fn push_bind<T: 'q + Encode<'q, Any> + Type<Any>>(&mut self, value: T) -> &mut Self {
        if !self.first {
            self.builder.push(self.separator);
        }
        self.first = false;
        self.builder.push_bind(value);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_numbered_in_order() {
        let mut b = Builder::new("SELECT id FROM t WHERE org = ");
        b.push_bind("o1").push(" AND status IN (");
        b.separated(", ").push_bind("a").push_bind("b");
        b.push(") LIMIT ").push_bind(10_i64);
        assert_eq!(b.sql(), "SELECT id FROM t WHERE org = $1 AND status IN ($2, $3) LIMIT $4");
    }
}
