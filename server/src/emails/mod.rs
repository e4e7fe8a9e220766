//! Lead emails: follow-up drafts written from a lead and its conversation, reviewed through the developer API, and
//! sent over SMTP through a persisted outbox.
//!
//! - Drafts: [`draft`] writes one with the configured model ([`model`]) or, without one (or when it fails), the
//!   template writer ([`writer`]); [`redraft`] rewrites a draft per instructions. Both fire `email.draft_created`
//!   in the transaction that stores the text.
//! - Other callers (tasks) use [`draft_for`] and [`queue_send`], as the handlers do.
//! - Sending: `send` queues the email ([`crate::store::lead_emails::queue`]); the [`Outbox`] worker claims due
//!   emails (one instance each, as the webhook queue does), sends them with [`Mailer`], retries with backoff, and
//!   records `sent` (with the Message-ID, firing `email.sent`) or `failed`.

mod flow;
mod mailer;
pub mod model;
mod outbox;
pub mod writer;

pub use flow::{draft_for, queue_send, SendRefused};
pub use mailer::SendPolicy;
pub use mailer::{MailConfig, Mailer, MailerError};
pub use outbox::Outbox;

use serde::Serialize;

use crate::ids;
use crate::leads::Lead;
use crate::responder::openai::Provider;
use crate::store::lead_emails::{self as store, NewDraft};
use crate::store::messages::PanelCall;
use crate::store::{widgets, Db, Tx};
use crate::webhooks;
use writer::{Context, ProductLine, Style};

/// Email statuses: written, approved by a person, in the outbox, accepted by the SMTP server, given up.
pub const STATUSES: &[&str] = &["draft", "approved", "sending", "sent", "failed"];

/// A lead email as the API and webhooks show it (defined with its rows, in the store).
pub use crate::store::lead_emails::{EmailObject, LeadEmail};

/// The lead, as an email event names it.
#[derive(Debug, Clone, Serialize)]
pub struct EventLead<'a> {
    /// Lead id.
    pub id: &'a str,
    /// Name.
    pub name: Option<&'a str>,
    /// Email address.
    pub email: Option<&'a str>,
    /// Company.
    pub company: Option<&'a str>,
}

/// Payload of `email.draft_created` and `email.sent`: self-contained (the email's text, its lead's contact).
#[derive(Debug, Clone, Serialize)]
pub struct EmailEvent<'a> {
    /// Always `"email"`.
    pub object: &'static str,
    /// The event name.
    pub event: &'static str,
    /// Email id.
    pub id: &'a str,
    /// Same, camelCase.
    #[serde(rename = "emailId")]
    pub email_id: &'a str,
    /// Lead id.
    pub lead_id: &'a str,
    /// Same, camelCase.
    #[serde(rename = "leadId")]
    pub lead_id_legacy: &'a str,
    /// Widget id.
    pub widget_id: &'a str,
    /// Same, camelCase.
    #[serde(rename = "widgetId")]
    pub widget_id_legacy: &'a str,
    /// The email.
    pub email: &'a LeadEmail,
    /// The lead.
    pub lead: EventLead<'a>,
    /// `email.draft_created` only: `generated` or `redrafted`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<&'static str>,
    /// When (RFC 3339).
    pub timestamp: &'a str,
}

/// Queues `event` about `email` for the organisation's subscribers. Call `Dispatcher::wake` after the commit.
///
/// # Errors
/// Database errors.
pub async fn enqueue_event(
    tx: &mut Tx<'_>,
    org_id: &str,
    event: &'static str,
    email: &LeadEmail,
    lead: EventLead<'_>,
    reason: Option<&'static str>,
) -> Result<(), sqlx::Error> {
    let payload = EmailEvent {
        object: "email",
        event,
        id: &email.id,
        email_id: &email.id,
        lead_id: &email.lead_id,
        lead_id_legacy: &email.lead_id,
        widget_id: &email.widget_id,
        widget_id_legacy: &email.widget_id,
        email,
        lead,
        reason,
        timestamp: &email.updated_at,
    };
    webhooks::enqueue(tx, org_id, event, &payload).await?;
    Ok(())
}

/// The lead's contact as an event names it.
pub fn event_lead(lead: &Lead) -> EventLead<'_> {
    EventLead {
        id: &lead.id,
        name: lead.name.as_deref(),
        email: lead.email.as_deref(),
        company: lead.company.as_deref(),
    }
}

