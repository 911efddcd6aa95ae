//! `/mes-demarches/<member>/<id>`: one demande — its timeline, messages, documents, what is
//! expected — and the reply form, with the same no-loss and idempotency rules as a submission.
//! Reached from the dashboard or from a receipt's QR code on another device (after sign-in).
//!
//! The id comes from the address bar: it is validated and encoded as one path segment before
//! anything is sent (`providers::endpoint`). Opening a demande updates its row in Mes démarches.
//! Documents are fetched with the citizen's credentials; on a kiosk they are never downloaded to
//! the shared machine — printed, or handed over to the citizen's phone by a QR code of this page.

use crate::auth::expect_auth;
use crate::components::{BackLink, Badge, BadgeKind, StatusBadge};
use crate::components::{Notice, NoticeKind, PageTitle, PublicUrl, QrCode};
use crate::format::{date_in_words, datetime_in_words};
use crate::i18n::texts;
use crate::pages::procedure::{ReplyForm, SignInRequired};
use crate::providers::{Conditional, ProviderError, endpoint, expect_provider_client, limits};
use crate::routes::Page;
use crate::state::federation::expect_federation;
use crate::state::site::LoadedSite;
use crate::state::tracking::expect_tracking;
use contract::demande::Author;
use contract::validation::human_size;
use contract::{Demande, DocumentRef, Message};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

