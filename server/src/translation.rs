//! Agents' replies in the visitor's language (API.md: a reply is "auto-translated to visitor's language").
//!
//! The visitor's language is the conversation's `locale`, which the widget reports with each chat request; the
//! agent's is taken to be the widget's `locale` (the language the site, and so its team, works in). When they are
//! different languages and a model provider is configured, the reply is translated before it is stored and pushed;
//! otherwise it passes through unchanged. A failed translation never loses the message: the original is sent and
//! a warning logged.

use crate::store::Db;

use crate::locale;
use crate::responder::openai::Provider;

/// A reply as the visitor will see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForVisitor {
    /// What the visitor sees: the translation, or the original.
    pub text: String,
    /// The visitor's language when `text` is a translation; `None` when it is the original.
    pub translated_to: Option<String>,
}

/// `text` in conversation `conversation_id`'s visitor language, when there is a provider and a language to
/// translate into.
///
/// # Errors
/// Database errors only; provider failures fall back to the original.
pub async fn for_visitor(
    db: &Db,
    provider: Option<&Provider>,
    conversation_id: &str,
    text: &str,
) -> Result<ForVisitor, sqlx::Error> {
    let unchanged = ForVisitor { text: text.to_owned(), translated_to: None };
    let Some(provider) = provider else { return Ok(unchanged) };
    let languages = crate::store::conversations::languages(db, conversation_id).await?;
    let Some((Some(visitor), agent)) = languages else { return Ok(unchanged) };
    if locale::same_language(&visitor, &agent) {
        return Ok(unchanged);
    }
    match provider.translate(text, &visitor).await {
        Ok(translated) => Ok(ForVisitor { text: translated, translated_to: Some(visitor) }),
        Err(e) => {
            tracing::warn!(error = %e, conversation = conversation_id, to = %visitor, "translation failed; sending the original");
            Ok(unchanged)
        }
    }
}
