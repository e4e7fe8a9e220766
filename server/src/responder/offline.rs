//! The offline responder: answers from the widget's knowledge base, with no model and no network.
//!
//! It quotes the most relevant sentences of the best-matching knowledge items, speaks as the active persona, and
//! says plainly when the knowledge base has nothing on the question instead of guessing.

use std::time::Duration;

use futures_util::StreamExt;
use quincer_protocol::conversation::Role;

use super::{shopping, DeltaStream, ReplyContext, ReplyEvent, Responder};
use crate::knowledge::keywords;

/// Content longer than this is excerpted rather than quoted whole.
const EXCERPT_THRESHOLD: usize = 420;
/// Sentences in an excerpt.
const EXCERPT_SENTENCES: usize = 3;
/// Words per streamed delta.
const WORDS_PER_DELTA: usize = 3;

/// Answers from knowledge, streamed a few words at a time.
#[derive(Debug, Clone)]
pub struct OfflineResponder {
    /// Pause between deltas, so the widget streams like a model would (zero in tests that only want the text).
    pace: Duration,
}

impl OfflineResponder {
    /// A responder pausing `pace` between deltas.
    pub fn new(pace: Duration) -> Self {
        OfflineResponder { pace }
    }
}

impl Responder for OfflineResponder {
    fn reply(&self, ctx: ReplyContext) -> DeltaStream {
        let pace = self.pace;
        let deltas = split_deltas(&compose(&ctx));
        futures_util::stream::iter(deltas)
            .enumerate()
            .then(move |(i, d)| async move {
                if i > 0 && !pace.is_zero() {
                    tokio::time::sleep(pace).await;
                }
                Ok(ReplyEvent::Text(d))
            })
            .boxed()
    }
}

/// What the visitor's message is, when it is not a question for the knowledge base.
fn small_talk(question: &str) -> Option<&'static str> {
    let q = question.trim().trim_end_matches(['!', '.', '?', ' ']).to_lowercase();
    const GREETINGS: &[&str] = &["hi", "hello", "hey", "hi there", "hello there", "good morning", "good afternoon"];
    const THANKS: &[&str] = &["thanks", "thank you", "thx", "thanks a lot", "thank you so much", "great, thanks"];
    if GREETINGS.contains(&q.as_str()) {
        Some("greeting")
    } else if THANKS.contains(&q.as_str()) {
        Some("thanks")
    } else {
        None
    }
}

/// The whole answer, as markdown.
pub fn compose(ctx: &ReplyContext) -> String {
    let name = if ctx.persona.name.is_empty() { "the assistant" } else { ctx.persona.name.as_str() };
    let first_answer = !ctx.history.iter().any(|(role, _)| *role == Role::Assistant);
    match small_talk(&ctx.question) {
        Some("greeting") => {
            return ctx
                .persona
                .greeting
                .clone()
                .unwrap_or_else(|| format!("Hi, I'm {name} from {}. What can I help you with today?", ctx.brand))
        }
        Some(_) => return "You're welcome! Is there anything else I can help you with?".into(),
        None => {}
    }
    if let Some(products) = &ctx.products {
        let intro = if first_answer { format!("{name} here. ") } else { String::new() };
        return format!("{intro}{}", shopping::compose(products));
    }
    let Some(best) = ctx.knowledge.first() else {
        return format!(
            "I'm sorry, I couldn't find anything about that in {}'s knowledge base, and I'd rather not guess. \
             Could you rephrase your question, or ask me about something else?",
            ctx.brand
        );
    };
    let words = keywords(&ctx.search_text);
    let mut out = String::new();
    if first_answer {
        out.push_str(&format!("{name} here. "));
    }
    out.push_str(&format!("Here's what I can tell you about **{}**:\n\n", best.title.trim()));
    out.push_str(&excerpt(&best.content, &words));
    if let Some(url) = best.url.as_deref().filter(|u| u.starts_with("https://") || u.starts_with("http://")) {
        out.push_str(&format!("\n\n[Read more]({url})"));
    }
    // Suggest other items only when their title is about the question too: body matches alone are too loose.
    let stems = stems(&words);
    let related: Vec<String> = ctx
        .knowledge
        .iter()
        .skip(1)
        .filter(|k| mentions_any(&k.title, &stems))
        .take(2)
        .map(|k| format!("**{}**", k.title.trim()))
        .collect();
    if !related.is_empty() {
        out.push_str(&format!("\n\nI can also tell you about {}.", related.join(" and ")));
    }
    out
}

