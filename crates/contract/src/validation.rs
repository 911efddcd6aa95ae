//! Checking answers against a form, with messages a citizen understands (GOV.UK style, in French).
//!
//! The same functions run in the browser (page by page, as the citizen goes) and on the provider
//! (the whole submission, which it never trusts). Regular expressions are the one thing the two
//! sides evaluate with different engines — JavaScript's `RegExp` in the browser, the `regex` crate
//! on the server — so the caller supplies a [`PatternMatcher`] and the crate stays dependency-free.

use crate::answers::{Answer, Answers, FileAnswer, PostalAddress};
use crate::form::{Field, FieldKind, FormSchema};
use serde::{Deserialize, Serialize};

/// Evaluates a field's `pattern` against an answer (whole-string match).
pub trait PatternMatcher {
    /// `Some(true)` if `value` matches `pattern` entirely, `None` if the pattern is invalid.
    fn full_match(&self, pattern: &str, value: &str) -> Option<bool>;
}

/// A field whose `pattern` is outside the common subset (see [`crate::pattern`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PatternProblem {
    /// The field id.
    pub field: String,
    pub error: crate::pattern::PatternError,
}

impl std::fmt::Display for PatternProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "field `{}`: pattern: {}", self.field, self.error)
    }
}

/// Checks every `pattern` of a schema against the subset both the browser and the provider read
/// the same way, in linear time. Providers refuse such a schema at start-up; the portal refuses to
/// run a form whose schema fails this (a provider may be hostile or broken).
pub fn check_schema_patterns(schema: &FormSchema) -> Result<(), Vec<PatternProblem>> {
    let problems: Vec<PatternProblem> = schema
        .fields()
        .filter_map(|field| {
            let pattern = field.pattern.as_deref()?;
            crate::pattern::check(pattern)
                .err()
                .map(|error| PatternProblem {
                    field: field.id.clone(),
                    error,
                })
        })
        .collect();
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

/// What validation needs to know about the world.
pub struct Context<'a> {
    /// Today's date (`YYYY-MM-DD`), for `min`/`max` set to `today`.
    pub today: &'a str,
    pub patterns: &'a dyn PatternMatcher,
}

/// A problem with one answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    /// The field id.
    pub field: String,
    /// What to do, in French ("Saisissez une adresse e-mail valide…").
    pub message: String,
}

fn error(field: &Field, message: String) -> FieldError {
    FieldError {
        field: field.id.clone(),
        message,
    }
}

/// The fields that apply given the current answers (page and field conditions), page by page.
pub fn applicable_fields<'s>(schema: &'s FormSchema, answers: &Answers) -> Vec<(usize, &'s Field)> {
    schema
        .pages
        .iter()
        .enumerate()
        .filter(|(_, page)| page.condition.as_ref().is_none_or(|c| c.evaluate(answers)))
        .flat_map(|(i, page)| page.fields.iter().map(move |f| (i, f)))
        .filter(|(_, f)| f.condition.as_ref().is_none_or(|c| c.evaluate(answers)))
        .collect()
}

/// Whether a page applies given the current answers.
pub fn page_applies(schema: &FormSchema, page: usize, answers: &Answers) -> bool {
    schema
        .pages
        .get(page)
        .is_some_and(|p| p.condition.as_ref().is_none_or(|c| c.evaluate(answers)))
}

/// Checks the applicable fields of one page.
pub fn validate_page(
    schema: &FormSchema,
    page: usize,
    answers: &Answers,
    ctx: &Context<'_>,
) -> Vec<FieldError> {
    applicable_fields(schema, answers)
        .into_iter()
        .filter(|(p, _)| *p == page)
        .filter_map(|(_, field)| validate_field(field, answers.get(&field.id), ctx))
        .collect()
}

