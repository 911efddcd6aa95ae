//! `/service/<id>/demarche`: doing a service online.
//!
//! Sign-in first; then the form schema is fetched from the member's provider; the citizen chooses
//! whether their profile pre-fills it (and sees to whom it will go), fills it page by page (each
//! page checked with the same rules the provider applies), checks their answers, and sends. Every
//! change is saved as a draft (and the page says when it could not be); a send whose outcome is
//! unknown freezes the answers until the provider has said whether it arrived; success shows a
//! printable receipt. The logic lives in [`crate::procedure`]; these views only show it.

mod autosave;
mod consent;
mod fields;
mod outcome;
mod receipt;
mod reply;
mod review;

use crate::auth::{AuthStatus, expect_auth};
use crate::components::error_summary::{ErrorSummary, Problem};
use crate::components::load_errors::LoadErrors;
use crate::components::{BackLink, Notice, NoticeKind, PageTitle, SignInButton};
use crate::i18n::texts;
use crate::procedure::flow::{Flow, Meta, Services};
use crate::providers::expect_provider_client;
use crate::routes::Page;
use crate::state::device::expect_device_store;
use crate::state::drafts::{Drafts, Step};
use crate::state::federation::expect_federation;
use crate::state::tracking::expect_tracking;
use crate::state::transparency::TransparencyLog;
use contract::FormSchema;
use fields::{FieldInput, control_id};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use std::sync::Arc;

pub use reply::ReplyForm;

#[component]
pub fn ProcedurePage() -> impl IntoView {
    let params = use_params_map();
    let federation = expect_federation();
    let auth = expect_auth();
    let id = move || {
        let p = params.read();
        format!(
            "{}/{}",
            p.get("member").unwrap_or_default(),
            p.get("slug").unwrap_or_default()
        )
    };
    view! {
        <div class="gu-container">
            <Transition fallback=|| view! { <p class="gu-loading">{texts().site.loading}</p> }>
                <ErrorBoundary fallback=|errors| view! { <LoadErrors errors /> }>
                    {move || Suspend::new(async move {
                        let federation = federation.resource.await?;
                        let id = id();
                        let Some(service) = federation.catalogue.service(&id).cloned() else {
                            let member = id.split_once('/').map(|(m, _)| m.to_owned()).unwrap_or_default();
                            return Ok::<_, leptos::error::Error>(view! { <crate::components::load_errors::ServiceMissing member /> }.into_any());
                        };
                        let member = federation.catalogue.member(&service.member).cloned();
                        let (Some(form), Some(member), Some(api)) = (service.form().map(str::to_owned), member.clone(), member.as_ref().and_then(|m| m.api.clone())) else {
                            return Ok(view! { <p>{texts().procedure.not_online}</p> }.into_any());
                        };
                        let title = format!("{} {}", texts().procedure.title_prefix, service.title.fr);
                        let (back_label, heading) = (service.title.fr.clone(), service.title.fr.clone());
                        let back_href = Page::Service(id.clone()).href();
                        Ok(view! {
                            <PageTitle title=title.clone() />
                            <BackLink href=back_href>{back_label}</BackLink>
                            <h1>{heading}</h1>
                            {move || match auth.session.get() {
                                Some(session) => {
                                    let meta = Meta {
                                        service_id: id.clone(),
                                        service_title: service.title.fr.clone(),
                                        member_id: member.id.clone(),
                                        member_name: member.name.fr.clone(),
                                        api: api.as_str().to_owned(),
                                        account: session.account.clone(),
                                    };
                                    view! { <FormLoader meta form=form.clone() /> }.into_any()
                                }
                                None => view! { <SignInRequired /> }.into_any(),
                            }}
                        }
                        .into_any())
                    })}
                </ErrorBoundary>
            </Transition>
        </div>
    }
}

/// "Connectez-vous pour faire cette démarche".
#[component]
pub fn SignInRequired() -> impl IntoView {
    let t = &texts().auth;
    let auth = expect_auth();
    view! {
        <section class="gu-sign-in" aria-labelledby="connexion-requise">
            <h2 id="connexion-requise">{t.required_title}</h2>
            <p>{t.required_body}</p>
            {move || match auth.status.get() {
                AuthStatus::Failed(why) => Some(view! { <Notice kind=NoticeKind::Error title=t.failed_title><p>{why}</p></Notice> }),
                _ => None,
            }}
            <SignInButton class="gu-button">{t.sign_in}</SignInButton>
        </section>
    }
}

