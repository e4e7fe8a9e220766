//! The widget's components, one per file. Elements carry stable `data-testid`s (listed in docs/EMBED.md) for
//! people writing browser tests against the widget.

pub mod composer;
pub mod delegate;
pub mod error_banner;
pub mod launcher;
pub mod lead_form;
pub mod markdown_view;
pub mod message_list;
pub mod panel;
pub mod product_panel;

/// Sets `el`'s background and text colours through the CSS object model (`el.style`), not a `style` attribute:
/// pages with a strict Content-Security-Policy (no `'unsafe-inline'` styles) block style attributes, not CSSOM.
pub fn paint(el: &web_sys::Element, background: &str, color: &str) {
    if let Ok(style) = js_sys::Reflect::get(el, &"style".into()) {
        let _ = js_sys::Reflect::set(&style, &"background".into(), &background.into());
        let _ = js_sys::Reflect::set(&style, &"color".into(), &color.into());
    }
}