/// Checks a whole submission. On success, returns the answers to store: only applicable fields
/// (answers to fields hidden by a condition are dropped), text trimmed. Answers to fields the form
/// does not have are errors.
pub fn validate_submission(
    schema: &FormSchema,
    answers: &Answers,
    ctx: &Context<'_>,
) -> Result<Answers, Vec<FieldError>> {
    let mut errors: Vec<FieldError> = answers
        .keys()
        .filter(|k| schema.field(k).is_none())
        .map(|k| FieldError {
            field: k.clone(),
            message: "Ce champ ne fait pas partie du formulaire.".to_owned(),
        })
        .collect();
    let mut kept = Answers::new();
    for (_, field) in applicable_fields(schema, answers) {
        let answer = answers.get(&field.id);
        if let Some(e) = validate_field(field, answer, ctx) {
            errors.push(e);
        } else if let Some(answer) = answer.filter(|a| !a.is_empty()) {
            let cleaned = match answer {
                Answer::Text(t) => Answer::Text(t.trim().to_owned()),
                other => other.clone(),
            };
            kept.insert(field.id.clone(), cleaned);
        }
    }
    if errors.is_empty() {
        Ok(kept)
    } else {
        Err(errors)
    }
}

/// Checks one answer against its field.
pub fn validate_field(
    field: &Field,
    answer: Option<&Answer>,
    ctx: &Context<'_>,
) -> Option<FieldError> {
    let Some(answer) = answer.filter(|a| !a.is_empty()) else {
        return field.required.then(|| missing(field));
    };
    match (field.kind, answer) {
        (FieldKind::MultiChoice, Answer::Many(values)) => validate_choices(field, values),
        (FieldKind::Address, Answer::Address(a)) => validate_address(field, a),
        (FieldKind::File, Answer::File(file)) => validate_file(field, file),
        (kind, Answer::Text(text))
            if !matches!(
                kind,
                FieldKind::MultiChoice | FieldKind::Address | FieldKind::File
            ) =>
        {
            validate_text(field, text.trim(), ctx)
        }
        _ => Some(error(
            field,
            format!("La réponse à « {} » n’a pas la bonne forme.", field.label),
        )),
    }
}

/// A required field left empty, said with the verb of its kind.
fn missing(field: &Field) -> FieldError {
    let label = &field.label;
    let message = match field.kind {
        FieldKind::Choice | FieldKind::MultiChoice => {
            format!("Choisissez une réponse pour « {label} ».")
        }
        FieldKind::File => format!("Ajoutez le document « {label} »."),
        _ => format!("Renseignez « {label} »."),
    };
    error(field, message)
}

fn validate_choices(field: &Field, values: &[String]) -> Option<FieldError> {
    let unknown = values
        .iter()
        .find(|v| !field.options.iter().any(|o| &o.value == *v));
    unknown.map(|v| {
        error(
            field,
            format!(
                "« {v} » n’est pas une réponse possible pour « {} ».",
                field.label
            ),
        )
    })
}

fn validate_address(field: &Field, a: &PostalAddress) -> Option<FieldError> {
    if a.street.trim().is_empty() || a.city.trim().is_empty() {
        Some(error(
            field,
            format!(
                "Indiquez le numéro et la voie, et la commune, pour « {} ».",
                field.label
            ),
        ))
    } else if !is_postcode(a.postal_code.trim()) {
        Some(error(
            field,
            "Saisissez un code postal à 5 chiffres, par exemple 45500.".to_owned(),
        ))
    } else {
        None
    }
}

fn validate_file(field: &Field, file: &FileAnswer) -> Option<FieldError> {
    if let Some(max) = field.max_bytes.filter(|max| file.size > *max) {
        Some(error(
            field,
            format!(
                "Le fichier « {} » est trop lourd : {} au maximum.",
                file.name,
                human_size(max)
            ),
        ))
    } else if !field.accept.is_empty() && !field.accept.iter().any(|t| t == &file.content_type) {
        Some(error(
            field,
            format!(
                "Le fichier « {} » doit être au format {}.",
                file.name,
                formats(&field.accept)
            ),
        ))
    } else {
        None
    }
}

