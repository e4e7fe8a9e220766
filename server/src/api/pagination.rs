//! Cursor pagination, the same on every list (API.md "Pagination"): newest first, `limit` 1–200 (default 50),
//! `starting_after=<id>` for the items created before that one, and the list envelope with its legacy fields.

use std::collections::HashMap;

use serde::Serialize;
use serde_json::Value;

use super::ListEnvelope;
use crate::error::{ApiError, ApiResult};
use crate::store::{self, Db};

/// One page asked for.
#[derive(Debug, Clone, Copy)]
pub struct PageRequest {
    /// Items per page.
    pub limit: i64,
    /// Only items with a `seq` below this one (the cursor's), if a cursor was given.
    pub before_seq: Option<i64>,
}

impl PageRequest {
    /// Reads `limit` and `starting_after` from `params`. `cursor_sql`, a store module's `CURSOR` statement, finds
    /// the cursor item's position among the caller's own items of this list ([`store::cursor_position`]).
    ///
    /// # Errors
    /// 400 for a bad `limit`, or a cursor that is none of the caller's `noun`s.
    pub async fn read(
        db: &Db,
        params: &HashMap<String, String>,
        noun: &str,
        cursor_sql: &'static str,
        org_id: &str,
    ) -> ApiResult<Self> {
        let limit = super::page_limit(params)?;
        let before_seq = match params.get("starting_after").map(|s| s.trim()).filter(|s| !s.is_empty()) {
            Some(after) => {
                let seq = store::cursor_position(db, cursor_sql, org_id, after).await?;
                Some(seq.ok_or_else(|| ApiError::bad_request(format!("`starting_after`: no {noun} `{after}`")))?)
            }
            None => None,
        };
        Ok(PageRequest { limit, before_seq })
    }

    /// The envelope of `rows` (one more than a page, to learn `has_more`), with the items also
    /// under the legacy `plural` key.
    pub fn envelope<T: Serialize>(&self, mut rows: Vec<T>, total: i64, url: &str, plural: &str) -> Value {
        let has_more = rows.len() as i64 > self.limit;
        rows.truncate(self.limit as usize);
        let envelope =
            ListEnvelope { object: "list", has_more, url: url.into(), total, limit: self.limit, offset: 0, data: rows };
        envelope.with_legacy_items(plural)
    }
}
