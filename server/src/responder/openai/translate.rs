//! One-shot translations with the provider's default model: agents' replies into the visitor's language.

use serde_json::json;

use super::{Provider, ProviderError};
use crate::locale;

impl Provider {
    /// `text` translated into the language of `target` (a BCP 47 tag), markdown and links kept.
    ///
    /// # Errors
    /// Every [`ProviderError`]; an empty translation is [`ProviderError::Malformed`].
    pub async fn translate(&self, text: &str, target: &str) -> Result<String, ProviderError> {
        let language = locale::describe(target);
        let body = json!({
            "model": self.default_model(),
            "temperature": 0,
            "messages": [
                {"role": "system", "content": format!(
                    "You translate customer-support chat messages into {language}. Reply with the translation of \
                     the user's message only: no notes, no quotes, no preamble. Keep its tone, markdown, links, \
                     names, numbers and prices exactly. If it is already in {language}, reply with it unchanged."
                )},
                {"role": "user", "content": text},
            ],
        });
        let translated = self.complete(body).await?;
        let translated = translated.trim();
        if translated.is_empty() {
            return Err(ProviderError::Malformed("an empty translation".into()));
        }
        Ok(translated.to_owned())
    }
}
