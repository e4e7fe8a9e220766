//! The JSON request bodies of the developer API, in one public place so that the fuzz targets (`fuzz/`) parse
//! them exactly as the handlers do (through [`crate::error::ApiJson`] or [`crate::error::optional_json`]).

pub use super::conversations::actions::{HandoffBody, ReplyBody, TakeoverBody};
pub use super::knowledge::KnowledgeBody;
pub use super::leads::LeadBody;
pub use super::personas::PersonaBody;
pub use super::storefront::ImportBody;
pub use super::webhooks::{CreateBody as WebhookCreateBody, UpdateBody as WebhookUpdateBody};
pub use super::widgets::WidgetBody;
