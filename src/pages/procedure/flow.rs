//! The state of one procedure in progress: answers, where the citizen is, errors, files — kept
//! in signals, saved as a draft on every change.

use crate::procedure::{BrowserPatterns, today};
use crate::providers::ProviderError;
use crate::state::drafts::{Draft, Drafts, Step};
use contract::answers::FileAnswer;
use contract::validation::{
    Context, applicable_fields, page_applies, validate_page, validate_submission,
};
use contract::{Answer, Answers, FieldError, FormSchema};
use leptos::prelude::*;
use std::collections::HashMap;
use std::sync::Arc;

/// What a successful submission returned, for the receipt.
#[derive(Clone, Debug, PartialEq)]
pub struct Receipt {
    pub id: String,
    pub reference: String,
    pub created_at: String,
    pub answers: Answers,
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

#[derive(Clone, Copy)]
pub struct Flow {
    pub schema: StoredValue<Arc<FormSchema>>,
    pub meta: StoredValue<Meta>,
    pub answers: RwSignal<Answers>,
    pub step: RwSignal<Step>,
    pub page: RwSignal<usize>,
    pub errors: RwSignal<Vec<FieldError>>,
    pub files: StoredValue<HashMap<String, Vec<u8>>>,
    pub key: StoredValue<String>,
    pub prefilled: StoredValue<Vec<String>>,
    pub sending: RwSignal<bool>,
    pub send_error: RwSignal<Option<ProviderError>>,
    pub receipt: RwSignal<Option<Receipt>>,
    /// Something to tell the citizen at the top of the page (draft resumed, file to add again).
    pub notice: RwSignal<Option<String>>,
    drafts: StoredValue<Option<Drafts>>,
}

impl Flow {
    pub fn new(schema: Arc<FormSchema>, meta: Meta, drafts: Drafts, draft: Draft) -> Flow {
        Flow {
            schema: StoredValue::new(schema),
            meta: StoredValue::new(meta),
            answers: RwSignal::new(draft.answers),
            step: RwSignal::new(draft.step),
            page: RwSignal::new(draft.page),
            errors: RwSignal::new(Vec::new()),
            files: StoredValue::new(HashMap::new()),
            key: StoredValue::new(draft.idempotency_key),
            prefilled: StoredValue::new(Vec::new()),
            sending: RwSignal::new(false),
            send_error: RwSignal::new(None),
            receipt: RwSignal::new(None),
            notice: RwSignal::new(None),
            drafts: StoredValue::new(Some(drafts)),
        }
    }

    pub fn answer(&self, field: &str) -> Option<Answer> {
        self.answers.with(|a| a.get(field).cloned())
    }

    pub fn set_answer(&self, field: &str, value: Answer) {
        self.answers.update(|a| {
            a.insert(field.to_owned(), value);
        });
        self.errors.update(|e| e.retain(|e| e.field != field));
        self.save();
    }

    pub fn clear_answer(&self, field: &str) {
        self.answers.update(|a| {
            a.remove(field);
        });
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

    /// A chosen file: checked like the provider will check it, kept with the draft if it fits.
    pub fn set_file(&self, field: &str, answer: FileAnswer, bytes: Vec<u8>) {
        let meta = self.meta.get_value();
        if let Some(drafts) = self.drafts.get_value() {
            drafts.save_file(&meta.account, &meta.service_id, &answer.part, &bytes);
        }
        let part = answer.part.clone();
        self.files.update_value(|f| {
            f.insert(part, bytes);
        });
        self.set_answer(field, Answer::File(answer));
        // Size and type are checked at once, before any upload.
        let schema = self.schema.get_value();
        if let Some(f) = schema.field(field) {
            let patterns = BrowserPatterns;
            let today = today();
            let ctx = Context {
                today: &today,
                patterns: &patterns,
            };
            if let Some(e) =
                contract::validation::validate_field(f, self.answer(field).as_ref(), &ctx)
            {
                self.errors.update(|errors| errors.push(e));
            }
        }
    }

    /// Restores files kept with the draft; answers whose file is gone are dropped (and said).
    pub fn restore_files(&self) -> bool {
        let meta = self.meta.get_value();
        let Some(drafts) = self.drafts.get_value() else {
            return true;
        };
        let mut all_there = true;
        let file_answers: Vec<(String, FileAnswer)> = self.answers.with_untracked(|a| {
            a.iter()
                .filter_map(|(k, v)| {
                    if let Answer::File(f) = v {
                        Some((k.clone(), f.clone()))
                    } else {
                        None
                    }
                })
                .collect()
        });
        for (field, f) in file_answers {
            match drafts.load_file(&meta.account, &meta.service_id, &f.part) {
                Some(bytes) => self.files.update_value(|files| {
                    files.insert(f.part.clone(), bytes);
                }),
                None => {
                    all_there = false;
                    self.answers.update(|a| {
                        a.remove(&field);
                    });
                }
            }
        }
        all_there
    }

    /// Saves the draft (on this device, in memory on a kiosk).
    pub fn save(&self) {
        let (Some(drafts), meta) = (self.drafts.get_value(), self.meta.get_value()) else {
            return;
        };
        let schema = self.schema.get_value();
        let draft = Draft {
            service_id: meta.service_id.clone(),
            service_title: meta.service_title.clone(),
            form_id: schema.id.clone(),
            form_version: schema.version,
            answers: self.answers.get_untracked(),
            step: self.step.get_untracked(),
            page: self.page.get_untracked(),
            idempotency_key: self.key.get_value(),
            updated_at: js_sys::Date::now(),
        };
        drafts.save(&meta.account, &draft);
    }

    /// Forgets the draft (after a successful submission).
    pub fn discard(&self) {
        let meta = self.meta.get_value();
        if let Some(drafts) = self.drafts.get_value() {
            drafts.remove(&meta.account, &meta.service_id);
        }
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

    /// Checks the current page; moves on (to the next page, or the review) if it is right.
    pub fn next(&self) -> bool {
        let schema = self.schema.get_value();
        let page = self.page.get_untracked();
        let patterns = BrowserPatterns;
        let today = today();
        let ctx = Context {
            today: &today,
            patterns: &patterns,
        };
        let errors = self
            .answers
            .with_untracked(|a| validate_page(&schema, page, a, &ctx));
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

    pub fn back(&self) {
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
        self.errors.set(Vec::new());
        self.step.set(Step::Page);
        self.page.set(page);
        self.save();
    }

    /// The whole submission checked as the provider will; the answers to send if right.
    pub fn check_all(&self) -> Result<Answers, Vec<FieldError>> {
        let schema = self.schema.get_value();
        let patterns = BrowserPatterns;
        let today = today();
        let ctx = Context {
            today: &today,
            patterns: &patterns,
        };
        self.answers
            .with_untracked(|a| validate_submission(&schema, a, &ctx))
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
