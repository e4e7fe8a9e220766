//! Take over, reply, hand back, hand off: the rules, for any [`Actor`].

use quincer_protocol::chat::MAX_MESSAGE_CHARS;
use quincer_protocol::conversation::Message;
use quincer_protocol::events::{kind, AgentPublic, HandbackEvent, MessageEvent, PersonaEvent, TakeoverEvent};
use quincer_protocol::url_pattern;
use serde_json::json;

use super::feed;
use crate::actor::{Actor, ActorKind, Holding, DEFAULT_AGENT_NAME};
use crate::auth::DevAuth;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::store::audit::{self, Action};
use crate::store::conversations::{self, Summary};
use crate::store::{developer_keys, events, messages, personas, Db, Tx};
use crate::translation;
use crate::webhooks::{self, TakeoverPayload};

/// The actor of a request: its member, or an external agent named `name` (default: the key's name, else
/// "Support agent") with `external_label`.
///
/// # Errors
/// Database errors.
pub async fn actor_for(
    db: &Db,
    auth: &DevAuth,
    name: Option<String>,
    external_label: Option<String>,
) -> ApiResult<Actor> {
    let actor = auth.actor(external_label);
    if actor.kind != ActorKind::ExternalAgent {
        return Ok(actor);
    }
    let name = match name {
        Some(name) => name,
        None => key_name(db, &auth.key_id).await?,
    };
    Ok(actor.named(name))
}

/// The display name a key's takeovers get by default.
async fn key_name(db: &Db, key_id: &str) -> ApiResult<String> {
    let name = developer_keys::name(db, key_id).await?;
    Ok(if name.trim().is_empty() || name.starts_with("demo") { DEFAULT_AGENT_NAME.into() } else { name })
}

/// The conversation `id` of `org_id`, held until `tx` ends (two racing takeovers are serialised, never both
/// granted).
async fn lock(tx: &mut Tx<'_>, org_id: &str, id: &str) -> ApiResult<Summary> {
    conversations::lock(tx, org_id, id).await?.ok_or_else(|| ApiError::not_found(format!("no conversation `{id}`")))
}

/// Who the stored takeover columns say holds `row`.
fn holding(row: &Summary) -> Holding<'_> {
    Holding {
        member_id: row.takeover_member_id.as_deref(),
        key_id: row.takeover_key_id.as_deref(),
        name: row.takeover_actor_name.as_deref(),
    }
}

/// The holder's name, for the messages that name them.
fn holder_name(row: &Summary) -> String {
    row.takeover_actor_name.clone().unwrap_or_else(|| DEFAULT_AGENT_NAME.into())
}

/// Commits `tx` and wakes whoever listens: the visitor's stream, the organisation's inbox streams, the webhook
/// dispatcher.
async fn commit(state: &AppState, tx: Tx<'_>, id: &str, org_id: Option<String>) -> ApiResult<()> {
    tx.commit().await?;
    state.hub.notify(id);
    feed::wake(&state.hub, org_id.as_deref(), id);
    state.webhooks.wake();
    Ok(())
}

/// `actor` takes conversation `id` of `org_id` over: the AI stops answering, the visitor sees them join.
///
/// Taking over again as the same actor changes nothing.
///
/// # Errors
/// 404 for no such conversation; 409 when it is closed or another actor holds it (naming them).
pub async fn take_over(state: &AppState, actor: &Actor, org_id: &str, id: &str) -> ApiResult<()> {
    let mut tx = state.db.begin().await?;
    let row = lock(&mut tx, org_id, id).await?;
    match row.status.as_str() {
        "closed" => return Err(ApiError::Conflict("the conversation is closed".into())),
        "human_active" if actor.holds(&holding(&row)) => {
            tx.rollback().await?;
            return Ok(());
        }
        "human_active" => {
            return Err(ApiError::Conflict(format!(
                "the conversation is already taken over by {}; it must be handed back first",
                holder_name(&row)
            )))
        }
        _ => {}
    }
    conversations::take_over(&mut tx, id, actor).await?;
    let payload = payload(&mut tx, "conversation.takeover", &row, actor, "human_active").await?;
    webhooks::enqueue(&mut tx, org_id, payload.event, &payload).await?;
    let agent = AgentPublic { name: actor.name.clone(), avatar_url: actor.avatar_url.clone() };
    events::append(&mut tx, id, kind::TAKEOVER, &TakeoverEvent { agent }).await?;
    audit::record(&mut tx, org_id, id, Action::Takeover, actor, &json!({})).await?;
    let org = feed::changed(&mut tx, id).await?;
    commit(state, tx, id, org).await
}

