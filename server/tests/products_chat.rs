//! Integration tests of product-aware answers: `/api/chat` against a real server whose demo widget has the fixture
//! catalog of `common::catalog` (18 products: jackets, fleeces, boots, backpacks, beanies, a unicode title).
//!
//! Covered:
//! - Phrased questions with price, colour, size, stock and sale conditions: exactly which products the panel shows,
//!   in which order, and which variant each card leads with.
//! - The stream: text first, then `tool-input-available` and `tool-output-available` with exactly the AI SDK's
//!   fields; no tool chunks for no-match or non-product questions.
//! - Restore (`/api/widget/conversations/{id}`, `/api/v1/conversations/{id}`): `[text, tool-show_products]` parts;
//!   regenerate replaces the panel; webhooks and transcripts otherwise unchanged.

mod common;

use common::catalog::ids::*;
use common::*;
use quincer_protocol::products::ProductPanel;
use reqwest::Method;
use serde_json::{json, Value};

/// A server with the fixture catalog and a visitor.
async fn shop() -> (TestServer, String) {
    let server = TestServer::start().await;
    server.seed_catalog().await;
    let token = server.new_visitor().await;
    (server, token)
}

/// The product answer to one question: its text, tool input and panel (asserting the stream carried one).
struct Answer {
    text: String,
    input: Value,
    panel: ProductPanel,
    stream: Stream,
}

impl Answer {
    /// (product id, id of the variant the card leads with), in panel order.
    fn cards(&self) -> Vec<(u64, u64)> {
        self.panel.products.iter().map(|p| (p.id, p.variants[0].id)).collect()
    }

    fn ids(&self) -> Vec<u64> {
        self.panel.products.iter().map(|p| p.id).collect()
    }
}

async fn ask(server: &TestServer, token: &str, conversation: &str, question: &str) -> Stream {
    server.chat_ok(token, &chat_body(conversation, "u1", question)).await
}

/// Asks `question` in a new conversation and returns its product answer.
async fn ask_products(server: &TestServer, token: &str, question: &str) -> Answer {
    let conversation = format!(
        "conv_{}",
        question.bytes().map(|b| if b.is_ascii_alphanumeric() { b as char } else { '_' }).collect::<String>()
    );
    let stream = ask(server, token, &conversation[..conversation.len().min(90)], question).await;
    let input = stream.chunks.iter().find(|c| c["type"] == "tool-input-available");
    let output = stream.chunks.iter().find(|c| c["type"] == "tool-output-available");
    let (Some(input), Some(output)) = (input, output) else {
        panic!("{question:?} should show a panel; stream: {:?}, text: {}", stream.types(), stream.text())
    };
    Answer {
        text: stream.text(),
        input: input["input"].clone(),
        panel: serde_json::from_value(output["output"].clone()).expect("the output is a ProductPanel"),
        stream,
    }
}

fn has_tool_chunks(stream: &Stream) -> bool {
    stream.types().iter().any(|t| t.starts_with("tool-"))
}

#[tokio::test]
async fn waterproof_jacket_under_150() {
    let (server, token) = shop().await;
    let a = ask_products(&server, &token, "Do you have a waterproof jacket under $150?").await;
    // Both are waterproof jackets; the shorter, more focused Drizzle text ranks first (bm25).
    assert_eq!(a.cards(), [(DRIZZLE, 100301), (STORM_SHELL, 100101)], "{}", a.text);
    assert!(a.text.ends_with("Here are 2 jackets under $150:"), "in the catalog's words: {}", a.text);
    assert!(a.text.starts_with("Ava here."), "spoken as the persona: {}", a.text);
    assert_eq!(a.input, json!({"query": "waterproof jacket", "max_price": "150.00"}));
    assert_eq!(a.panel.currency, "USD");
    let storm = &a.panel.products[1];
    assert_eq!(storm.title, "Storm Shell Jacket");
    assert_eq!(storm.url, "https://northwind.example/products/storm-shell-jacket");
    assert_eq!(storm.variants.len(), 6, "the card keeps every variant");
    assert_eq!(storm.options.iter().map(|o| o.name.as_str()).collect::<Vec<_>>(), ["Size", "Color"]);
    assert_eq!(storm.variants[0].price, "129.00");
    assert_eq!(a.panel.products[0].variants[0].compare_at_price.as_deref(), Some("119.00"));
}

