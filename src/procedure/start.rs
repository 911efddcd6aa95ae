//! Starting or resuming a procedure: the draft found (unless it expired), a form that changed
//! since, the files given back, and an attempt whose outcome is unknown looked up at once.

use super::flow::{Flow, Meta, Services};
use super::outcome::WriteState;
use crate::i18n::texts;
use crate::state::drafts::{Draft, KEEP_DRAFTS_DAYS, Step, new_idempotency_key};
use contract::FormSchema;
use leptos::prelude::*;
use std::sync::Arc;

/// The flow of `schema` for this citizen, with what to tell them at the top of the page.
pub fn start(schema: Arc<FormSchema>, meta: Meta, services: Services) -> Flow {
    let drafts = services.drafts;
    let t = &texts().procedure;
    let expired = drafts
        .take_expired(&meta.account, &meta.service_id)
        .map(|e| {
            texts().drafts.expired(
                &e.service_title,
                &crate::format::date_in_words_ms(e.updated_at),
                KEEP_DRAFTS_DAYS,
            )
        });
    let existing = drafts.load(&meta.account, &meta.service_id);
    let resumed = existing.is_some();
    let mut draft = existing.unwrap_or_else(|| Draft {
        service_id: meta.service_id.clone(),
        service_title: meta.service_title.clone(),
        form_id: schema.id.clone(),
        form_version: schema.version,
        answers: Default::default(),
        step: Step::Consent,
        page: 0,
        write: WriteState::new(new_idempotency_key()),
        prefilled: Vec::new(),
        files: Default::default(),
        updated_at: js_sys::Date::now(),
    });
    // An attempt whose outcome is unknown: nothing changes (not even for a new form version)
    // until the provider has said whether it arrived.
    let frozen = draft.write.unresolved;
    let changed = draft.form_version != schema.version && !frozen;
    if changed {
        draft.form_version = schema.version;
        draft.step = Step::Page;
        draft.page = 0;
    }
    if frozen {
        draft.step = Step::Review;
    }
    let flow = Flow::new(schema, meta, services, draft);
    flow.notice.set(match (expired, changed, resumed) {
        (Some(expired), _, _) => Some(expired),
        (_, true, _) => Some(t.form_changed.to_owned()),
        (_, _, true) => Some(t.draft_resumed.to_owned()),
        _ => None,
    });
    flow.save();
    flow.restore_files();
    if frozen {
        flow.check();
    }
    flow
}