/// 409 unless `actor` holds the conversation `row`.
fn check_holder(row: &Summary, actor: &Actor) -> ApiResult<()> {
    if row.status != "human_active" {
        return Err(ApiError::Conflict(format!(
            "take the conversation over first: POST /api/v1/conversations/{}/takeover",
            row.id
        )));
    }
    if !actor.speaks_for(&holding(row)) {
        return Err(ApiError::Conflict(format!(
            "the conversation is taken over by {}; only they can reply",
            holder_name(row)
        )));
    }
    Ok(())
}

/// A reply as stored: the message the visitor sees, and the language it was translated into.
#[derive(Debug, Clone)]
pub struct Replied {
    /// The stored agent message (`text` in the visitor's language).
    pub message: Message,
    /// The visitor's language `text` was translated into, if it was.
    pub translated_to: Option<String>,
}

/// `actor`, who holds conversation `id`, sends `text` (already trimmed and non-empty), shown under `speaker` (an
/// external agent's choice; default: the holder's name) and translated into the visitor's language when a model
/// is configured ([`crate::translation`]).
///
/// # Errors
/// 400 for a text over the limit; 404 for no such conversation; 409 unless `actor` holds it.
pub async fn reply(
    state: &AppState,
    actor: &Actor,
    org_id: &str,
    id: &str,
    text: &str,
    speaker: Option<String>,
) -> ApiResult<Replied> {
    if text.chars().count() > MAX_MESSAGE_CHARS {
        return Err(ApiError::bad_request(format!("`text` is longer than {MAX_MESSAGE_CHARS} characters")));
    }
    // Checked before translating (a model call), so a refused reply costs nothing; checked again under the lock.
    let found = conversations::find(&state.db, org_id, id).await?;
    check_holder(&found.ok_or_else(|| ApiError::not_found(format!("no conversation `{id}`")))?, actor)?;
    let shown = translation::for_visitor(&state.db, state.llm.as_deref(), id, text).await?;
    let mut tx = state.db.begin().await?;
    let row = lock(&mut tx, org_id, id).await?;
    check_holder(&row, actor)?;
    // A member always speaks under their own name; an external agent may name the speaker.
    let speaker = match actor.kind {
        ActorKind::InternalUser => actor.name.clone(),
        ActorKind::ExternalAgent => speaker.unwrap_or_else(|| holder_name(&row)),
    };
    let original = shown.translated_to.is_some().then_some(text);
    let message = messages::insert_agent(&mut tx, id, &shown.text, original, &speaker).await?;
    conversations::touch(&mut *tx, id).await?;
    events::append(&mut tx, id, kind::MESSAGE, &MessageEvent { message: message.clone() }).await?;
    let detail = json!({ "message_id": message.id, "speaker_name": speaker, "translated_to": shown.translated_to });
    audit::record(&mut tx, org_id, id, Action::Reply, &as_holder(actor, &row), &detail).await?;
    let org = feed::changed(&mut tx, id).await?;
    commit(state, tx, id, org).await?;
    Ok(Replied { message, translated_to: shown.translated_to })
}

/// The actor as the audit and webhooks name them: the holder's recorded name and label when `actor` holds `row`
/// as an external agent (a handback carries no name; the takeover's applies).
fn as_holder(actor: &Actor, row: &Summary) -> Actor {
    let mut actor = actor.clone();
    if actor.kind == ActorKind::ExternalAgent && actor.speaks_for(&holding(row)) {
        actor.name = holder_name(row);
        actor.external_label = row.takeover_external_label.clone().or(actor.external_label);
    }
    actor
}

