//! Conditions: when a field (or a page) applies, as a small JSON expression tree.
//!
//! Conditions are data, not code, so the browser can evaluate them as the citizen types and the
//! provider can evaluate the very same tree on submit (like démarches-simplifiées' "logique
//! conditionnelle"):
//!
//! ```json
//! { "all": [ { "equals": { "field": "requester", "value": "other" } },
//!            { "not": { "filled": "relationship_proof" } } ] }
//! ```

use crate::answers::{Answer, Answers};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Condition {
    /// Every sub-condition holds.
    All(Vec<Condition>),
    /// At least one sub-condition holds.
    Any(Vec<Condition>),
    Not(Box<Condition>),
    /// The field's answer is exactly this value (for a multi-choice: contains it).
    Equals {
        field: String,
        value: String,
    },
    /// The field's answer is one of these values.
    In {
        field: String,
        values: Vec<String>,
    },
    /// The field has a non-empty answer.
    Filled(String),
}

impl Condition {
    pub fn evaluate(&self, answers: &Answers) -> bool {
        match self {
            Condition::All(all) => all.iter().all(|c| c.evaluate(answers)),
            Condition::Any(any) => any.iter().any(|c| c.evaluate(answers)),
            Condition::Not(c) => !c.evaluate(answers),
            Condition::Equals { field, value } => match answers.get(field) {
                Some(Answer::Text(t)) => t == value,
                Some(Answer::Many(many)) => many.contains(value),
                _ => false,
            },
            Condition::In { field, values } => match answers.get(field) {
                Some(Answer::Text(t)) => values.contains(t),
                Some(Answer::Many(many)) => many.iter().any(|m| values.contains(m)),
                _ => false,
            },
            Condition::Filled(field) => answers.get(field).is_some_and(|a| !a.is_empty()),
        }
    }

    /// Every field id the condition reads (to check references when a schema is loaded).
    pub fn fields(&self) -> Vec<&str> {
        match self {
            Condition::All(c) | Condition::Any(c) => c.iter().flat_map(|c| c.fields()).collect(),
            Condition::Not(c) => c.fields(),
            Condition::Equals { field, .. }
            | Condition::In { field, .. }
            | Condition::Filled(field) => vec![field],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answers(pairs: &[(&str, Answer)]) -> Answers {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect()
    }

    #[test]
    fn reads_the_documented_json_form() {
        let json = r#"{"all":[{"equals":{"field":"requester","value":"other"}},{"not":{"filled":"proof"}}]}"#;
        let c: Condition = serde_json::from_str(json).unwrap();
        assert_eq!(
            c,
            Condition::All(vec![
                Condition::Equals {
                    field: "requester".into(),
                    value: "other".into()
                },
                Condition::Not(Box::new(Condition::Filled("proof".into()))),
            ])
        );
        assert_eq!(c.fields(), ["requester", "proof"]);
    }

    #[test]
    fn evaluation_table() {
        let a = answers(&[
            ("requester", Answer::Text("other".into())),
            ("items", Answer::Many(vec!["sofa".into(), "fridge".into()])),
            ("empty", Answer::Text("  ".into())),
        ]);
        let eq = |f: &str, v: &str| Condition::Equals {
            field: f.into(),
            value: v.into(),
        };
        let cases = [
            (eq("requester", "other"), true),
            (eq("requester", "self"), false),
            (eq("missing", "x"), false),
            (eq("items", "fridge"), true),
            (
                Condition::In {
                    field: "requester".into(),
                    values: vec!["self".into(), "other".into()],
                },
                true,
            ),
            (
                Condition::In {
                    field: "items".into(),
                    values: vec!["bed".into()],
                },
                false,
            ),
            (Condition::Filled("requester".into()), true),
            (Condition::Filled("empty".into()), false),
            (Condition::Filled("missing".into()), false),
            (Condition::Not(Box::new(eq("requester", "self"))), true),
            (
                Condition::All(vec![eq("requester", "other"), eq("items", "sofa")]),
                true,
            ),
            (
                Condition::All(vec![eq("requester", "other"), eq("items", "bed")]),
                false,
            ),
            (
                Condition::Any(vec![eq("requester", "self"), eq("items", "sofa")]),
                true,
            ),
            (Condition::All(vec![]), true),
            (Condition::Any(vec![]), false),
        ];
        for (condition, expected) in cases {
            assert_eq!(condition.evaluate(&a), expected, "{condition:?}");
        }
    }
}
