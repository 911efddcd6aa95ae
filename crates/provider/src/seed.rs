//! Demo data: a few demandes for the demo citizens, so a fresh demo has something to show.
//! Applied at start, idempotently (a seeded demande is recognised by its fixed id).
//!
//! ```toml
//! [[demande]]
//! id = "seed-gien-1"
//! subject = "demo-camille-martin"
//! form = "acte-naissance"
//! days_ago = 12
//! answers = { given_name = "Camille", family_name = "Martin" }
//! steps = [{ bucket = "in_review", label = "En cours d’instruction" }]
//! messages = [{ from = "agent", body = "Bonjour, …" }]
//! request_document = { label = "Justificatif de domicile", detail = "De moins de 3 mois" }
//! ```

use crate::clock;
use crate::db::{self, Db, DbError, NewDemande};
use contract::demande::{Author, ExpectationKind};
use contract::{Answers, FormSchema, StatusBucket};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;
use time::{Duration, OffsetDateTime};

#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    #[error("seed file {0}: {1}")]
    Read(String, String),
    #[error("seed demande `{0}`: {1}")]
    Invalid(String, String),
    #[error("{0}")]
    Db(#[from] DbError),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SeedFile {
    #[serde(default)]
    demande: Vec<SeedDemande>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SeedDemande {
    id: String,
    subject: String,
    form: String,
    days_ago: i64,
    answers: Answers,
    #[serde(default)]
    steps: Vec<Step>,
    #[serde(default)]
    messages: Vec<SeedMessage>,
    request_document: Option<SeedExpectation>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Step {
    bucket: String,
    label: String,
    comment: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SeedMessage {
    from: String,
    body: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SeedExpectation {
    label: String,
    detail: Option<String>,
}

/// Inserts the seed demandes that are not there yet; returns how many were added.
pub async fn apply(
    db: &Db,
    file: &Path,
    prefix: &str,
    forms: &BTreeMap<String, FormSchema>,
) -> Result<usize, SeedError> {
    let text = std::fs::read_to_string(file)
        .map_err(|e| SeedError::Read(file.display().to_string(), e.to_string()))?;
    let seed: SeedFile = toml::from_str(&text)
        .map_err(|e| SeedError::Read(file.display().to_string(), e.to_string()))?;
    let mut added = 0;
    for d in seed.demande {
        if db::locate(&db.pool, &d.id).await?.is_some() {
            continue;
        }
        let invalid = |m: String| SeedError::Invalid(d.id.clone(), m);
        let form = forms
            .get(&d.form)
            .ok_or_else(|| invalid(format!("unknown form `{}`", d.form)))?;
        let start = OffsetDateTime::now_utc() - Duration::days(d.days_ago);
        let at = |hours: i64| clock::format(start + Duration::hours(hours));
        let reference = db::next_reference(db, prefix).await?;
        let mut tx = db.begin().await?;
        let created = at(0);
        db::insert_demande(
            &mut tx,
            &NewDemande {
                id: &d.id,
                reference: &reference,
                subject: &d.subject,
                form_id: &form.id,
                form_version: form.version,
                form_title: &form.title,
                answers: &d.answers,
                label: "Demande reçue",
                at: &created,
            },
        )
        .await?;
        let mut hour = 0;
        let mut current = StatusBucket::Submitted;
        for step in &d.steps {
            hour += 20;
            let next = StatusBucket::from_id(&step.bucket)
                .ok_or_else(|| invalid(format!("unknown bucket `{}`", step.bucket)))?;
            if !current.can_move_to(next) {
                return Err(invalid(format!(
                    "{} → {} is not allowed",
                    current.id(),
                    next.id()
                )));
            }
            db::set_status(
                &mut tx,
                &d.id,
                next,
                &step.label,
                step.comment.as_deref(),
                &at(hour),
            )
            .await?;
            current = next;
        }
        for m in &d.messages {
            hour += 2;
            let from = if m.from == "agent" {
                Author::Agent
            } else {
                Author::Citizen
            };
            db::add_message(&mut tx, &d.id, from, &m.body, &at(hour)).await?;
        }
        if let Some(e) = &d.request_document {
            hour += 1;
            if current != StatusBucket::ActionRequired {
                return Err(invalid(
                    "request_document needs the last step to be `action_required`".into(),
                ));
            }
            db::add_expectation(
                &mut tx,
                &d.id,
                ExpectationKind::Document,
                &e.label,
                e.detail.as_deref(),
                &at(hour),
            )
            .await?;
        }
        tx.commit().await.map_err(DbError::from)?;
        added += 1;
    }
    Ok(added)
}
