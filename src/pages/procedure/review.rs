//! "Vérifiez vos réponses": every answer before sending, with a way to change each page; then
//! the idempotent send, whose failure keeps everything and offers to retry.

use super::fields::control_id;
use super::flow::{Flow, Receipt};
use crate::components::error_summary::{ErrorSummary, Problem};
use crate::components::{Notice, NoticeKind};
use crate::i18n::texts;
use crate::procedure::submission::form_data;
use crate::providers::{ProviderError, expect_provider_client};
use crate::state::device::expect_device_store;
use crate::state::transparency::{LogEntry, TransparencyLog};
use contract::DemandeSummary;
use contract::demande::Submission;
use leptos::prelude::*;

#[component]
pub fn ReviewStep(flow: Flow) -> impl IntoView {
    let t = &texts().procedure;
    let client = expect_provider_client();
    // network: Mes démarches lists the new demande at once (Tracking::record_written).
    let tracking = crate::state::tracking::expect_tracking();
    let log = TransparencyLog::new(expect_device_store());
    let send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if flow.sending.get_untracked() {
            return;
        }
        let answers = match flow.check_all() {
            Ok(answers) => answers,
            Err(errors) => {
                flow.errors.set(errors);
                return;
            }
        };
        flow.errors.set(Vec::new());
        flow.send_error.set(None);
        flow.sending.set(true);
        let meta = flow.meta.get_value();
        let schema = flow.schema.get_value();
        let key = flow.key.get_value();
        let files = flow.files.get_value();
        leptos::task::spawn_local(async move {
            let submission = Submission {
                form_version: schema.version,
                answers: answers.clone(),
            };
            let json = serde_json::to_string(&submission).unwrap_or_default();
            let url = format!(
                "{}/v1/forms/{}/demandes",
                meta.api.trim_end_matches('/'),
                schema.id
            );
            let outcome = match form_data("submission", &json, &answers, &files) {
                Some(body) => {
                    client
                        .post_multipart::<DemandeSummary>(&url, &key, body)
                        .await
                }
                None => Err(ProviderError::Undecodable(
                    texts().procedure.file_lost.into(),
                )),
            };
            flow.sending.set(false);
            match outcome {
                Ok(summary) => {
                    tracking.record_written(&meta.member_id, summary.clone());
                    let fields = answers
                        .keys()
                        .filter_map(|k| schema.field(k).map(|f| f.label.clone()))
                        .collect();
                    log.record(
                        &meta.account,
                        LogEntry {
                            at: js_sys::Date::now(),
                            member: meta.member_name.clone(),
                            form_title: schema.title.clone(),
                            reference: summary.reference.clone(),
                            fields,
                        },
                    );
                    flow.discard();
                    flow.notice.set(None);
                    flow.receipt.set(Some(Receipt {
                        id: summary.id,
                        reference: summary.reference,
                        created_at: summary.created_at,
                        answers,
                    }));
                    super::scroll_top();
                }
                Err(ProviderError::Problem(problem)) if !problem.errors.is_empty() => {
                    flow.errors.set(problem.errors)
                }
                Err(e) => flow.send_error.set(Some(e)),
            }
        });
    };
    let rows = move || {
        let schema = flow.schema.get_value();
        flow.pages()
            .into_iter()
            .map(|page| {
                let title = schema.pages.get(page).map(|p| p.title.clone()).unwrap_or_default();
                let fields = flow.fields_of(page);
                view! {
                    <section class="gu-review__page">
                        <h3>{title.clone()}</h3>
                        <dl class="gu-summary-list">
                            {fields.into_iter().map(|f| {
                                let value = flow.answer(&f.id).map(|a| f.display(&a)).filter(|v| !v.trim().is_empty()).unwrap_or_else(|| texts().procedure.not_answered.to_owned());
                                view! { <div class="gu-summary-list__row"><dt>{f.label.clone()}</dt><dd>{value}</dd></div> }
                            }).collect_view()}
                        </dl>
                        <p><button type="button" id=format!("revoir-page-{page}") class="gu-button gu-button--secondary" aria-label=format!("{} : {}", texts().procedure.change, title) on:click=move |_| { flow.go_to_page(page); super::scroll_top(); }>{texts().procedure.change}</button></p>
                    </section>
                }
            })
            .collect_view()
    };
    let problems = move || {
        flow.errors.with(|errors| {
            (!errors.is_empty()).then(|| {
                let problems = errors
                    .iter()
                    .map(|e| Problem {
                        field_id: flow
                            .page_of(&e.field)
                            .map_or_else(|| control_id(&e.field), |p| format!("revoir-page-{p}")),
                        message: e.message.clone(),
                    })
                    .collect();
                view! { <ErrorSummary problems /> }
            })
        })
    };
    view! {
        <h2>{t.review_heading}</h2>
        <p>{t.review_intro}</p>
        {problems}
        {move || flow.send_error.get().map(|e| view! {
            <Notice kind=NoticeKind::Error title=texts().procedure.send_failed_title>
                <p>{e.to_string()}</p>
                <p>{texts().procedure.kept}</p>
            </Notice>
        })}
        {rows}
        <form on:submit=send>
            <div class="gu-actions">
                <button type="submit" class="gu-button" prop:disabled=move || flow.sending.get()>
                    {move || if flow.sending.get() { texts().procedure.sending } else if flow.send_error.get().is_some() { texts().procedure.retry } else { texts().procedure.send }}
                </button>
                <button type="button" class="gu-button gu-button--secondary" on:click=move |_| flow.back()>{t.back}</button>
            </div>
        </form>
    }
}
