//! Files chosen during a procedure: checked at once like the provider will check them, kept with
//! the draft (verified), and given back after a reload only if they are exactly the file chosen.
//!
//! The order matters when a file replaces another: the old file's record leaves the draft first,
//! the new bytes are written under a new key and read back, and only then does the draft point to
//! them. A failure at any step leaves a draft without a file for that answer (the citizen is told,
//! and asked to add it again after a reload), never one that names the new file and holds the old
//! bytes.

use super::flow::Flow;
use crate::i18n::texts;
use crate::state::drafts::files_scope;
use contract::answers::FileAnswer;
use contract::validation::{Context, validate_field};
use contract::{Answer, FieldError};
use leptos::prelude::*;

impl Flow {
    /// A chosen file: checked at once, sent with the answers, kept with the draft if possible.
    pub fn set_file(&self, field: &str, answer: FileAnswer, bytes: Vec<u8>) {
        if !self.may_change() {
            return;
        }
        let (part, name) = (answer.part.clone(), answer.name.clone());
        let mut previous = None;
        self.kept.update_value(|k| previous = k.remove(&part));
        self.unkept.update(|u| {
            u.remove(&part);
        });
        self.files.update_value(|f| {
            f.insert(part.clone(), bytes.clone());
        });
        self.set_answer(field, Answer::File(answer));
        // The saved draft no longer names the old file: its bytes can go.
        if let (Some(previous), Ok(())) = (previous, self.saved.get_untracked()) {
            self.services.drafts.forget_file(&previous);
        }
        if let Some(error) = self.check_field(field) {
            self.errors.update(|errors| errors.push(error));
        }
        self.keep(part, name, bytes);
    }

    /// Size and type are checked before any upload.
    fn check_field(&self, field: &str) -> Option<FieldError> {
        let schema = self.schema.get_value();
        let f = schema.field(field)?;
        let (patterns, today) = (super::BrowserPatterns, crate::format::today());
        let ctx = Context {
            today: &today,
            patterns: &patterns,
        };
        validate_field(f, self.answer(field).as_ref(), &ctx)
    }

    /// Writes a file's bytes to the device and, once read back, records them with the draft.
    fn keep(&self, part: String, name: String, bytes: Vec<u8>) {
        let flow = *self;
        let meta = self.meta.get_value();
        let scope = files_scope(&meta.account, &meta.service_id);
        leptos::task::spawn_local(async move {
            let drafts = flow.services.drafts;
            let kept = drafts.keep_file(&scope, &name, &bytes).await;
            if flow.gone() {
                return;
            }
            match kept {
                Ok(stored) => {
                    // Another file may have been chosen meanwhile.
                    let current = flow
                        .files
                        .with_value(|f| f.get(&part).is_some_and(|b| stored.matches(b)));
                    if current {
                        flow.kept.update_value(|k| {
                            k.insert(part, stored);
                        });
                        flow.save();
                    } else {
                        drafts.forget_file(&stored);
                    }
                }
                Err(e) => flow.unkept.update(|u| {
                    u.insert(part, (name, e));
                }),
            }
        });
    }

    /// Forgets the file of `part` (removed by the citizen).
    pub(super) fn forget_kept(&self, part: &str) {
        let mut previous = None;
        self.kept.update_value(|k| previous = k.remove(part));
        if let Some(previous) = previous {
            self.services.drafts.forget_file(&previous);
        }
        self.files.update_value(|f| {
            f.remove(part);
        });
        self.unkept.update(|u| {
            u.remove(part);
        });
    }

    /// Gives back the files kept with the draft. An answer whose file cannot be given back exactly
    /// is dropped and the citizen asked to add it again — unless the answers are frozen, in which
    /// case it waits for the provider's word on the earlier attempt.
    pub fn restore_files(&self) {
        let file_answers: Vec<(String, FileAnswer)> = self.answers.with_untracked(|a| {
            a.iter()
                .filter_map(|(k, v)| match v {
                    Answer::File(f) => Some((k.clone(), f.clone())),
                    _ => None,
                })
                .collect()
        });
        if file_answers.is_empty() {
            return;
        }
        self.restoring.set(true);
        let flow = *self;
        leptos::task::spawn_local(async move {
            let mut lost = Vec::new();
            for (field, answer) in file_answers {
                let stored = flow
                    .kept
                    .with_value(|k| k.get(&answer.part).filter(|s| s.is_for(&answer)).cloned());
                let bytes = match stored {
                    Some(stored) => flow.services.drafts.file(&stored).await,
                    None => None,
                };
                if flow.gone() {
                    return;
                }
                match bytes {
                    Some(bytes) => flow.files.update_value(|f| {
                        f.insert(answer.part.clone(), bytes);
                    }),
                    None => lost.push(field),
                }
            }
            if !lost.is_empty() {
                if flow.changing() {
                    flow.answers.update(|a| a.retain(|k, _| !lost.contains(k)));
                    flow.save();
                }
                let file_lost = texts().procedure.file_lost;
                flow.notice.update(|n| {
                    *n = Some(match n.take() {
                        Some(before) => format!("{before} {file_lost}"),
                        None => file_lost.to_owned(),
                    })
                });
            }
            flow.restoring.set(false);
        });
    }
}
