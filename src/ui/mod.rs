//! The widget's components, one per file. Elements carry stable `data-testid`s (listed in the README) for
//! people writing browser tests against the widget.

pub mod composer;
pub mod error_banner;
pub mod launcher;
pub mod markdown_view;
pub mod message_list;
pub mod panel;
pub mod product_panel;
