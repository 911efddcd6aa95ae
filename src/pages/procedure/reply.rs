//! The reply form of a demande: a message and documents answering what the collectivity expects.
//! A thin view over [`ReplyFlow`]: the same drafts and the same idempotent send path as a
//! submission, so a reply whose outcome is unknown is frozen until the provider has said.

use super::autosave::AutosaveNotice;
use super::outcome::WriteOutcome;
use crate::components::error_summary::{ErrorSummary, Problem};
use crate::components::{Notice, NoticeKind};
use crate::i18n::texts;
use crate::procedure::autosave::Autosave;
use crate::procedure::outcome::Write;
use crate::procedure::reply::{ReplyFlow, ReplyMeta};
use crate::procedure::submission::{input_of, read_file};
use crate::providers::expect_provider_client;
use crate::state::device::expect_device_store;
use crate::state::drafts::Drafts;
use crate::state::tracking::expect_tracking;
use contract::validation::human_size;
use leptos::prelude::*;

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
    let store = expect_device_store();
    let meta = ReplyMeta {
        member: member.clone(),
        api: api.trim_end_matches('/').to_owned(),
        demande_id: id,
        account,
    };
    let ids = expected.iter().map(|e| e.id.clone()).collect();
    let flow = ReplyFlow::new(
        meta,
        ids,
        Drafts::new(store),
        expect_provider_client(),
        expect_tracking(),
        store.persistence(),
        version,
    );
    let problem = RwSignal::new(None::<String>);
    let on_files = move |ev: leptos::ev::Event| {
        let Some(list) = input_of(&ev).and_then(|i| i.files()) else {
            return;
        };
        let chosen: Vec<web_sys::File> = (0..list.length()).filter_map(|i| list.get(i)).collect();
        leptos::task::spawn_local(async move {
            let mut read = Vec::new();
            for file in &chosen {
                if let Some(bytes) = read_file(file).await {
                    read.push((file.name(), file.type_(), bytes));
                }
            }
            flow.set_files(read);
        });
    };
    let send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        problem.set(flow.send().err().map(str::to_owned));
    };
    let sending = move || flow.write.with(|w| !w.may_send());
    let may_change = Memo::new(move |_| flow.write.with(Write::may_change));
    let status = Memo::new(move |_| {
        flow.unkept.with(|u| {
            flow.saved
                .with(|s| Autosave::of(flow.persistence, s, u.iter()))
        })
    });
    view! {
        <section aria-labelledby="repondre" class="gu-reply">
            <h2 id="repondre">{t.reply_heading}</h2>
            {move || problem.get().map(|message| view! { <ErrorSummary problems=vec![Problem { field_id: "reponse-message".into(), message }] /> })}
            {move || flow.sent.get().then(|| view! { <Notice kind=NoticeKind::Success title=texts().demande.reply_sent /> })}
            {move || flow.notice.get().map(|n| view! { <Notice kind=NoticeKind::Info title=n /> })}
            <WriteOutcome write=flow.write what=texts().outcome.reply member failed_title=t.reply_failed on_check=Callback::new(move |()| flow.check()) />
            <form on:submit=send novalidate>
                <div class="gu-field">
                    <label class="gu-label" for="reponse-message">{t.reply_label}</label>
                    <textarea id="reponse-message" class="gu-textarea" rows="5" prop:readOnly=move || !may_change.get() prop:value=move || flow.body.get() on:input=move |ev| flow.set_body(event_target_value(&ev))></textarea>
                </div>
                {move || may_change.get().then(|| view! {
                    <div class="gu-field">
                        <label class="gu-label" for="reponse-pieces">{texts().demande.attach_label}</label>
                        <p class="gu-hint">{texts().demande.reply_hint}</p>
                        <input id="reponse-pieces" type="file" class="gu-file" multiple accept="application/pdf,image/jpeg,image/png" on:change=on_files />
                    </div>
                })}
                {move || flow.files.with(|f| (!f.is_empty()).then(|| view! {
                    <ul class="gu-plain-list">{f.iter().map(|f| view! { <li>{texts().procedure.file_added} " " <strong>{f.name.clone()}</strong> {format!(" ({})", human_size(f.size))}</li> }).collect_view()}</ul>
                }))}
                {(!expected.is_empty()).then(|| view! {
                    <fieldset class="gu-fieldset" prop:disabled=move || !may_change.get()>
                        <legend class="gu-fieldset__legend">{texts().demande.expected_heading}</legend>
                        {expected.into_iter().map(|e| {
                            let (id1, id2) = (e.id.clone(), e.id.clone());
                            let box_id = format!("attendu-{}", e.id);
                            view! {
                                <div class="gu-checkbox">
                                    <input type="checkbox" class="gu-checkbox__input" id=box_id.clone() prop:checked=move || flow.answered.with(|a| a.contains(&id1)) on:change=move |ev| flow.set_answered(&id2, event_target_checked(&ev)) />
                                    <label class="gu-checkbox__label" for=box_id>{e.label}</label>
                                </div>
                            }
                        }).collect_view()}
                    </fieldset>
                })}
                <button type="submit" class="gu-button" prop:disabled=sending>{move || if flow.write.with(|w| matches!(w.status, crate::procedure::outcome::Status::Sending)) { texts().demande.sending } else { texts().demande.send_reply }}</button>
            </form>
            <AutosaveNotice status />
        </section>
    }
}
