//! Reading a message: tokens (words, numbers, currency signs), then the price bounds and sizes among them.

use super::words::{letter_size, unambiguous_size, AROUND_OPS, MAX_OPS, MIN_OPS, UNITS};

/// One token of a message.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Token {
    /// A word, lowercased; `upper` when written all in capitals; `elided` right after an apostrophe (`I'm`).
    Word { text: String, upper: bool, elided: bool },
    /// A number in cents, with its text (`1,200.50`).
    Number { cents: i64, text: String },
    /// A currency sign.
    Currency,
    /// `<`, `>`, `-`, `~` or `+`.
    Sym(char),
}

/// Splits a message into words, numbers, currency signs and the symbols that matter for prices.
pub(super) fn tokenize(message: &str) -> Vec<Token> {
    let chars: Vec<char> = message.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_ascii_digit() {
            let start = i;
            while i < chars.len()
                && (chars[i].is_ascii_digit()
                    || (matches!(chars[i], ',' | '.') && chars.get(i + 1).is_some_and(char::is_ascii_digit)))
            {
                i += 1;
            }
            if i < chars.len() && chars[i].is_alphabetic() {
                // `2xl`, `3xl`, `10w`: a word that starts with digits.
                while i < chars.len() && chars[i].is_alphanumeric() {
                    i += 1;
                }
                let text: String = chars[start..i].iter().collect::<String>().to_lowercase();
                out.push(Token::Word { text, upper: false, elided: false });
                continue;
            }
            let text: String = chars[start..i].iter().collect();
            if let Some(cents) = number_cents(&text) {
                out.push(Token::Number { cents, text });
            }
        } else if c.is_alphabetic() {
            let start = i;
            while i < chars.len() && chars[i].is_alphanumeric() {
                i += 1;
            }
            let raw: String = chars[start..i].iter().collect();
            let elided = start > 0 && matches!(chars[start - 1], '\'' | '’');
            let upper = raw.chars().all(|c| !c.is_lowercase());
            out.push(Token::Word { text: raw.to_lowercase(), upper, elided });
        } else {
            match c {
                '$' | '€' | '£' => out.push(Token::Currency),
                '<' | '>' | '-' | '–' | '—' | '~' | '+' => {
                    out.push(Token::Sym(if matches!(c, '–' | '—') { '-' } else { c }))
                }
                _ => {}
            }
            i += 1;
        }
    }
    out
}

/// `1,200.5` → 120050 cents; commas are thousands separators.
fn number_cents(text: &str) -> Option<i64> {
    crate::catalog::price_cents(&text.replace(',', ""))
}

/// Scans a message's tokens for constraints.
pub(super) struct Scanner {
    /// The message, tokenised.
    pub(super) tokens: Vec<Token>,
    /// Number texts and words that were read as constraints, so they are not product words.
    pub(super) used: Vec<String>,
}

impl Scanner {
    pub(super) fn word(&self, i: usize) -> Option<&str> {
        match self.tokens.get(i) {
            Some(Token::Word { text, .. }) => Some(text),
            _ => None,
        }
    }

    /// Whether the words from `i` on are exactly `phrase`; returns the index after them.
    fn words(&self, i: usize, phrase: &[&str]) -> Option<usize> {
        phrase.iter().enumerate().all(|(k, w)| self.word(i + k) == Some(*w)).then_some(i + phrase.len())
    }

    /// An amount at `i`: `$150`, `150`, `150 dollars`, `150$`. Returns (cents, next index, had a currency mark).
    fn amount(&self, i: usize) -> Option<(i64, usize, bool)> {
        let mut j = i;
        let mut currency = false;
        if self.tokens.get(j) == Some(&Token::Currency) {
            currency = true;
            j += 1;
        }
        let Some(Token::Number { cents, .. }) = self.tokens.get(j) else { return None };
        j += 1;
        if self.tokens.get(j) == Some(&Token::Currency) {
            currency = true;
            j += 1;
        } else if let Some(w) = self.word(j) {
            if matches!(w, "dollar" | "dollars" | "bucks" | "usd" | "eur" | "euro" | "euros" | "gbp" | "pounds") {
                currency = true;
                j += 1;
            } else if UNITS.contains(&w) {
                return None;
            }
        }
        Some((*cents, j, currency))
    }

    /// Marks the numbers in tokens `from..to` as used.
    fn consume(&mut self, from: usize, to: usize) {
        for k in from..to.min(self.tokens.len()) {
            if let Token::Number { text, .. } = &self.tokens[k] {
                let text = text.clone();
                self.use_text(&text);
            }
        }
    }

