//! Texts that may exist in several languages.
//!
//! In a file, a text is either a plain string (French) or a table of languages:
//! `title = "Acte de naissance"` or `title = { fr = "Acte de naissance", en = "Birth certificate" }`.
//! French is required; other languages are optional, so a translation can be added to any file
//! without breaking it.

use std::collections::BTreeMap;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Text {
    pub fr: String,
    /// Other languages, by BCP 47 tag (`en`, `de`…).
    pub others: BTreeMap<String, String>,
}

impl Text {
    pub fn fr(text: impl Into<String>) -> Self {
        Text {
            fr: text.into(),
            others: BTreeMap::new(),
        }
    }

    /// The text in `lang`, falling back to French.
    pub fn get(&self, lang: &str) -> &str {
        if lang == "fr" {
            return &self.fr;
        }
        self.others.get(lang).map_or(&self.fr, String::as_str)
    }

    pub fn is_blank(&self) -> bool {
        self.fr.trim().is_empty()
    }
}

impl std::fmt::Display for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.fr)
    }
}

#[cfg(test)]
mod tests {
    use super::Text;

    #[test]
    fn falls_back_to_french() {
        let mut t = Text::fr("Acte de naissance");
        t.others.insert("en".into(), "Birth certificate".into());
        assert_eq!(t.get("en"), "Birth certificate");
        assert_eq!(t.get("de"), "Acte de naissance");
        assert_eq!(t.get("fr"), "Acte de naissance");
    }
}
