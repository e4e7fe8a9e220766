//! The `qualification` executor: fills a lead's BANT fields (budget, authority, need, timeline) from what the
//! visitor wrote in its conversation, by rules — money amounts, decision-maker phrases, needs and timeframes. The
//! latest statement wins. Fields the lead already has are kept (a person's entry beats a rule's guess) unless the
//! task's `execution` says `{"overwrite": true}`.
//!
//! Rules only for now: a model-based reader (when a model provider is configured) is a later step.

use std::sync::LazyLock;

use regex::Regex;
use serde::Serialize;
use serde_json::{json, Value};

use crate::leads::{self, Change, MAX_TEXT};
use crate::store::leads::{self as lead_store, Fields};
use crate::store::{self, Db, Tx};

use super::Task;

/// Money: a currency sign or code before the number, or a currency word after it; thousands (`k`) and millions
/// (`m`); an optional period (`a month`, `per year`, `/seat`).
static MONEY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)
        (?: [$€£] \s? \d[\d,]*(?:\.\d+)? (?:\s?(?:k|m|mm|million|thousand|grand))? \b
          | \b (?:usd|eur|gbp) \s? \d[\d,]*(?:\.\d+)? (?:\s?(?:k|m|million|thousand))? \b
          | \b \d[\d,]*(?:\.\d+)? \s? (?:k|m|million|thousand|grand)? \s? (?:dollars|usd|euros?|eur|gbp|pounds|bucks) \b )
        (?: \s? (?:per|a|an|/|each) \s? (?:month|year|mo|yr|annum|seat|user|week) \b )?",
    )
    .expect("money pattern")
});
/// A budget spoken of without an amount.
static BUDGET_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:budget|afford|spend|price range|cost(?:s)? (?:us|me) )").expect("budget pattern")
});
/// Who decides: the visitor's role, their say in the decision, or whom they must ask.
static AUTHORITY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)
          \b (?:i'?m|i\ am|as) \s+ (?:the\s+|a\s+|an\s+|our\s+)?
             (?:ceo|cto|cfo|coo|cmo|founder|co-?founder|owner|president|director|vp|vice\ president|head\ of\ \w+
               |manager|decision[-\ ]maker|managing\ partner|partner|buyer|purchaser) \b
        | \b (?:i|we) \s+ (?:make|sign\ off|approve|decide|own|handle) \b
        | \b (?:my|our) \s+ (?:boss|manager|ceo|cto|cfo|board|director|procurement|founder|owner) \b
        | \b (?:decision[-\ ]maker|final\ say|sign[-\ ]off|approval) \b",
    )
    .expect("authority pattern")
});
/// What they need.
static NEED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)
          \b (?:we|i) (?:'re|'m|\s+are|\s+am)? \s+ (?:need|needs|require|want|looking\ for|searching\ for|trying\ to) \b
        | \b (?:looking\ for|interested\ in|in\ need\ of) \b
        | \b (?:struggl(?:e|ing)|problem|pain\ point|challenge|issue) \b
        | \b help \s+ (?:us|me) \b",
    )
    .expect("need pattern")
});
/// When: a date, a span, or urgency.
static TIMELINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)
          \b (?:by|before|until|within|in|next|this|early|late|mid|end\ of) \s+ (?:the\s+)? (?:end\s+of\s+(?:the\s+)?)?
             (?: \d+ \s* (?:days?|weeks?|months?|quarters?|years?)
               | (?:a|one|two|three|four|six|couple\ of) \s+ (?:days?|weeks?|months?|quarters?|years?)
               | january|february|march|april|june|july|august|september|october|november|december
               | q[1-4] | week | month | quarter | year | spring | summer | autumn | fall | winter ) \b
          (?: \s+ \d{4} )?
        | \b (?:asap|as\ soon\ as\ possible|immediately|right\ away|urgently|this\ week|next\ week|tomorrow) \b
        | \b q[1-4] (?:\s+\d{4})? \b",
    )
    .expect("timeline pattern")
});

/// A BANT value found in the conversation, and the visitor's sentence it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The value for the lead's field.
    pub value: String,
    /// The visitor's sentence.
    pub evidence: String,
}

