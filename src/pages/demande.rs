//! `/mes-demarches/<member>/<id>`: one demande — its timeline, messages, documents, what is
//! expected — and the reply form, with the same no-loss and idempotency rules as a submission.
//! Reached from the dashboard or from a receipt's QR code on another device (after sign-in).

use crate::auth::expect_auth;
use crate::components::status_tag::StatusTag;
use crate::components::{Notice, NoticeKind, PageTitle};
use crate::format::{date_in_words, datetime_in_words};
use crate::i18n::texts;
use crate::pages::procedure::{ReplyForm, SignInRequired};
use crate::providers::{Conditional, ProviderError, expect_provider_client};
use crate::routes::Page;
use crate::state::drafts::account_key;
use crate::state::federation::expect_federation;
use crate::state::tracking::expect_tracking;
use contract::demande::Author;
use contract::validation::human_size;
use contract::{Demande, DocumentRef, Message};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

#[component]
pub fn DemandePage() -> impl IntoView {
    let t = &texts().demande;
    let auth = expect_auth();
    let federation = expect_federation();
    let params = use_params_map();
    let member = move || params.read().get("member").unwrap_or_default();
    let id = move || params.read().get("id").unwrap_or_default();
    view! {
        <PageTitle title=t.title.to_string() />
        <div class="gu-container">
            <p class="gu-no-print"><A href=Page::Dashboard.href() attr:class="gu-back-link">{t.back}</A></p>
            <Transition fallback=|| view! { <p class="gu-loading">{texts().site.loading}</p> }>
                {move || Suspend::new(async move {
                    let federation = federation.resource.await;
                    let member_id = member();
                    let source = federation.ok().and_then(|f| f.catalogue.member(&member_id).and_then(|m| m.api.as_ref().map(|api| (m.name.fr.clone(), api.as_str().trim_end_matches('/').to_owned()))));
                    match (auth.session.get(), source) {
                        (None, _) => view! { <h1>{texts().demande.title}</h1><SignInRequired /> }.into_any(),
                        (Some(_), None) => view! { <h1>{texts().demande.title}</h1><p>{texts().demande.unknown_member}</p> }.into_any(),
                        (Some(session), Some((name, api))) => view! { <DemandeLoader member=member_id name api id=id() account=account_key(&session.subject) /> }.into_any(),
                    }
                })}
            </Transition>
        </div>
    }
}

#[component]
fn DemandeLoader(
    member: String,
    name: String,
    api: String,
    id: String,
    account: String,
) -> impl IntoView {
    let client = expect_provider_client();
    let version = RwSignal::new(0u32);
    let url = format!("{api}/v1/demandes/{id}");
    let demande = LocalResource::new(move || {
        version.track();
        let url = url.clone();
        async move {
            match client
                .get_personal::<Demande>(&url, None, crate::providers::client_read_timeout())
                .await
            {
                Ok(Conditional::Fresh { value, .. }) => Ok(value),
                Ok(Conditional::NotModified) => Err(ProviderError::Status(304)),
                Err(e) => Err(e),
            }
        }
    });
    view! {
        <Transition fallback=|| view! { <p class="gu-loading">{texts().site.loading}</p> }>
            {move || {
                let (member, name, api, account) = (member.clone(), name.clone(), api.clone(), account.clone());
                Suspend::new(async move {
                    match demande.await {
                        Ok(d) => view! { <DemandeView demande=d member name api account version /> }.into_any(),
                        Err(ProviderError::Problem(p)) if p.status == 404 => view! { <h1>{texts().demande.title}</h1><p>{texts().demande.not_found}</p> }.into_any(),
                        Err(e) => view! {
                            <h1>{texts().demande.title}</h1>
                            <Notice kind=NoticeKind::Warning title=format!("{} : {}", name, texts().demande.unavailable)><p>{e.to_string()}</p></Notice>
                        }
                        .into_any(),
                    }
                })
            }}
        </Transition>
    }
}