/// What a draft for `lead` is written from, and the persona it speaks as.
///
/// # Errors
/// Database errors.
pub async fn context(db: &Db, lead: &Lead) -> Result<(Context, Option<String>), sqlx::Error> {
    let mut ctx = Context {
        lead_name: lead.name.clone(),
        company: lead.company.clone(),
        need: serde_json::to_value(&lead.bant).ok().and_then(|b| b["need"].as_str().map(str::to_owned)),
        brand: widgets::brand(db, &lead.widget_id).await?,
        ..Context::default()
    };
    let persona = store::persona(db, lead.conversation_id.as_deref(), &lead.widget_id).await?;
    let persona_id = persona.as_ref().map(|(id, _, _)| id.clone());
    if let Some((_, name, prompt)) = persona {
        ctx.persona_name = name;
        ctx.persona_prompt = prompt;
    } else {
        ctx.persona_name = format!("The {} team", ctx.brand);
    }
    if let Some(conversation) = &lead.conversation_id {
        for (role, text, panel) in store::messages(db, conversation).await? {
            if role == "user" && !text.trim().is_empty() {
                ctx.questions.push(text.trim().to_owned());
            }
            let Some(call) = panel.and_then(|p| serde_json::from_str::<PanelCall>(&p).ok()) else { continue };
            for card in call.output.products {
                if ctx.products.iter().any(|p| p.url == card.url) {
                    continue;
                }
                let variant = card.variants.iter().find(|v| v.available).or(card.variants.first());
                ctx.products.push(ProductLine {
                    title: card.title,
                    url: card.url,
                    vendor: card.vendor.filter(|v| !v.trim().is_empty()),
                    price: variant.map(|v| format!("{} {}", v.price, call.output.currency)),
                });
            }
        }
    }
    Ok((ctx, persona_id))
}

/// A draft's text and who wrote it.
#[derive(Debug, Clone)]
pub struct Written {
    /// Subject.
    pub subject: String,
    /// Plain-text body.
    pub body: String,
    /// `model` or `template`.
    pub writer: &'static str,
    /// The template style it was (or would be) written in.
    pub style: Style,
}

/// Writes a first draft: the model when one is configured (falling back to the template writer, logged, when it
/// fails), the template writer otherwise.
pub async fn write_first(llm: Option<&Provider>, ctx: &Context) -> Written {
    let style = Style { register: writer::voice_of(&ctx.persona_prompt), ..Style::default() };
    if let Some(provider) = llm {
        match model::draft(provider, ctx, None).await {
            Ok(d) => return Written { subject: d.subject, body: d.body, writer: "model", style },
            Err(e) => tracing::warn!(error = %e, "the model could not draft a lead email; using the template writer"),
        }
    }
    let d = writer::write(ctx, style);
    Written { subject: d.subject, body: d.body, writer: "template", style }
}

/// Rewrites `current` per `instructions`: the model when one is configured, else the template writer, which
/// changes the draft's style.
///
/// # Errors
/// The template writer's refusal of instructions it does not recognise (a 422), or the model's failure.
pub async fn write_again(
    llm: Option<&Provider>,
    ctx: &Context,
    current: &LeadEmail,
    instructions: &str,
) -> Result<Written, RedraftError> {
    let style: Style = serde_json::from_str(&current.style).unwrap_or_default();
    if let Some(provider) = llm {
        let d = model::draft(provider, ctx, Some((&current.subject, &current.body, instructions)))
            .await
            .map_err(|e| RedraftError::Model(e.to_string()))?;
        return Ok(Written { subject: d.subject, body: d.body, writer: "model", style });
    }
    let style = writer::apply_instructions(style, instructions).map_err(RedraftError::Unrecognised)?;
    let d = writer::write(ctx, style);
    Ok(Written { subject: d.subject, body: d.body, writer: "template", style })
}

/// Why a redraft could not be written.
#[derive(Debug, thiserror::Error)]
pub enum RedraftError {
    /// The template writer understood none of the instructions.
    #[error("{0}")]
    Unrecognised(String),
    /// The model failed.
    #[error("the model could not redraft the email: {0}")]
    Model(String),
}

/// Stores `written` as a new draft of `lead` and fires `email.draft_created`, in `tx`.
///
/// # Errors
/// Database errors.
pub async fn store_draft(
    tx: &mut Tx<'_>,
    org_id: &str,
    lead: &Lead,
    persona_id: Option<&str>,
    written: &Written,
) -> Result<LeadEmail, sqlx::Error> {
    let id = ids::new_id("lem");
    let style = serde_json::to_string(&written.style).unwrap_or_else(|_| "{}".into());
    let new = NewDraft {
        id: &id,
        lead_id: &lead.id,
        widget_id: &lead.widget_id,
        persona_id,
        subject: &written.subject,
        body: &written.body,
        writer: written.writer,
        style: &style,
    };
    store::insert(tx, &new).await?;
    let email = store::find(&mut **tx, org_id, &lead.id, &id).await?.ok_or(sqlx::Error::RowNotFound)?;
    enqueue_event(tx, org_id, "email.draft_created", &email, event_lead(lead), Some("generated")).await?;
    Ok(email)
}