mod document_output;

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
            <BackLink href=Page::Dashboard.href()>{t.back}</BackLink>
            <Transition fallback=|| view! { <p class="gu-loading">{texts().site.loading}</p> }>
                {move || Suspend::new(async move {
                    let federation = federation.resource.await;
                    let member_id = member();
                    let source = federation.ok().and_then(|f| f.catalogue.member(&member_id).and_then(|m| m.api.as_ref().map(|api| (m.name.fr.clone(), api.as_str().trim_end_matches('/').to_owned()))));
                    match (auth.session.get(), source) {
                        (None, _) => view! { <h1>{texts().demande.title}</h1><SignInRequired /> }.into_any(),
                        (Some(_), None) => view! { <h1>{texts().demande.title}</h1><p>{texts().demande.unknown_member}</p> }.into_any(),
                        (Some(session), Some((name, api))) => view! { <DemandeLoader member=member_id name api id=id() account=session.account.clone() /> }.into_any(),
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
    let Ok(url) = endpoint::demande(&api, &id) else {
        // A hostile or mistyped link: nothing is sent anywhere.
        return view! {
            <h1>{texts().demande.title}</h1>
            <Notice kind=NoticeKind::Warning title=texts().demande.not_found><p>{ProviderError::InvalidId.to_string()}</p></Notice>
        }
        .into_any();
    };
    let demande = LocalResource::new(move || {
        version.track();
        let url = url.clone();
        async move {
            match client
                .get_personal::<Demande>(&url, None, limits::DEMANDE)
                .await
            {
                // The id is put in the URLs of its documents and replies.
                Ok(Conditional::Fresh { value, .. })
                    if endpoint::segment(&value.summary.id).is_ok() =>
                {
                    Ok(value)
                }
                Ok(Conditional::Fresh { .. }) => Err(ProviderError::Undecodable("id".into())),
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
    .into_any()
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
    tracking.record_read(&member, &summary);
    let history = demande.history.clone();
    let finished = summary.status.bucket.is_final();
    let docs = Docs {
        api: api.clone(),
        demande: summary.id.clone(),
    };
    let kiosk = use_context::<LoadedSite>().is_some_and(|s| s.config.kiosk.enabled);
    let handoff = PublicUrl::of_page(
        &crate::browser::current_origin(),
        &Page::Demande {
            member: member.clone(),
            id: summary.id.clone(),
        }
        .href(),
    );
    view! {
        <h1>{summary.form_title.clone()}</h1>
        {changed.then(|| view! { <p><Badge kind=BadgeKind::New>{t.new_marker}</Badge></p> })}
        <dl class="gu-summary-list">
            <div class="gu-summary-list__row"><dt>{t.reference}</dt><dd>{summary.reference.clone()}</dd></div>
            <div class="gu-summary-list__row"><dt>{t.provider}</dt><dd>{name.clone()}</dd></div>
            <div class="gu-summary-list__row"><dt>{texts().dashboard.status_filter}</dt><dd><StatusBadge bucket=summary.status.bucket label=summary.status.label.clone() /></dd></div>
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
                        <p><StatusBadge bucket=h.bucket label=h.label /></p>
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
                view! { <ul class="gu-messages">{demande.messages.into_iter().map(|m| view! { <MessageItem message=m docs=docs.clone() kiosk /> }).collect_view()}</ul> }.into_any()
            }}
        </section>
        <section aria-labelledby="documents">
            <h2 id="documents">{t.documents}</h2>
            {if demande.documents.is_empty() {
                view! { <p>{t.no_documents}</p> }.into_any()
            } else {
                view! { <ul class="gu-plain-list">{demande.documents.into_iter().map(|d| view! { <li><DocumentLink document=d docs=docs.clone() kiosk /></li> }).collect_view()}</ul> }.into_any()
            }}
            {kiosk.then(|| view! {
                <div class="gu-handoff">
                    <p>{t.kiosk_documents}</p>
                    <QrCode url=handoff label=t.kiosk_qr_label />
                </div>
            })}
        </section>
        {if finished {
            view! { <p>{t.closed}</p> }.into_any()
        } else {
            view! { <ReplyForm member api id=summary.id.clone() account expected=summary.expected.clone() version /> }.into_any()
        }}
    }
}

#[component]
fn MessageItem(message: Message, docs: Docs, kiosk: bool) -> impl IntoView {
    let t = &texts().demande;
    let from = match message.from {
        Author::Agent => t.from_agent,
        Author::Citizen => t.from_you,
    };
    view! {
        <li class="gu-message" class:gu-message--agent=message.from == Author::Agent>
            <p class="gu-message__meta"><strong>{from}</strong> " — " {datetime_in_words(&message.at)}</p>
            <p class="gu-message__body">{message.body}</p>
            {message.documents.into_iter().map(|d| view! { <p><DocumentLink document=d docs=docs.clone() kiosk /></p> }).collect_view()}
        </li>
    }
}

/// Where a demande's documents are.
#[derive(Clone, Debug)]
struct Docs {
    api: String,
    demande: String,
}

/// A document, fetched with the citizen's credentials (a plain link could not carry them), within
/// the size its demande declares: saved on the citizen's device, or printed on a kiosk.
#[component]
fn DocumentLink(document: DocumentRef, docs: Docs, kiosk: bool) -> impl IntoView {
    let client = expect_provider_client();
    let url = endpoint::document(&docs.api, &docs.demande, &document.id);
    let limits = limits::document(document.size);
    let (name, content_type) = (document.name.clone(), document.content_type.clone());
    let error = RwSignal::new(None::<String>);
    let fetch = move |_| {
        let (url, name, content_type) = (url.clone(), name.clone(), content_type.clone());
        leptos::task::spawn_local(async move {
            let fetched = match url {
                Ok(url) => client.get_bytes(&url, limits).await,
                Err(_) => Err(ProviderError::InvalidId),
            };
            match fetched {
                Ok(bytes) if kiosk => {
                    if !document_output::print(&bytes, &content_type) {
                        error.set(Some(texts().demande.cannot_print.to_owned()));
                    }
                }
                Ok(bytes) => document_output::save_as(&bytes, &name),
                Err(e) => error.set(Some(e.to_string())),
            }
        });
    };
    let action = if kiosk {
        texts().demande.print
    } else {
        texts().demande.download
    };
    view! {
        <button type="button" class="gu-link-button" on:click=fetch>
            {action} " " {document.name.clone()} {format!(" ({})", human_size(document.size))}
        </button>
        {move || error.get().map(|e| view! { <span class="gu-field__error">{e}</span> })}
    }
}
