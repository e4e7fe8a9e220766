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
}

impl std::fmt::Display for Capacity {
    /// `4 people`, `12 cups`, `2 slices`: how answers and the `show_products` input name it.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (one, many) = match self.unit {
            Unit::People => ("person", "people"),
            Unit::Cups => ("cup", "cups"),
            Unit::Slices => ("slice", "slices"),
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
    ("one", 1), ("two", 2), ("three", 3), ("four", 4), ("five", 5), ("six", 6), ("seven", 7), ("eight", 8),
    ("nine", 9), ("ten", 10), ("eleven", 11), ("twelve", 12), ("solo", 1), ("single", 1), ("couple", 2),
    ("duo", 2),
];

/// A word as a count: `4`, `four`.
fn number(word: &str) -> Option<u32> {
    word.parse::<u32>().ok().filter(|n| (1..=100).contains(n)).or_else(|| {
        NUMBER_WORDS.iter().find(|(w, _)| *w == word).map(|(_, n)| *n)
    })
}

/// The unit a word names, if it names one.
fn unit(word: &str) -> Option<Unit> {
    match word {
        "person" | "persons" | "people" | "man" | "men" | "adults" | "guests" | "sleeper" | "sleepers" | "seat"
        | "seats" | "seater" | "seaters" | "settings" | "setting" | "places" | "diners" | "pers" | "p" => {
            Some(Unit::People)
        }
        "cup" | "cups" => Some(Unit::Cups),
        "slice" | "slices" | "slot" | "slots" => Some(Unit::Slices),
        _ => None,
    }
}

/// Words before a number that make it a count of people (`sleeps 4`, `seats 6`, `for 4`, `family of 4`).
fn people_before(word: &str) -> bool {
    matches!(word, "sleeps" | "sleep" | "sleeping" | "seats" | "seating" | "seat" | "fits" | "for" | "of" | "serves")
}

/// Lowercased words and numbers, with `4-person`, `sleeps-4` and `12cup` split into their parts.
fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for raw in text.to_lowercase().split(|c: char| !c.is_alphanumeric()) {
        if raw.is_empty() {
            continue;
        }
        // `12cup`, `4p`: digits then letters.
        let digits: String = raw.chars().take_while(char::is_ascii_digit).collect();
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
        let Some(count) = number(&w[i]) else { continue };
        // `4 person`, `12 cups`, `6-seater`; `4 adults` when a unit follows.
        if let Some(u) = w.get(i + 1).and_then(|x| unit(x)) {
            out.push((Capacity { count, unit: u }, i, i + 2));
            continue;
        }
        // `sleeps 4`, `seats 6`, `family of 4`, `for 4` (only in questions: in a description `for 2` is too loose).
        if i > 0 && people_before(&w[i - 1]) && (loose_for || !matches!(w[i - 1].as_str(), "for" | "of")) {
            // `for 4 days` is no capacity.
            let next = w.get(i + 1).map(String::as_str).unwrap_or("");
            if !matches!(next, "days" | "nights" | "hours" | "weeks" | "years" | "months" | "dollars" | "usd" | "bucks") {
                out.push((Capacity { count, unit: Unit::People }, i - 1, i + 1));
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
    if same_unit.iter().any(|c| c.count == asked.count) {
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
        assert_eq!(asked("sleeps 4").unwrap().1, ["sleeps", "4"]);
    }

    #[test]
    fn products() {
        assert_eq!(stated(&["Basecamp 4 Family Tent", "tent, sleeps-4, camping"]), [people(4)]);
        assert_eq!(stated(&["Ridgeline 3 Ultralight Tent", "sleeps-3"]), [people(3)]);
        assert_eq!(stated(&["A 6-seater oak table that seats 6"]), [people(6)]);
        assert_eq!(stated(&["Brews 12 cups"]), [Capacity { count: 12, unit: Unit::Cups }]);
        assert!(stated(&["Great for 2 nights out"]).is_empty(), "`for N` is too loose in descriptions");
        assert_eq!(fit(people(4), &[people(4)]), Fit::Exact);
        assert_eq!(fit(people(4), &[people(3)]), Fit::Other);
        assert_eq!(fit(people(4), &[Capacity { count: 4, unit: Unit::Cups }]), Fit::Unknown);
    }
}
