//! Colour names and the families they belong to, so "blue" finds the Navy, Sky and Glacier variants a store names
//! its colours by.
//!
//! A general lexicon of colour names used in fashion, outdoor and home catalogs, not any one store's list: a value
//! the lexicon does not know (`Heritage Plaid`) still matches by its words. A name may belong to two families when
//! shoppers would accept it for either (teal is blue and green; rust is red and orange).

/// The colour families a shopper asks by.
pub const FAMILIES: &[&str] =
    &["black", "white", "grey", "blue", "red", "green", "yellow", "orange", "purple", "pink", "brown", "beige"];

/// Colour names and their families; every family is also its own name.
#[rustfmt::skip]
const NAMES: &[(&str, &[&str])] = &[
    // black
    ("black", &["black"]), ("onyx", &["black"]), ("jet", &["black"]), ("ebony", &["black"]), ("ink", &["black", "blue"]),
    ("obsidian", &["black"]), ("raven", &["black"]), ("caviar", &["black"]), ("noir", &["black"]),
    // white
    ("white", &["white"]), ("ivory", &["white"]), ("cream", &["white", "beige"]), ("bone", &["white", "beige"]),
    ("snow", &["white"]), ("chalk", &["white"]), ("pearl", &["white"]), ("alabaster", &["white"]),
    ("linen", &["white", "beige"]), ("ecru", &["white", "beige"]), ("eggshell", &["white"]), ("porcelain", &["white"]),
    ("natural", &["white", "beige"]), ("optic", &["white"]), ("frost", &["white"]),
    // grey
    ("grey", &["grey"]), ("gray", &["grey"]), ("charcoal", &["grey"]), ("slate", &["grey"]), ("graphite", &["grey"]),
    ("heather", &["grey"]), ("ash", &["grey"]), ("pewter", &["grey"]), ("silver", &["grey"]), ("smoke", &["grey"]),
    ("stone", &["grey", "beige"]), ("gunmetal", &["grey"]), ("steel", &["grey"]), ("concrete", &["grey"]),
    ("fog", &["grey"]), ("dove", &["grey"]), ("storm", &["grey"]), ("iron", &["grey"]), ("cement", &["grey"]),
    ("shadow", &["grey"]), ("titanium", &["grey"]), ("platinum", &["grey"]),
    // blue
    ("blue", &["blue"]), ("navy", &["blue"]), ("sky", &["blue"]), ("glacier", &["blue"]), ("cobalt", &["blue"]),
    ("indigo", &["blue", "purple"]), ("denim", &["blue"]), ("midnight", &["blue"]), ("azure", &["blue"]),
    ("sapphire", &["blue"]), ("royal", &["blue"]), ("cerulean", &["blue"]), ("ocean", &["blue"]), ("marine", &["blue"]),
    ("teal", &["blue", "green"]), ("turquoise", &["blue", "green"]), ("aqua", &["blue", "green"]),
    ("cyan", &["blue"]), ("powder", &["blue"]), ("cornflower", &["blue"]), ("periwinkle", &["blue", "purple"]),
    ("lagoon", &["blue", "green"]), ("petrol", &["blue", "green"]), ("harbor", &["blue"]), ("harbour", &["blue"]),
    ("ice", &["blue"]), ("arctic", &["blue"]), ("mist", &["blue", "grey"]), ("dusk", &["blue", "purple"]),
    ("lake", &["blue"]), ("admiral", &["blue"]), ("horizon", &["blue"]), ("ultramarine", &["blue"]),
    // red
    ("red", &["red"]), ("berry", &["red", "pink"]), ("rust", &["red", "orange"]), ("burgundy", &["red"]),
    ("maroon", &["red"]), ("wine", &["red"]), ("crimson", &["red"]), ("cherry", &["red"]), ("scarlet", &["red"]),
    ("brick", &["red"]), ("cardinal", &["red"]), ("ruby", &["red"]), ("oxblood", &["red"]), ("merlot", &["red"]),
    ("cranberry", &["red"]), ("raspberry", &["red", "pink"]), ("tomato", &["red"]), ("poppy", &["red"]),
    ("garnet", &["red"]), ("claret", &["red"]), ("vermilion", &["red"]), ("chili", &["red"]), ("paprika", &["red", "orange"]),
    ("terracotta", &["orange", "red"]), ("sangria", &["red"]), ("redwood", &["red", "brown"]),
    // green
    ("green", &["green"]), ("olive", &["green"]), ("moss", &["green"]), ("sage", &["green"]), ("forest", &["green"]),
    ("emerald", &["green"]), ("mint", &["green"]), ("lime", &["green"]), ("pine", &["green"]), ("fern", &["green"]),
    ("jade", &["green"]), ("khaki", &["green", "beige"]), ("army", &["green"]), ("hunter", &["green"]),
    ("seafoam", &["green"]), ("pistachio", &["green"]), ("eucalyptus", &["green"]), ("spruce", &["green"]),
    ("juniper", &["green"]), ("basil", &["green"]), ("avocado", &["green"]), ("celadon", &["green"]),
    ("chartreuse", &["green", "yellow"]), ("kelly", &["green"]), ("bottle", &["green"]), ("lichen", &["green"]),
    ("evergreen", &["green"]), ("thyme", &["green"]),
    // yellow
    ("yellow", &["yellow"]), ("mustard", &["yellow"]), ("gold", &["yellow"]), ("ochre", &["yellow", "orange"]),
    ("lemon", &["yellow"]), ("sunflower", &["yellow"]), ("canary", &["yellow"]), ("butter", &["yellow"]),
    ("honey", &["yellow", "orange"]), ("saffron", &["yellow", "orange"]), ("amber", &["yellow", "orange"]),
    ("citrine", &["yellow"]), ("maize", &["yellow"]), ("golden", &["yellow"]), ("marigold", &["yellow", "orange"]),
    // orange
    ("orange", &["orange"]), ("tangerine", &["orange"]), ("apricot", &["orange"]), ("peach", &["orange", "pink"]),
    ("coral", &["orange", "pink"]), ("copper", &["orange", "brown"]), ("pumpkin", &["orange"]),
    ("clementine", &["orange"]), ("mango", &["orange"]), ("burnt", &["orange"]), ("ember", &["orange", "red"]),
    ("papaya", &["orange"]), ("persimmon", &["orange"]), ("flame", &["orange", "red"]),
    // purple
    ("purple", &["purple"]), ("plum", &["purple"]), ("lavender", &["purple"]), ("lilac", &["purple"]),
    ("violet", &["purple"]), ("mauve", &["purple", "pink"]), ("aubergine", &["purple"]), ("eggplant", &["purple"]),
    ("grape", &["purple"]), ("amethyst", &["purple"]), ("orchid", &["purple", "pink"]), ("heather purple", &["purple"]),
    ("iris", &["purple"]), ("wisteria", &["purple"]), ("mulberry", &["purple", "red"]), ("fig", &["purple"]),
    // pink
    ("pink", &["pink"]), ("blush", &["pink"]), ("rose", &["pink"]), ("fuchsia", &["pink"]), ("magenta", &["pink", "purple"]),
    ("salmon", &["pink", "orange"]), ("bubblegum", &["pink"]), ("flamingo", &["pink"]), ("petal", &["pink"]),
    ("dusty rose", &["pink"]), ("ballet", &["pink"]), ("hibiscus", &["pink"]), ("watermelon", &["pink", "red"]),
    // brown
    ("brown", &["brown"]), ("tan", &["brown", "beige"]), ("camel", &["brown", "beige"]), ("chocolate", &["brown"]),
    ("espresso", &["brown"]), ("coffee", &["brown"]), ("mocha", &["brown"]), ("walnut", &["brown"]), ("oak", &["brown"]),
    ("chestnut", &["brown"]), ("cognac", &["brown"]), ("caramel", &["brown"]), ("cocoa", &["brown"]),
    ("mahogany", &["brown", "red"]), ("umber", &["brown"]), ("sienna", &["brown", "orange"]), ("bronze", &["brown"]),
    ("clay", &["brown", "orange"]), ("cinnamon", &["brown"]), ("tobacco", &["brown"]), ("saddle", &["brown"]),
    ("hazel", &["brown"]), ("teak", &["brown"]), ("acorn", &["brown"]), ("toffee", &["brown"]), ("earth", &["brown"]),
    ("bark", &["brown"]), ("cedar", &["brown"]),
    // beige
    ("beige", &["beige"]), ("sand", &["beige"]), ("oat", &["beige"]), ("oatmeal", &["beige"]), ("taupe", &["beige", "grey"]),
    ("latte", &["beige"]), ("biscuit", &["beige"]), ("wheat", &["beige"]), ("fawn", &["beige"]), ("nude", &["beige"]),
    ("dune", &["beige"]), ("desert", &["beige"]), ("flax", &["beige"]), ("parchment", &["beige"]), ("mushroom", &["beige", "grey"]),
    ("almond", &["beige"]), ("buff", &["beige"]), ("putty", &["beige", "grey"]), ("greige", &["beige", "grey"]),
    ("champagne", &["beige"]), ("vanilla", &["white", "beige"]), ("driftwood", &["beige", "grey"]),
];