#[tokio::test]
async fn navy_fleece_in_size_m_leads_with_that_variant() {
    let (server, token) = shop().await;
    let a = ask_products(&server, &token, "show me navy fleeces in size M").await;
    // Harbor's M / Navy Blue can be bought; Ridge's M / Navy is sold out, so Ridge comes second, still leading with
    // the variant that was asked about.
    assert_eq!(a.cards(), [(HARBOR_FLEECE, 100803), (RIDGE_FLEECE, 100702)], "{}", a.text);
    assert!(!a.panel.products[1].variants[0].available);
    let ridge: Vec<u64> = a.panel.products[1].variants.iter().map(|v| v.id).collect();
    assert_eq!(ridge, [100702, 100701, 100703, 100704, 100705], "the rest stay in the store's order");
    assert!(a.text.ends_with("Here are 2 fleeces in navy in size M:"), "{}", a.text);
    assert_eq!(a.input, json!({"query": "fleeces", "colors": ["navy"], "sizes": ["M"]}));
}

#[tokio::test]
async fn hiking_boots_between_100_and_200() {
    let (server, token) = shop().await;
    let a = ask_products(&server, &token, "hiking boots between $100 and $200").await;
    assert_eq!(a.ids(), [RIDGELINE_BOOT, ALPINE_BOOT], "{}", a.text);
    assert!(a.text.ends_with("Here are 2 boots between $100 and $200:"), "{}", a.text);
    assert_eq!(a.input, json!({"query": "hiking boots", "min_price": "100.00", "max_price": "200.00"}));
}

#[tokio::test]
async fn anything_on_sale() {
    let (server, token) = shop().await;
    let a = ask_products(&server, &token, "Anything on sale?").await;
    assert_eq!(a.ids(), [DRIZZLE, CANYON, RIDGELINE_BOOT, BOBBLE_BEANIE], "{}", a.text);
    assert!(a.panel.products.iter().all(|p| p.variants[0].compare_at_price.is_some()));
    assert!(a.text.ends_with("Here are 4 options on sale:"), "{}", a.text);
    assert_eq!(a.input, json!({"query": "", "on_sale": true}));
}

#[tokio::test]
async fn red_beanie_by_option_or_by_title() {
    let (server, token) = shop().await;
    let a = ask_products(&server, &token, "red beanie").await;
    let mut cards = a.cards();
    cards.sort_unstable();
    assert_eq!(cards, [(MERINO_BEANIE, 101602), (BOBBLE_BEANIE, 101701)], "{}", a.text);
    assert!(a.text.ends_with("Here are 2 beanies in red:"), "{}", a.text);
}

#[tokio::test]
async fn jackets_over_300() {
    let (server, token) = shop().await;
    let a = ask_products(&server, &token, "jackets over $300").await;
    assert_eq!(a.ids(), [SUMMIT_PRO, PARKA], "{}", a.text);
    assert!(a.text.ends_with("Here are 2 jackets over $300:"), "{}", a.text);
}

#[tokio::test]
async fn in_stock_backpacks_under_80_dollars() {
    let (server, token) = shop().await;
    let a = ask_products(&server, &token, "in stock backpacks under 80 dollars").await;
    assert_eq!(a.cards(), [(DAYPACK, 101301)], "the sold-out Commuter is left out: {}", a.text);
    assert!(a.text.ends_with("Here's 1 backpack in stock under $80:"), "{}", a.text);
    assert_eq!(a.input, json!({"query": "backpacks", "max_price": "80.00", "in_stock": true}));
    assert!(a.panel.products[0].options.len() == 1 && a.panel.products[0].variants.len() == 2);
}

#[tokio::test]
async fn storm_shell_in_black_size_l() {
    let (server, token) = shop().await;
    let a = ask_products(&server, &token, "Do you have the Storm Shell in black, size L?").await;
    assert_eq!(a.cards(), [(STORM_SHELL, 100106)], "{}", a.text);
    assert_eq!(a.panel.products[0].variants[0].options, ["L", "Black"]);
}

