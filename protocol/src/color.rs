//! Colour rules shared by the server (widget config) and the widget (persona colours).

/// The text colour that reads best on `hex` (`#rrggbb` or `#rgb`): near-black or white, by WCAG relative
/// luminance. Unparseable input counts as dark, so the text is white.
pub fn on_color(hex: &str) -> &'static str {
    let hex = hex.trim().trim_start_matches('#');
    let expanded: String = if hex.len() == 3 { hex.chars().flat_map(|c| [c, c]).collect() } else { hex.to_owned() };
    let channel = |i: usize| {
        let v = expanded.get(i..i + 2).and_then(|h| u8::from_str_radix(h, 16).ok()).unwrap_or(0) as f32 / 255.0;
        if v <= 0.039_28 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    let l = 0.2126 * channel(0) + 0.7152 * channel(2) + 0.0722 * channel(4);
    // Contrast with white is 1.05/(l+0.05), with black (l+0.05)/0.05: equal at l ≈ 0.179.
    if l > 0.179 {
        "#111827"
    } else {
        "#ffffff"
    }
}

#[cfg(test)]
mod tests {
    use super::on_color;

    #[test]
    fn picks_readable_text_colours() {
        assert_eq!(on_color("#0f766e"), "#ffffff");
        assert_eq!(on_color("#4f46e5"), "#ffffff");
        assert_eq!(on_color("#fde047"), "#111827");
        assert_eq!(on_color("#fff"), "#111827");
        assert_eq!(on_color("#000"), "#ffffff");
        assert_eq!(on_color("nonsense"), "#ffffff");
    }
}
