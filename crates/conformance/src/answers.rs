//! Valid answers to any form, generated from its schema, so the checker can submit to a provider
//! it knows nothing about. Fields are filled in rounds until the set of applicable fields (which
//! depends on conditions) stops changing; files get a tiny valid PDF or PNG.

use contract::answers::{FileAnswer, PostalAddress};
use contract::form::{Field, FieldKind};
use contract::validation::applicable_fields;
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
        FieldKind::Text | FieldKind::LongText => {
            // A value that fits a common pattern shape is not knowable in general; plates and
            // postcodes are the usual cases.
            let text = match field.pattern.as_deref() {
                Some(p) if p.contains("[A-Za-z]{2}") => "AB-123-CD",
                Some(p) if p.contains("[0-9]{5}") || p.contains("\\d{5}") => "45500",
                _ => "Conformité",
            };
            Answer::Text(text.into())
        }
    }
}

/// Answers every required applicable field (and only those).
pub fn generate(schema: &FormSchema, today: &str) -> Answers {
    let mut answers = Answers::new();
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