#[tokio::test]
async fn cheap_rain_jackets_cheapest_first() {
    let (server, token) = shop().await;
    let a = ask_products(&server, &token, "cheap rain jacket").await;
    assert_eq!(a.ids(), [DRIZZLE, STORM_SHELL], "{}", a.text);
    assert!(a.text.ends_with("Here are 2 jackets, cheapest first:"), "{}", a.text);
}

#[tokio::test]
async fn waterproof_boots_in_size_10() {
    let (server, token) = shop().await;
    let a = ask_products(&server, &token, "waterproof boots size 10").await;
    assert_eq!(a.cards(), [(ALPINE_BOOT, 100902)], "{}", a.text);
}

#[tokio::test]
async fn unicode_titles_and_plain_product_words() {
    let (server, token) = shop().await;
    let a = ask_products(&server, &token, "Show me the Zürich scarf").await;
    assert_eq!(a.ids(), [ZURICH_SCARF]);
    assert_eq!(a.panel.products[0].title, "Zürich Wool Scarf");
    assert!(a.panel.products[0].options.is_empty(), "a Default Title product has no selector");

    // No shopping words, but every word names a product type: still a product question.
    let a = ask_products(&server, &token, "Fleeces").await;
    assert_eq!(a.ids(), [RIDGE_FLEECE, HARBOR_FLEECE]);
    assert!(a.text.ends_with("Here are 2 fleeces:"), "{}", a.text);
}

#[tokio::test]
async fn unknown_words_are_said_and_left_out() {
    let (server, token) = shop().await;
    let a = ask_products(&server, &token, "do you have unicorn backpacks?").await;
    assert!(a.text.contains("Nothing in our catalog mentions “unicorn”, but here are 3 backpacks:"), "{}", a.text);
    // Titles saying "Backpack" rank first, but the sold-out Commuter goes last.
    assert_eq!(a.ids(), [TREKKER, DAYPACK, COMMUTER]);
}

#[tokio::test]
async fn nothing_fitting_every_condition_says_which_gave_and_shows_the_closest() {
    let (server, token) = shop().await;
    // No waterproof jacket under $50: the price gives, and the cheapest above it are shown, saying so.
    let a = ask_products(&server, &token, "Do you have a waterproof jacket under $50?").await;
    assert!(a.text.ends_with("I couldn't find any jackets under $50. The closest are just above $50:"), "{}", a.text);
    assert_eq!(a.ids()[0], DRIZZLE, "the cheapest waterproof jacket above $50 first: {}", a.text);

    // No red boots: the colour gives before the price.
    let a = ask_products(&server, &token, "red boots under $500").await;
    assert!(
        a.text.contains("I couldn't find any boots in red under $500. Here are the closest in other colours:"),
        "{}",
        a.text
    );
    assert!(!a.ids().is_empty());
}

#[tokio::test]
async fn what_the_store_does_not_sell_is_said_without_a_panel() {
    let (server, token) = shop().await;
    let stream = ask(&server, &token, "conv_kayak", "Do you sell kayaks?").await;
    stream.assert_complete_answer();
    assert!(!has_tool_chunks(&stream), "{:?}", stream.types());
    assert!(stream.text().contains("not something we carry"), "{}", stream.text());
    // Stored as text only.
    let transcript = server.transcript_ok(&token, "conv_kayak").await;
    let parts = &transcript["messages"][1]["parts"];
    assert_eq!(parts.as_array().map(Vec::len), Some(1), "{parts}");
    assert_eq!(parts[0]["type"], "text");
}

#[tokio::test]
async fn non_product_questions_keep_their_knowledge_answers() {
    let (server, token) = shop().await;
    for (i, question) in
        [SHIPPING_QUESTION, "What is your return policy?", "Do you have a return policy?"].iter().enumerate()
    {
        let stream = ask(&server, &token, &format!("conv_kb{i}"), question).await;
        stream.assert_complete_answer();
        assert!(!has_tool_chunks(&stream), "{question}: {:?}", stream.types());
        assert!(!stream.text().contains("catalog"), "{question}: {}", stream.text());
    }
    let stream = ask(&server, &token, "conv_kb_ship", SHIPPING_QUESTION).await;
    assert!(stream.text().contains("business days"), "{}", stream.text());
}

