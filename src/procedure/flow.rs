//! The state of one procedure in progress: answers, where the citizen is, errors, files and the
//! state of the write — kept in signals, saved as a draft on every change.
//!
//! Every change of an answer goes through [`Flow::may_change`]: while an attempt's outcome is
//! unknown the answers are frozen (see [`super::outcome`]), and a change after the key was used
//! gives the answers a new key.

use super::BrowserPatterns;
use super::outcome::{Status, Write};
use crate::format::today;
use crate::providers::ProviderClient;
use crate::state::device::{Persistence, StoreError};
use crate::state::drafts::{Draft, Drafts, Step, StoredFile, new_idempotency_key};
use crate::state::tracking::Tracking;
use crate::state::transparency::TransparencyLog;
use contract::validation::{
    Context, applicable_fields, page_applies, validate_page, validate_submission,
};
use contract::{Answer, Answers, FieldError, FormSchema};
use leptos::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

/// What a successful submission returned, for the receipt.
#[derive(Clone, Debug, PartialEq)]
pub struct Receipt {
    pub id: String,
    pub reference: String,
    pub created_at: String,
    pub answers: Answers,
    /// Found by asking the provider after an interrupted send (said on the receipt).
    pub recovered: bool,
    /// Why "Qui a reçu mes données ?" could not record it, if it could not.
    pub log_failed: Option<StoreError>,
}

/// Facts about the procedure that do not change.
#[derive(Clone, Debug)]
pub struct Meta {
    pub service_id: String,
    pub service_title: String,
    pub member_id: String,
    pub member_name: String,
    pub api: String,
    pub account: String,
}

/// The app-wide handles a procedure uses.
#[derive(Clone, Copy)]
pub struct Services {
    pub drafts: Drafts,
    pub client: ProviderClient,
    pub log: TransparencyLog,
    pub tracking: Tracking,
    pub persistence: Persistence,
}

#[derive(Clone, Copy)]
pub struct Flow {
    pub schema: StoredValue<Arc<FormSchema>>,
    pub meta: StoredValue<Meta>,
    pub answers: RwSignal<Answers>,
    pub step: RwSignal<Step>,
    pub page: RwSignal<usize>,
    pub errors: RwSignal<Vec<FieldError>>,
    /// The chosen files' bytes, by part (what is sent).
    pub files: StoredValue<HashMap<String, Vec<u8>>>,
    /// Files kept with the draft on the device, by part.
    pub(super) kept: StoredValue<BTreeMap<String, StoredFile>>,
    /// Files that could not be kept, by part: their name and why.
    pub unkept: RwSignal<BTreeMap<String, (String, StoreError)>>,
    /// Files of the draft still being read back from the device.
    pub restoring: RwSignal<bool>,
    pub prefilled: StoredValue<Vec<String>>,
    /// The idempotent write and what became of it.
    pub write: RwSignal<Write>,
    /// Whether the last save of the answers worked.
    pub saved: RwSignal<Result<(), StoreError>>,
    pub receipt: RwSignal<Option<Receipt>>,
    /// Something to tell the citizen at the top of the page (draft resumed, file to add again).
    pub notice: RwSignal<Option<String>>,
    pub services: Services,
}

impl Flow {
    pub fn new(schema: Arc<FormSchema>, meta: Meta, services: Services, draft: Draft) -> Flow {
        let (write, _) = Write::resume(draft.write);
        Flow {
            schema: StoredValue::new(schema),
            meta: StoredValue::new(meta),
            answers: RwSignal::new(draft.answers),
            step: RwSignal::new(draft.step),
            page: RwSignal::new(draft.page),
            errors: RwSignal::new(Vec::new()),
            files: StoredValue::new(HashMap::new()),
            kept: StoredValue::new(draft.files),
            unkept: RwSignal::new(BTreeMap::new()),
            restoring: RwSignal::new(false),
            prefilled: StoredValue::new(draft.prefilled),
            write: RwSignal::new(write),
            saved: RwSignal::new(Ok(())),
            receipt: RwSignal::new(None),
            notice: RwSignal::new(None),
            services,
        }
    }

    /// Whether the page this flow belongs to is gone (checked after every wait).
    pub fn gone(&self) -> bool {
        self.write.is_disposed()
    }

    /// Whether the answers may change now (not while an attempt's outcome is unknown).
    pub fn may_change(&self) -> bool {
        self.write.with_untracked(Write::may_change)
    }

    /// Records that the answers are about to change; refused (false) while they are frozen.
    pub(super) fn changing(&self) -> bool {
        let (allowed, key_or_status_changes) = self
            .write
            .with_untracked(|w| (w.may_change(), w.state.used || w.status != Status::Ready));
        // Most keystrokes change neither: no need to wake what shows the write.
        if allowed && key_or_status_changes {
            self.write.update(|w| {
                let _ = w.change(new_idempotency_key);
            });
        }
        allowed
    }

    pub fn answer(&self, field: &str) -> Option<Answer> {
        self.answers.with(|a| a.get(field).cloned())
    }

    pub fn set_answer(&self, field: &str, value: Answer) {
        if !self.changing() {
            return;
        }
        self.answers.update(|a| {
            a.insert(field.to_owned(), value);
        });
        self.errors.update(|e| e.retain(|e| e.field != field));
        self.save();
    }

