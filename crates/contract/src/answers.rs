//! A citizen's answers to a form, keyed by field id.
//!
//! On the wire each answer is plain JSON: a string (text, email, tel, date `YYYY-MM-DD`, number,
//! single choice), an array of strings (multi-choice), an object for a postal address, or an object
//! describing an attached file (whose bytes travel as a multipart part named by `part`).

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub type Answers = BTreeMap<String, Answer>;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Answer {
    Text(String),
    Many(Vec<String>),
    Address(PostalAddress),
    File(FileAnswer),
}

impl Answer {
    pub fn is_empty(&self) -> bool {
        match self {
            Answer::Text(t) => t.trim().is_empty(),
            Answer::Many(m) => m.is_empty(),
            Answer::Address(a) => {
                a.street.trim().is_empty()
                    && a.postal_code.trim().is_empty()
                    && a.city.trim().is_empty()
            }
            Answer::File(f) => f.name.is_empty(),
        }
    }

    /// A one-line rendering for summaries (check-your-answers page, receipts, agent CLI).
    pub fn display(&self) -> String {
        match self {
            Answer::Text(t) => t.clone(),
            Answer::Many(m) => m.join(", "),
            Answer::Address(a) => a.one_line(),
            Answer::File(f) => f.name.clone(),
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PostalAddress {
    pub street: String,
    pub postal_code: String,
    pub city: String,
}

impl PostalAddress {
    pub fn one_line(&self) -> String {
        format!(
            "{}, {} {}",
            self.street.trim(),
            self.postal_code.trim(),
            self.city.trim()
        )
    }
}

/// A file answer: its description, and the multipart part carrying its bytes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileAnswer {
    /// Name of the multipart part with the file's bytes.
    pub part: String,
    /// Original file name (for display only; never used as a path).
    pub name: String,
    pub size: u64,
    pub content_type: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_read_from_plain_json() {
        let json = r#"{
            "given_name": "Camille",
            "items": ["sofa", "fridge"],
            "address": {"street": "12 rue Louis Blanc", "postal_code": "45500", "city": "Gien"},
            "proof": {"part": "file-proof", "name": "livret.pdf", "size": 1234, "content_type": "application/pdf"}
        }"#;
        let answers: Answers = serde_json::from_str(json).unwrap();
        assert_eq!(answers["given_name"], Answer::Text("Camille".into()));
        assert_eq!(answers["items"].display(), "sofa, fridge");
        assert_eq!(
            answers["address"].display(),
            "12 rue Louis Blanc, 45500 Gien"
        );
        assert!(matches!(&answers["proof"], Answer::File(f) if f.size == 1234));
        let back = serde_json::to_value(&answers).unwrap();
        assert_eq!(back["proof"]["part"], "file-proof");
    }

    #[test]
    fn emptiness() {
        assert!(Answer::Text(" ".into()).is_empty());
        assert!(Answer::Many(vec![]).is_empty());
        assert!(Answer::Address(PostalAddress::default()).is_empty());
        assert!(!Answer::Text("x".into()).is_empty());
    }
}
