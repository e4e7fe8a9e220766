//! Colour rules shared by the server (widget config) and the widget (persona colours).

/// The text colour that reads best on `hex` (`#rrggbb` or `#rgb`): black or white, whichever has the higher WCAG
/// contrast ratio with it. One of the two always reaches at least 4.58:1 (the worst case is a background of relative
/// luminance 0.179, equally far from both), so text on any brand or persona colour meets WCAG AA (4.5:1).
/// Unparseable input counts as black, so the text is white.
///
/// The server computes it (`WidgetColors::on_primary`, `PersonaPublic::on_bubble_color`): the float power function of
/// the sRGB curve would add kilobytes to the widget's wasm.
pub fn on_color(hex: &str) -> &'static str {
    let hex = hex.trim().trim_start_matches('#');
    let digits: Vec<u32> = hex.chars().map(|c| c.to_digit(16)).collect::<Option<_>>().unwrap_or_default();
    let (r, g, b) = match digits[..] {
        [r, g, b] => (r * 17, g * 17, b * 17),
        [r1, r2, g1, g2, b1, b2] => (r1 * 16 + r2, g1 * 16 + g2, b1 * 16 + b2),
        _ => (0, 0, 0),
    };
    let l = relative_luminance(r, g, b);
    // Contrast with black is (l + 0.05) / 0.05, with white 1.05 / (l + 0.05).
    if (l + 0.05) / 0.05 >= 1.05 / (l + 0.05) {
        "#000000"
    } else {
        "#ffffff"
    }
}

/// WCAG 2 relative luminance of an sRGB colour (channels 0-255).
pub fn relative_luminance(r: u32, g: u32, b: u32) -> f64 {
    let linear = |c: u32| {
        let c = f64::from(c) / 255.0;
        if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)
}

/// WCAG 2 contrast ratio of two relative luminances (1 to 21).
pub fn contrast_ratio(a: f64, b: f64) -> f64 {
    let (hi, lo) = if a > b { (a, b) } else { (b, a) };
    (hi + 0.05) / (lo + 0.05)
}

#[cfg(test)]
mod tests {
    use super::on_color;

    #[test]
    fn picks_readable_text_colours() {
        assert_eq!(on_color("#0f766e"), "#ffffff");
        assert_eq!(on_color("#4f46e5"), "#ffffff");
        assert_eq!(on_color("#fde047"), "#000000");
        assert_eq!(on_color("#fff"), "#000000");
        assert_eq!(on_color(" #FFFFFF "), "#000000");
        assert_eq!(on_color("#000"), "#ffffff");
        assert_eq!(on_color("nonsense"), "#ffffff");
        assert_eq!(on_color("#12345"), "#ffffff");
    }

    #[test]
    fn every_colour_gets_text_with_at_least_aa_contrast() {
        use super::{contrast_ratio, relative_luminance};
        // Every 4th value of each channel: 262,144 colours, mid-greys (the hardest case) among them.
        let mut worst = f64::MAX;
        for r in (0..=255).step_by(4).chain([255]) {
            for g in (0..=255).step_by(4).chain([255]) {
                for b in (0..=255).step_by(4).chain([255]) {
                    let text = if on_color(&format!("#{r:02x}{g:02x}{b:02x}")) == "#000000" { 0.0 } else { 1.0 };
                    worst = worst.min(contrast_ratio(relative_luminance(r, g, b), text));
                }
            }
        }
        assert!(worst >= 4.5, "worst contrast {worst}");
    }
}
