//! The inline lead form: a persona that captures leads asks for the visitor's name and email after its first
//! answer, once per conversation.
//!
//! Plain DOM like the product panel (a Leptos view for one small form would cost more wasm than the form), and
//! its events come through the container's delegated listener.
//! The email is checked with the same rule as the server ([`quincer_protocol::leads::is_email`]) before anything
//! is sent; a refused address keeps what the visitor typed and says how to fix it. Submitting or declining is
//! remembered for the conversation, so the form does not come back on reload.

use leptos::prelude::*;
use leptos::reactive::effect::RenderEffect;
use leptos::task::spawn_local;
use quincer_protocol::conversation::Role;
use quincer_protocol::leads::is_email;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, Event, HtmlInputElement};

use crate::chat::Chat;
use crate::json::JsonObject;
use crate::storage::{self, Slot};

/// Offers the form now (a restored conversation), after each complete answer ([`Chat::answered`]) and when the
/// interface language changes (the panel is drawn again without it).
pub fn watch(chat: Chat) {
    let effect = RenderEffect::new(move |_| {
        chat.answered.track();
        chat.language.track();
        offer(chat);
    });
    // For the widget's lifetime.
    std::mem::forget(effect);
}

/// Shows the form under the transcript if the persona captures leads, the conversation has an answer, and the
/// visitor has neither sent nor declined the form in this conversation.
fn offer(chat: Chat) {
    let answered = chat.messages.with_untracked(|m| m.iter().any(|m| m.role == Role::Assistant && !m.notice));
    if !answered || !chat.persona.with_untracked(|p| p.as_ref().is_some_and(|p| p.capture_leads)) {
        return;
    }
    let (key, conversation) = chat.session.with_value(|s| (s.api.key.clone(), s.conversation_id.clone()));
    if storage::get(&key, Slot::LeadForm).as_deref() == Some(conversation.as_str()) {
        return;
    }
    let Some(log) = chat.controllers.with_value(|c| c.container.clone()).and_then(|c| find(&c, ".messages")) else {
        return;
    };
    if find(&log, "form.lead").is_some() {
        return;
    }
    let Some(doc) = log.owner_document() else { return };
    if let Some(form) = build(&doc) {
        let _ = log.append_child(&form);
    }
}

fn find(root: &Element, selector: &str) -> Option<Element> {
    root.query_selector(selector).ok().flatten()
}

/// One element of the form: tag, attributes, text.
type Part = (&'static str, &'static [(&'static str, &'static str)], &'static str);

/// The form's elements. Built element by element, not through `innerHTML`: pages that
/// enforce Trusted Types refuse string markup, and the widget must work on them.
const FORM: &[Part] = &[
    ("p", &[("id", "q-lead-title")], "Want us to follow up? Leave your email and we'll get back to you."),
    ("label", &[("for", "q-lead-name")], "Name (optional)"),
    ("input", &[("id", "q-lead-name"), ("autocomplete", "name"), ("maxlength", "200")], ""),
    ("label", &[("for", "q-lead-email")], "Email"),
    (
        "input",
        &[
            ("id", "q-lead-email"),
            ("type", "email"),
            ("autocomplete", "email"),
            ("required", ""),
            ("aria-describedby", "q-lead-error"),
        ],
        "",
    ),
    ("p", &[("id", "q-lead-error"), ("class", "lead-error"), ("role", "alert")], ""),
    ("button", &[("type", "submit"), ("data-testid", "quincer-lead-submit")], "Send"),
    ("button", &[("type", "button"), ("class", "skip"), ("data-testid", "quincer-lead-skip")], "No thanks"),
];

fn build(doc: &Document) -> Option<Element> {
    let form = el(
        doc,
        "form",
        &[
            ("class", "lead"),
            ("novalidate", ""),
            ("aria-labelledby", "q-lead-title"),
            ("data-testid", "quincer-lead-form"),
        ],
        "",
    )?;
    for (tag, attrs, text) in FORM {
        form.append_child(&el(doc, tag, attrs, text)?.into()).ok()?;
    }
    Some(form)
}

/// `<tag>` with attributes, and text when given.
fn el(doc: &Document, tag: &str, attrs: &[(&str, &str)], text: &str) -> Option<Element> {
    let e = doc.create_element(tag).ok()?;
    for (k, v) in attrs {
        let _ = e.set_attribute(k, v);
    }
    if !text.is_empty() {
        e.set_text_content(Some(text));
    }
    Some(e)
}

/// Handles the form's events, from the container's delegated listener ([`super::product_panel::listen`]):
/// submit sends, "No thanks" removes the form.
pub fn handle(e: &Event, target: &Element, chat: Chat) {
    let Some(form) = target.closest("form.lead").ok().flatten() else { return };
    if e.type_() == "submit" {
        e.prevent_default();
        submit(&form, chat);
    } else if target.class_list().contains("skip") {
        remember(chat);
        form.remove();
    }
}

fn input(form: &Element, selector: &str) -> Option<HtmlInputElement> {
    find(form, selector)?.dyn_into().ok()
}

fn show_error(form: &Element, message: &str) {
    if let Some(p) = find(form, ".lead-error") {
        p.set_text_content(Some(message));
    }
}

fn submit(form: &Element, chat: Chat) {
    let (Some(name_input), Some(email_input)) = (input(form, "#q-lead-name"), input(form, "#q-lead-email")) else {
        return;
    };
    let email = email_input.value().trim().to_owned();
    let name = name_input.value().trim().to_owned();
    if !is_email(&email) {
        let _ = email_input.set_attribute("aria-invalid", "true");
        show_error(form, "Please enter a valid email address, like ada@example.com.");
        let _ = email_input.focus();
        return;
    }
    let _ = email_input.remove_attribute("aria-invalid");
    show_error(form, "");
    let button = find(form, "button[type=submit]");
    if let Some(b) = &button {
        let _ = b.set_attribute("disabled", "");
    }
    let (api, token, conversation) =
        chat.session.with_value(|s| (s.api.clone(), s.visitor_token.clone(), s.conversation_id.clone()));
    let mut body = JsonObject::new();
    body.string("conversation_id", &conversation);
    body.string("email", &email);
    body.opt_string("name", Some(name.as_str()).filter(|n| !n.is_empty()));
    let form = form.clone();
    spawn_local(async move {
        match api.post(&token, "/api/widget/lead", &body.finish()).await {
            Ok(()) => {
                remember(chat);
                let mut thanks = String::from("Thanks");
                if !name.is_empty() {
                    thanks.push_str(", ");
                    thanks.push_str(&name);
                }
                thanks.push_str("! We'll be in touch at ");
                thanks.push_str(&email);
                thanks.push('.');
                // Text only: the visitor's own input never becomes markup.
                form.set_text_content(Some(&thanks));
                let _ = form.set_attribute("role", "status");
            }
            Err(e) => {
                show_error(&form, &e.visitor_message());
                if let Some(b) = button {
                    let _ = b.remove_attribute("disabled");
                }
            }
        }
    });
}

/// The form is done with for this conversation.
fn remember(chat: Chat) {
    let (key, conversation) = chat.session.with_value(|s| (s.api.key.clone(), s.conversation_id.clone()));
    storage::set(&key, Slot::LeadForm, &conversation);
}
