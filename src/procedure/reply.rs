//! Replying to a demande: the sibling of a submission, with the same drafts (answers as JSON,
//! files kept and verified on the device) and the same idempotent send path — an unknown outcome
//! freezes the reply until the provider has said whether it arrived.

use super::outcome::Write;
use super::send::{Resolution, Sending};
use super::submission::reply_data;
use crate::i18n::texts;
use crate::providers::ProviderClient;
use crate::state::device::{Persistence, StoreError};
use crate::state::drafts::{
    Drafts, ReplyDraft, ReplyFile, files_scope, new_idempotency_key, reply_scope,
};
use crate::state::tracking::Tracking;
use contract::demande::Reply;
use contract::{Message, WriteKind};
use leptos::prelude::*;
use std::collections::HashMap;

/// How long after a reply the demande's page still says it was sent.
const JUST_SENT_MS: f64 = 2.0 * 60.0 * 1000.0;

/// Which demande, and whose.
#[derive(Clone, Debug)]
pub struct ReplyMeta {
    pub member: String,
    /// The provider's API base (no trailing slash).
    pub api: String,
    pub demande_id: String,
    pub account: String,
}

#[derive(Clone, Copy)]
pub struct ReplyFlow {
    meta: StoredValue<ReplyMeta>,
    pub body: RwSignal<String>,
    /// Expectations the attached documents answer.
    pub answered: RwSignal<Vec<String>>,
    pub files: RwSignal<Vec<ReplyFile>>,
    bytes: StoredValue<HashMap<String, Vec<u8>>>,
    /// Files that could not be kept on the device: name and why.
    pub unkept: RwSignal<Vec<(String, StoreError)>>,
    pub write: RwSignal<Write>,
    pub saved: RwSignal<Result<(), StoreError>>,
    pub sent: RwSignal<bool>,
    pub notice: RwSignal<Option<String>>,
    drafts: Drafts,
    client: ProviderClient,
    tracking: Tracking,
    pub persistence: Persistence,
    /// Bumped to read the demande again after a reply.
    reload: RwSignal<u32>,
}

