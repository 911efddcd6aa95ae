//! The reply form of a demande: a message and documents answering what the collectivity expects,
//! kept as a draft on the device until it is sent, sent with an idempotency key.

use crate::components::error_summary::{ErrorSummary, Problem};
use crate::components::{Notice, NoticeKind};
use crate::i18n::texts;
use crate::procedure::submission::{input_of, read_file, reply_data};
use crate::providers::{ProviderError, expect_provider_client};
use crate::state::device::expect_device_store;
use crate::state::drafts::new_idempotency_key;
use crate::state::tracking::expect_tracking;
use contract::Message;
use contract::demande::Reply;
use contract::validation::human_size;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// What the citizen is writing, kept on the device until it is sent.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
struct ReplyDraft {
    body: String,
    key: String,
}

#[component]
pub fn ReplyForm(
    member: String,
    api: String,
    id: String,
    account: String,
    expected: Vec<contract::Expectation>,
    version: RwSignal<u32>,
) -> impl IntoView {
    let t = &texts().demande;
    let client = expect_provider_client();
    let store = expect_device_store();
    let tracking = expect_tracking();
    let draft_key = format!("reply.{account}.{member}.{id}");
    let draft: ReplyDraft = store
        .get(&draft_key)
        .and_then(|j| serde_json::from_str(&j).ok())
        .unwrap_or_default();
    let body = RwSignal::new(draft.body);
    let key = StoredValue::new(if draft.key.is_empty() {
        new_idempotency_key()
    } else {
        draft.key
    });
    let files = RwSignal::new(Vec::<(String, String, String, Vec<u8>)>::new());
    let answers = RwSignal::new(expected.iter().map(|e| e.id.clone()).collect::<Vec<_>>());
    let sending = RwSignal::new(false);
    let outcome = RwSignal::new(None::<Result<(), String>>);
    let problem = RwSignal::new(None::<String>);
    let save = {
        let draft_key = draft_key.clone();
        move || {
            let draft = ReplyDraft {
                body: body.get_untracked(),
                key: key.get_value(),
            };
            if let Ok(json) = serde_json::to_string(&draft) {
                store.set(&draft_key, &json);
            }
        }
    };
    let on_files = move |ev: leptos::ev::Event| {
        let Some(list) = input_of(&ev).and_then(|i| i.files()) else {
            return;
        };
        let chosen: Vec<web_sys::File> = (0..list.length()).filter_map(|i| list.get(i)).collect();
        leptos::task::spawn_local(async move {
            let mut read = Vec::new();
            for (i, file) in chosen.iter().enumerate() {
                if let Some(bytes) = read_file(file).await {
                    read.push((format!("piece-{i}"), file.name(), file.type_(), bytes));
                }
            }
            files.set(read);
        });
    };
    let send = {
        let (save, draft_key) = (save.clone(), draft_key.clone());
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            if sending.get_untracked() {
                return;
            }
            if body.get_untracked().trim().is_empty() && files.with_untracked(Vec::is_empty) {
                problem.set(Some(texts().demande.reply_empty.to_owned()));
                return;
            }
            problem.set(None);
            save();
            sending.set(true);
            let answered = if files.with_untracked(Vec::is_empty) {
                Vec::new()
            } else {
                answers.get_untracked()
            };
            let reply = Reply {
                body: body.get_untracked(),
                answers_expectations: answered,
            };
            let url = format!("{api}/v1/demandes/{id}/replies");
            let (key, draft_key) = (key.get_value(), draft_key.clone());
            let chosen = files.get_untracked();
            leptos::task::spawn_local(async move {
                let json = serde_json::to_string(&reply).unwrap_or_default();
                let result = match reply_data(&json, &chosen) {
                    Some(data) => client.post_multipart::<Message>(&url, &key, data).await,
                    None => Err(ProviderError::Undecodable(String::new())),
                };
                sending.set(false);
                match result {
                    Ok(_) => {
                        store.remove(&draft_key);
                        outcome.set(Some(Ok(())));
                        tracking.refresh_all();
                        version.update(|v| *v += 1);
                    }
                    Err(e) => outcome.set(Some(Err(e.to_string()))),
                }
            });
        }
    };
    view! {
        <section aria-labelledby="repondre" class="gu-reply">
            <h2 id="repondre">{t.reply_heading}</h2>
            {move || problem.get().map(|message| view! { <ErrorSummary problems=vec![Problem { field_id: "reponse-message".into(), message }] /> })}
            {move || outcome.get().map(|o| match o {
                Ok(()) => view! { <Notice kind=NoticeKind::Success title=texts().demande.reply_sent /> }.into_any(),
                Err(why) => view! { <Notice kind=NoticeKind::Error title=texts().demande.reply_failed><p>{why}</p><p>{texts().procedure.kept}</p></Notice> }.into_any(),
            })}
            <form on:submit=send novalidate>
                <div class="gu-field">
                    <label class="gu-label" for="reponse-message">{t.reply_label}</label>
                    <textarea id="reponse-message" class="gu-textarea" rows="5" prop:value=move || body.get() on:input=move |ev| { body.set(event_target_value(&ev)); save(); }></textarea>
                </div>
                <div class="gu-field">
                    <label class="gu-label" for="reponse-pieces">{t.attach_label}</label>
                    <p class="gu-hint">{t.reply_hint}</p>
                    <input id="reponse-pieces" type="file" class="gu-file" multiple accept="application/pdf,image/jpeg,image/png" on:change=on_files />
                    {move || files.with(|f| (!f.is_empty()).then(|| view! {
                        <ul class="gu-plain-list">{f.iter().map(|(_, name, _, bytes)| view! { <li>{texts().procedure.file_added} " " <strong>{name.clone()}</strong> {format!(" ({})", human_size(bytes.len() as u64))}</li> }).collect_view()}</ul>
                    }))}
                </div>
                {(!expected.is_empty()).then(|| view! {
                    <fieldset class="gu-fieldset">
                        <legend class="gu-fieldset__legend">{texts().demande.expected_heading}</legend>
                        {expected.into_iter().map(|e| {
                            let (id1, id2) = (e.id.clone(), e.id.clone());
                            let box_id = format!("attendu-{}", e.id);
                            view! {
                                <div class="gu-checkbox">
                                    <input type="checkbox" class="gu-checkbox__input" id=box_id.clone() prop:checked=move || answers.with(|a| a.contains(&id1)) on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        answers.update(|a| { a.retain(|x| x != &id2); if on { a.push(id2.clone()); } });
                                    } />
                                    <label class="gu-checkbox__label" for=box_id>{e.label}</label>
                                </div>
                            }
                        }).collect_view()}
                    </fieldset>
                })}
                <button type="submit" class="gu-button" prop:disabled=move || sending.get()>{move || if sending.get() { texts().demande.sending } else { texts().demande.send_reply }}</button>
            </form>
        </section>
    }
}
