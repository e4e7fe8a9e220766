//! How many something is for: "a tent that sleeps 4", "a 6-seater table", "a 12-cup coffee maker", "dinnerware for
//! 8". Read from a visitor's message ([`asked`]) and from a product's own words ([`stated`]), in the same units.
//!
//! People, seats and place settings count the same ("seats 6" answers "for 6 people"); cups and slices are units of
//! their own, so "12 cups" never matches a 12-person tent.

/// What a number counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// People, sleepers, seats, place settings.
    People,
    /// Cups (coffee makers, kettles).
    Cups,
    /// Slices (toasters).
    Slices,
    /// Volume, in millilitres (`30 liters`, `28L`, `750 ml`, `6 qt`): matched within 20 %.
    Millilitres,
}

impl std::fmt::Display for Capacity {
    /// `4 people`, `12 cups`, `2 slices`: how answers and the `show_products` input name it.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (one, many) = match self.unit {
            Unit::People => ("person", "people"),
            Unit::Cups => ("cup", "cups"),
            Unit::Slices => ("slice", "slices"),
            Unit::Millilitres if self.count >= 1000 && self.count.is_multiple_of(100) => {
                return write!(f, "{} L", f64::from(self.count) / 1000.0)
            }
            Unit::Millilitres => ("ml", "ml"),
        };
        write!(f, "{} {}", self.count, if self.count == 1 { one } else { many })
    }
}

/// A count and what it counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Capacity {
    /// How many.
    pub count: u32,
    /// Of what.
    pub unit: Unit,
}

const NUMBER_WORDS: &[(&str, u32)] = &[
    ("one", 1),
    ("two", 2),
    ("three", 3),
    ("four", 4),
    ("five", 5),
    ("six", 6),
    ("seven", 7),
    ("eight", 8),
    ("nine", 9),
    ("ten", 10),
    ("eleven", 11),
    ("twelve", 12),
    ("solo", 1),
    ("single", 1),
    ("couple", 2),
    ("duo", 2),
];

/// A word as a count: `4`, `four`.
fn number(word: &str) -> Option<u32> {
    word.parse::<u32>()
        .ok()
        .filter(|n| (1..=100).contains(n))
        .or_else(|| NUMBER_WORDS.iter().find(|(w, _)| *w == word).map(|(_, n)| *n))
}

/// The unit a word names, if it names one.
fn unit(word: &str) -> Option<Unit> {
    match word {
        "person" | "persons" | "people" | "man" | "men" | "adults" | "guests" | "sleeper" | "sleepers" | "seat"
        | "seats" | "seater" | "seaters" | "settings" | "setting" | "place" | "places" | "diners" | "pers" | "p" => {
            Some(Unit::People)
        }
        "cup" | "cups" => Some(Unit::Cups),
        "slice" | "slices" | "slot" | "slots" => Some(Unit::Slices),
        _ if millilitres(word).is_some() => Some(Unit::Millilitres),
        _ => None,
    }
}

/// Millilitres in one of a volume unit.
fn millilitres(word: &str) -> Option<f64> {
    Some(match word {
        "l" | "liter" | "liters" | "litre" | "litres" | "ltr" => 1000.0,
        "ml" | "milliliters" | "millilitres" => 1.0,
        "qt" | "quart" | "quarts" => 946.35,
        "gal" | "gallon" | "gallons" => 3785.4,
        _ => return None,
    })
}

/// A number word or numeral that may carry decimals (`0.9` in `0.9 L`).
fn amount(word: &str) -> Option<f64> {
    word.parse::<f64>().ok().filter(|n| *n > 0.0 && *n < 100_000.0)
}

/// Words before a number that make it a count of people (`sleeps 4`, `seats 6`, `for 4`, `family of 4`).
fn people_before(word: &str) -> bool {
    matches!(word, "sleeps" | "sleep" | "sleeping" | "seats" | "seating" | "seat" | "fits" | "for" | "of" | "serves")
}