/// `actor` hands conversation `id` back to the AI.
///
/// # Errors
/// 404 for no such conversation; 409 when nobody holds it.
pub async fn hand_back(state: &AppState, actor: &Actor, org_id: &str, id: &str) -> ApiResult<()> {
    let mut tx = state.db.begin().await?;
    let row = lock(&mut tx, org_id, id).await?;
    if row.status != "human_active" {
        return Err(ApiError::Conflict("the conversation is not taken over; there is nothing to hand back".into()));
    }
    let actor = as_holder(actor, &row);
    conversations::hand_back(&mut tx, id).await?;
    let persona = match &row.persona_id {
        Some(pid) => personas::public_by_id(&mut *tx, pid).await?,
        None => None,
    };
    events::append(&mut tx, id, kind::HANDBACK, &HandbackEvent { persona }).await?;
    let payload = payload(&mut tx, "conversation.handback", &row, &actor, "active").await?;
    webhooks::enqueue(&mut tx, org_id, payload.event, &payload).await?;
    let detail = json!({ "previous_holder": holder_name(&row) });
    audit::record(&mut tx, org_id, id, Action::Handback, &actor, &detail).await?;
    let org = feed::changed(&mut tx, id).await?;
    commit(state, tx, id, org).await
}

/// `actor` switches conversation `id` to persona `requested` of its widget, or (`None`) back to the one its page
/// URL picks.
///
/// # Errors
/// 404 for no such conversation, or no such persona in its widget.
pub async fn hand_off(
    state: &AppState,
    actor: &Actor,
    org_id: &str,
    id: &str,
    requested: Option<String>,
) -> ApiResult<()> {
    let mut tx = state.db.begin().await?;
    let row = lock(&mut tx, org_id, id).await?;
    let persona_id: Option<String> = match requested {
        Some(pid) => personas::in_widget(&mut *tx, &pid, &row.widget_id)
            .await?
            .map(Some)
            .ok_or_else(|| ApiError::not_found(format!("no persona `{pid}` in this conversation's widget")))?,
        // `null` clears the override: back to the persona the conversation's page calls for.
        None => {
            let all = personas::public_list(&mut *tx, &row.widget_id).await?;
            url_pattern::choose(&all, row.page_url.as_deref().unwrap_or_default()).map(|p| p.id.clone())
        }
    };
    conversations::set_persona(&mut tx, id, persona_id.as_deref()).await?;
    if let Some(pid) = &persona_id {
        if let Some(persona) = personas::public_by_id(&mut *tx, pid).await? {
            events::append(&mut tx, id, kind::PERSONA, &PersonaEvent { persona }).await?;
        }
    }
    let detail = json!({ "from_persona_id": row.persona_id, "persona_id": persona_id });
    audit::record(&mut tx, org_id, id, Action::Handoff, actor, &detail).await?;
    let org = feed::changed(&mut tx, id).await?;
    commit(state, tx, id, org).await
}

/// The webhook payload of a takeover or handback by `actor`.
async fn payload(
    tx: &mut Tx<'_>,
    event: &'static str,
    row: &Summary,
    actor: &Actor,
    status: &'static str,
) -> ApiResult<TakeoverPayload> {
    let timestamp = crate::store::now(&mut **tx).await?;
    Ok(TakeoverPayload {
        object: "conversation",
        event,
        conversation_id: row.id.clone(),
        widget_id: row.widget_id.clone(),
        actor_kind: actor.kind.as_str(),
        actor_user_id: actor.user_id().to_owned(),
        actor_name: actor.name.clone(),
        actor_avatar_url: actor.avatar_url.clone(),
        external_label: actor.external_label.clone(),
        surface: actor.surface.as_str(),
        status,
        timestamp,
    })
}
