//! `/mes-demarches`: every demande, from every collectivity, in one place — what needs the citizen
//! first; filters by status and collectivity; per-provider notices (failed, still loading, rows
//! that could not be read); drafts of this device apart. Opening the page asks again every
//! provider whose last answer is more than a few seconds old, so it is never behind the citizen.

use crate::auth::expect_auth;
use crate::components::PageTitle;
use crate::components::{Badge, BadgeKind, StatusBadge};
use crate::format::date_in_words;
use crate::format::datetime_in_words_ms;
use crate::i18n::texts;
use crate::pages::procedure::SignInRequired;
use crate::routes::Page;
use crate::state::device::expect_device_store;
use crate::state::drafts::Drafts;
use crate::state::tracking::{ProviderState, Row, expect_tracking, in_bucket};
use contract::StatusBucket;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

#[component]
pub fn DashboardPage() -> impl IntoView {
    let t = &texts().dashboard;
    let auth = expect_auth();
    view! {
        <PageTitle title=t.title.to_string() />
        <div class="gu-container">
            <h1>{t.title}</h1>
            {move || match auth.session.get() {
                None => view! { <SignInRequired /> }.into_any(),
                Some(session) => view! { <Dashboard account=session.account.clone() /> }.into_any(),
            }}
        </div>
    }
}

#[component]
fn Dashboard(account: String) -> impl IntoView {
    let t = &texts().dashboard;
    let tracking = expect_tracking();
    tracking.start();
    tracking.refresh_stale();
    let query = use_query_map();
    let bucket = move || {
        query
            .read()
            .get("etat")
            .and_then(|b| StatusBucket::from_id(&b))
    };
    let member = move || query.read().get("collectivite");
    let rows = tracking.all_rows;
    let shown = Memo::new(move |_| {
        let (bucket, member) = (bucket(), member());
        rows.get()
            .into_iter()
            .filter(|r| bucket.is_none_or(|b| in_bucket(r.demande.status.bucket, b)))
            .filter(|r| member.as_ref().is_none_or(|m| &r.member == m))
            .collect::<Vec<_>>()
    });
    let notices = move || {
        let sources = tracking.sources.get();
        tracking.states.with(|states| {
            sources
                .into_iter()
                .filter_map(|source| {
                    let state = states.get(&source.member).cloned();
                    let t = &texts().dashboard;
                    match state {
                        Some(ProviderState::Failed(e)) => {
                            let member = source.member.clone();
                            Some(view! {
                                <div class="gu-notice gu-notice--warning gu-provider-notice" role="status" data-member=source.member.clone()>
                                    <p class="gu-notice__title">{source.name.clone()} " : " {t.failed}</p>
                                    <p>{e.to_string()}</p>
                                    <p>{t.others_fine}</p>
                                    <button type="button" class="gu-button gu-button--secondary" on:click=move |_| tracking.refresh(&member)>{t.retry} <span class="gu-visually-hidden">{format!(" — {}", source.name)}</span></button>
                                </div>
                            }
                            .into_any())
                        }
                        Some(ProviderState::Pending) | None => Some(view! {
                            <p class="gu-pending" role="status" data-member=source.member.clone()>{source.name.clone()} " — " {t.pending}</p>
                        }
                        .into_any()),
                        Some(ProviderState::Loaded { dropped: 0, .. }) => None,
                        Some(ProviderState::Loaded { dropped, .. }) => Some(view! {
                            <div class="gu-notice gu-notice--warning gu-provider-notice" role="status" data-member=source.member.clone()>
                                <p class="gu-notice__title">{source.name.clone()} " : " {t.dropped(dropped)}</p>
                                <p>{t.dropped_help}</p>
                            </div>
                        }
                        .into_any()),
                    }
                })
                .collect_view()
        })
    };
    let filters = move || {
        let t = &texts().dashboard;
        let current_bucket = bucket();
        let current_member = member();
        let link = |b: Option<StatusBucket>, m: Option<String>| {
            let mut params = Vec::new();
            if let Some(b) = b {
                params.push(format!("etat={}", b.id()));
            }
            if let Some(m) = m {
                params.push(format!("collectivite={m}"));
            }
            if params.is_empty() {
                Page::Dashboard.href()
            } else {
                format!("{}?{}", Page::Dashboard.href(), params.join("&"))
            }
        };
        let all = rows.read();
        let buckets = std::iter::once(None).chain(StatusBucket::ALL.into_iter().map(Some)).filter_map(|b| {
            let n = all.iter().filter(|r| b.is_none_or(|b| in_bucket(r.demande.status.bucket, b))).count();
            (b.is_none() || n > 0).then(|| {
                let label = b.map_or(t.all_statuses, |b| b.label_fr());
                view! { <li><A href=link(b, current_member.clone()) attr:class="gu-filter" attr:aria-current=(b == current_bucket).then_some("true")>{label} <span class="gu-filter__count">{format!("({n})")}</span></A></li> }
            })
        }).collect_view();
        let sources = tracking.sources.get();
        let members = std::iter::once(None).chain(sources.into_iter().map(Some)).filter_map(|s| {
            let n = all.iter().filter(|r| s.as_ref().is_none_or(|s| r.member == s.member)).count();
            (s.is_none() || n > 0).then(|| {
                let id = s.as_ref().map(|s| s.member.clone());
                let label = s.as_ref().map_or_else(|| t.all_members.to_owned(), |s| s.name.clone());
                let current = id == current_member;
                view! { <li><A href=link(current_bucket, id) attr:class="gu-filter" attr:aria-current=current.then_some("true")>{label} <span class="gu-filter__count">{format!("({n})")}</span></A></li> }
            })
        }).collect_view();
        view! {
            <nav class="gu-filters" aria-label=t.filters>
                <div class="gu-filters__group"><h2 class="gu-filters__title">{t.status_filter}</h2><ul>{buckets}</ul></div>
                <div class="gu-filters__group"><h2 class="gu-filters__title">{t.member_filter}</h2><ul>{members}</ul></div>
            </nav>
        }
    };
    let drafts = Drafts::new(expect_device_store());
    let account_for_drafts = account.clone();
    view! {
        <p>{t.intro}</p>
        <div>{notices}</div>
        {filters}
        <section aria-labelledby="liste-demarches">
            <h2 id="liste-demarches">{move || texts().dashboard.count(shown.with(Vec::len))}</h2>
            // Keyed: when one more provider answers, only its rows are created; the others stay.
            <Show
                when=move || shown.with(|list| !list.is_empty())
                fallback=move || {
                    let empty = if rows.with(Vec::is_empty) { texts().dashboard.empty } else { texts().dashboard.no_match };
                    view! { <p>{empty}</p> }
                }
            >
                <ul class="gu-demandes">
                    <For each=move || shown.get() key=row_key let:row>
                        <DemandeRow row />
                    </For>
                </ul>
            </Show>
        </section>
        {move || {
            let list = drafts.list(&account_for_drafts);
            (!list.is_empty()).then(|| {
                let t = &texts().dashboard;
                view! {
                    <section aria-labelledby="brouillons-liste">
                        <h2 id="brouillons-liste">{t.drafts_heading}</h2>
                        <p class="gu-hint">{crate::kiosk::device_text(t.drafts_intro, texts().kiosk.drafts_intro)}</p>
                        <ul class="gu-task-list">
                            {list.into_iter().map(|d| view! {
                                <li class="gu-task-list__item">
                                    <span class="gu-task-list__name">{d.service_title.clone()}</span>
                                    <span class="gu-task-list__meta">{datetime_in_words_ms(d.updated_at)}</span>
                                    <A href=Page::Procedure(d.service_id.clone()).href() attr:class="gu-button">{texts().account.resume}</A>
                                </li>
                            }).collect_view()}
                        </ul>
                    </section>
                }
            })
        }}
    }
}

