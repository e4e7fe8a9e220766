//! A product's `body_html` as plain text, for search and for the AI to quote.
//!
//! Not an HTML parser: store descriptions are small, editor-made fragments, so dropping tags, skipping
//! `<script>`/`<style>` bodies and comments, and decoding the common entities is enough. The output is never
//! rendered as HTML by us, but it is untrusted text all the same.

/// Tags that separate words: dropping them must leave a space, unlike inline tags (`wa<b>ter</b>proof`).
const BLOCK_TAGS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "br",
    "dd",
    "div",
    "dl",
    "dt",
    "figcaption",
    "figure",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "img",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
];

/// Plain text of an HTML fragment: tags dropped, common entities decoded, whitespace collapsed to single spaces.
pub fn html_to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        out.push_str(&decode_entities(&rest[..lt]));
        let after = &rest[lt + 1..];
        if let Some(comment) = after.strip_prefix("!--") {
            rest = comment.find("-->").map_or("", |end| &comment[end + 3..]);
            continue;
        }
        // A `<` that opens no tag (`3 < 5`) is text.
        if !after.starts_with(|c: char| c.is_ascii_alphabetic() || c == '/' || c == '!' || c == '?') {
            out.push('<');
            rest = after;
            continue;
        }
        // An unterminated tag runs to the end: drop it.
        let Some(gt) = after.find('>') else {
            rest = "";
            break;
        };
        let tag = &after[..gt];
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_ascii_lowercase();
        rest = &after[gt + 1..];
        if (name == "script" || name == "style") && !tag.starts_with('/') {
            let close = format!("</{name}");
            rest = find_ascii_case_insensitive(rest, &close).map_or("", |i| {
                let tail = &rest[i..];
                tail.find('>').map_or("", |g| &tail[g + 1..])
            });
            out.push(' ');
        } else if BLOCK_TAGS.contains(&name.as_str()) {
            out.push(' ');
        }
    }
    out.push_str(&decode_entities(rest));
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn find_ascii_case_insensitive(haystack: &str, needle: &str) -> Option<usize> {
    haystack.to_ascii_lowercase().find(&needle.to_ascii_lowercase())
}

/// Decodes named entities stores commonly use and every numeric one; unknown entities stay as written.
pub fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let decoded = after.find(';').filter(|&semi| semi <= 10).and_then(|semi| {
            let entity = &after[..semi];
            entity_char(entity).map(|c| (c, semi))
        });
        match decoded {
            Some((c, semi)) => {
                out.push(c);
                rest = &after[semi + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn entity_char(entity: &str) -> Option<char> {
    if let Some(num) = entity.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        // NUL and invalid code points become the replacement character, as browsers do.
        return Some(char::from_u32(code).filter(|&c| c != '\0').unwrap_or('\u{fffd}'));
    }
    Some(match entity {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => ' ',
        "ndash" => '–',
        "mdash" => '—',
        "hellip" => '…',
        "lsquo" => '‘',
        "rsquo" => '’',
        "ldquo" => '“',
        "rdquo" => '”',
        "laquo" => '«',
        "raquo" => '»',
        "bull" => '•',
        "middot" => '·',
        "deg" => '°',
        "times" => '×',
        "frac12" => '½',
        "copy" => '©',
        "reg" => '®',
        "trade" => '™',
        "euro" => '€',
        "pound" => '£',
        "eacute" => 'é',
        "ouml" => 'ö',
        "auml" => 'ä',
        "uuml" => 'ü',
        "aring" => 'å',
        "oslash" => 'ø',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drops_tags_and_collapses_whitespace() {
        assert_eq!(
            html_to_text("<p>Fully <strong>waterproof</strong>.</p>\n\n<p>Taped   seams.</p>"),
            "Fully waterproof. Taped seams."
        );
        assert_eq!(html_to_text("<ul><li>Hood</li><li>Pockets</li></ul>"), "Hood Pockets");
        assert_eq!(html_to_text("wa<b>ter</b>proof<br/>shell"), "waterproof shell");
        assert_eq!(html_to_text("<P CLASS=\"x\">Upper</P>case"), "Upper case");
        assert_eq!(html_to_text("  plain text  "), "plain text");
        assert_eq!(html_to_text(""), "");
    }

    #[test]
    fn skips_scripts_styles_and_comments() {
        assert_eq!(html_to_text("a<script>alert('<p>x</p>')</script>b"), "a b");
        assert_eq!(html_to_text("a<STYLE>p{color:red}</STYLE>b"), "a b");
        assert_eq!(html_to_text("a<!-- <p>hidden</p> -->b"), "ab");
        assert_eq!(html_to_text("a<!-- never closed"), "a");
    }

    #[test]
    fn decodes_entities_after_stripping() {
        assert_eq!(html_to_text("Salt &amp; Pepper &ndash; 20&nbsp;L"), "Salt & Pepper – 20 L");
        assert_eq!(html_to_text("&lt;b&gt;not a tag&lt;/b&gt;"), "<b>not a tag</b>");
        assert_eq!(html_to_text("J&#246;kull &#x00C5;re &#0; &bogus; & co"), "Jökull Åre \u{fffd} &bogus; & co");
        assert_eq!(html_to_text("it&rsquo;s 3 < 5 &quot;ok&quot;"), "it’s 3 < 5 \"ok\"");
    }

    #[test]
    fn keeps_unicode_and_survives_broken_markup() {
        assert_eq!(html_to_text("<p>Fjäll 🏔️ ready</p>"), "Fjäll 🏔️ ready");
        assert_eq!(html_to_text("text <p unterminated"), "text");
    }
}