#[tokio::test]
async fn a_widget_without_products_answers_from_knowledge() {
    let server = TestServer::start().await;
    server.clear_catalog().await;
    let token = server.new_visitor().await;
    let stream = ask(&server, &token, "conv_empty", "Do you have a waterproof jacket under $150?").await;
    stream.assert_complete_answer();
    assert!(!has_tool_chunks(&stream));
    assert!(!stream.text().contains("catalog"), "{}", stream.text());
}

#[tokio::test]
async fn the_stream_is_text_then_the_tool_call() {
    let (server, token) = shop().await;
    let stream = ask(&server, &token, "conv_shape", "Do you have a waterproof jacket under $150?").await;
    assert!(stream.done, "ends with [DONE]");
    let types = stream.types();
    let n = types.len();
    assert_eq!(types[0], "start");
    assert_eq!(types[1], "text-start");
    assert!(n > 7 && types[2..n - 4].iter().all(|t| *t == "text-delta"), "{types:?}");
    assert_eq!(types[n - 4..], ["text-end", "tool-input-available", "tool-output-available", "finish"], "{types:?}");
    let (input, output) = (&stream.chunks[n - 3], &stream.chunks[n - 2]);
    // Exactly the AI SDK's fields: strict clients reject anything else.
    assert_eq!(keys_of(input), ["input", "toolCallId", "toolName", "type"]);
    assert_eq!(keys_of(output), ["output", "toolCallId", "type"]);
    assert_eq!(input["toolName"], "show_products");
    let call = input["toolCallId"].as_str().expect("toolCallId");
    assert!(call.starts_with("call_") && call.len() > 15, "{call}");
    assert_eq!(output["toolCallId"], call);
    assert_eq!(keys_of(&output["output"]), ["currency", "products"]);
    let cards = output["output"]["products"].as_array().expect("products");
    let drizzle = &cards[0];
    assert_eq!(keys_of(drizzle), ["id", "image", "options", "title", "url", "variants", "vendor"]);
    assert_eq!(keys_of(&drizzle["variants"][0]), ["available", "compare_at_price", "id", "options", "price", "title"]);
    assert_eq!(drizzle["variants"][0]["compare_at_price"], "119.00");
    let storm = &cards[1];
    assert_eq!(keys_of(&storm["variants"][0]), ["available", "id", "options", "price", "title"], "no sale, no field");
    assert_eq!(storm["image"]["alt"], "Storm Shell Jacket", "missing alt text falls back to the title");
    assert_eq!(keys_of(&storm["image"]), ["alt", "height", "src", "width"]);
}

#[tokio::test]
async fn the_panel_uses_the_widget_currency() {
    let (server, token) = shop().await;
    sqlx::query("UPDATE widgets SET storefront_currency = 'EUR' WHERE id = $1")
        .bind(&server.keys.widget_id)
        .execute(&server.db().await)
        .await
        .unwrap();
    let a = ask_products(&server, &token, "waterproof jacket below 150").await;
    assert_eq!(a.panel.currency, "EUR");
    assert!(a.text.ends_with("under €150:"), "{}", a.text);
    sqlx::query("UPDATE widgets SET currency = 'CHF' WHERE id = $1")
        .bind(&server.keys.widget_id)
        .execute(&server.db().await)
        .await
        .unwrap();
    let a = ask_products(&server, &token, "waterproof jackets up to 150").await;
    assert_eq!(a.panel.currency, "CHF", "the owner's currency wins over the storefront's");
}