/// The families a colour name belongs to; empty for a word that is no colour.
pub fn families_of_word(word: &str) -> &'static [&'static str] {
    let word = word.to_lowercase();
    NAMES.iter().find(|(name, _)| *name == word).map_or(&[], |(_, f)| *f)
}

/// Whether `word` is a colour name the lexicon knows (a family or a shade).
pub fn is_color(word: &str) -> bool {
    !families_of_word(word).is_empty()
}

/// Whether `word` is a colour family (`blue`), as opposed to a shade (`navy`).
pub fn is_family(word: &str) -> bool {
    FAMILIES.contains(&word)
}

/// The families an option value (`Forest Green`, `Navy Blue`, `Heather`) belongs to: those of its words, the last
/// word first (in "Forest Green" the colour is green; in "Navy Heather" the navy shade of heather is still a navy).
pub fn families_of_value(value: &str) -> Vec<&'static str> {
    let lower = value.to_lowercase();
    let words: Vec<&str> = lower.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
    let mut out: Vec<&'static str> = Vec::new();
    // Two-word names first (`dusty rose`).
    for pair in words.windows(2) {
        let name = format!("{} {}", pair[0], pair[1]);
        if let Some((_, f)) = NAMES.iter().find(|(n, _)| *n == name) {
            for family in f.iter() {
                if !out.contains(family) {
                    out.push(family);
                }
            }
        }
    }
    for w in words.iter().rev() {
        for f in families_of_word(w) {
            if !out.contains(f) {
                out.push(f);
            }
        }
    }
    out
}

