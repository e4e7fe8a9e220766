//! Drafts written by the configured model: one non-streamed completion given the lead, the conversation and the
//! persona (and, for a redraft, the current text and the instructions), answering `Subject: …`, a blank line, then
//! the body.

use serde_json::json;

use super::writer::{Context, Draft};
use crate::responder::openai::{Provider, ProviderError};

/// Longest conversation excerpt given to the model, in characters.
const MAX_CONTEXT: usize = 6_000;

/// A draft for `ctx`; with `redraft` = (subject, body, instructions), that draft rewritten per the instructions.
///
/// # Errors
/// Every [`ProviderError`]; an answer without a subject line and a body is [`ProviderError::Malformed`].
pub async fn draft(
    provider: &Provider,
    ctx: &Context,
    redraft: Option<(&str, &str, &str)>,
) -> Result<Draft, ProviderError> {
    let mut facts = serde_json::to_string_pretty(ctx).unwrap_or_default();
    if facts.chars().count() > MAX_CONTEXT {
        facts = facts.chars().take(MAX_CONTEXT).collect();
    }
    let system = format!(
        "You write follow-up emails to sales leads on behalf of {brand}, signed by {persona}. Write in the voice \
         this persona description sets: {prompt:?}. Use only facts from the JSON you are given (the lead, the \
         visitor's questions, the products shown with their links and prices); never invent prices, discounts or \
         promises. Plain text, no markdown. Answer exactly in this form: a first line `Subject: <subject>`, an empty \
         line, then the body.",
        brand = ctx.brand,
        persona = ctx.persona_name,
        prompt = ctx.persona_prompt,
    );
    let user = match redraft {
        None => format!("Write the follow-up email from these facts:\n{facts}"),
        Some((subject, body, instructions)) => format!(
            "Facts:\n{facts}\n\nCurrent draft:\nSubject: {subject}\n\n{body}\n\nRewrite the draft following these \
             instructions (apply them; do not quote them): {instructions}"
        ),
    };
    let body = json!({
        "model": provider.default_model(),
        "temperature": 0.4,
        "messages": [{"role": "system", "content": system}, {"role": "user", "content": user}],
    });
    parse(&provider.complete(body).await?)
}

/// Reads `Subject: …`, a blank line, and the body.
fn parse(answer: &str) -> Result<Draft, ProviderError> {
    let answer = answer.trim();
    let (first, rest) = answer.split_once('\n').unwrap_or((answer, ""));
    let subject = first.trim().strip_prefix("Subject:").map(str::trim).unwrap_or_default();
    let body = rest.trim();
    if subject.is_empty() || body.is_empty() {
        return Err(ProviderError::Malformed(format!(
            "expected `Subject: …`, a blank line and a body; got {:?}",
            answer.chars().take(120).collect::<String>()
        )));
    }
    Ok(Draft { subject: subject.to_owned(), body: body.to_owned() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_read_as_subject_and_body() {
        let d = parse("Subject: Your jackets\n\nHi Ada,\n\nHere they are.\n").unwrap();
        assert_eq!(d.subject, "Your jackets");
        assert_eq!(d.body, "Hi Ada,\n\nHere they are.");
        assert!(parse("Hi Ada, no subject here").is_err());
    }
}