#[tokio::test]
async fn transcripts_restore_the_panel_as_a_tool_part() {
    let (server, token) = shop().await;
    let a = ask_products(&server, &token, "hiking boots between $100 and $200").await;
    let conversation = "conv_hiking_boots_between__100_and__200";
    let call_id = a.stream.chunks.iter().find(|c| c["type"] == "tool-input-available").unwrap()["toolCallId"].clone();
    let message_id = a.stream.message_id();
    let streamed_output =
        a.stream.chunks.iter().find(|c| c["type"] == "tool-output-available").unwrap()["output"].clone();

    let public = server.transcript_ok(&token, conversation).await;
    let dev: Value = server
        .client
        .get(server.url(&format!("/api/v1/conversations/{conversation}")))
        .bearer_auth(&server.keys.dev_key)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    for transcript in [&public, &dev] {
        let messages = transcript["messages"].as_array().expect("messages");
        assert_eq!(messages.len(), 2, "{transcript}");
        let answer = &messages[1];
        assert_eq!(answer["id"], message_id.as_str());
        assert_eq!(answer["text"], a.text.as_str());
        let parts = answer["parts"].as_array().expect("parts");
        assert_eq!(parts.len(), 2, "{answer}");
        assert_eq!(parts[0], json!({"type": "text", "text": a.text}));
        assert_eq!(keys_of(&parts[1]), ["input", "output", "state", "toolCallId", "type"]);
        assert_eq!(parts[1]["type"], "tool-show_products");
        assert_eq!(parts[1]["state"], "output-available");
        assert_eq!(parts[1]["toolCallId"], call_id);
        assert_eq!(parts[1]["input"], a.input);
        assert_eq!(parts[1]["output"], streamed_output, "the restored panel is the streamed one");
        assert_eq!(messages[0]["parts"], json!([{"type": "text", "text": "hiking boots between $100 and $200"}]));
    }
}

#[tokio::test]
async fn regenerating_replaces_the_panel() {
    let (server, token) = shop().await;
    let first = ask(&server, &token, "conv_regen", "jackets over $300").await;
    let first_call = first.chunks.iter().find(|c| c["type"] == "tool-input-available").unwrap()["toolCallId"].clone();
    // The catalog changes between the two answers: the parka sells out.
    sqlx::query("UPDATE products SET available = FALSE, variants = replace(variants, '\"available\":true', '\"available\":false') WHERE product_id = $1")
        .bind(PARKA as i64)
        .execute(&server.db().await)
        .await
        .unwrap();
    let mut body = chat_body("conv_regen", "u1", "jackets over $300");
    body["trigger"] = json!("regenerate-message");
    let again = server.chat_ok(&token, &body).await;
    let call = again.chunks.iter().find(|c| c["type"] == "tool-input-available").unwrap()["toolCallId"].clone();
    assert_ne!(call, first_call);

    let transcript = server.transcript_ok(&token, "conv_regen").await;
    let messages = transcript["messages"].as_array().unwrap();
    assert_eq!(messages.len(), 2, "one answer, the new one: {transcript}");
    assert_eq!(messages[1]["id"], again.message_id().as_str());
    let panel = &messages[1]["parts"][1];
    assert_eq!(panel["toolCallId"], call);
    let parka = panel["output"]["products"].as_array().unwrap().iter().find(|p| p["id"] == PARKA).expect("parka");
    assert_eq!(parka["variants"][0]["available"], false, "the panel is the regenerated one");
}

#[tokio::test]
async fn product_questions_are_stored_like_any_message() {
    // (Webhooks for them are the chat's, unchanged: `tests/webhooks_api.rs` covers `conversation.message_received`.)
    let (server, token) = shop().await;
    ask_products(&server, &token, "red beanie").await;
    let transcript = server.transcript_ok(&token, "conv_red_beanie").await;
    assert_eq!(transcript["messages"][0]["text"], "red beanie");
    assert_eq!(transcript["messages"][0]["role"], "user");
    assert_eq!(transcript["messages"][1]["role"], "assistant");
}

#[tokio::test]
async fn a_taken_over_conversation_gets_no_panel() {
    let (server, token) = shop().await;
    ask(&server, &token, "conv_human", "hello").await;
    let resp = server
        .client
        .request(Method::POST, server.url("/api/v1/conversations/conv_human/takeover"))
        .bearer_auth(&server.keys.dev_key)
        .json(&json!({"actor_name": "Sam"}))
        .send()
        .await
        .unwrap();
    assert!(resp.status().is_success(), "{}", resp.text().await.unwrap_or_default());
    let stream = server.chat_ok(&token, &chat_body("conv_human", "u2", "red beanie")).await;
    assert_eq!(stream.types(), ["start", "finish"]);
}
