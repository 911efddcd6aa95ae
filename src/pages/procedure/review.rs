//! "Vérifiez vos réponses": every answer before sending, with a way to change each page — except
//! while an attempt's outcome is unknown, when the answers are frozen and the page says why; then
//! the idempotent send ([`Flow::send`]), whose failures keep everything.

use super::autosave::AutosaveStatus;
use super::fields::control_id;
use super::outcome::WriteOutcome;
use crate::components::error_summary::{ErrorSummary, Problem};
use crate::components::{Notice, NoticeKind};
use crate::i18n::texts;
use crate::procedure::flow::Flow;
use crate::procedure::outcome::{Status, Write};
use crate::routes::Page;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn ReviewStep(flow: Flow) -> impl IntoView {
    let t = &texts().procedure;
    let may_change = Memo::new(move |_| flow.write.with(Write::may_change));
    let send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        flow.send();
    };
    let rows = move || {
        let schema = flow.schema.get_value();
        let editable = may_change.get();
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
                        {editable.then(|| view! {
                            <p><button type="button" id=format!("revoir-page-{page}") class="gu-button gu-button--secondary" aria-label=format!("{} : {}", texts().procedure.change, title) on:click=move |_| { flow.go_to_page(page); super::scroll_top(); }>{texts().procedure.change}</button></p>
                        })}
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
    let member = flow.meta.with_value(|m| m.member_name.clone());
    let status = move || flow.write.with(|w| w.status.clone());
    let button_text = move || match status() {
        Status::Sending => t.sending,
        Status::Unresolved { .. } | Status::Refused(_) | Status::NotWritten => t.retry,
        _ => t.send,
    };
    let can_send = move || flow.write.with(|w| w.may_send()) && !flow.restoring.get();
    view! {
        <h2>{t.review_heading}</h2>
        {move || may_change.get().then(|| view! { <p>{t.review_intro}</p> })}
        {problems}
        <WriteOutcome write=flow.write what=texts().outcome.submission member failed_title=t.send_failed_title on_check=Callback::new(move |()| flow.check()) />
        <Diverged flow />
        {rows}
        {move || (!matches!(status(), Status::Diverged(_))).then(|| view! {
            <form on:submit=send>
                <div class="gu-actions">
                    <button type="submit" class="gu-button" prop:disabled=move || !can_send()>{button_text}</button>
                    {move || may_change.get().then(|| view! {
                        <button type="button" class="gu-button gu-button--secondary" on:click=move |_| flow.back()>{texts().procedure.back}</button>
                    })}
                </div>
            </form>
        })}
        <AutosaveStatus flow />
    }
}

/// A demande was already filed from this draft with other answers: lead there, and let the
/// citizen choose what to do with these answers.
#[component]
fn Diverged(flow: Flow) -> impl IntoView {
    let t = &texts().outcome;
    let navigate = leptos_router::hooks::use_navigate();
    move || {
        let Status::Diverged(record) = flow.write.with(|w| w.status.clone()) else {
            return ().into_any();
        };
        let meta = flow.meta.get_value();
        let existing = Page::Demande {
            member: meta.member_id.clone(),
            id: record.demande.id.clone(),
        }
        .href();
        let service = Page::Service(meta.service_id.clone()).href();
        let navigate = navigate.clone();
        view! {
            <Notice kind=NoticeKind::Warning title=t.diverged_title>
                <p>{t.diverged_body(&record.demande.reference)}</p>
                <div class="gu-actions">
                    <A href=existing attr:class="gu-button">{t.see_existing}</A>
                    <button type="button" class="gu-button gu-button--secondary" on:click=move |_| flow.start_again()>{t.send_as_new}</button>
                    <button type="button" class="gu-button gu-button--secondary" on:click=move |_| { flow.discard(); navigate(&service, Default::default()); }>{t.discard}</button>
                </div>
            </Notice>
        }
        .into_any()
    }
}