fn validate_text(field: &Field, text: &str, ctx: &Context<'_>) -> Option<FieldError> {
    let label = &field.label;
    if let Some(max) = field
        .max_length
        .filter(|m| text.chars().count() > *m as usize)
    {
        return Some(error(
            field,
            format!("« {label} » doit faire {max} caractères au maximum."),
        ));
    }
    let shape = match field.kind {
        FieldKind::Email if !is_email(text) => {
            Some("Saisissez une adresse e-mail valide, par exemple nom@exemple.fr.".to_owned())
        }
        FieldKind::Tel if !is_phone(text) => {
            Some("Saisissez un numéro de téléphone valide, par exemple 06 12 34 56 78.".to_owned())
        }
        FieldKind::Date if !is_date(text) => {
            Some(format!("Saisissez une date valide pour « {label} »."))
        }
        FieldKind::Number if text.replace(',', ".").parse::<f64>().is_err() => {
            Some(format!("Saisissez un nombre pour « {label} »."))
        }
        FieldKind::Choice if !field.options.iter().any(|o| o.value == text) => Some(format!(
            "Choisissez une des réponses proposées pour « {label} »."
        )),
        _ => None,
    };
    if let Some(message) = shape {
        return Some(error(field, message));
    }
    if let Some(message) = bounds(field, text, ctx) {
        return Some(error(field, message));
    }
    if let Some(pattern) = &field.pattern {
        match ctx.patterns.full_match(pattern, text) {
            Some(true) => {}
            Some(false) => {
                let message = field
                    .pattern_message
                    .clone()
                    .unwrap_or_else(|| format!("« {label} » n’a pas le format attendu."));
                return Some(error(field, message));
            }
            // A broken pattern is the provider's bug, not the citizen's: do not block them.
            None => {}
        }
    }
    None
}

fn bounds(field: &Field, text: &str, ctx: &Context<'_>) -> Option<String> {
    let label = &field.label;
    match field.kind {
        FieldKind::Date => {
            let resolve = |b: &str| {
                if b == "today" {
                    ctx.today.to_owned()
                } else {
                    b.to_owned()
                }
            };
            if let Some(min) = field
                .min
                .as_deref()
                .map(resolve)
                .filter(|min| text < min.as_str())
            {
                return Some(format!(
                    "« {label} » doit être le {} ou après.",
                    french_date(&min)
                ));
            }
            if let Some(max) = field
                .max
                .as_deref()
                .map(resolve)
                .filter(|max| text > max.as_str())
            {
                return Some(format!(
                    "« {label} » doit être le {} ou avant.",
                    french_date(&max)
                ));
            }
            None
        }
        FieldKind::Number => {
            let value: f64 = text.replace(',', ".").parse().ok()?;
            let parse = |b: &Option<String>| b.as_deref().and_then(|b| b.parse::<f64>().ok());
            if let Some(min) = parse(&field.min).filter(|min| value < *min) {
                return Some(format!("« {label} » doit être au moins {min}."));
            }
            if let Some(max) = parse(&field.max).filter(|max| value > *max) {
                return Some(format!("« {label} » doit être au plus {max}."));
            }
            None
        }
        _ => None,
    }
}

/// A text answer for display: dates of date fields in French order, the rest as typed.
pub fn french_date_if_date(text: &str, kind: FieldKind) -> String {
    if kind == FieldKind::Date && is_date(text) {
        french_date(text)
    } else {
        text.to_owned()
    }
}

/// `2026-03-05` → `05/03/2026`.
pub fn french_date(iso: &str) -> String {
    match (iso.get(0..4), iso.get(5..7), iso.get(8..10)) {
        (Some(y), Some(m), Some(d)) => format!("{d}/{m}/{y}"),
        _ => iso.to_owned(),
    }
}

fn is_postcode(text: &str) -> bool {
    text.len() == 5 && text.chars().all(|c| c.is_ascii_digit())
}

pub fn is_email(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !text.contains(char::is_whitespace)
}

/// French or international number: 10 digits starting with 0, or `+` and 8–15 digits.
pub fn is_phone(text: &str) -> bool {
    let compact: String = text
        .chars()
        .filter(|c| !matches!(c, ' ' | '.' | '-' | '(' | ')'))
        .collect();
    match compact.strip_prefix('+') {
        Some(rest) => (8..=15).contains(&rest.len()) && rest.chars().all(|c| c.is_ascii_digit()),
        None => {
            compact.len() == 10
                && compact.starts_with('0')
                && compact.chars().all(|c| c.is_ascii_digit())
        }
    }
}

