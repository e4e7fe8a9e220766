//! Entries from a document without a model: the document's sections become entries (a heading is the title, the
//! text under it the content) and each gets its category from keyword rules, the heading's words first.
//!
//! Sections are Markdown `#` headings; in plain text and PDF text, a short line standing alone (no end punctuation)
//! before a paragraph is a heading too, since PDFs carry no heading markup.

use crate::store::playbook::NewEntry;

/// Entries made from one document, at most.
pub const MAX_ENTRIES: usize = 200;
/// Longest title kept.
const MAX_TITLE: usize = 300;
/// Longest content kept per entry.
const MAX_CONTENT: usize = 100_000;
/// A line longer than this is text, not a heading.
const HEADING_MAX_CHARS: usize = 80;

/// Each category's keywords, matched on lowercased words and phrases; in order of precedence on ties.
const RULES: [(&str, &[&str]); 6] = [
    ("case_study", &["case study", "case studies", "customer story", "success story", "testimonial", "how we helped"]),
    (
        "objection_handler",
        &[
            "objection",
            "too expensive",
            "pushback",
            "concern",
            "hesitat",
            "not sure",
            "no budget",
            "not now",
            "already use",
            "we already",
            "if they say",
            "when they say",
            "rebuttal",
            "push back",
            "too costly",
        ],
    ),
    (
        "competitor_comparison",
        &[" vs ", " vs. ", "versus", "compared to", "comparison", "competitor", "alternative", "unlike", "compare"],
    ),
    (
        "roi_data",
        &["roi", "return on investment", "payback", "savings", "save ", "hours per", "reduce", "increase", "%"],
    ),
    (
        "pricing",
        &[
            "pricing",
            "price",
            "plans",
            "plan ",
            "per month",
            "/month",
            "per seat",
            "per user",
            "tier",
            "cost",
            "discount",
            "$",
            "€",
            "£",
        ],
    ),
    ("value_prop", &["value proposition", "why ", "benefit", "value", "differentiator", "mission"]),
];

/// The category of a section: the first rule its heading matches, else the rule its content matches most, else
/// `value_prop`.
pub fn categorize(title: &str, content: &str) -> &'static str {
    let heading = format!(" {} ", title.to_lowercase());
    if let Some((category, _)) = RULES.iter().find(|(_, words)| words.iter().any(|w| heading.contains(w))) {
        return category;
    }
    let body = format!(" {} ", content.to_lowercase());
    let mut best = ("value_prop", 0);
    for (category, words) in RULES {
        let hits: usize = words.iter().map(|w| body.matches(w).count()).sum();
        if hits > best.1 {
            best = (category, hits);
        }
    }
    best.0
}

/// Whether `line` reads as a heading of a text without markup: short, and not ending like a sentence.
fn looks_like_heading(line: &str) -> bool {
    let line = line.trim();
    !line.is_empty()
        && line.chars().count() <= HEADING_MAX_CHARS
        && !line.ends_with(['.', ',', ';', '!', '?', '"', ')'])
        && !line.starts_with(['-', '*', '•', '>', '|'])
        && line.chars().next().is_some_and(|c| c.is_alphanumeric())
}

/// Ends the section being read: `heading` with the lines of `body`, if it has either.
fn flush(heading: &mut Option<String>, body: &mut Vec<String>, out: &mut Vec<(Option<String>, String)>) {
    let text = body.join("\n").trim().to_owned();
    if !text.is_empty() || heading.is_some() {
        out.push((heading.take(), text));
    }
    body.clear();
}

