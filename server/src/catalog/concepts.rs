//! Qualities shoppers ask for by their effect ("warm", "for winter") that products state by what they are made of
//! ("insulated", "fleece", "down"): general retail knowledge, not any one store's words.

/// A quality word (folded) and the words that state it in a product's text.
const CONCEPTS: &[(&str, &[&str])] =
    &[("warm", WARM), ("warmth", WARM), ("winter", WARM), ("cold", WARM), ("insulated", WARM)];

/// What keeps a body (or a bed) warm.
const WARM: &[&str] = &[
    "warm",
    "warmth",
    "winter",
    "insulated",
    "insulation",
    "insulating",
    "fleece",
    "pile",
    "down",
    "thermal",
    "merino",
    "wool",
    "sherpa",
    "flannel",
    "primaloft",
    "heated",
];

/// The words that state `word` (folded) in a product, `word` itself first.
pub fn stated_by(word: &str) -> impl Iterator<Item = &str> {
    let related = CONCEPTS.iter().find(|(w, _)| *w == word).map(|(_, r)| *r).unwrap_or(&[]);
    std::iter::once(word).chain(related.iter().copied())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_quality_is_stated_by_its_materials_and_itself() {
        let warm: Vec<&str> = stated_by("warm").collect();
        assert_eq!(warm[0], "warm");
        assert!(warm.contains(&"fleece") && warm.contains(&"insulated"));
        assert_eq!(stated_by("jacket").collect::<Vec<_>>(), ["jacket"], "other words stand for themselves");
    }
}