#[component]
fn DemandeView(
    demande: Demande,
    member: String,
    name: String,
    api: String,
    account: String,
    version: RwSignal<u32>,
) -> impl IntoView {
    let t = &texts().demande;
    let tracking = expect_tracking();
    let summary = demande.summary.clone();
    // "New since your last visit": compared before marking it seen.
    let changed = tracking.all_rows.with_untracked(|rows| {
        rows.iter()
            .any(|r| r.member == member && r.demande.id == summary.id && r.changed)
    });
    tracking.mark_seen(&member, &summary);
    let history = demande.history.clone();
    let finished = summary.status.bucket.is_final();
    let docs_url = format!("{api}/v1/demandes/{}/documents", summary.id);
    view! {
        <h1>{summary.form_title.clone()}</h1>
        {changed.then(|| view! { <p><span class="gu-tag gu-tag--new">{t.new_marker}</span></p> })}
        <dl class="gu-summary-list">
            <div class="gu-summary-list__row"><dt>{t.reference}</dt><dd>{summary.reference.clone()}</dd></div>
            <div class="gu-summary-list__row"><dt>{t.provider}</dt><dd>{name.clone()}</dd></div>
            <div class="gu-summary-list__row"><dt>{texts().dashboard.status_filter}</dt><dd><StatusTag bucket=summary.status.bucket label=summary.status.label.clone() /></dd></div>
        </dl>
        {(!summary.expected.is_empty()).then(|| view! {
            <section class="gu-notice gu-notice--warning" aria-labelledby="attendu">
                <h2 id="attendu" class="gu-notice__title">{t.expected_heading}</h2>
                <ul>{summary.expected.iter().map(|e| view! { <li><strong>{e.label.clone()}</strong>{e.detail.clone().map(|d| format!(" — {d}"))}</li> }).collect_view()}</ul>
            </section>
        })}
        <section aria-labelledby="historique">
            <h2 id="historique">{t.timeline}</h2>
            <ol class="gu-timeline">
                {history.into_iter().rev().map(|h| view! {
                    <li class="gu-timeline__item">
                        <p class="gu-timeline__date">{date_in_words(&h.at)}</p>
                        <p><StatusTag bucket=h.bucket label=h.label /></p>
                        {h.comment.map(|c| view! { <p>{c}</p> })}
                    </li>
                }).collect_view()}
            </ol>
        </section>
        <section aria-labelledby="messages">
            <h2 id="messages">{t.messages}</h2>
            {if demande.messages.is_empty() {
                view! { <p>{t.no_messages}</p> }.into_any()
            } else {
                view! { <ul class="gu-messages">{demande.messages.into_iter().map(|m| view! { <MessageItem message=m docs_url=docs_url.clone() /> }).collect_view()}</ul> }.into_any()
            }}
        </section>
        <section aria-labelledby="documents">
            <h2 id="documents">{t.documents}</h2>
            {if demande.documents.is_empty() {
                view! { <p>{t.no_documents}</p> }.into_any()
            } else {
                view! { <ul class="gu-plain-list">{demande.documents.into_iter().map(|d| view! { <li><DocumentLink document=d docs_url=docs_url.clone() /></li> }).collect_view()}</ul> }.into_any()
            }}
        </section>
        {if finished {
            view! { <p>{t.closed}</p> }.into_any()
        } else {
            view! { <ReplyForm member api id=summary.id.clone() account expected=summary.expected.clone() version /> }.into_any()
        }}
    }
}

#[component]
fn MessageItem(message: Message, docs_url: String) -> impl IntoView {
    let t = &texts().demande;
    let from = match message.from {
        Author::Agent => t.from_agent,
        Author::Citizen => t.from_you,
    };
    view! {
        <li class="gu-message" class:gu-message--agent=message.from == Author::Agent>
            <p class="gu-message__meta"><strong>{from}</strong> " — " {datetime_in_words(&message.at)}</p>
            <p class="gu-message__body">{message.body}</p>
            {message.documents.into_iter().map(|d| view! { <p><DocumentLink document=d docs_url=docs_url.clone() /></p> }).collect_view()}
        </li>
    }
}

/// Downloads a document with the token (a plain link could not carry it).
#[component]
fn DocumentLink(document: DocumentRef, docs_url: String) -> impl IntoView {
    let client = expect_provider_client();
    let url = format!("{docs_url}/{}", document.id);
    let (name, content_type) = (document.name.clone(), document.content_type.clone());
    let error = RwSignal::new(None::<String>);
    let download = move |_| {
        let (url, name, content_type) = (url.clone(), name.clone(), content_type.clone());
        leptos::task::spawn_local(async move {
            match client.get_bytes(&url).await {
                Ok(bytes) => save_as(&bytes, &name, &content_type),
                Err(e) => error.set(Some(e.to_string())),
            }
        });
    };
    view! {
        <button type="button" class="gu-link-button" on:click=download>
            {texts().demande.download} " " {document.name.clone()} {format!(" ({})", human_size(document.size))}
        </button>
        {move || error.get().map(|e| view! { <span class="gu-field__error">{e}</span> })}
    }
}

fn save_as(bytes: &[u8], name: &str, content_type: &str) {
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(content_type);
    let Ok(blob) = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    let link = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.create_element("a").ok());
    if let Some(a) = link {
        let _ = a.set_attribute("href", &url);
        let _ = a.set_attribute("download", name);
        if let Ok(a) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(a) {
            a.click();
        }
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}
