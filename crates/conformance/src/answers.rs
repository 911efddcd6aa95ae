//! Valid answers to any form, generated from its schema, so the checker can submit to a provider
//! it knows nothing about. Fields are filled in rounds until the set of applicable fields (which
//! depends on conditions) stops changing; files get a tiny valid PDF or PNG; patterned fields get
//! an example of their pattern. [`variant`] finds *other* valid answers, checked with the same
//! validation the provider runs, so a refusal can only be about what the check is testing.

use contract::answers::{FileAnswer, PostalAddress};
use contract::form::{Field, FieldKind};
use contract::validation::{Context, PatternMatcher, applicable_fields, validate_submission};
use contract::{Answer, Answers, FormSchema};

/// A minimal, valid PDF.
pub const PDF: &[u8] = b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";
/// A 1×1 PNG.
pub const PNG: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 0x49, 0x48, 0x44, 0x52, 0, 0, 0,
    1, 0, 0, 0, 1, 8, 6, 0, 0, 0, 0x1F, 0x15, 0xC4, 0x89, 0, 0, 0, 0x0A, 0x49, 0x44, 0x41, 0x54,
    0x78, 0x9C, 0x63, 0, 1, 0, 0, 5, 0, 1, 0x0D, 0x0A, 0x2D, 0xB4, 0, 0, 0, 0, 0x49, 0x45, 0x4E,
    0x44, 0xAE, 0x42, 0x60, 0x82,
];

/// The bytes to attach for a file field, with their media type.
pub fn file_for(field: &Field) -> (&'static [u8], &'static str) {
    if field.accept.iter().any(|a| a == "application/pdf") {
        (PDF, "application/pdf")
    } else {
        (PNG, "image/png")
    }
}

fn value_for(field: &Field, today: &str) -> Answer {
    let bound = |b: &Option<String>| {
        b.as_deref().map(|v| {
            if v == "today" {
                today.to_owned()
            } else {
                v.to_owned()
            }
        })
    };
    match field.kind {
        FieldKind::Email => Answer::Text("conformite@example.fr".into()),
        FieldKind::Tel => Answer::Text("02 61 91 00 00".into()),
        FieldKind::Date => Answer::Text(
            bound(&field.min)
                .or_else(|| bound(&field.max))
                .unwrap_or_else(|| today.to_owned()),
        ),
        FieldKind::Number => Answer::Text(bound(&field.min).unwrap_or_else(|| "1".into())),
        FieldKind::Choice => Answer::Text(
            field
                .options
                .first()
                .map(|o| o.value.clone())
                .unwrap_or_default(),
        ),
        FieldKind::MultiChoice => Answer::Many(
            field
                .options
                .first()
                .map(|o| vec![o.value.clone()])
                .unwrap_or_default(),
        ),
        FieldKind::Address => Answer::Address(PostalAddress {
            street: "1 place de la Mairie".into(),
            postal_code: "45500".into(),
            city: "Gien".into(),
        }),
        FieldKind::File => {
            let (bytes, content_type) = file_for(field);
            Answer::File(FileAnswer {
                part: format!("file-{}", field.id),
                name: format!(
                    "{}.{}",
                    field.id,
                    if content_type == "application/pdf" {
                        "pdf"
                    } else {
                        "png"
                    }
                ),
                size: bytes.len() as u64,
                content_type: content_type.into(),
            })
        }
        FieldKind::Text | FieldKind::LongText => Answer::Text(
            field
                .pattern
                .as_deref()
                .and_then(contract::pattern::example)
                .unwrap_or_else(|| "Conformité".into()),
        ),
    }
}

/// Patterns as the provider evaluates them (Rust's `regex`, whole answer).
pub struct RegexPatterns;

impl PatternMatcher for RegexPatterns {
    fn full_match(&self, pattern: &str, value: &str) -> Option<bool> {
        regex::Regex::new(&format!("^(?:{pattern})$"))
            .ok()
            .map(|re| re.is_match(value))
    }
}

/// Whether `answers` pass the form's validation, as a provider runs it.
pub fn valid(schema: &FormSchema, answers: &Answers, today: &str) -> bool {
    let context = Context {
        today,
        patterns: &RegexPatterns,
    };
    validate_submission(schema, answers, &context).is_ok()
}

/// Other answers to the same form that are just as valid (one answer changed), if the form
/// allows any: a different choice, a longer text, an optional field filled in.
pub fn variant(schema: &FormSchema, answers: &Answers, today: &str) -> Option<Answers> {
    let applicable = applicable_fields(schema, answers);
    // Changing a choice may change which fields apply: tried last.
    let mut candidates: Vec<(bool, Answers)> = Vec::new();
    for (_, field) in &applicable {
        let current = answers.get(&field.id);
        let mut changed = answers.clone();
        let replacement = match (field.kind, current) {
            (FieldKind::Choice, _) => field
                .options
                .iter()
                .find(|o| current != Some(&Answer::Text(o.value.clone())))
                .map(|o| Answer::Text(o.value.clone())),
            (FieldKind::Text | FieldKind::LongText, Some(Answer::Text(t)))
                if field.pattern.is_none() =>
            {
                Some(Answer::Text(format!("{t} bis")))
            }
            (FieldKind::Text | FieldKind::LongText, None) if field.pattern.is_none() => {
                Some(Answer::Text("Conformité".into()))
            }
            (FieldKind::Email, _) => Some(Answer::Text("conformite.bis@example.fr".into())),
            (FieldKind::Tel, _) => Some(Answer::Text("02 61 91 00 01".into())),
            _ => None,
        };
        if let Some(replacement) = replacement {
            changed.insert(field.id.clone(), replacement);
            let is_choice = field.kind == FieldKind::Choice;
            candidates.push((is_choice, complete(schema, changed, today)));
        }
    }
    candidates.sort_by_key(|(is_choice, _)| *is_choice);
    candidates
        .into_iter()
        .map(|(_, c)| c)
        .find(|c| c != answers && valid(schema, c, today))
}

/// Answers every required applicable field (and only those).
pub fn generate(schema: &FormSchema, today: &str) -> Answers {
    complete(schema, Answers::new(), today)
}

/// Fills in the required applicable fields `answers` leaves empty, and drops answers to fields
/// that no longer apply.
fn complete(schema: &FormSchema, mut answers: Answers, today: &str) -> Answers {
    for _ in 0..8 {
        let before = answers.len();
        for (_, field) in applicable_fields(schema, &answers) {
            if field.required && !answers.contains_key(&field.id) {
                answers.insert(field.id.clone(), value_for(field, today));
            }
        }
        let applicable: Vec<String> = applicable_fields(schema, &answers)
            .into_iter()
            .map(|(_, f)| f.id.clone())
            .collect();
        answers.retain(|k, _| applicable.contains(k));
        if answers.len() == before {
            break;
        }
    }
    answers
}