impl ReplyFlow {
    /// The reply being written to a demande (resumed from its draft, looked up if unresolved).
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        meta: ReplyMeta,
        expected: Vec<String>,
        drafts: Drafts,
        client: ProviderClient,
        tracking: Tracking,
        persistence: Persistence,
        reload: RwSignal<u32>,
    ) -> ReplyFlow {
        let draft = match drafts.load_reply(&meta.account, &meta.member, &meta.demande_id) {
            // After a reply, a new one answers what is expected now.
            Some(sent) if sent.sent_at.is_some() => ReplyDraft {
                answered: expected,
                ..sent
            },
            Some(draft) => draft,
            None => ReplyDraft {
                answered: expected,
                write: crate::procedure::outcome::WriteState::new(new_idempotency_key()),
                ..ReplyDraft::default()
            },
        };
        // A reply sent a moment ago: the demande is shown again (with it), and still says so.
        let just_sent = draft
            .sent_at
            .is_some_and(|at| js_sys::Date::now() - at < JUST_SENT_MS);
        let (write, next) = Write::resume(draft.write);
        let flow = ReplyFlow {
            meta: StoredValue::new(meta),
            body: RwSignal::new(draft.body),
            answered: RwSignal::new(draft.answered),
            files: RwSignal::new(draft.files),
            bytes: StoredValue::new(HashMap::new()),
            unkept: RwSignal::new(Vec::new()),
            write: RwSignal::new(write),
            saved: RwSignal::new(Ok(())),
            sent: RwSignal::new(just_sent),
            notice: RwSignal::new(None),
            drafts,
            client,
            tracking,
            persistence,
            reload,
        };
        flow.restore_files();
        if next == super::outcome::Next::Lookup {
            flow.check();
        }
        flow
    }

    /// Whether the page this reply belongs to is gone (checked after every wait).
    fn gone(&self) -> bool {
        self.write.is_disposed()
    }

    fn changing(&self) -> bool {
        let allowed = self.write.with_untracked(Write::may_change);
        if allowed {
            self.write.update(|w| {
                let _ = w.change(new_idempotency_key);
            });
        }
        allowed
    }

    pub fn set_body(&self, body: String) {
        if self.changing() {
            self.body.set(body);
            self.save();
        }
    }

    pub fn set_answered(&self, id: &str, on: bool) {
        if self.changing() {
            self.answered.update(|a| {
                a.retain(|x| x != id);
                if on {
                    a.push(id.to_owned());
                }
            });
            self.save();
        }
    }

    /// The documents chosen (they replace the previous choice): kept with the draft if possible.
    pub fn set_files(&self, chosen: Vec<(String, String, Vec<u8>)>) {
        if !self.changing() {
            return;
        }
        for old in self.files.get_untracked() {
            if let Some(stored) = &old.stored {
                self.drafts.forget_file(stored);
            }
        }
        let mut bytes = HashMap::new();
        let files = chosen
            .into_iter()
            .enumerate()
            .map(|(i, (name, content_type, data))| {
                let part = format!("piece-{i}");
                let file = ReplyFile {
                    part: part.clone(),
                    name,
                    content_type,
                    size: data.len() as u64,
                    stored: None,
                };
                bytes.insert(part, data);
                file
            })
            .collect::<Vec<_>>();
        self.bytes.set_value(bytes);
        self.unkept.set(Vec::new());
        self.files.set(files.clone());
        self.save();
        for file in files {
            self.keep(file);
        }
    }

    fn keep(&self, file: ReplyFile) {
        let flow = *self;
        let scope = self
            .meta
            .with_value(|m| files_scope(&m.account, &reply_scope(&m.member, &m.demande_id)));
        leptos::task::spawn_local(async move {
            let Some(data) = flow.bytes.with_value(|b| b.get(&file.part).cloned()) else {
                return;
            };
            let kept = flow.drafts.keep_file(&scope, &file.name, &data).await;
            if flow.gone() {
                return;
            }
            match kept {
                Ok(stored) => {
                    let mut current = false;
                    flow.files.update(|files| {
                        if let Some(f) = files.iter_mut().find(|f| {
                            f.part == file.part && f.name == file.name && f.size == stored.size
                        }) {
                            f.stored = Some(stored.clone());
                            current = true;
                        }
                    });
                    if current {
                        flow.save();
                    } else {
                        flow.drafts.forget_file(&stored);
                    }
                }
                Err(e) => flow.unkept.update(|u| u.push((file.name.clone(), e))),
            }
        });
    }

    /// Gives back kept documents; one that cannot be given back exactly is dropped and said.
    fn restore_files(&self) {
        let flow = *self;
        leptos::task::spawn_local(async move {
            let mut lost = false;
            for file in flow.files.get_untracked() {
                let data = match &file.stored {
                    Some(stored) => flow.drafts.file(stored).await,
                    None => None,
                };
                if flow.gone() {
                    return;
                }
                match data {
                    Some(data) => flow.bytes.update_value(|b| {
                        b.insert(file.part.clone(), data);
                    }),
                    None => lost = true,
                }
            }
            if lost && flow.changing() {
                let kept = flow
                    .bytes
                    .with_value(|b| b.keys().cloned().collect::<Vec<_>>());
                flow.files.update(|f| f.retain(|f| kept.contains(&f.part)));
                flow.save();
            }
            if lost {
                flow.notice
                    .set(Some(texts().procedure.file_lost.to_owned()));
            }
        });
    }

    pub fn save(&self) {
        let draft = ReplyDraft {
            body: self.body.get_untracked(),
            answered: self.answered.get_untracked(),
            files: self.files.get_untracked(),
            write: self.write.with_untracked(|w| w.state.clone()),
            updated_at: js_sys::Date::now(),
            sent_at: None,
        };
        let saved = self.meta.with_value(|m| {
            self.drafts
                .save_reply(&m.account, &m.member, &m.demande_id, &draft)
        });
        self.saved.set(saved);
    }

    fn sending(&self) -> Sending<impl Fn() + Clone + 'static> {
        let flow = *self;
        Sending {
            client: self.client,
            write: self.write,
            api: self.meta.with_value(|m| m.api.clone()),
            kind: WriteKind::Reply,
            save: move || flow.save(),
        }
    }

    /// Sends the reply (the same key with every retry of the same reply). `Err` says what to fix.
    pub fn send(&self) -> Result<(), &'static str> {
        let files = self.files.get_untracked();
        if self.body.with_untracked(|b| b.trim().is_empty()) && files.is_empty() {
            return Err(texts().demande.reply_empty);
        }
        let reply = Reply {
            body: self.body.get_untracked(),
            answers_expectations: if files.is_empty() {
                Vec::new()
            } else {
                self.answered.get_untracked()
            },
        };
        let json = serde_json::to_string(&reply).unwrap_or_default();
        let Some(body) = self.bytes.with_value(|b| reply_data(&json, &files, b)) else {
            return Err(texts().procedure.file_lost);
        };
        let url = self
            .meta
            .with_value(|m| crate::providers::endpoint::replies(&m.api, &m.demande_id))
            .map_err(|_| texts().provider_errors.invalid_id)?;
        let (flow, sending) = (*self, self.sending());
        leptos::task::spawn_local(async move {
            let resolution = sending.send::<Message>(&url, body).await;
            flow.resolved(&resolution);
        });
        Ok(())
    }

    /// Asks the provider whether the last attempt arrived.
    pub fn check(&self) {
        let (flow, sending) = (*self, self.sending());
        leptos::task::spawn_local(async move {
            let resolution = sending.check::<Message>().await;
            flow.resolved(&resolution);
        });
    }

    fn resolved(&self, resolution: &Resolution<Message>) {
        if self.gone() {
            return;
        }
        if matches!(resolution, Resolution::Written(_) | Resolution::Found(_)) {
            let (member, account, id) = self
                .meta
                .with_value(|m| (m.member.clone(), m.account.clone(), m.demande_id.clone()));
            // The reply's files go; what stays says "sent" to the page that shows the demande
            // again, with a new key for a next reply.
            self.drafts.remove_reply(&account, &member, &id);
            let sent = ReplyDraft {
                write: crate::procedure::outcome::WriteState::new(new_idempotency_key()),
                updated_at: js_sys::Date::now(),
                sent_at: Some(js_sys::Date::now()),
                ..ReplyDraft::default()
            };
            let _ = self.drafts.save_reply(&account, &member, &id, &sent);
            self.sent.set(true);
            self.notice.set(None);
            self.tracking.record_reply(&member);
            self.reload.update(|v| *v += 1);
        }
    }
}
