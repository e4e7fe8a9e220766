//! The template writer: a follow-up email composed from the lead and its conversation when no model is configured.
//!
//! It uses the lead's name, the visitor's questions and their main words (topics), the products the assistant
//! showed, and the persona's name and voice (its prompt read for a formal or casual register). A [`Style`] says how
//! the text is put together; redraft instructions change the style ([`apply_instructions`]) and the text is written
//! again, so "shorter" or "more formal" changes the wording itself. Instructions it does not recognise are refused
//! rather than pasted into the email.

use serde::{Deserialize, Serialize};

/// How formal the email sounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Register {
    /// "Dear …", "Kind regards".
    Formal,
    /// "Hi …", "Best".
    #[default]
    Neutral,
    /// "Hey …!", "Cheers".
    Casual,
}

/// How much the email says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Length {
    /// Greeting, one line on what was discussed, the first product, a one-line close.
    Short,
    /// Topics, the products shown, a call to action.
    #[default]
    Standard,
    /// The visitor's questions quoted, every product with its maker and price, the lead's stated need.
    Long,
}

/// How the template writer puts a draft together; stored with the draft so redrafts build on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Style {
    /// Formal, neutral or casual.
    pub register: Register,
    /// Short, standard or long.
    pub length: Length,
    /// Whether the products shown in the chat are listed.
    pub products: bool,
}

impl Default for Style {
    fn default() -> Self {
        Style { register: Register::Neutral, length: Length::Standard, products: true }
    }
}

/// A product the assistant showed in the conversation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProductLine {
    /// Title.
    pub title: String,
    /// Product page.
    pub url: String,
    /// Maker, if named.
    pub vendor: Option<String>,
    /// Price with its currency (`49.00 USD`), from the first available variant.
    pub price: Option<String>,
}

/// What a draft is written from.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Context {
    /// The lead's name.
    pub lead_name: Option<String>,
    /// The lead's company.
    pub company: Option<String>,
    /// BANT need, if recorded.
    pub need: Option<String>,
    /// The widget's brand.
    pub brand: String,
    /// Who signs: the persona's name.
    pub persona_name: String,
    /// The persona's prompt (its voice).
    #[serde(skip)]
    pub persona_prompt: String,
    /// The visitor's messages, oldest first.
    pub questions: Vec<String>,
    /// The products the assistant showed, first shown first, without repeats.
    pub products: Vec<ProductLine>,
}

/// A subject and a plain-text body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    /// Subject line.
    pub subject: String,
    /// Plain text.
    pub body: String,
}

/// The instructions the template writer understands, as documented (docs/API.md).
pub const RECOGNISED: &[&str] = &[
    "shorter (also: brief, concise)",
    "longer (also: more detail, expand)",
    "more formal (also: professional)",
    "more casual (also: friendly, informal, less formal)",
    "without products (also: no products, remove the products)",
    "with products (also: include products, mention the products)",
];

/// The register a persona's prompt implies: words like "formal" or "professional" make it formal, "casual",
/// "friendly" or "playful" casual.
pub fn voice_of(prompt: &str) -> Register {
    let p = prompt.to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| p.contains(w));
    if has(&["formal", "professional", "courteous", "polite"]) && !p.contains("informal") {
        Register::Formal
    } else if has(&["casual", "friendly", "playful", "informal", "relaxed", "fun"]) {
        Register::Casual
    } else {
        Register::Neutral
    }
}

/// `style` changed by redraft `instructions`, or the list of what is recognised when nothing in them is.
///
/// # Errors
/// When no recognised instruction is found: the text to answer with.
pub fn apply_instructions(style: Style, instructions: &str) -> Result<Style, String> {
    let text = instructions.to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| text.contains(w));
    let mut out = style;
    let mut recognised = false;
    if has(&["shorter", "short", "brief", "concise", "trim", "less text"]) {
        out.length = match out.length {
            Length::Long => Length::Standard,
            _ => Length::Short,
        };
        recognised = true;
    } else if has(&["longer", "more detail", "detailed", "expand", "elaborate"]) {
        out.length = match out.length {
            Length::Short => Length::Standard,
            _ => Length::Long,
        };
        recognised = true;
    }
    if has(&["less formal", "informal", "casual", "friendly", "friendlier", "relaxed", "warmer"]) {
        out.register = Register::Casual;
        recognised = true;
    } else if has(&["formal", "professional", "polite"]) {
        out.register = Register::Formal;
        recognised = true;
    }
    if has(&[
        "without product",
        "no product",
        "remove the product",
        "remove product",
        "drop the product",
        "skip the product",
    ]) {
        out.products = false;
        recognised = true;
    } else if has(&["with product", "include product", "include the product", "mention the product", "add the product"])
    {
        out.products = true;
        recognised = true;
    }
    if recognised {
        Ok(out)
    } else {
        Err(format!(
            "the template writer (no model is configured) does not understand these instructions; it understands: {}",
            RECOGNISED.join("; ")
        ))
    }
}