/// What the rules found for each BANT field.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Findings {
    /// Budget: the money amount (or the sentence about the budget).
    pub budget: Option<Finding>,
    /// Authority: the sentence about who decides.
    pub authority: Option<Finding>,
    /// Need: the sentence saying what they need.
    pub need: Option<Finding>,
    /// Timeline: the timeframe.
    pub timeline: Option<Finding>,
}

impl Findings {
    fn fields(&self) -> [(&'static str, &Option<Finding>); 4] {
        [("budget", &self.budget), ("authority", &self.authority), ("need", &self.need), ("timeline", &self.timeline)]
    }
}

/// The sentences of `text`: ends at `.`, `!` or `?` before a space (not inside `$1.5k`), and at line breaks.
fn sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let next = chars.peek().map(|&(_, n)| n);
        let end = c == '\n' || (matches!(c, '.' | '!' | '?') && next.is_none_or(char::is_whitespace));
        if end {
            out.push(text[start..i + c.len_utf8()].trim());
            start = i + c.len_utf8();
        }
    }
    out.push(text[start..].trim());
    out.retain(|s| !s.is_empty());
    out
}

/// At most [`MAX_TEXT`] characters, the lead field's limit.
fn bounded(s: &str) -> String {
    s.trim().chars().take(MAX_TEXT).collect()
}

/// Reads BANT from the visitor's `messages` (oldest first): for each field, the latest sentence that speaks of it.
pub fn extract(messages: &[String]) -> Findings {
    let mut found = Findings::default();
    // Newest first, so the first match of a field is the latest statement.
    let all: Vec<&str> = messages.iter().flat_map(|m| sentences(m)).collect();
    for sentence in all.into_iter().rev() {
        let finding = |value: &str| Some(Finding { value: bounded(value), evidence: bounded(sentence) });
        if found.budget.is_none() {
            if let Some(m) = MONEY.find(sentence) {
                found.budget = finding(m.as_str());
            } else if BUDGET_WORDS.is_match(sentence) {
                found.budget = finding(sentence);
            }
        }
        if found.authority.is_none() && AUTHORITY.is_match(sentence) {
            found.authority = finding(sentence);
        }
        if found.need.is_none() && NEED.is_match(sentence) {
            found.need = finding(sentence);
        }
        if found.timeline.is_none() {
            if let Some(m) = TIMELINE.find(sentence) {
                found.timeline = finding(m.as_str());
            }
        }
    }
    found
}

/// Why a qualification cannot run; never worth retrying.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal(pub String);

/// What a qualification read: the lead, its conversation's visitor messages, and whether to overwrite.
#[derive(Debug, Clone)]
pub struct Reading {
    lead_id: String,
    conversation_id: String,
    messages: usize,
    overwrite: bool,
    findings: Findings,
}

/// Reads the conversation of `task` (its own `conversation_id`, else its lead's).
///
/// # Errors
/// `Ok(Err(refusal))` when the task has no lead or conversation to read; `Err` for database errors.
pub async fn read(db: &Db, org_id: &str, task: &Task) -> Result<Result<Reading, Refusal>, sqlx::Error> {
    let Some(lead_id) = task.lead_id.clone() else {
        return Ok(Err(Refusal("a qualification task needs a `lead_id`".into())));
    };
    let mut tx = db.begin().await?;
    let lead = lead_store::load(&mut tx, org_id, &lead_id).await?;
    drop(tx);
    let Some(lead) = lead else { return Ok(Err(Refusal(format!("lead `{lead_id}` no longer exists")))) };
    let Some(conversation_id) = task.conversation_id.clone().or(lead.conversation_id) else {
        return Ok(Err(Refusal(format!(
            "lead `{lead_id}` has no conversation to qualify from (give the task a `conversation_id`)"
        ))));
    };
    let messages = store::tasks::visitor_messages(db, &conversation_id).await?;
    let overwrite = task.execution.as_ref().and_then(|e| e.get("overwrite")).and_then(Value::as_bool) == Some(true);
    let findings = extract(&messages);
    Ok(Ok(Reading { lead_id, conversation_id, messages: messages.len(), overwrite, findings }))
}

