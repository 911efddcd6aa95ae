//! Sending a procedure's answers, through the one idempotent send path ([`super::send`]), and what
//! follows a success: the transparency log, Mes démarches, the receipt.

use super::flow::{Flow, Receipt};
use super::outcome::Write;
use super::send::{Resolution, Sending};
use super::submission::form_data;
use crate::i18n::texts;
use crate::providers::ProviderError;
use crate::state::drafts::new_idempotency_key;
use crate::state::transparency::LogEntry;
use contract::demande::Submission;
use contract::{Answers, DemandeSummary, WriteKind};
use leptos::prelude::*;

impl Flow {
    fn sending(&self) -> Sending<impl Fn() + Clone + 'static> {
        let flow = *self;
        Sending {
            client: self.services.client,
            write: self.write,
            api: self
                .meta
                .with_value(|m| m.api.trim_end_matches('/').to_owned()),
            kind: WriteKind::Submission,
            save: move || flow.save(),
        }
    }

    /// Sends the answers if they are complete; the same key goes with every retry of the same
    /// answers. Returns false when nothing was sent (errors to correct, a file to add again).
    pub fn send(&self) -> bool {
        if !self.write.with_untracked(Write::may_send) || self.restoring.get_untracked() {
            return false;
        }
        let answers = match self.check_all() {
            Ok(answers) => answers,
            Err(errors) => {
                self.errors.set(errors);
                return false;
            }
        };
        let schema = self.schema.get_value();
        let submission = Submission {
            form_version: schema.version,
            answers: answers.clone(),
        };
        let json = serde_json::to_string(&submission).unwrap_or_default();
        let body = self
            .files
            .with_value(|files| form_data("submission", &json, &answers, files));
        let Some(body) = body else {
            self.notice
                .set(Some(texts().procedure.file_lost.to_owned()));
            return false;
        };
        self.errors.set(Vec::new());
        let api = self.meta.with_value(|m| m.api.clone());
        let Ok(url) = crate::providers::endpoint::form_demandes(&api, &schema.id) else {
            self.notice
                .set(Some(texts().procedure.form_unavailable.to_owned()));
            return false;
        };
        let (flow, sending) = (*self, self.sending());
        leptos::task::spawn_local(async move {
            let resolution = sending.send::<DemandeSummary>(&url, body).await;
            flow.resolved(resolution, answers);
        });
        true
    }

    /// Asks the provider whether the last attempt arrived (after an unknown outcome).
    pub fn check(&self) {
        let (flow, sending) = (*self, self.sending());
        leptos::task::spawn_local(async move {
            let resolution = sending.check::<DemandeSummary>().await;
            if !flow.gone() {
                let answers = flow.answers.get_untracked();
                flow.resolved(resolution, answers);
            }
        });
    }

    fn resolved(&self, resolution: Resolution<DemandeSummary>, answers: Answers) {
        if self.gone() {
            return;
        }
        match resolution {
            Resolution::Written(summary) => self.written(summary, answers, false),
            Resolution::Found(record) => self.written(record.demande, answers, true),
            Resolution::Refused(ProviderError::Problem(p)) if !p.errors.is_empty() => {
                self.errors.set(p.errors)
            }
            Resolution::Refused(_) | Resolution::Pending => {}
        }
    }

    /// After a divergence: these answers become a separate, new demande (new key).
    pub fn start_again(&self) {
        self.write.update(|w| w.start_again(new_idempotency_key));
        self.save();
    }

    fn written(&self, summary: DemandeSummary, answers: Answers, recovered: bool) {
        let meta = self.meta.get_value();
        let schema = self.schema.get_value();
        let fields = answers
            .keys()
            .filter_map(|k| schema.field(k).map(|f| f.label.clone()))
            .collect();
        let logged = self.services.log.record(
            &meta.account,
            LogEntry {
                at: js_sys::Date::now(),
                member: meta.member_name.clone(),
                form_title: schema.title.clone(),
                reference: summary.reference.clone(),
                fields,
            },
        );
        self.discard();
        self.services
            .tracking
            .record_written(&meta.member_id, summary.clone());
        self.notice.set(None);
        self.receipt.set(Some(Receipt {
            id: summary.id,
            reference: summary.reference,
            created_at: summary.created_at,
            answers,
            recovered,
            log_failed: logged.err(),
        }));
    }
}