/// The sentences of `content` that mention the question's words, in their original order.
fn excerpt(content: &str, words: &[String]) -> String {
    let content = content.trim();
    if content.chars().count() <= EXCERPT_THRESHOLD {
        return content.to_owned();
    }
    let sentences = crate::knowledge::chunks::sentences(content);
    let stems = stems(words);
    let mut scored: Vec<(usize, usize)> = sentences
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let lower = s.to_lowercase();
            (stems.iter().filter(|st| lower.contains(st.as_str())).count(), i)
        })
        .filter(|(score, _)| *score > 0)
        .collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut picked: Vec<usize> = scored.iter().take(EXCERPT_SENTENCES).map(|(_, i)| *i).collect();
    if picked.is_empty() {
        picked = (0..sentences.len().min(2)).collect();
    }
    picked.sort_unstable();
    picked.iter().map(|&i| sentences[i]).collect::<Vec<_>>().join(" ")
}

/// A word's first five letters: a cheap stem, so "returning" counts for "returns".
fn stems(words: &[String]) -> Vec<String> {
    words.iter().map(|w| w.chars().take(5).collect()).collect()
}

/// Whether `text` contains any of `stems`, ignoring case.
fn mentions_any(text: &str, stems: &[String]) -> bool {
    let lower = text.to_lowercase();
    stems.iter().any(|st| lower.contains(st.as_str()))
}

/// Cuts text into deltas of a few words, keeping every character (whitespace included) exactly once.
fn split_deltas(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut words = 0;
    let mut prev_space = false;
    for c in text.chars() {
        let space = c.is_whitespace();
        if !space && prev_space {
            words += 1;
            if words == WORDS_PER_DELTA {
                out.push(std::mem::take(&mut current));
                words = 0;
            }
        }
        current.push(c);
        prev_space = space;
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::knowledge::KnowledgeHit;
    use crate::responder::PersonaVoice;

    fn ctx(question: &str, knowledge: Vec<KnowledgeHit>) -> ReplyContext {
        ReplyContext {
            brand: "Northwind".into(),
            persona: PersonaVoice { name: "Ava".into(), ..Default::default() },
            history: vec![],
            question: question.into(),
            search_text: question.into(),
            knowledge,
            products: None,
            catalog: false,
        }
    }

    fn hit(title: &str, content: &str) -> KnowledgeHit {
        KnowledgeHit { id: "k".into(), title: title.into(), content: content.into(), url: None }
    }

    #[test]
    fn deltas_reassemble_exactly() {
        let text = "Hello  there, **world**.\n\n- one\n- two 🚚 three four five";
        let deltas = split_deltas(text);
        assert!(deltas.len() > 2);
        assert_eq!(deltas.concat(), text);
    }

    #[test]
    fn answers_from_knowledge_in_the_persona_voice() {
        let answer = compose(&ctx("how long is shipping", vec![hit("Shipping", "Orders ship in 2 days.")]));
        assert!(answer.starts_with("Ava here."), "{answer}");
        assert!(answer.contains("**Shipping**") && answer.contains("Orders ship in 2 days."), "{answer}");
    }

    #[test]
    fn says_plainly_when_it_knows_nothing() {
        let answer = compose(&ctx("do you sell rockets", vec![]));
        assert!(answer.contains("couldn't find anything"), "{answer}");
    }

    #[test]
    fn excerpts_long_items_around_the_question() {
        let filler = "Our team loves the outdoors. ".repeat(20);
        let content = format!("{filler}Returns are free within 30 days. {filler}");
        let answer = compose(&ctx("what about returns", vec![hit("Policies", &content)]));
        assert!(answer.contains("Returns are free within 30 days."), "{answer}");
        assert!(answer.len() < 300, "{answer}");
    }

    #[test]
    fn suggests_only_related_titles() {
        let hits = vec![
            hit("Shipping times", "Orders ship in 2 days."),
            hit("Sizing guide", "Long inseams for tall people."),
            hit("International shipping", "We ship to Canada."),
        ];
        let answer = compose(&ctx("how long does shipping take", hits));
        assert!(answer.contains("**International shipping**"), "{answer}");
        assert!(!answer.contains("Sizing"), "{answer}");
    }

    #[test]
    fn product_answers_lead_into_the_panel_in_the_persona_voice() {
        let mut c = ctx("do you have a waterproof jacket under $150?", vec![hit("Shipping", "Orders ship in 2 days.")]);
        let mut m =
            crate::catalog::ProductMatches::new(crate::catalog::query::parse(&c.question), "USD".into(), vec![]);
        m.kind = Some("jacket".into());
        c.products = Some(m);
        let answer = compose(&c);
        assert!(answer.starts_with("Ava here. I couldn't find any jackets under $150"), "{answer}");
        assert!(!answer.contains("Orders ship"), "knowledge is not quoted in a product answer: {answer}");
        c.history = vec![(Role::Assistant, "Hi".into())];
        assert!(compose(&c).starts_with("I couldn't find"), "the persona introduces itself once");
    }

    #[test]
    fn greets_and_thanks() {
        assert!(compose(&ctx("Hello!", vec![])).contains("Ava from Northwind"));
        assert!(compose(&ctx("thanks", vec![])).contains("welcome"));
    }
}