/// Fetches the form schema from the member's provider, then starts (or resumes) the flow.
#[component]
fn FormLoader(meta: Meta, form: String) -> impl IntoView {
    let client = expect_provider_client();
    let url = crate::providers::endpoint::form(&meta.api, &form);
    let schema = LocalResource::new(move || {
        let url = url.clone();
        async move {
            let url = url.map_err(|_| crate::providers::ProviderError::InvalidId)?;
            client.get_public::<FormSchema>(&url).await
        }
    });
    view! {
        <Transition fallback=|| view! { <p class="gu-loading">{texts().site.loading}</p> }>
            {move || {
                let meta = meta.clone();
                Suspend::new(async move {
                    // A provider may be hostile or broken: a pattern outside the subset both
                    // engines read alike, in linear time, could hang the tab or check something
                    // else than the provider does — such a form is not run at all.
                    match schema.await {
                        Ok(schema) if contract::validation::check_schema_patterns(&schema).is_err() => view! {
                            <Notice kind=NoticeKind::Error title=texts().procedure.form_unavailable>
                                <p>{texts().procedure.form_rule_refused}</p>
                            </Notice>
                        }
                        .into_any(),
                        Ok(schema) => view! { <Procedure meta schema=Arc::new(schema) /> }.into_any(),
                        Err(e) => view! {
                            <Notice kind=NoticeKind::Error title=texts().procedure.form_unavailable>
                                <p>{e.to_string()}</p>
                            </Notice>
                        }
                        .into_any(),
                    }
                })
            }}
        </Transition>
    }
}

#[component]
fn Procedure(meta: Meta, schema: Arc<FormSchema>) -> impl IntoView {
    let store = expect_device_store();
    let services = Services {
        drafts: Drafts::new(store),
        client: expect_provider_client(),
        log: TransparencyLog::new(store),
        tracking: expect_tracking(),
        persistence: store.persistence(),
    };
    let flow = crate::procedure::start::start(schema, meta, services);
    view! {
        {move || flow.notice.get().map(|n| view! { <Notice kind=NoticeKind::Info title=n /> })}
        {move || {
            if flow.receipt.get().is_some() {
                return view! { <receipt::ReceiptView flow /> }.into_any();
            }
            match flow.step.get() {
                Step::Consent => view! { <consent::ConsentStep flow /> }.into_any(),
                Step::Page => view! { <FormPageView flow /> }.into_any(),
                Step::Review => view! { <review::ReviewStep flow /> }.into_any(),
            }
        }}
    }
}

/// One page of the form.
#[component]
fn FormPageView(flow: Flow) -> impl IntoView {
    let t = &texts().procedure;
    let schema = flow.schema.get_value();
    let progress = move || {
        let pages = flow.pages();
        let at = pages
            .iter()
            .position(|p| *p == flow.page.get())
            .map_or(1, |i| i + 1);
        t.step(at, pages.len() + 1)
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        flow.next();
        scroll_top();
    };
    let problems = move || {
        flow.errors.with(|errors| {
            (!errors.is_empty()).then(|| {
                let problems = errors
                    .iter()
                    .map(|e| Problem {
                        field_id: control_id(&e.field),
                        message: e.message.clone(),
                    })
                    .collect();
                view! { <ErrorSummary problems /> }
            })
        })
    };
    view! {
        <p class="gu-progress">{progress}</p>
        {problems}
        {move || {
            let page = flow.page.get();
            let schema = Arc::clone(&schema);
            let Some(p) = schema.pages.get(page).cloned() else { return view! { <p>{texts().procedure.form_unavailable}</p> }.into_any() };
            let fields = move || flow.fields_of(page).into_iter().map(|field| view! { <FieldInput field flow /> }).collect_view();
            view! {
                <h2>{p.title.clone()}</h2>
                {p.description.clone().map(|d| view! { <p class="gu-hint">{d}</p> })}
                <form on:submit=submit novalidate>
                    {fields}
                    <div class="gu-actions">
                        <button type="submit" class="gu-button">{texts().procedure.continue_button}</button>
                        <button type="button" class="gu-button gu-button--secondary" on:click=move |_| { flow.back(); scroll_top(); }>{texts().procedure.back}</button>
                    </div>
                </form>
                <autosave::AutosaveStatus flow />
            }
            .into_any()
        }}
    }
}

pub(super) fn scroll_top() {
    crate::browser::scroll_to_top();
}
