//! A service's page: what it is, what it costs and takes, what to prepare, every way to do it,
//! who provides it and where to get help. Printable.

use crate::components::contact::ContactDetails;
use crate::components::load_errors::LoadErrors;
use crate::components::markdown::Markdown;
use crate::components::{BackLink, Badge, BadgeKind, PageTitle, PrintButton, PublicUrl, QrCode};
use crate::i18n::texts;
use crate::routes::Page;
use crate::state::federation::{Federation, expect_federation};
use crate::state::site::LoadedSite;
use crate::state::territory::expect_territory;
use catalogue::model::{HelpDesk, Member};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use std::sync::Arc;

#[component]
pub fn ServicePage() -> impl IntoView {
    let params = use_params_map();
    let federation = expect_federation();
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
                        Ok::<_, leptos::error::Error>(view! { <ServiceDetails federation id=id() /> })
                    })}
                </ErrorBoundary>
            </Transition>
        </div>
    }
}

/// Help desks to show: France services houses and counters of the members serving the citizen's
/// commune when it is known, else those near the service's member (see `help_desks_near`).
fn help_desks(federation: &Federation, member: &Member) -> Vec<(String, HelpDesk)> {
    let territory = expect_territory();
    let chosen = territory.chosen.get_untracked();
    let index = territory.loaded();
    let mut desks: Vec<(String, HelpDesk)> = match (chosen, index) {
        (Some(chosen), Some(index)) => {
            catalogue::coverage::coverage(&federation.catalogue, &index, &chosen.code)
                .map(|cov| {
                    cov.levels
                        .iter()
                        .flat_map(|l| {
                            l.members.iter().flat_map(|(m, _)| {
                                m.help_desks.iter().map(|d| (m.name.fr.clone(), d.clone()))
                            })
                        })
                        .collect()
                })
                .unwrap_or_default()
        }
        _ => catalogue::coverage::help_desks_near(&federation.catalogue, member)
            .into_iter()
            .map(|(m, d)| (m.name.fr.clone(), d.clone()))
            .collect(),
    };
    desks.sort_by_key(|(_, d)| !d.france_services);
    desks
}