    pub fn clear_answer(&self, field: &str) {
        if !self.changing() {
            return;
        }
        let removed = self.answers.try_update(|a| a.remove(field)).flatten();
        if let Some(Answer::File(f)) = removed {
            self.forget_kept(&f.part);
        }
        self.save();
    }

    pub fn toggle_choice(&self, field: &str, value: &str, on: bool) {
        let mut current = match self.answer(field) {
            Some(Answer::Many(m)) => m,
            _ => Vec::new(),
        };
        current.retain(|v| v != value);
        if on {
            current.push(value.to_owned());
        }
        self.set_answer(field, Answer::Many(current));
    }

    /// The citizen accepted pre-filling: fills what is still empty, and remembers which fields.
    pub fn apply_prefill(&self, found: &[super::prefill::Prefill]) {
        if !self.changing() {
            return;
        }
        self.answers.update(|answers| {
            for p in found {
                answers
                    .entry(p.field_id.clone())
                    .or_insert_with(|| p.value.clone());
            }
        });
        self.prefilled
            .set_value(found.iter().map(|p| p.field_id.clone()).collect());
    }

    /// Saves the draft (on this device, in memory on a kiosk), and says whether it worked.
    pub fn save(&self) {
        let meta = self.meta.get_value();
        let schema = self.schema.get_value();
        let answers = self.answers.get_untracked();
        // Only files that are still the answer of their part.
        let files = self.kept.with_value(|kept| {
            kept.iter()
                .filter(|(part, stored)| {
                    answers.values().any(
                        |a| matches!(a, Answer::File(f) if &f.part == *part && stored.is_for(f)),
                    )
                })
                .map(|(p, s)| (p.clone(), s.clone()))
                .collect()
        });
        let draft = Draft {
            service_id: meta.service_id.clone(),
            service_title: meta.service_title.clone(),
            form_id: schema.id.clone(),
            form_version: schema.version,
            answers,
            step: self.step.get_untracked(),
            page: self.page.get_untracked(),
            write: self.write.with_untracked(|w| w.state.clone()),
            prefilled: self.prefilled.get_value(),
            files,
            updated_at: js_sys::Date::now(),
        };
        self.saved
            .set(self.services.drafts.save(&meta.account, &draft));
    }

    /// Forgets the draft (after a successful submission, or when the citizen discards it).
    pub fn discard(&self) {
        let meta = self.meta.get_value();
        self.services.drafts.remove(&meta.account, &meta.service_id);
    }

    /// The pages that apply now, in order.
    pub fn pages(&self) -> Vec<usize> {
        let schema = self.schema.get_value();
        self.answers.with(|a| {
            (0..schema.pages.len())
                .filter(|p| page_applies(&schema, *p, a))
                .collect()
        })
    }

    fn context<R>(&self, f: impl FnOnce(&Context) -> R) -> R {
        let (patterns, today) = (BrowserPatterns, today());
        f(&Context {
            today: &today,
            patterns: &patterns,
        })
    }

    /// Checks the current page; moves on (to the next page, or the review) if it is right.
    pub fn next(&self) -> bool {
        let schema = self.schema.get_value();
        let page = self.page.get_untracked();
        let errors = self.context(|ctx| {
            self.answers
                .with_untracked(|a| validate_page(&schema, page, a, ctx))
        });
        if !errors.is_empty() {
            self.errors.set(errors);
            return false;
        }
        self.errors.set(Vec::new());
        let pages = self.pages();
        match pages.iter().find(|p| **p > page) {
            Some(next) => self.page.set(*next),
            None => self.step.set(Step::Review),
        }
        self.save();
        true
    }

    /// One step back; not while the answers are frozen (the review explains why).
    pub fn back(&self) {
        if !self.may_change() {
            return;
        }
        self.errors.set(Vec::new());
        let pages = self.pages();
        if self.step.get_untracked() == Step::Review {
            self.step.set(Step::Page);
            if let Some(last) = pages.last() {
                self.page.set(*last);
            }
        } else {
            let page = self.page.get_untracked();
            match pages.iter().rev().find(|p| **p < page) {
                Some(prev) => self.page.set(*prev),
                None => self.step.set(Step::Consent),
            }
        }
        self.save();
    }

    pub fn go_to_page(&self, page: usize) {
        if !self.may_change() {
            return;
        }
        self.errors.set(Vec::new());
        self.step.set(Step::Page);
        self.page.set(page);
        self.save();
    }

    /// The whole submission checked as the provider will; the answers to send if right.
    pub fn check_all(&self) -> Result<Answers, Vec<FieldError>> {
        let schema = self.schema.get_value();
        self.context(|ctx| {
            self.answers
                .with_untracked(|a| validate_submission(&schema, a, ctx))
        })
    }

    /// The page a field is on.
    pub fn page_of(&self, field: &str) -> Option<usize> {
        let schema = self.schema.get_value();
        schema
            .pages
            .iter()
            .position(|p| p.fields.iter().any(|f| f.id == field))
    }

    /// Applicable fields of a page (conditions evaluated on the current answers).
    pub fn fields_of(&self, page: usize) -> Vec<contract::Field> {
        let schema = self.schema.get_value();
        self.answers.with(|a| {
            applicable_fields(&schema, a)
                .into_iter()
                .filter(|(p, _)| *p == page)
                .map(|(_, f)| f.clone())
                .collect()
        })
    }
}