/// Words that say nothing about what the visitor wanted.
const STOPWORDS: &[&str] = &[
    "about",
    "after",
    "again",
    "also",
    "an",
    "and",
    "any",
    "are",
    "available",
    "because",
    "been",
    "before",
    "being",
    "best",
    "between",
    "both",
    "but",
    "can",
    "could",
    "does",
    "doing",
    "don't",
    "each",
    "even",
    "every",
    "from",
    "good",
    "have",
    "hello",
    "help",
    "here",
    "how",
    "into",
    "just",
    "know",
    "like",
    "looking",
    "make",
    "many",
    "more",
    "most",
    "much",
    "need",
    "please",
    "really",
    "should",
    "show",
    "some",
    "something",
    "tell",
    "than",
    "thank",
    "thanks",
    "that",
    "their",
    "them",
    "then",
    "there",
    "these",
    "they",
    "thing",
    "this",
    "those",
    "want",
    "wanted",
    "well",
    "were",
    "what",
    "when",
    "where",
    "which",
    "while",
    "will",
    "with",
    "would",
    "your",
    "you're",
    "yours",
    "take",
    "long",
    "find",
    "there's",
    "it's",
    "i'm",
    "give",
    "recommend",
    "other",
    "under",
    "over",
    "below",
    "above",
    "less",
    "cheaper",
    "around",
    "within",
    "without",
    "price",
    "prices",
    "cost",
    "costs",
    "dollars",
    "euros",
    "cheap",
    "okay",
    "sure",
    "maybe",
    "still",
    "only",
    "ones",
    "anything",
    "options",
];

/// What the visitor asked about: runs of up to three consecutive words that say something ("waterproof jacket",
/// "return policy"), most often said first (ties: first said first), at most `n`.
pub fn topics(questions: &[String], n: usize) -> Vec<String> {
    let mut counts: Vec<(String, usize)> = Vec::new();
    let mut count = |run: &mut Vec<String>| {
        if !run.is_empty() {
            let phrase = run.join(" ");
            match counts.iter_mut().find(|(seen, _)| *seen == phrase) {
                Some((_, c)) => *c += 1,
                None => counts.push((phrase, 1)),
            }
            run.clear();
        }
    };
    for q in questions {
        let mut run: Vec<String> = Vec::new();
        for word in q.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '-')) {
            let w = word.trim_matches(|c: char| c == '\'' || c == '-').to_lowercase();
            let says_something = w.chars().count() >= 3
                && !w.chars().all(|c| c.is_ascii_digit())
                && !STOPWORDS.contains(&w.as_str())
                && !SHORT_STOPWORDS.contains(&w.as_str());
            if says_something && run.len() < 3 {
                run.push(w);
            } else {
                count(&mut run);
                if says_something {
                    run.push(w);
                }
            }
        }
        count(&mut run);
    }
    // Stable: equal counts keep the order they were first said in.
    counts.sort_by_key(|c| std::cmp::Reverse(c.1));
    // A phrase whose words an earlier one already says ("jackets" after "waterproof jackets") adds nothing.
    let mut out: Vec<String> = Vec::new();
    for (phrase, _) in counts {
        let covered = out.iter().any(|o| phrase.split(' ').all(|w| o.split(' ').any(|ow| ow == w)));
        if !covered && out.len() < n {
            out.push(phrase);
        }
    }
    out
}

/// Three-letter words that say nothing (longer ones are in [`STOPWORDS`]).
const SHORT_STOPWORDS: &[&str] = &[
    "the", "and", "for", "you", "are", "can", "has", "had", "was", "how", "why", "who", "any", "get", "got", "not",
    "but", "all", "one", "our", "out", "use", "too", "yes", "hey", "see", "let", "may", "now", "off", "own", "way",
];