/// The sections of `text` as (heading, body); text before the first heading gets none.
pub fn sections(text: &str, markdown: bool) -> Vec<(Option<String>, String)> {
    let mut out: Vec<(Option<String>, String)> = Vec::new();
    let mut heading: Option<String> = None;
    let mut body: Vec<String> = Vec::new();
    let lines: Vec<&str> = text.lines().collect();
    let has_markup = lines.iter().any(|l| l.trim_start().starts_with('#'));
    for (i, line) in lines.iter().enumerate() {
        let trimmed = line.trim();
        let markup = trimmed.strip_prefix('#').map(|h| h.trim_start_matches('#').trim());
        let blank_before = i == 0 || lines[i - 1].trim().is_empty();
        let next_is_text = lines.get(i + 1).is_some_and(|n| !n.trim().is_empty() && !looks_like_heading(n))
            || (lines.get(i + 1).is_some_and(|n| n.trim().is_empty())
                && lines.get(i + 2).is_some_and(|n| !n.trim().is_empty()));
        let plain = !(markdown || has_markup) && blank_before && looks_like_heading(trimmed) && next_is_text;
        if let Some(h) = markup.filter(|h| !h.is_empty()) {
            flush(&mut heading, &mut body, &mut out);
            heading = Some(h.to_owned());
        } else if plain {
            flush(&mut heading, &mut body, &mut out);
            heading = Some(trimmed.trim_end_matches(':').to_owned());
        } else {
            body.push(trimmed.to_owned());
        }
    }
    flush(&mut heading, &mut body, &mut out);
    out
}

/// Cuts `s` to `max` characters.
fn cut(s: &str, max: usize) -> String {
    s.chars().take(max).collect()
}

/// The entries of a document: one per section with text under it, titled by its heading (or its first words when
/// it has none), categorised by [`categorize`].
pub fn entries(text: &str, markdown: bool) -> Vec<NewEntry> {
    sections(text, markdown)
        .into_iter()
        .filter(|(_, body)| !body.is_empty())
        .map(|(heading, body)| {
            let title = heading.unwrap_or_else(|| {
                let first = body.lines().next().unwrap_or_default();
                let words: Vec<&str> = first.split_whitespace().take(8).collect();
                words.join(" ")
            });
            let title = cut(title.trim(), MAX_TITLE);
            NewEntry { category: categorize(&title, &body).to_owned(), title, content: cut(&body, MAX_CONTENT) }
        })
        .take(MAX_ENTRIES)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_decide_the_category_before_the_content() {
        assert_eq!(categorize("Objection: it's too expensive", "Plans start at $49 per month."), "objection_handler");
        assert_eq!(categorize("Pricing", "Starter is $49 per month."), "pricing");
        assert_eq!(categorize("Quincer vs Intercom", ""), "competitor_comparison");
        assert_eq!(categorize("Case study: Acme", "Acme cut costs by 30%."), "case_study");
        assert_eq!(categorize("Results", "A 30% increase in leads and savings of 10 hours per week."), "roi_data");
        assert_eq!(categorize("Overview", "We help shops sell."), "value_prop");
    }

    #[test]
    fn markdown_headings_become_titles() {
        let doc = "Intro line.\n\n# Pricing\nStarter: $49 per month.\n\n## \"Too expensive\"\nShow the ROI.\n";
        let got = entries(doc, true);
        let titles: Vec<&str> = got.iter().map(|e| e.title.as_str()).collect();
        assert_eq!(titles, ["Intro line.", "Pricing", "\"Too expensive\""]);
        assert_eq!(got[1].category, "pricing");
        assert_eq!(got[1].content, "Starter: $49 per month.");
        assert_eq!(got[2].category, "objection_handler");
    }

    #[test]
    fn plain_text_short_lines_before_paragraphs_are_headings() {
        let doc =
            "Why Quincer\nIt answers every visitor in seconds.\n\nCompared to live chat\nNo staff needed at night.";
        let got = entries(doc, false);
        assert_eq!(got.len(), 2, "{got:?}");
        assert_eq!((got[0].title.as_str(), got[0].category.as_str()), ("Why Quincer", "value_prop"));
        assert_eq!(got[1].category, "competitor_comparison");
        assert_eq!(got[1].content, "No staff needed at night.");
    }
}