/// What identifies a row's rendering: the demande, and what changes how it is shown.
fn row_key(row: &Row) -> (String, String, String, bool) {
    (
        row.member.clone(),
        row.demande.id.clone(),
        row.demande.updated_at.clone(),
        row.changed,
    )
}

#[component]
fn DemandeRow(row: Row) -> impl IntoView {
    let t = &texts().dashboard;
    let d = row.demande;
    let href = Page::Demande {
        member: row.member.clone(),
        id: d.id.clone(),
    }
    .href();
    let expected: Vec<String> = d.expected.iter().map(|e| e.label.clone()).collect();
    view! {
        <li class="gu-demande" class:gu-demande--action=d.status.bucket == StatusBucket::ActionRequired>
            <h3 class="gu-demande__title">
                <A href=href>{d.form_title.clone()}</A>
                {row.changed.then(|| view! { " " <Badge kind=BadgeKind::New>{t.new_marker}</Badge> })}
            </h3>
            <p class="gu-demande__meta">{row.member_name.clone()} " — " {t.reference} " " {d.reference.clone()}</p>
            <p><StatusBadge bucket=d.status.bucket label=d.status.label.clone() /></p>
            {(!expected.is_empty()).then(|| view! { <p><strong>{t.expected}</strong> " " {expected.join(", ")}</p> })}
            <p class="gu-hint">{t.updated} " " {date_in_words(&d.updated_at)}</p>
        </li>
    }
}
