//! Handling live conversations: what a takeover, a reply, a handback and a handoff do, whoever asks (a developer
//! key, a key bound to a team member, or a member signed in to the inbox). The API handlers only read the request
//! and pick the [`Actor`](crate::actor::Actor); the rules live here.
//!
//! Each action runs in one transaction that changes the conversation, appends the visitor's live event, queues the
//! webhook, writes the audit row ([`crate::store::audit`]) and announces the change to the organisation's inbox
//! streams ([`feed`]): all of them are stored, or none.

pub mod feed;
mod takeover;

pub use takeover::{actor_for, hand_back, hand_off, reply, take_over, Replied};
