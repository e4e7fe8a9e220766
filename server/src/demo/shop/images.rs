//! Product images of the demo store, drawn on the fly: `/shop/images/<kind>-<rrggbb>.svg` is a silhouette of
//! `kind` (jacket, boot, tent…) on a gradient of that colour, 800 × 1000 like the feed says.
//!
//! Generated rather than committed: the catalog needs well over a hundred images, and these are a few lines each.

use axum::extract::Path;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

/// Silhouettes by kind, as SVG path data on an 800 × 1000 canvas.
const SHAPES: &[(&str, &str)] = &[
    ("jacket", "M300 180 L500 180 L640 260 L700 560 L620 580 L600 400 L600 820 L200 820 L200 400 L180 580 L100 560 L160 260 Z M360 180 L400 260 L440 180 Z"),
    ("parka", "M290 160 Q400 90 510 160 L650 250 L710 600 L620 620 L600 430 L610 870 L190 870 L200 430 L180 620 L90 600 L150 250 Z"),
    ("fleece", "M310 190 L490 190 L630 270 L680 540 L610 555 L590 410 L590 800 L210 800 L210 410 L190 555 L120 540 L170 270 Z M370 190 L400 300 L430 190 Z"),
    ("vest", "M300 190 L370 190 L400 260 L430 190 L500 190 L560 300 L590 800 L210 800 L240 300 Z"),
    ("base-layer", "M320 200 L480 200 L620 260 L700 520 L640 540 L580 380 L580 800 L220 800 L220 380 L160 540 L100 520 L180 260 Z"),
    ("pants", "M260 180 L540 180 L580 860 L450 860 L400 420 L350 860 L220 860 Z"),
    ("boot", "M260 260 L430 260 L440 560 L640 640 Q700 660 700 720 L700 780 L180 780 L180 700 L240 660 Z"),
    ("pack", "M280 220 Q400 120 520 220 L560 820 Q400 880 240 820 Z M330 420 L470 420 L470 560 L330 560 Z"),
    ("beanie", "M220 620 Q220 300 400 300 Q580 300 580 620 Z M200 620 L600 620 L600 700 L200 700 Z M370 300 Q400 220 430 300 Z"),
    ("socks", "M300 200 L440 200 L440 600 L600 700 Q660 760 600 820 L420 820 Q300 800 300 700 Z"),
    ("gloves", "M280 820 L280 480 L260 300 Q280 270 300 300 L330 430 L330 240 Q350 210 370 240 L380 420 L390 220 Q410 190 430 220 L430 420 L450 260 Q470 230 490 260 L480 480 L560 420 Q590 420 580 450 L500 600 L500 820 Z"),
    ("tent", "M400 220 L700 800 L100 800 Z M400 420 L500 800 L300 800 Z"),
    ("sleeping-bag", "M330 160 Q470 160 480 300 L520 860 L280 860 L320 300 Q330 200 330 160 Z"),
    ("bottle", "M360 160 L440 160 L440 240 Q520 280 520 380 L520 840 L280 840 L280 380 Q280 280 360 240 Z"),
    ("cap", "M220 560 Q220 340 400 340 Q580 340 580 560 Z M560 540 L720 600 L700 640 L560 600 Z"),
];

/// `GET /shop/images/{name}`.
pub async fn image(Path(name): Path<String>) -> Response {
    match svg(&name) {
        Some(svg) => ([(header::CONTENT_TYPE, "image/svg+xml"), (header::CACHE_CONTROL, "public, max-age=86400")], svg)
            .into_response(),
        None => (StatusCode::NOT_FOUND, "no such image").into_response(),
    }
}

/// The SVG for `<kind>-<rrggbb>.svg`, or `None` for any other name.
pub fn svg(name: &str) -> Option<String> {
    let stem = name.strip_suffix(".svg")?;
    let (kind, color) = stem.rsplit_once('-')?;
    if color.len() != 6 || !color.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let shape = SHAPES.iter().find(|(k, _)| *k == kind)?.1;
    let label = kind.replace('-', " ");
    // Only names from the table and hex digits reach the markup: nothing to escape.
    Some(format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="800" height="1000" viewBox="0 0 800 1000" role="img" aria-label="{label}"><defs><linearGradient id="g" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#f5f5f4"/><stop offset="1" stop-color="#{color}" stop-opacity="0.35"/></linearGradient></defs><rect width="800" height="1000" fill="url(#g)"/><path d="{shape}" fill="#{color}" stroke="#1c1917" stroke-opacity="0.25" stroke-width="6" stroke-linejoin="round"/><text x="400" y="950" font-family="Helvetica, Arial, sans-serif" font-size="40" text-anchor="middle" fill="#44403c" letter-spacing="6">{label}</text></svg>"##
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_known_kinds_in_hex_colours_only() {
        let s = svg("jacket-1e3a8a.svg").unwrap();
        assert!(s.starts_with("<svg") && s.contains("#1e3a8a") && s.contains(">jacket</text>"));
        assert!(svg("sleeping-bag-0f766e.svg").unwrap().contains("sleeping bag"));
        for bad in ["jacket-1e3a8a.png", "jacket-zzzzzz.svg", "dragon-1e3a8a.svg", "jacket.svg", "-123456.svg"] {
            assert!(svg(bad).is_none(), "{bad}");
        }
    }
}