    /// Marks a number's or word's pieces (as [`keywords`] splits them) as used.
    fn use_text(&mut self, text: &str) {
        self.used.extend(text.split(|c: char| !c.is_alphanumeric()).map(str::to_owned));
    }
}

/// `around $X`: X ± 20 %, as (min, max, around). Saturating: a visitor may type any number.
fn around_bounds(cents: i64) -> (Option<i64>, Option<i64>, bool) {
    (Some(cents / 10 * 8), Some(cents.saturating_mul(12) / 10), true)
}

/// Reads price bounds; returns (min, max, around).
pub(super) fn prices(s: &mut Scanner) -> (Option<i64>, Option<i64>, bool) {
    let (mut min, mut max, mut around) = (None, None, false);
    let mut i = 0;
    while i < s.tokens.len() {
        // Ranges: `between A and B`, `from A to B`, `A - B`, `A to B`.
        let range_start = s.words(i, &["between"]).or_else(|| s.words(i, &["from"]));
        let (a_at, ranged) = match range_start {
            Some(j) => (j, true),
            None => (i, false),
        };
        if let Some((a, j, a_cur)) = s.amount(a_at) {
            let sep = s
                .words(j, &["and"])
                .or_else(|| s.words(j, &["to"]))
                .or_else(|| (s.tokens.get(j) == Some(&Token::Sym('-'))).then_some(j + 1));
            if let Some((b, k, b_cur)) = sep.and_then(|sep| s.amount(sep)) {
                if (ranged || a_cur || b_cur) && b >= a {
                    min = Some(a);
                    max = Some(b);
                    s.consume(i, k);
                    i = k;
                    continue;
                }
            }
        }
        // `< $150`, `> 50`, `~100`.
        if let Some(Token::Sym(op @ ('<' | '>' | '~'))) = s.tokens.get(i) {
            let op = *op;
            if let Some((cents, j, _)) = s.amount(i + 1) {
                match op {
                    '<' => max = Some(cents),
                    '>' => min = Some(cents),
                    _ => {
                        (min, max, around) = around_bounds(cents);
                    }
                }
                s.consume(i, j);
                i = j;
                continue;
            }
        }
        let op = |ops: &[&[&str]]| ops.iter().filter_map(|p| s.words(i, p)).max();
        if let Some((cents, j, _)) = op(MAX_OPS).and_then(|j| s.amount(j)) {
            max = Some(cents);
            s.consume(i, j);
            i = j;
            continue;
        }
        if let Some((cents, j, _)) = op(MIN_OPS).and_then(|j| s.amount(j)) {
            min = Some(cents);
            s.consume(i, j);
            i = j;
            continue;
        }
        if let Some((cents, j, _)) = op(AROUND_OPS).and_then(|j| s.amount(j)) {
            (min, max, around) = around_bounds(cents);
            s.consume(i, j);
            i = j;
            continue;
        }
        // A bare amount with a currency mark and a direction after it: `$50 or less`, `$100+`, `$50 and up`.
        if let Some((cents, j, true)) = s.amount(i) {
            if s.words(j, &["or", "less"]).is_some() || s.words(j, &["and", "under"]).is_some() {
                max = Some(cents);
            } else if s.words(j, &["or", "more"]).is_some()
                || s.words(j, &["and", "up"]).is_some()
                || s.tokens.get(j) == Some(&Token::Sym('+'))
            {
                min = Some(cents);
            }
            s.consume(i, j);
            i = j;
            continue;
        }
        i += 1;
    }
    (min, max, around)
}

/// Whether the word before `i` is `size`.
fn after_size_word(s: &Scanner, i: usize) -> bool {
    i > 0 && matches!(s.word(i - 1), Some("size" | "sizes" | "sz"))
}