/// Lowercased words and numbers, with `4-person`, `sleeps-4` and `12cup` split into their parts.
fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    // Decimal points stay inside numbers (`0.9 L`), nowhere else.
    let lower = text.to_lowercase();
    let chars: Vec<char> = lower.chars().collect();
    let kept: String = chars
        .iter()
        .enumerate()
        .map(|(i, &c)| {
            let decimal = c == '.'
                && i > 0
                && chars[i - 1].is_ascii_digit()
                && chars.get(i + 1).is_some_and(char::is_ascii_digit);
            if c.is_alphanumeric() || decimal {
                c
            } else {
                ' '
            }
        })
        .collect();
    for raw in kept.split(' ') {
        if raw.is_empty() {
            continue;
        }
        // `12cup`, `4p`: digits then letters.
        let digits: String = raw.chars().take_while(|c| c.is_ascii_digit() || *c == '.').collect();
        if !digits.is_empty() && digits.len() < raw.len() {
            out.push(digits.clone());
            out.push(raw[digits.len()..].to_owned());
        } else {
            out.push(raw.to_owned());
        }
    }
    out
}

/// Every capacity `text` states, with the word indices it used.
fn scan(text: &str, loose_for: bool) -> Vec<(Capacity, usize, usize)> {
    let w = words(text);
    let mut out = Vec::new();
    for i in 0..w.len() {
        // Volumes: `30 liters`, `28L`, `0.9 L`, `6-quart`.
        if let (Some(n), Some(ml)) = (amount(&w[i]), w.get(i + 1).and_then(|u| millilitres(u))) {
            out.push((Capacity { count: (n * ml).round() as u32, unit: Unit::Millilitres }, i, i + 2));
            continue;
        }
        let Some(count) = number(&w[i]) else { continue };
        // Ranges of people: `a family of four to six`, `serves 4-6`.
        let range_end = match (w.get(i + 1).map(String::as_str), w.get(i + 2).and_then(|x| number(x))) {
            (Some("to" | "or"), Some(end)) if end > count && end - count <= 10 => Some(end),
            _ => None,
        };
        // `4 person`, `12 cups`, `6-seater`; `4 adults` when a unit follows.
        if let Some(u) = w.get(i + 1).and_then(|x| unit(x)) {
            out.push((Capacity { count, unit: u }, i, i + 2));
            continue;
        }
        // `sleeps 4`, `seats 6`, `family of 4`, `service for 8`, `for 4` (only in questions: in a description a bare
        // `for 2` is too loose).
        let before = |k: usize| if i >= k { w[i - k].as_str() } else { "" };
        let anchored = matches!(before(2), "service" | "family" | "families" | "seating" | "serves" | "feeds");
        if i > 0 && people_before(&w[i - 1]) && (loose_for || anchored || !matches!(w[i - 1].as_str(), "for" | "of")) {
            // `for 4 days` is no capacity.
            let next = w.get(i + 1).map(String::as_str).unwrap_or("");
            if !matches!(next, "days" | "nights" | "hours" | "weeks" | "years" | "months" | "dollars" | "usd" | "bucks")
            {
                for n in count..=range_end.unwrap_or(count) {
                    out.push((Capacity { count: n, unit: Unit::People }, i - 1, i + 1));
                }
            }
        }
    }
    out
}

/// The capacity a visitor asks for, and the words of the message that said it (to keep them out of the search
/// words). `None` when the message names no count of people, cups or slices.
pub fn asked(message: &str) -> Option<(Capacity, Vec<String>)> {
    let w = words(message);
    let (cap, from, to) = scan(message, true).into_iter().next()?;
    Some((cap, w[from..to].to_vec()))
}

/// The capacities a product states in its title, tags and description (`Meadow 2 Tent`'s tag `sleeps-2`,
/// "seats 6", "12-cup").
pub fn stated(texts: &[&str]) -> Vec<Capacity> {
    let mut out: Vec<Capacity> = Vec::new();
    for text in texts {
        for (cap, _, _) in scan(text, false) {
            if !out.contains(&cap) {
                out.push(cap);
            }
        }
    }
    out
}

/// How a product fits an asked capacity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Fit {
    /// It states exactly that count.
    Exact,
    /// It states no count of that unit.
    Unknown,
    /// It states another count.
    Other,
}

