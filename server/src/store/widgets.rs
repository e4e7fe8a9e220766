//! What a reply needs of its widget. (The developer API's widget endpoints still hold their own SQL in
//! `api/widgets`; they move here with the rest of issue 20's storage layer.)

use super::Db;

/// The widget's brand name.
const BRAND: &str = "SELECT brand FROM widgets WHERE id = $1";
/// The model the widget's owner chose.
const AI_MODEL: &str = "SELECT ai_model FROM widgets WHERE id = $1";

/// The widget's brand name, which the responder speaks for.
///
/// # Errors
/// Database errors (`RowNotFound` for no such widget).
pub async fn brand(db: &Db, widget_id: &str) -> Result<String, sqlx::Error> {
    sqlx::query_scalar(BRAND).bind(widget_id).fetch_one(db).await
}

/// The widget's `ai_model` (`None`: the server's default responder).
///
/// # Errors
/// Database errors (`RowNotFound` for no such widget).
pub async fn ai_model(db: &Db, widget_id: &str) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar(AI_MODEL).bind(widget_id).fetch_one(db).await
}
