//! `/compte`: what the identity provider told us, drafts to resume (until when they are kept, and
//! which were removed for being too old), and "Qui a reçu mes données ?".

use crate::auth::expect_auth;
use crate::components::{Notice, NoticeKind, PageTitle};
use crate::format::{date_in_words_ms as day_of, datetime_in_words_ms};
use crate::i18n::texts;
use crate::pages::procedure::SignInRequired;
use crate::routes::Page;
use crate::state::device::expect_device_store;
use crate::state::drafts::{Drafts, KEEP_DRAFTS_DAYS, expires_at};
use crate::state::transparency::TransparencyLog;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn AccountPage() -> impl IntoView {
    let t = &texts().account;
    let auth = expect_auth();
    let store = expect_device_store();
    let drafts = Drafts::new(store);
    let log = TransparencyLog::new(store);
    let cleared = RwSignal::new(false);
    // Drafts past their keeping period go when the citizen comes here, and they are told.
    let expired = RwSignal::new(Vec::new());
    Effect::new(move |_| {
        if let Some(session) = auth.session.get() {
            let gone = drafts.purge_expired(&session.account.clone());
            if !gone.is_empty() {
                expired.set(gone);
            }
        }
    });
    view! {
        <PageTitle title=t.title.to_string() />
        <div class="gu-container">
            <h1>{t.title}</h1>
            {move || match auth.session.get() {
                None => view! { <SignInRequired /> }.into_any(),
                Some(session) => {
                    let account = session.account.clone();
                    let claims = session.profile.shown();
                    let account_for_drafts = account.clone();
                    let account_for_log = account.clone();
                    view! {
                        <section aria-labelledby="profil">
                            <h2 id="profil">{t.profile_heading}</h2>
                            <p>{t.profile_intro}</p>
                            <dl class="gu-summary-list">
                                {claims.into_iter().map(|(claim, value)| view! {
                                    <div class="gu-summary-list__row"><dt>{texts().account.claim_label(claim)}</dt><dd>{value}</dd></div>
                                }).collect_view()}
                            </dl>
                        </section>
                        <section aria-labelledby="brouillons">
                            <h2 id="brouillons">{t.drafts_heading}</h2>
                            {move || expired.get().into_iter().map(|e| view! {
                                <Notice kind=NoticeKind::Info title=texts().drafts.expired_title>
                                    <p>{texts().drafts.expired(&e.service_title, &day_of(e.updated_at), KEEP_DRAFTS_DAYS)}</p>
                                </Notice>
                            }).collect_view()}
                            {move || {
                                let list = drafts.list(&account_for_drafts);
                                if list.is_empty() {
                                    return view! { <p>{crate::kiosk::device_text(texts().account.no_drafts, texts().kiosk.no_drafts)}</p> }.into_any();
                                }
                                let account = account_for_drafts.clone();
                                view! {
                                    <ul class="gu-task-list">
                                        {list.into_iter().map(|d| {
                                            let (account, service) = (account.clone(), d.service_id.clone());
                                            view! {
                                                <li class="gu-task-list__item">
                                                    <span class="gu-task-list__name">{d.service_title.clone()}</span>
                                                    <span class="gu-task-list__meta">{datetime_in_words_ms(d.updated_at)} " — " {texts().drafts.kept_until(&day_of(expires_at(d.updated_at)))}</span>
                                                    <A href=Page::Procedure(d.service_id.clone()).href() attr:class="gu-button">{texts().account.resume}</A>
                                                    <button type="button" class="gu-button gu-button--secondary" on:click=move |_| drafts.remove(&account, &service)>{texts().account.discard}</button>
                                                </li>
                                            }
                                        }).collect_view()}
                                    </ul>
                                }
                                .into_any()
                            }}
                        </section>
                        <section aria-labelledby="journal">
                            <h2 id="journal">{t.log_heading}</h2>
                            <p>{crate::kiosk::device_text(t.log_intro, texts().kiosk.log_intro)}</p>
                            {move || {
                                let entries = log.entries(&account_for_log);
                                if entries.is_empty() {
                                    let message = if cleared.get() { texts().account.log_cleared } else { crate::kiosk::device_text(texts().account.log_empty, texts().kiosk.log_empty) };
                                    return view! { <p role="status">{message}</p> }.into_any();
                                }
                                let account = account_for_log.clone();
                                view! {
                                    <ul class="gu-log">
                                        {entries.into_iter().map(|e| view! {
                                            <li class="gu-log__entry">
                                                <p><strong>{e.member.clone()}</strong> " — " {e.form_title.clone()} " — " {e.reference.clone()}</p>
                                                <p class="gu-hint">{datetime_in_words_ms(e.at)}</p>
                                                <p>{texts().account.log_fields} " " {e.fields.join(", ")}</p>
                                            </li>
                                        }).collect_view()}
                                    </ul>
                                    <button type="button" class="gu-button gu-button--secondary" on:click=move |_| { log.clear(&account); cleared.set(true); }>{texts().account.log_clear}</button>
                                }
                                .into_any()
                            }}
                        </section>
                    }
                    .into_any()
                }
            }}
        </div>
    }
}