/// How a product stating `stated` fits `asked`.
pub fn fit(asked: Capacity, stated: &[Capacity]) -> Fit {
    let same_unit: Vec<&Capacity> = stated.iter().filter(|c| c.unit == asked.unit).collect();
    let close = |c: &Capacity| match asked.unit {
        // A volume is never stated exactly as asked ("around 30 liters" is a 28 L pack).
        Unit::Millilitres => c.count.abs_diff(asked.count) * 5 <= asked.count,
        _ => c.count == asked.count,
    };
    if same_unit.iter().any(|c| close(c)) {
        Fit::Exact
    } else if same_unit.is_empty() {
        Fit::Unknown
    } else {
        Fit::Other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn people(count: u32) -> Capacity {
        Capacity { count, unit: Unit::People }
    }

    #[test]
    fn questions() {
        assert_eq!(asked("a tent that sleeps 4 people").map(|a| a.0), Some(people(4)));
        assert_eq!(asked("4-person tent").map(|a| a.0), Some(people(4)));
        assert_eq!(asked("a table for six").map(|a| a.0), Some(people(6)));
        assert_eq!(asked("dinner set for 8").map(|a| a.0), Some(people(8)));
        assert_eq!(asked("coffee maker for 12 cups").map(|a| a.0), Some(Capacity { count: 12, unit: Unit::Cups }));
        assert_eq!(asked("a 4-slice toaster").map(|a| a.0), Some(Capacity { count: 4, unit: Unit::Slices }));
        assert_eq!(asked("tent for a family of 4").map(|a| a.0), Some(people(4)));
        assert_eq!(asked("a tent for 4 days").map(|a| a.0), None);
        assert_eq!(asked("jacket under $200").map(|a| a.0), None);
        assert_eq!(asked("Osprey Atmos 65").map(|a| a.0), None);
        let ml = |count| Capacity { count, unit: Unit::Millilitres };
        assert_eq!(asked("a daypack around 30 liters").map(|a| a.0), Some(ml(30000)));
        assert_eq!(asked("a bottle that holds 750 ml").map(|a| a.0), Some(ml(750)));
        assert_eq!(asked("slow cooker 6 quart").map(|a| a.0), Some(ml(5678)));
        assert_eq!(asked("sleeps 4").unwrap().1, ["sleeps", "4"]);
    }

    #[test]
    fn products() {
        assert_eq!(stated(&["Basecamp 4 Family Tent", "tent, sleeps-4, camping"]), [people(4)]);
        assert_eq!(stated(&["Ridgeline 3 Ultralight Tent", "sleeps-3"]), [people(3)]);
        assert_eq!(stated(&["A 6-seater oak table that seats 6"]), [people(6)]);
        assert_eq!(stated(&["Brews 12 cups"]), [Capacity { count: 12, unit: Unit::Cups }]);
        assert!(stated(&["Great for 2 nights out"]).is_empty(), "`for N` is too loose in descriptions");
        assert_eq!(stated(&["Service for 8: eight each of dinner plates"]), [people(8)]);
        assert_eq!(stated(&["Feeds a family of four to six."]), [people(4), people(5), people(6)]);
        assert_eq!(fit(people(5), &stated(&["Feeds a family of four to six."])), Fit::Exact);
        let ml = |count| Capacity { count, unit: Unit::Millilitres };
        assert_eq!(stated(&["Ridgeback 28L Daypack"]), [ml(28000)]);
        assert_eq!(stated(&["Gooseneck Electric Kettle 0.9 L"]), [ml(900)]);
        assert_eq!(fit(ml(30000), &[ml(28000)]), Fit::Exact, "within 20 %");
        assert_eq!(fit(ml(30000), &[ml(65000)]), Fit::Other);
        assert_eq!(fit(people(4), &[people(4)]), Fit::Exact);
        assert_eq!(fit(people(4), &[people(3)]), Fit::Other);
        assert_eq!(fit(people(4), &[Capacity { count: 4, unit: Unit::Cups }]), Fit::Unknown);
    }
}
