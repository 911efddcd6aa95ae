//! Form schemas: what a provider asks, page by page, and how each answer is checked.

use crate::condition::Condition;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FormSchema {
    /// Stable id, as named by the catalogue's `channels.online.form`.
    pub id: String,
    /// Bumped when questions change; a submission names the version it answered.
    pub version: u32,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub pages: Vec<FormPage>,
    /// What happens after submission, shown on the receipt.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_steps: Option<String>,
    /// Expected processing time (ISO 8601 duration, e.g. `P15D`), shown on the receipt.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_delay: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FormPage {
    pub id: String,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub fields: Vec<Field>,
    /// The page applies only when this holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub condition: Option<Condition>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldKind {
    Text,
    LongText,
    Email,
    Tel,
    /// `YYYY-MM-DD`.
    Date,
    Number,
    Choice,
    MultiChoice,
    Address,
    File,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChoiceOption {
    pub value: String,
    pub label: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Field {
    pub id: String,
    pub label: String,
    pub kind: FieldKind,
    #[serde(default)]
    pub required: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// A regular expression the whole answer must match (the common subset of ECMAScript and
    /// Rust regex syntax), with the message to show when it does not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pattern_message: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_length: Option<u32>,
    /// Lower bound: a number, or a date (`YYYY-MM-DD` or `today`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<String>,
    /// Upper bound: a number, or a date (`YYYY-MM-DD` or `today`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<ChoiceOption>,
    /// The OIDC claim that pre-fills this field (tell-us-once): `given_name`, `family_name`,
    /// `birthdate`, `email`, `phone_number`, `address` (whole address) or `address.locality`…
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefill: Option<String>,
    /// The field applies only when this holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub condition: Option<Condition>,
    /// For files: the largest accepted size in bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_bytes: Option<u64>,
    /// For files: accepted media types (`application/pdf`, `image/jpeg`, `image/png`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub accept: Vec<String>,
    /// HTML `autocomplete` token (`given-name`, `email`…), for browsers and assistive technologies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub autocomplete: Option<String>,
}

/// Largest file the contract allows at all (providers may set less per field).
pub const MAX_FILE_BYTES: u64 = 10 * 1024 * 1024;

impl Field {
    /// An answer to this field as a citizen reads it: option labels rather than values, dates in
    /// French order, addresses on one line, files by name.
    pub fn display(&self, answer: &crate::Answer) -> String {
        use crate::Answer;
        let label = |value: &str| {
            self.options
                .iter()
                .find(|o| o.value == value)
                .map_or_else(|| value.to_owned(), |o| o.label.clone())
        };
        match answer {
            Answer::Text(t) if matches!(self.kind, FieldKind::Choice) => label(t),
            Answer::Text(t) => crate::validation::french_date_if_date(t, self.kind),
            Answer::Many(values) => values
                .iter()
                .map(|v| label(v))
                .collect::<Vec<_>>()
                .join(", "),
            other => other.display(),
        }
    }
}

impl FormSchema {
    pub fn fields(&self) -> impl Iterator<Item = &Field> {
        self.pages.iter().flat_map(|p| p.fields.iter())
    }

    pub fn field(&self, id: &str) -> Option<&Field> {
        self.fields().find(|f| f.id == id)
    }

    /// Checks the schema is coherent (providers run this when loading their forms): unique ids,
    /// conditions that name existing fields, choices with options, files with limits, patterns in
    /// the common linear-time subset ([`crate::validation::check_schema_patterns`]).
    pub fn check(&self) -> Result<(), Vec<String>> {
        let mut problems = Vec::new();
        let mut ids = std::collections::HashSet::new();
        if self.pages.is_empty() {
            problems.push("the form has no page".to_owned());
        }
        for field in self.fields() {
            if !ids.insert(field.id.as_str()) {
                problems.push(format!("field id `{}` is used twice", field.id));
            }
            match field.kind {
                FieldKind::Choice | FieldKind::MultiChoice if field.options.is_empty() => {
                    problems.push(format!("choice field `{}` has no options", field.id));
                }
                FieldKind::File
                    if field.accept.is_empty()
                        || field.max_bytes.is_none_or(|m| m > MAX_FILE_BYTES) =>
                {
                    problems.push(format!(
                        "file field `{}` needs `accept` and `max_bytes` ≤ {MAX_FILE_BYTES}",
                        field.id
                    ));
                }
                _ => {}
            }
        }
        let conditions = self
            .pages
            .iter()
            .filter_map(|p| p.condition.as_ref())
            .chain(self.fields().filter_map(|f| f.condition.as_ref()));
        for condition in conditions {
            for name in condition.fields() {
                if !ids.contains(name) {
                    problems.push(format!("a condition refers to unknown field `{name}`"));
                }
            }
        }
        if let Err(patterns) = crate::validation::check_schema_patterns(self) {
            problems.extend(patterns.iter().map(ToString::to_string));
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems)
        }
    }
}

/// A question with only an id (its label too) and a kind: what tests start from.
#[cfg(test)]
impl Field {
    pub(crate) fn bare(id: &str, kind: FieldKind) -> Field {
        Field {
            id: id.into(),
            label: id.into(),
            kind,
            required: false,
            help: None,
            pattern: None,
            pattern_message: None,
            max_length: None,
            min: None,
            max: None,
            options: vec![],
            prefill: None,
            condition: None,
            max_bytes: None,
            accept: vec![],
            autocomplete: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(id: &str, kind: FieldKind) -> Field {
        Field::bare(id, kind)
    }

    #[test]
    fn check_reports_incoherent_schemas() {
        let mut f = field("a", FieldKind::Choice);
        f.condition = Some(Condition::Filled("ghost".into()));
        let schema = FormSchema {
            id: "x".into(),
            version: 1,
            title: "X".into(),
            description: None,
            pages: vec![FormPage {
                id: "p".into(),
                title: "P".into(),
                description: None,
                fields: vec![
                    f,
                    field("a", FieldKind::Text),
                    field("doc", FieldKind::File),
                ],
                condition: None,
            }],
            next_steps: None,
            expected_delay: None,
        };
        let problems = schema.check().unwrap_err();
        assert_eq!(problems.len(), 4, "{problems:?}");
    }

    #[test]
    fn check_refuses_patterns_outside_the_common_subset() {
        let mut plate = field("immatriculation", FieldKind::Text);
        plate.pattern = Some("[A-Za-z]{2}-?[0-9]{3}-?[A-Za-z]{2}".into());
        let mut evil = field("code", FieldKind::Text);
        evil.pattern = Some("(\\d+)+$".into());
        let mut schema = FormSchema {
            id: "x".into(),
            version: 1,
            title: "X".into(),
            description: None,
            pages: vec![FormPage {
                id: "p".into(),
                title: "P".into(),
                description: None,
                fields: vec![plate],
                condition: None,
            }],
            next_steps: None,
            expected_delay: None,
        };
        assert_eq!(schema.check(), Ok(()));
        schema.pages[0].fields.push(evil);
        let problems = schema.check().unwrap_err();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(
            problems[0].starts_with("field `code`: pattern: character 2: `\\d`"),
            "{problems:?}"
        );
    }

    #[test]
    fn answers_are_displayed_with_option_labels_and_french_dates() {
        use crate::Answer;
        let mut choice = field("c", FieldKind::Choice);
        choice.options = vec![ChoiceOption {
            value: "copie_integrale".into(),
            label: "Copie intégrale".into(),
        }];
        assert_eq!(
            choice.display(&Answer::Text("copie_integrale".into())),
            "Copie intégrale"
        );
        let mut many = field("m", FieldKind::MultiChoice);
        many.options = vec![
            ChoiceOption {
                value: "a".into(),
                label: "Meubles".into(),
            },
            ChoiceOption {
                value: "b".into(),
                label: "Literie".into(),
            },
        ];
        assert_eq!(
            many.display(&Answer::Many(vec!["b".into(), "a".into()])),
            "Literie, Meubles"
        );
        assert_eq!(
            field("d", FieldKind::Date).display(&Answer::Text("2016-05-20".into())),
            "20/05/2016"
        );
    }

    #[test]
    fn unknown_schema_keys_are_refused() {
        let json = r#"{"id":"x","version":1,"title":"X","pages":[],"colour":"red"}"#;
        assert!(serde_json::from_str::<FormSchema>(json).is_err());
    }
}
