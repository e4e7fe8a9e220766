//! Entries written by the configured model (`mode=generate`): it reads the document and answers a JSON list of
//! entries, each checked like an API write (known category, non-empty title and content); the rules
//! ([`super::rules`]) stand in when no model is configured or its answer is unusable.

use serde::Deserialize;
use serde_json::json;

use super::{rules, CATEGORIES};
use crate::responder::openai::Provider;
use crate::store::playbook::NewEntry;

/// The longest part of a document sent to the model (characters): a 10 MB PDF would not fit any context.
const MAX_PROMPT_CHARS: usize = 60_000;

/// The instruction the model gets.
fn system_prompt() -> String {
    format!(
        "You turn a company's sales documents into a sales playbook for a chat assistant. Answer with JSON only, \
         no prose: {{\"entries\": [{{\"category\": \"...\", \"title\": \"...\", \"content\": \"...\"}}]}}. \
         category is one of {}. Write objection handlers as the objection in the title and the answer in the \
         content; keep facts, numbers and prices exactly as the document states them; invent nothing.",
        CATEGORIES.join(", ")
    )
}

#[derive(Deserialize)]
struct Answer {
    entries: Vec<Candidate>,
}

#[derive(Deserialize)]
struct Candidate {
    category: String,
    title: String,
    content: String,
}

/// The entries in a model's answer: the JSON object (possibly fenced in Markdown), entries with an unknown
/// category or an empty field dropped.
///
/// # Errors
/// An answer without such a JSON object, or without a single usable entry.
pub fn parse(answer: &str) -> Result<Vec<NewEntry>, String> {
    let start = answer.find('{').ok_or("no JSON object in the answer")?;
    let end = answer.rfind('}').ok_or("no JSON object in the answer")?;
    let parsed: Answer = serde_json::from_str(answer.get(start..=end).unwrap_or_default())
        .map_err(|e| format!("the answer is not the JSON asked for: {e}"))?;
    let entries: Vec<NewEntry> = parsed
        .entries
        .into_iter()
        .filter(|c| {
            CATEGORIES.contains(&c.category.trim()) && !c.title.trim().is_empty() && !c.content.trim().is_empty()
        })
        .map(|c| NewEntry {
            category: c.category.trim().to_owned(),
            title: c.title.trim().chars().take(300).collect(),
            content: c.content.trim().to_owned(),
        })
        .take(rules::MAX_ENTRIES)
        .collect();
    if entries.is_empty() {
        return Err("the answer has no usable entry".into());
    }
    Ok(entries)
}

/// The model's entries for `text`.
///
/// # Errors
/// The provider's failure, or an unusable answer ([`parse`]), as a message for the response's `warning`.
pub async fn generate(provider: &Provider, text: &str) -> Result<Vec<NewEntry>, String> {
    let document: String = text.chars().take(MAX_PROMPT_CHARS).collect();
    let body = json!({
        "model": provider.default_model(),
        "temperature": 0,
        "messages": [
            {"role": "system", "content": system_prompt()},
            {"role": "user", "content": document},
        ],
    });
    let answer = provider.complete(body).await.map_err(|e| format!("the model failed: {e}"))?;
    parse(&answer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_usable_entries_of_a_fenced_answer() {
        let answer = "```json\n{\"entries\": [
            {\"category\": \"pricing\", \"title\": \"Plans\", \"content\": \"$49 a month\"},
            {\"category\": \"gossip\", \"title\": \"x\", \"content\": \"y\"},
            {\"category\": \"case_study\", \"title\": \" \", \"content\": \"y\"}]}\n```";
        let got = parse(answer).unwrap();
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].title, "Plans");
        assert!(parse("I cannot help").is_err());
        assert!(parse("{\"entries\": []}").is_err());
    }
}