/// `queen` → `Queen`.
fn capitalised(word: &str) -> String {
    let mut c = word.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

/// Reads sizes.
pub(super) fn sizes(s: &mut Scanner) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let push = |size: String, out: &mut Vec<String>| {
        if !out.contains(&size) {
            out.push(size);
        }
    };
    for i in 0..s.tokens.len() {
        // Rug and poster sizes: `5x8`, `5 x 8`, `8'x10'` (numbers around an `x`).
        if let (
            Some(Token::Number { cents: a, .. }),
            Some(Token::Word { text: x, .. }),
            Some(Token::Number { cents: b, .. }),
        ) = (s.tokens.get(i), s.tokens.get(i + 1), s.tokens.get(i + 2))
        {
            if x == "x" && a % 100 == 0 && b % 100 == 0 {
                let (a, b) = (*a, *b);
                let size = format!("{}x{}", a / 100, b / 100);
                s.use_text(&size);
                s.use_text("x");
                s.use_text(&(a / 100).to_string());
                s.use_text(&(b / 100).to_string());
                push(size, &mut out);
                continue;
            }
        }
        // Waist and inseam sizes: `a 34 waist`, `32 inseam`.
        if let Some(Token::Number { cents, .. }) = s.tokens.get(i) {
            if cents % 100 == 0 && matches!(s.word(i + 1), Some("waist" | "inseam")) {
                let size = (cents / 100).to_string();
                s.use_text(&size);
                s.use_text(s.word(i + 1).unwrap_or_default().to_owned().as_str());
                push(size, &mut out);
                continue;
            }
        }
        let Token::Word { text, upper, elided } = s.tokens[i].clone() else { continue };
        // `5x8` written as one word.
        if let Some((a, b)) = text.split_once('x').filter(|(a, b)| {
            !a.is_empty()
                && !b.is_empty()
                && a.chars().all(|c| c.is_ascii_digit())
                && b.chars().all(|c| c.is_ascii_digit())
        }) {
            let size = format!("{a}x{b}");
            s.used.push(text.clone());
            push(size, &mut out);
            continue;
        }
        // Bed sizes (sheets, duvets, frames): `queen`, `king`, `twin`, `california king`; `full` only as a size
        // (`full size`), since "full refund" is no bed.
        let bed = match text.as_str() {
            "twin" | "queen" | "king" => Some(text.clone()),
            "full" if matches!(s.word(i + 1), Some("size" | "sized")) || after_size_word(s, i) => Some(text.clone()),
            _ => None,
        };
        if let Some(bed) = bed {
            let california = i > 0 && matches!(s.word(i - 1), Some("california" | "cal"));
            let size = if california && bed == "king" { "California King".to_owned() } else { capitalised(&bed) };
            s.used.push(text.clone());
            if california {
                s.used.push(s.word(i - 1).unwrap_or_default().to_owned());
            }
            push(size, &mut out);
            continue;
        }
        let after_size_word = i > 0 && matches!(s.word(i - 1), Some("size" | "sizes" | "sz"));
        if matches!(text.as_str(), "size" | "sizes" | "sz") {
            // `size 10`, `size 10.5`.
            if let Some(Token::Number { cents, text }) = s.tokens.get(i + 1) {
                let size = if cents % 100 == 0 { (cents / 100).to_string() } else { text.clone() };
                s.use_text(&size);
                push(size, &mut out);
            }
            continue;
        }
        // `extra large`, `x-large`, `extra small`.
        if matches!(text.as_str(), "extra" | "x") {
            let next = if s.tokens.get(i + 1) == Some(&Token::Sym('-')) { i + 2 } else { i + 1 };
            let size = match s.word(next) {
                Some("large") => "XL",
                Some("small") => "XS",
                _ => continue,
            };
            s.use_text("large small");
            push(size.into(), &mut out);
            continue;
        }
        let previous_extra = (i >= 1 && matches!(s.word(i - 1), Some("extra" | "x")))
            || (i >= 2 && s.tokens[i - 1] == Token::Sym('-') && s.word(i - 2) == Some("x"));
        if previous_extra {
            continue;
        }
        let size = if let Some(size) = unambiguous_size(&text) {
            Some(size)
        } else if matches!(text.as_str(), "s" | "m" | "l") {
            // One letter is a size when written as one (`M`, `size m`), never in `I'm` or `what's`.
            ((upper && !elided) || after_size_word).then(|| letter_size(&text)).flatten()
        } else if matches!(text.as_str(), "small" | "medium" | "large") {
            let in_before = i > 0 && s.word(i - 1) == Some("in")
                || i > 1 && s.word(i - 1) == Some("a") && s.word(i - 2) == Some("in");
            let size_after = matches!(s.word(i + 1), Some("size" | "sizes"));
            (after_size_word || in_before || size_after).then(|| letter_size(&text)).flatten()
        } else {
            None
        };
        if let Some(size) = size {
            s.used.push(text.clone());
            push(size.to_owned(), &mut out);
        }
    }
    out
}