/// Writes what `reading` found to its lead inside `tx` (firing `lead.updated` when a field changed) and returns the
/// task's `result`: the fields filled, kept and not found, with the evidence.
///
/// # Errors
/// Database errors.
pub async fn apply(tx: &mut Tx<'_>, org_id: &str, reading: &Reading) -> Result<Value, sqlx::Error> {
    let lead = lead_store::load(tx, org_id, &reading.lead_id).await?;
    let current = lead.as_ref().map(|l| serde_json::to_value(&l.bant).unwrap_or_default()).unwrap_or_default();
    let (mut filled, mut kept, mut missing, mut evidence) = (json!({}), Vec::new(), Vec::new(), json!({}));
    let mut fields = Fields::default();
    for (name, finding) in reading.findings.fields() {
        let Some(f) = finding else {
            missing.push(name);
            continue;
        };
        evidence[name] = json!(f.evidence);
        let has = current.get(name).and_then(Value::as_str).is_some_and(|v| !v.is_empty());
        if has && !reading.overwrite {
            kept.push(name);
        } else if current.get(name).and_then(Value::as_str) != Some(f.value.as_str()) {
            filled[name] = json!(f.value);
            fields.text.push((name, Some(f.value.clone())));
        }
    }
    if !fields.text.is_empty() {
        if let Some(before) = lead {
            lead_store::update_fields(tx, &reading.lead_id, &fields).await?;
            lead_store::touch(tx, &reading.lead_id).await?;
            if let Some(after) = lead_store::load(tx, org_id, &reading.lead_id).await? {
                let change = Change::Updated { previous_stage: Some(&before.stage) };
                leads::enqueue_events(tx, org_id, &after, change).await?;
            }
        }
    }
    Ok(json!({
        "method": "rules",
        "lead_id": reading.lead_id,
        "conversation_id": reading.conversation_id,
        "messages_read": reading.messages,
        "filled": filled,
        "kept": kept,
        "not_found": missing,
        "evidence": evidence,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(messages: &[&str]) -> Findings {
        extract(&messages.iter().map(|m| (*m).to_owned()).collect::<Vec<_>>())
    }

    fn value(f: &Option<Finding>) -> Option<&str> {
        f.as_ref().map(|f| f.value.as_str())
    }

    #[test]
    fn reads_money_roles_needs_and_timeframes() {
        let f = read(&[
            "Hi! We need a chat assistant for our support team.",
            "I'm the CTO, so I sign off on tools like this. Our budget is around $5,000 a month.",
            "We'd like to go live by the end of March.",
        ]);
        assert_eq!(value(&f.budget), Some("$5,000 a month"));
        assert_eq!(value(&f.authority), Some("I'm the CTO, so I sign off on tools like this."));
        assert_eq!(value(&f.need), Some("We need a chat assistant for our support team."));
        assert_eq!(value(&f.timeline), Some("by the end of March"));
        assert_eq!(f.budget.unwrap().evidence, "Our budget is around $5,000 a month.");
    }

    #[test]
    fn other_spellings_of_money_and_time() {
        assert_eq!(value(&read(&["We can spend 20k euros per year"]).budget), Some("20k euros per year"));
        assert_eq!(value(&read(&["Maybe USD 1200 in total"]).budget), Some("USD 1200"));
        assert_eq!(value(&read(&["budget is tight this year"]).budget), Some("budget is tight this year"));
        assert_eq!(value(&read(&["we want it within 2 weeks"]).timeline), Some("within 2 weeks"));
        assert_eq!(value(&read(&["Ideally ASAP"]).timeline), Some("ASAP"));
        assert_eq!(value(&read(&["Planning for Q3 2027"]).timeline), Some("Q3 2027"));
        assert_eq!(
            value(&read(&["I have to check with my boss first"]).authority),
            Some("I have to check with my boss first")
        );
    }

    #[test]
    fn the_latest_statement_wins_and_silence_finds_nothing() {
        let f = read(&["Budget is $100.", "Actually we can do $1.5k now."]);
        assert_eq!(value(&f.budget), Some("$1.5k"));
        assert_eq!(read(&["How long does shipping take?"]), Findings::default());
    }
}
