//! The chat-completions request: the persona's system prompt with the knowledge found as context, the history, the
//! question, and the `show_products` tool.

use quincer_protocol::conversation::Role;
use quincer_protocol::products::SHOW_PRODUCTS;
use serde_json::{json, Value};

use crate::responder::shopping::money;
use crate::responder::ReplyContext;

/// Knowledge content longer than this is cut: three items must fit a small local model's context with the history.
const MAX_KNOWLEDGE_CHARS: usize = 3000;

/// The streaming request body for `model`; `tools` offers `show_products` when the widget has a catalog.
pub fn chat_body(model: &str, ctx: &ReplyContext, tools: bool) -> Value {
    let mut messages = vec![json!({"role": "system", "content": system_prompt(ctx, tools)})];
    messages.extend(conversation(ctx).into_iter().map(|(role, content)| json!({"role": role, "content": content})));
    let mut body = json!({"model": model, "messages": messages, "stream": true});
    if tools && ctx.catalog {
        body["tools"] = json!([show_products_tool()]);
    }
    body
}

/// The history and the question as `(role, content)`, oldest first. Human agents' messages are the assistant's side
/// of the conversation too; consecutive messages of one side are merged, because some chat templates refuse two
/// user turns in a row (a visitor writing twice while an agent held the conversation).
fn conversation(ctx: &ReplyContext) -> Vec<(&'static str, String)> {
    let mut out: Vec<(&'static str, String)> = Vec::new();
    let turns =
        ctx.history.iter().map(|(role, text)| (*role, text.as_str())).chain([(Role::User, ctx.question.as_str())]);
    for (role, text) in turns {
        let role = if role == Role::User { "user" } else { "assistant" };
        if text.trim().is_empty() {
            continue;
        }
        match out.last_mut() {
            Some((last, content)) if *last == role => {
                content.push_str("\n\n");
                content.push_str(text);
            }
            _ => out.push((role, text.to_owned())),
        }
    }
    out
}

/// The persona's instructions, then how to answer and what the knowledge base says about the question.
pub fn system_prompt(ctx: &ReplyContext, tools: bool) -> String {
    let name = if ctx.persona.name.trim().is_empty() { "the assistant" } else { ctx.persona.name.trim() };
    let mut out = String::new();
    if ctx.persona.system_prompt.trim().is_empty() {
        out.push_str(&format!("You are {name}, the assistant on {}'s website.", ctx.brand));
    } else {
        out.push_str(ctx.persona.system_prompt.trim());
    }
    out.push_str(&format!(
        "\n\nYou are chatting with a visitor of {}'s website as {name}. Answer in the visitor's language, briefly, in \
         markdown. Use the knowledge below when it answers the question; when it does not, say so instead of \
         guessing.",
        ctx.brand
    ));
    if tools && ctx.catalog {
        out.push_str(&format!(
            " When the visitor asks for products, call `{SHOW_PRODUCTS}` with what they want: the store shows the \
             matching products as cards with their real prices after your text, so never invent products or prices."
        ));
    }
    out.push_str("\n\n# Knowledge\n");
    if ctx.knowledge.is_empty() {
        out.push_str("Nothing in the knowledge base matches this question.\n");
    }
    for hit in &ctx.knowledge {
        out.push_str(&format!("\n## {}\n{}\n", hit.title.trim(), cut(hit.content.trim(), MAX_KNOWLEDGE_CHARS)));
        if let Some(url) = &hit.url {
            out.push_str(&format!("Source: {url}\n"));
        }
    }
    // Without tools the server searched the catalog itself: say what the visitor will see.
    if let Some(matches) = ctx.products.as_ref().filter(|_| !tools) {
        out.push_str("\n# Products\n");
        if matches.products.is_empty() {
            out.push_str(
                "The store's catalog has nothing matching this question: say so, and do not suggest products.\n",
            );
        } else if let Some(relaxed) = matches.relaxed {
            out.push_str(&format!(
                "Nothing in the catalog fits every condition of this question; these fit all but the {}: say so \
                 first. They are shown as cards right after your answer, so do not list them again:\n",
                crate::responder::shopping::condition_name(relaxed)
            ));
            for p in &matches.products {
                let price = p.variants.first().and_then(|v| crate::catalog::price_cents(&v.price));
                let price = price.map(|c| format!(" ({})", money(c, &matches.currency))).unwrap_or_default();
                out.push_str(&format!("- {}{price}\n", p.title));
            }
        } else {
            out.push_str(
                "The store's catalog found these products; they are shown to the visitor as cards right after your \
                 answer, so introduce them in one sentence and do not list them again:\n",
            );
            for p in &matches.products {
                let price = p.variants.first().and_then(|v| crate::catalog::price_cents(&v.price));
                let price = price.map(|c| format!(" ({})", money(c, &matches.currency))).unwrap_or_default();
                out.push_str(&format!("- {}{price}\n", p.title));
            }
        }
    }
    out
}

/// The `show_products` function: its parameters are [`quincer_protocol::products::ProductSearch`]'s fields.
pub fn show_products_tool() -> Value {
    json!({
        "type": "function",
        "function": {
            "name": SHOW_PRODUCTS,
            "description": "Search the store's catalog and show the visitor the matching products as cards (title, \
                price, options, add to cart). Use it whenever the visitor asks for, or about, products to buy.",
            "parameters": {
                "type": "object",
                "properties": {
                    "query": {"type": "string", "description": "Product words to search for, e.g. \"waterproof jacket\"; empty for any product."},
                    "min_price": {"type": "string", "description": "Lowest price wanted, a decimal number in the store's currency, e.g. \"50.00\"."},
                    "max_price": {"type": "string", "description": "Highest price wanted, a decimal number in the store's currency, e.g. \"150.00\"."},
                    "colors": {"type": "array", "items": {"type": "string"}, "description": "Colours asked for, any of which will do, e.g. [\"navy\"]."},
                    "sizes": {"type": "array", "items": {"type": "string"}, "description": "Sizes asked for, any of which will do, e.g. [\"M\"] or [\"10\"]."},
                    "in_stock": {"type": "boolean", "description": "Only products that can be bought now."},
                    "on_sale": {"type": "boolean", "description": "Only products on sale."},
                    "sort": {"type": "string", "enum": ["relevance", "price", "price_desc"], "description": "\"price\" for cheapest first, \"price_desc\" for most expensive first."},
                    "capacity": {"type": "string", "description": "How many people, cups or slices it is for, e.g. \"4 people\" (a tent that sleeps 4, a table for 4) or \"12 cups\"."},
                    "exclude": {"type": "array", "items": {"type": "string"}, "description": "Words the products must not have, e.g. [\"leather\"] for \"not leather\"."}
                },
                "required": ["query"]
            }
        }
    })
}

/// At most `max` characters of `text`, with `…` when cut.
fn cut(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::knowledge::KnowledgeHit;
    use crate::responder::PersonaVoice;

    fn ctx() -> ReplyContext {
        ReplyContext {
            brand: "Northwind".into(),
            persona: PersonaVoice { name: "Ava".into(), system_prompt: "Be cheerful.".into(), greeting: None },
            history: vec![
                (Role::User, "hi".into()),
                (Role::Assistant, "Hello!".into()),
                (Role::Agent, "Sam here.".into()),
                (Role::User, "first".into()),
                (Role::Assistant, "".into()),
            ],
            question: "second".into(),
            search_text: "second".into(),
            knowledge: vec![KnowledgeHit {
                id: "k".into(),
                title: "Shipping".into(),
                content: "Orders ship in 2 days.".into(),
                url: Some("https://n.example/shipping".into()),
            }],
            products: None,
            catalog: true,
        }
    }

    #[test]
    fn body_has_the_prompt_history_and_tool() {
        let body = chat_body("llama", &ctx(), true);
        assert_eq!(body["model"], "llama");
        assert_eq!(body["stream"], true);
        let messages = body["messages"].as_array().unwrap();
        let system = messages[0]["content"].as_str().unwrap();
        assert!(system.starts_with("Be cheerful.\n\n"), "{system}");
        assert!(system.contains("## Shipping\nOrders ship in 2 days.\nSource: https://n.example/shipping"), "{system}");
        assert!(system.contains("call `show_products`"), "{system}");
        let turns: Vec<(&str, &str)> =
            messages[1..].iter().map(|m| (m["role"].as_str().unwrap(), m["content"].as_str().unwrap())).collect();
        assert_eq!(
            turns,
            [("user", "hi"), ("assistant", "Hello!\n\nSam here."), ("user", "first\n\nsecond")],
            "agents speak for the assistant's side; empty answers are left out; same-side turns merge"
        );
        assert_eq!(body["tools"][0]["function"]["name"], "show_products");
        assert_eq!(body["tools"][0]["function"]["parameters"]["required"], json!(["query"]));
    }

    #[test]
    fn no_tool_without_a_catalog_or_with_tools_off() {
        let mut c = ctx();
        assert!(chat_body("m", &c, false).get("tools").is_none());
        c.catalog = false;
        assert!(chat_body("m", &c, true).get("tools").is_none());
        assert!(!system_prompt(&c, true).contains("show_products"));
    }

    #[test]
    fn a_persona_without_a_prompt_still_gets_one() {
        let mut c = ctx();
        c.persona.system_prompt = " ".into();
        c.knowledge.clear();
        let system = system_prompt(&c, false);
        assert!(system.starts_with("You are Ava, the assistant on Northwind's website."), "{system}");
        assert!(system.contains("Nothing in the knowledge base matches"), "{system}");
    }

    #[test]
    fn without_tools_the_prompt_names_the_products_the_server_shows() {
        let product =
            |title: &str, price: &str| crate::catalog::StoredProduct::simple(title, price, "https://s.example/p");
        let mut c = ctx();
        c.products = Some(crate::catalog::ProductMatches::new(
            crate::catalog::query::parse("jackets"),
            "EUR".into(),
            vec![product("Storm Shell", "129.00"), product("Drizzle", "89.50")],
        ));
        let system = system_prompt(&c, false);
        assert!(system.contains("- Storm Shell (€129)\n- Drizzle (€89.50)\n"), "{system}");
        assert!(!system_prompt(&c, true).contains("# Products"), "with tools the model searches itself");
        c.products.as_mut().unwrap().products.clear();
        assert!(system_prompt(&c, false).contains("has nothing matching"));
    }

    #[test]
    fn long_knowledge_is_cut() {
        assert_eq!(cut("abcdef", 3), "abc…");
        assert_eq!(cut("abc", 3), "abc");
    }
}