#[component]
fn ServiceDetails(federation: Arc<Federation>, id: String) -> impl IntoView {
    let t = &texts().service;
    let Some(service) = federation.catalogue.service(&id).cloned() else {
        let member = id
            .split_once('/')
            .map(|(m, _)| m.to_owned())
            .unwrap_or_default();
        return view! {
            <PageTitle title=t.not_found_title.to_string() />
            <h1>{t.not_found_title}</h1>
            <crate::components::load_errors::ServiceMissing member />
            <p><A href=Page::Home.href()>{texts().not_found.back_home}</A></p>
        }
        .into_any();
    };
    let Some(member) = federation.catalogue.member(&service.member).cloned() else {
        return view! { <p>{t.not_found_body}</p> }.into_any();
    };
    let kiosk = use_context::<LoadedSite>().is_some_and(|s| s.config.kiosk.enabled);
    let territory = expect_territory();
    let back = territory
        .chosen
        .get_untracked()
        .map(|c| Page::Commune(c.code).href());
    let desks = help_desks(&federation, &member);
    let counter_address = service
        .channels
        .counter
        .as_ref()
        .and_then(|c| c.address.clone())
        .or_else(|| member.contact.address.clone());
    let counter_hours = service
        .channels
        .counter
        .as_ref()
        .map(|c| {
            if c.hours.is_empty() {
                member.contact.hours.clone()
            } else {
                c.hours.clone()
            }
        })
        .unwrap_or_default();
    let facts: Vec<(&'static str, String)> = [
        (
            t.cost,
            service.cost.map(|c| match &service.cost_note {
                Some(note) => format!("{c}. {note}"),
                None => c.to_string(),
            }),
        ),
        (t.delay, service.processing_time.map(|d| d.to_words_fr())),
        (t.output, service.output.clone()),
        (
            t.who,
            service.eligibility.as_ref().and_then(|e| e.note.clone()),
        ),
    ]
    .into_iter()
    .filter_map(|(k, v)| v.map(|v| (k, v)))
    .collect();
    let qr = kiosk.then(|| {
        PublicUrl::of_page(
            &crate::browser::current_origin(),
            &Page::Service(service.id.clone()).href(),
        )
    });
    view! {
        <PageTitle title=service.title.fr.clone() />
        {back.map(|href| view! { <BackLink href>{t.back_to_services}</BackLink> })}
        <h1>{service.title.fr.clone()}</h1>
        <p class="gu-lead">{service.summary.fr.clone()}</p>
        <p>{t.provided_by} " " <strong>{member.name.fr.clone()}</strong></p>
        <dl class="gu-summary-list">
            {facts.into_iter().map(|(k, v)| view! { <div class="gu-summary-list__row"><dt>{k}</dt><dd>{v}</dd></div> }).collect_view()}
        </dl>
        <div class="gu-prose"><Markdown blocks=service.description_blocks.clone() /></div>
        {(!service.evidence.is_empty()).then(|| view! {
            <section aria-labelledby="pieces">
                <h2 id="pieces">{t.evidence_heading}</h2>
                <p class="gu-hint">{t.evidence_hint}</p>
                <ul class="gu-checklist">
                    {service.evidence.iter().enumerate().map(|(i, e)| {
                        let id = format!("piece-{i}");
                        view! { <li class="gu-checkbox"><input type="checkbox" class="gu-checkbox__input" id=id.clone() /><label class="gu-checkbox__label" for=id>{e.clone()}</label></li> }
                    }).collect_view()}
                </ul>
            </section>
        })}
        <section aria-labelledby="canaux">
            <h2 id="canaux">{t.channels_heading}</h2>
            {service.form().map(|_| view! {
                <div class="gu-channel">
                    <h3>{t.online_heading}</h3>
                    <p><A href=Page::Procedure(service.id.clone()).href() attr:class="gu-button gu-button--start">{t.online_button}</A></p>
                </div>
            })}
            {service.channels.counter.clone().map(|c| view! {
                <div class="gu-channel">
                    <h3>{t.counter_heading}</h3>
                    {counter_address.map(|a| view! { <p>{a}</p> })}
                    {c.appointment.then(|| view! { <p>{t.appointment}</p> })}
                    {c.note.map(|n| view! { <p>{n}</p> })}
                    {(!counter_hours.is_empty()).then(|| view! { <ul class="gu-plain-list">{counter_hours.into_iter().map(|h| view! { <li>{h}</li> }).collect_view()}</ul> })}
                </div>
            })}
            {service.channels.phone.clone().map(|p| view! {
                <div class="gu-channel">
                    <h3>{t.phone_heading}</h3>
                    <p><a href=p.number.tel_uri()>{p.number.to_string()}</a></p>
                    <ul class="gu-plain-list">{p.hours.into_iter().map(|h| view! { <li>{h}</li> }).collect_view()}</ul>
                </div>
            })}
            {service.channels.mail.clone().map(|m| view! {
                <div class="gu-channel">
                    <h3>{t.mail_heading}</h3>
                    <p>{m.address}</p>
                </div>
            })}
        </section>
        {(!desks.is_empty()).then(|| view! {
            <section aria-labelledby="aide">
                <h2 id="aide">{t.help_heading}</h2>
                <p>{t.help_intro}</p>
                {desks.into_iter().map(|(_, d)| view! {
                    <div class="gu-channel">
                        <h3>{d.name.clone()} {d.france_services.then(|| view! { " " <Badge kind=BadgeKind::Info>{t.france_services}</Badge> })}</h3>
                        <ContactDetails contact=d.contact.clone() />
                    </div>
                }).collect_view()}
            </section>
        })}
        <section aria-labelledby="contact">
            <h2 id="contact">{t.contact_heading}</h2>
            <h3>{member.name.fr.clone()}</h3>
            <ContactDetails contact=member.contact.clone() />
            {member.website.clone().map(|w| view! { <p><a href=w.as_str().to_owned()>{t.website} " — " {w.as_str().to_owned()}</a></p> })}
            {service.more_info.clone().map(|u| view! { <p><a href=u.as_str().to_owned()>{t.more_info} " — " {u.as_str().to_owned()}</a></p> })}
        </section>
        {qr.map(|url| view! {
            <section class="gu-handoff" aria-labelledby="telephone">
                <h2 id="telephone">{t.send_to_phone}</h2>
                <p>{t.send_to_phone_hint}</p>
                <QrCode url label=t.qr_label />
            </section>
        })}
        <PrintButton>{t.print}</PrintButton>
    }
    .into_any()
}