/// "a", "a and b", "a, b and c".
fn join_and(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

fn first_name(name: &str) -> &str {
    name.split_whitespace().next().unwrap_or(name)
}

/// Writes the draft for `ctx` in `style`.
pub fn write(ctx: &Context, style: Style) -> Draft {
    let topics = topics(&ctx.questions, 3);
    let products: &[ProductLine] = if style.products { &ctx.products } else { &[] };
    Draft { subject: subject(ctx, style, &topics, products), body: body(ctx, style, &topics, products) }
}

fn subject(ctx: &Context, style: Style, topics: &[String], products: &[ProductLine]) -> String {
    let about = topics.first().cloned().or_else(|| products.first().map(|p| p.title.clone()));
    match (about, style.register) {
        (Some(a), Register::Formal) => format!("Following up on your {a} enquiry – {}", ctx.brand),
        (Some(a), Register::Neutral) => format!("Your {a} questions – {}", ctx.brand),
        (Some(a), Register::Casual) => format!("Your {a} question, answered!"),
        (None, Register::Formal) => format!("Thank you for contacting {}", ctx.brand),
        (None, _) => format!("Thanks for stopping by {}", ctx.brand),
    }
}

fn body(ctx: &Context, style: Style, topics: &[String], products: &[ProductLine]) -> String {
    let mut paragraphs: Vec<String> = Vec::new();
    let name = ctx.lead_name.as_deref().map(str::trim).filter(|n| !n.is_empty());
    paragraphs.push(match (style.register, name) {
        (Register::Formal, Some(n)) => format!("Dear {n},"),
        (Register::Formal, None) => "Dear customer,".to_owned(),
        (Register::Neutral, Some(n)) => format!("Hi {},", first_name(n)),
        (Register::Neutral, None) => "Hi there,".to_owned(),
        (Register::Casual, Some(n)) => format!("Hey {}!", first_name(n)),
        (Register::Casual, None) => "Hey there!".to_owned(),
    });
    let topic_text = join_and(topics);
    let opening = match style.register {
        Register::Formal => format!("Thank you for taking the time to speak with us at {}.", ctx.brand),
        Register::Neutral => format!("Thanks for chatting with us at {}.", ctx.brand),
        Register::Casual => format!("Great chatting with you on the {} site!", ctx.brand),
    };
    let noun = if topics.len() > 1 { "questions" } else { "question" };
    let about = match (style.register, topic_text.is_empty()) {
        (_, true) => String::new(),
        (Register::Formal, false) => {
            format!(
                " As promised, here is a summary regarding your {topic_text} {}.",
                if topics.len() > 1 { "enquiries" } else { "enquiry" }
            )
        }
        (Register::Neutral, false) => format!(" Here is a quick recap of what we covered on your {topic_text} {noun}."),
        (Register::Casual, false) => format!(" Here's the rundown on your {topic_text} {noun}."),
    };
    if style.length == Length::Short {
        let mut line = opening;
        if let Some(p) = products.first() {
            line.push_str(&format!(" The {} we looked at is here: {}", p.title, p.url));
        } else if !topic_text.is_empty() {
            line.push_str(&format!(" Happy to help further with your {topic_text} {noun}."));
        }
        paragraphs.push(line);
    } else {
        paragraphs.push(format!("{opening}{about}"));
        if style.length == Length::Long && !ctx.questions.is_empty() {
            let asked: Vec<String> =
                ctx.questions.iter().rev().take(3).rev().map(|q| format!("- “{}”", q.trim())).collect();
            let intro = match style.register {
                Register::Formal => "For reference, your questions were:",
                _ => "You asked:",
            };
            paragraphs.push(format!("{intro}\n{}", asked.join("\n")));
        }
        if !products.is_empty() {
            let intro = match (style.register, products.len()) {
                (Register::Formal, 1) => "The product we discussed:",
                (Register::Formal, _) => "The products we discussed:",
                (_, 1) => "Here is the product we looked at:",
                (_, _) => "Here are the products we looked at:",
            };
            let shown = if style.length == Length::Long { 5 } else { 3 };
            let lines: Vec<String> = products
                .iter()
                .take(shown)
                .map(|p| {
                    let mut line = format!("- {}", p.title);
                    if style.length == Length::Long {
                        if let Some(v) = &p.vendor {
                            line.push_str(&format!(" by {v}"));
                        }
                    }
                    if let Some(price) = &p.price {
                        line.push_str(&format!(", {price}"));
                    }
                    line.push_str(&format!(": {}", p.url));
                    line
                })
                .collect();
            paragraphs.push(format!("{intro}\n{}", lines.join("\n")));
        }
        if style.length == Length::Long {
            if let Some(need) = ctx.need.as_deref().filter(|n| !n.trim().is_empty()) {
                let company = ctx.company.as_deref().map(|c| format!(" at {c}")).unwrap_or_default();
                paragraphs.push(format!(
                    "You mentioned that your team{company} needs {}; we would be glad to work out how we can help \
                     with that.",
                    need.trim().trim_end_matches('.')
                ));
            }
        }
    }
    paragraphs.push(match (style.register, style.length) {
        (Register::Formal, Length::Short) => "Please reply should you have any questions.".to_owned(),
        (Register::Formal, _) => {
            "Should you have any further questions, please reply to this email and I will be glad to assist.".to_owned()
        }
        (Register::Neutral, Length::Short) => "Just reply with any questions.".to_owned(),
        (Register::Neutral, _) => "If anything else comes up, just reply to this email and I'll help.".to_owned(),
        (Register::Casual, Length::Short) => "Questions? Hit reply!".to_owned(),
        (Register::Casual, _) => "Anything else on your mind? Just hit reply, I'm happy to help!".to_owned(),
    });
    paragraphs.push(match style.register {
        Register::Formal => format!("Kind regards,\n{}\n{}", ctx.persona_name, ctx.brand),
        Register::Neutral => format!("Best,\n{}\n{}", ctx.persona_name, ctx.brand),
        Register::Casual => format!("Cheers,\n{} at {}", ctx.persona_name, ctx.brand),
    });
    paragraphs.join("\n\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx() -> Context {
        Context {
            lead_name: Some("Ada Lovelace".into()),
            company: Some("Engines Ltd".into()),
            need: Some("rain gear for a team of ten".into()),
            brand: "Northwind".into(),
            persona_name: "Sam".into(),
            persona_prompt: "You are a friendly guide.".into(),
            questions: vec!["Do you have waterproof jackets?".into(), "Which jackets are waterproof and light?".into()],
            products: vec![ProductLine {
                title: "Storm Shell".into(),
                url: "https://shop.example/storm".into(),
                vendor: Some("Acme".into()),
                price: Some("120.00 USD".into()),
            }],
        }
    }

    #[test]
    fn drafts_use_the_name_topics_products_and_persona() {
        let d = write(&ctx(), Style::default());
        assert!(d.body.starts_with("Hi Ada,"), "{}", d.body);
        assert_eq!(d.subject, "Your waterproof jackets questions – Northwind");
        assert!(d.body.contains("on your waterproof jackets and light questions."), "{}", d.body);
        assert!(d.body.contains("Storm Shell, 120.00 USD: https://shop.example/storm"), "{}", d.body);
        assert!(d.body.ends_with("Best,\nSam\nNorthwind"), "{}", d.body);
    }

    #[test]
    fn instructions_rewrite_the_text() {
        let base = Style::default();
        let standard = write(&ctx(), base);
        let short = write(&ctx(), apply_instructions(base, "Make it shorter please").unwrap());
        let long = write(&ctx(), apply_instructions(base, "more detail").unwrap());
        let formal = write(&ctx(), apply_instructions(base, "be more formal").unwrap());
        let bare = write(&ctx(), apply_instructions(base, "without products").unwrap());
        assert!(short.body.len() < standard.body.len() && standard.body.len() < long.body.len());
        assert!(long.body.contains("rain gear for a team of ten") && long.body.contains("by Acme"));
        assert!(formal.body.starts_with("Dear Ada Lovelace,") && formal.body.contains("Kind regards"));
        assert!(!bare.body.contains("Storm Shell"));
        assert!(!short.body.contains("make it shorter") && !short.body.to_lowercase().contains("please"));
        assert!(apply_instructions(base, "mention our summer sale").unwrap_err().contains("shorter"));
    }

    #[test]
    fn topics_are_the_phrases_the_visitor_used_most() {
        let asked =
            ["Do you have gloves?", "Any waterproof jacket under 150?", "Is there a waterproof jacket in blue?"];
        let asked: Vec<String> = asked.iter().map(|q| q.to_string()).collect();
        assert_eq!(topics(&asked, 2), ["waterproof jacket", "gloves"]);
    }

    #[test]
    fn the_persona_prompt_sets_the_voice() {
        assert_eq!(voice_of("Be formal and professional."), Register::Formal);
        assert_eq!(voice_of("Keep it casual and playful."), Register::Casual);
        assert_eq!(voice_of("Answer questions about our shop."), Register::Neutral);
    }
}
