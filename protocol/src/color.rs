//! Colour rules shared by the server (widget config) and the widget (persona colours).

/// The text colour that reads best on `hex` (`#rrggbb` or `#rgb`): near-black on light colours, white on dark ones.
///
/// Uses the YIQ brightness formula, integer-only: exact enough for a black-or-white choice, and free of the float
/// power functions that would add kilobytes to the wasm. Unparseable input counts as dark, so the text is white.
pub fn on_color(hex: &str) -> &'static str {
    let hex = hex.trim().trim_start_matches('#');
    let digits: Vec<u32> = hex.chars().map(|c| c.to_digit(16)).collect::<Option<_>>().unwrap_or_default();
    let (r, g, b) = match digits[..] {
        [r, g, b] => (r * 17, g * 17, b * 17),
        [r1, r2, g1, g2, b1, b2] => (r1 * 16 + r2, g1 * 16 + g2, b1 * 16 + b2),
        _ => (0, 0, 0),
    };
    if r * 299 + g * 587 + b * 114 >= 128_000 {
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
        assert_eq!(on_color(" #FFFFFF "), "#111827");
        assert_eq!(on_color("#000"), "#ffffff");
        assert_eq!(on_color("nonsense"), "#ffffff");
        assert_eq!(on_color("#12345"), "#ffffff");
    }
}