/// Whether a variant's option value fits the colour a shopper asked for: a family (`blue`) fits every shade of it
/// (`Navy`, `Glacier`); a shade (`navy`) fits values naming it (`Navy`, `Navy Blue`).
pub fn value_fits(value: &str, asked: &str) -> bool {
    let asked = if asked == "gray" { "grey" } else { asked };
    let named = value
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| w.eq_ignore_ascii_case(asked) || (asked == "grey" && w.eq_ignore_ascii_case("gray")));
    named || (is_family(asked) && families_of_value(value).contains(&asked))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shades_belong_to_families() {
        for blue in ["Navy", "Sky", "Glacier", "Cobalt", "Midnight Blue", "Teal"] {
            assert!(value_fits(blue, "blue"), "{blue}");
        }
        for red in ["Berry", "Rust", "Burgundy", "Red"] {
            assert!(value_fits(red, "red"), "{red}");
        }
        assert!(value_fits("Forest Green", "green") && value_fits("Sage", "green") && value_fits("Moss", "green"));
        assert!(value_fits("Heather Gray", "grey") && value_fits("Charcoal", "grey"));
        assert!(!value_fits("Black", "blue") && !value_fits("Sand", "blue") && !value_fits("Slate", "blue"));
    }

    #[test]
    fn shades_asked_by_name_match_by_name() {
        assert!(value_fits("Navy", "navy") && value_fits("Navy Blue", "navy"));
        assert!(!value_fits("Sky", "navy"), "a shade is not its family");
        assert!(value_fits("Heritage Plaid", "plaid"), "unknown names match by their words");
    }

    #[test]
    fn lexicon_is_consistent() {
        for (name, families) in NAMES {
            assert!(!families.is_empty() && families.iter().all(|f| is_family(f)), "{name}");
            assert_eq!(name.to_lowercase(), *name);
        }
        for f in FAMILIES {
            assert!(families_of_word(f).contains(f), "{f}");
        }
    }
}