/// A real calendar date `YYYY-MM-DD`.
pub fn is_date(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    let [y, m, d] = parts.as_slice() else {
        return false;
    };
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return false;
    }
    let (Ok(y), Ok(m), Ok(d)) = (y.parse::<u32>(), m.parse::<u32>(), d.parse::<u32>()) else {
        return false;
    };
    let leap = (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400);
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1900..=2200).contains(&y) && (1..=days).contains(&d)
}

/// `5 Mo`, `500 ko`.
pub fn human_size(bytes: u64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{} Mo", bytes / (1024 * 1024))
    } else {
        format!("{} ko", bytes.div_ceil(1024))
    }
}

/// `application/pdf, image/png` → `PDF ou PNG`.
pub fn formats(types: &[String]) -> String {
    let names: Vec<String> = types
        .iter()
        .map(|t| match t.as_str() {
            "application/pdf" => "PDF".to_owned(),
            "image/jpeg" => "JPEG".to_owned(),
            "image/png" => "PNG".to_owned(),
            other => other.rsplit('/').next().unwrap_or(other).to_uppercase(),
        })
        .collect();
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} ou {last}", rest.join(", ")),
        Some((last, _)) => last.clone(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::condition::Condition;
    use crate::form::{ChoiceOption, FormPage};

    /// Patterns for tests: `^\d{5}$`-like digit counts only.
    struct DigitsOnly;
    impl PatternMatcher for DigitsOnly {
        fn full_match(&self, pattern: &str, value: &str) -> Option<bool> {
            let n: usize = pattern.strip_prefix("digits:")?.parse().ok()?;
            Some(value.len() == n && value.chars().all(|c| c.is_ascii_digit()))
        }
    }

    fn ctx() -> Context<'static> {
        Context {
            today: "2026-11-22",
            patterns: &DigitsOnly,
        }
    }

    fn field(id: &str, kind: FieldKind, required: bool) -> Field {
        Field {
            required,
            ..Field::bare(id, kind)
        }
    }

    fn text(t: &str) -> Answer {
        Answer::Text(t.into())
    }

    fn check(f: &Field, a: Option<Answer>) -> Option<String> {
        validate_field(f, a.as_ref(), &ctx()).map(|e| e.message)
    }

    #[test]
    fn required_fields_say_what_to_do() {
        assert_eq!(
            check(&field("prénom", FieldKind::Text, true), None).as_deref(),
            Some("Renseignez « prénom ».")
        );
        assert_eq!(
            check(&field("prénom", FieldKind::Text, true), Some(text("  "))).as_deref(),
            Some("Renseignez « prénom ».")
        );
        assert_eq!(check(&field("prénom", FieldKind::Text, false), None), None);
        assert!(
            check(&field("pièce", FieldKind::File, true), None)
                .unwrap()
                .starts_with("Ajoutez")
        );
    }

    #[test]
    fn typed_fields_check_their_shape() {
        let cases = [
            (FieldKind::Email, "camille@example.fr", true),
            (FieldKind::Email, "camille@", false),
            (FieldKind::Tel, "06 12 34 56 78", true),
            (FieldKind::Tel, "+33 6 12 34 56 78", true),
            (FieldKind::Tel, "12345", false),
            (FieldKind::Date, "2024-02-29", true),
            (FieldKind::Date, "2023-02-29", false),
            (FieldKind::Date, "29/02/2024", false),
            (FieldKind::Number, "3,5", true),
            (FieldKind::Number, "trois", false),
        ];
        for (kind, value, ok) in cases {
            assert_eq!(
                check(&field("x", kind, true), Some(text(value))).is_none(),
                ok,
                "{kind:?} {value}"
            );
        }
    }

    #[test]
    fn bounds_patterns_and_lengths() {
        let mut date = field("date", FieldKind::Date, true);
        date.min = Some("today".into());
        assert_eq!(
            check(&date, Some(text("2026-11-21"))).as_deref(),
            Some("« date » doit être le 22/11/2026 ou après.")
        );
        assert_eq!(check(&date, Some(text("2026-11-22"))), None);
        let mut n = field("n", FieldKind::Number, true);
        n.max = Some("300".into());
        assert!(check(&n, Some(text("301"))).is_some());
        let mut cp = field("cp", FieldKind::Text, true);
        cp.pattern = Some("digits:5".into());
        cp.pattern_message = Some("5 chiffres".into());
        assert_eq!(
            check(&cp, Some(text("4550"))).as_deref(),
            Some("5 chiffres")
        );
        cp.pattern = Some("not a pattern".into());
        assert_eq!(
            check(&cp, Some(text("x"))),
            None,
            "a broken pattern does not block the citizen"
        );
        let mut short = field("s", FieldKind::Text, true);
        short.max_length = Some(3);
        assert!(check(&short, Some(text("abcd"))).is_some());
    }

    #[test]
    fn choices_files_and_addresses() {
        let mut choice = field("c", FieldKind::MultiChoice, true);
        choice.options = vec![ChoiceOption {
            value: "a".into(),
            label: "A".into(),
        }];
        assert!(check(&choice, Some(Answer::Many(vec!["a".into()]))).is_none());
        assert!(check(&choice, Some(Answer::Many(vec!["z".into()]))).is_some());
        let mut file = field("f", FieldKind::File, true);
        file.max_bytes = Some(1024 * 1024);
        file.accept = vec!["application/pdf".into(), "image/png".into()];
        let answer = |size, ct: &str| {
            Some(Answer::File(FileAnswer {
                part: "p".into(),
                name: "x.pdf".into(),
                size,
                content_type: ct.into(),
            }))
        };
        assert_eq!(
            check(&file, answer(2 * 1024 * 1024, "application/pdf")).as_deref(),
            Some("Le fichier « x.pdf » est trop lourd : 1 Mo au maximum.")
        );
        assert_eq!(
            check(&file, answer(10, "image/gif")).as_deref(),
            Some("Le fichier « x.pdf » doit être au format PDF ou PNG.")
        );
        assert_eq!(check(&file, answer(10, "image/png")), None);
        let address = field("adresse", FieldKind::Address, true);
        let a = |cp: &str| {
            Some(Answer::Address(PostalAddress {
                street: "1 rue X".into(),
                postal_code: cp.into(),
                city: "Gien".into(),
            }))
        };
        assert_eq!(check(&address, a("45500")), None);
        assert!(check(&address, a("455")).is_some());
        assert!(
            check(
                &field("t", FieldKind::Text, true),
                Some(Answer::Many(vec!["x".into()]))
            )
            .is_some(),
            "wrong shape"
        );
    }

    #[test]
    fn submission_drops_hidden_answers_and_refuses_unknown_fields() {
        let mut relation = field("relation", FieldKind::Text, true);
        relation.condition = Some(Condition::Equals {
            field: "pour".into(),
            value: "autre".into(),
        });
        let schema = FormSchema {
            id: "f".into(),
            version: 1,
            title: "F".into(),
            description: None,
            pages: vec![FormPage {
                id: "p".into(),
                title: "P".into(),
                description: None,
                fields: vec![field("pour", FieldKind::Text, true), relation],
                condition: None,
            }],
            next_steps: None,
            expected_delay: None,
        };
        let mut answers: Answers = [
            ("pour".to_string(), text(" moi ")),
            ("relation".to_string(), text("fille")),
        ]
        .into();
        let kept = validate_submission(&schema, &answers, &ctx()).unwrap();
        assert_eq!(kept.len(), 1, "the hidden answer is dropped");
        assert_eq!(kept["pour"], text("moi"));
        answers.insert("pour".into(), text("autre"));
        answers.remove("relation");
        let errors = validate_submission(&schema, &answers, &ctx()).unwrap_err();
        assert_eq!(errors[0].field, "relation");
        answers.insert("intrus".into(), text("x"));
        assert!(
            validate_submission(&schema, &answers, &ctx())
                .unwrap_err()
                .iter()
                .any(|e| e.field == "intrus")
        );
    }
}
