//! "Mes services": everything that applies where the citizen lives, level by level, browsable by
//! theme and by life event (filters are URL parameters, so they can be shared and go back), and
//! searchable.

use crate::components::load_errors::LoadErrors;
use crate::components::search_box::{ALL_SERVICES_ID, SearchBox};
use crate::components::service_card::ServiceCard;
use crate::components::{Badge, BadgeKind, Notice, NoticeKind, PageTitle};
use crate::i18n::texts;
use crate::routes::Page;
use crate::state::federation::{Federation, expect_federation};
use crate::state::territory::{ChosenCommune, IndexState, expect_territory};
use catalogue::coverage::{Coverage, coverage};
use catalogue::labels::{Category, LifeEvent};
use catalogue::territory::CommuneInfo;
use catalogue::{MemberKind, Service, Territory};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};
use std::sync::Arc;

#[component]
pub fn CommunePage() -> impl IntoView {
    let params = use_params_map();
    let federation = expect_federation();
    let territory = expect_territory();
    territory.want();
    let code = move || params.read().get("insee").unwrap_or_default();
    view! {
        <div class="gu-container">
            <Transition fallback=|| view! { <p class="gu-loading">{texts().commune.loading_territory}</p> }>
                <ErrorBoundary fallback=|errors| view! { <LoadErrors errors /> }>
                    {move || Suspend::new(async move {
                        let federation = federation.resource.await?;
                        Ok::<_, leptos::error::Error>(move || match territory.index.get() {
                            IndexState::Ready(index) => view! { <CommuneServices federation=Arc::clone(&federation) index code=code() /> }.into_any(),
                            IndexState::Failed(e) => view! {
                                <Notice kind=NoticeKind::Error title=texts().chooser.load_failed><p>{e.to_string()}</p></Notice>
                            }.into_any(),
                            _ => view! { <p class="gu-loading">{texts().commune.loading_territory}</p> }.into_any(),
                        })
                    })}
                </ErrorBoundary>
            </Transition>
        </div>
    }
}

/// The heading of a level: "Ma commune", "Ma communauté de communes"…
fn level_label(kind: MemberKind, info: &CommuneInfo<'_>) -> &'static str {
    let t = &texts().commune;
    match (kind, info.epci.map(|e| e.kind.as_str())) {
        (MemberKind::Epci, Some("CC")) => t.epci_cc,
        (MemberKind::Epci, Some("CA")) => t.epci_ca,
        (MemberKind::Epci, Some("CU")) => t.epci_cu,
        (MemberKind::Epci, Some("METRO" | "MET69")) => t.epci_metropole,
        (kind, _) => kind.level_label_fr(),
    }
}

/// The territory's own name at a level (whether or not it is on this guichet).
fn territory_name(kind: MemberKind, info: &CommuneInfo<'_>) -> Option<String> {
    match kind {
        MemberKind::Commune => Some(info.commune.name.clone()),
        MemberKind::Epci => info.epci.map(|e| e.name.clone()),
        MemberKind::Departement => info.departement.map(|d| d.name.clone()),
        MemberKind::Region => info.region.map(|r| r.name.clone()),
    }
}

fn filtered<'s>(
    services: &[&'s Service],
    theme: Option<Category>,
    event: Option<LifeEvent>,
) -> Vec<&'s Service> {
    services
        .iter()
        .copied()
        .filter(|s| theme.is_none_or(|t| s.category == t))
        .filter(|s| event.is_none_or(|e| s.life_events.contains(&e)))
        .collect()
}

#[component]
fn CommuneServices(
    federation: Arc<Federation>,
    index: Arc<Territory>,
    code: String,
) -> impl IntoView {
    let t = &texts().commune;
    let territory = expect_territory();
    let Some(cov) = coverage(&federation.catalogue, &index, &code) else {
        return view! {
            <PageTitle title=t.unknown_commune_title.to_string() />
            <h1>{t.unknown_commune_title}</h1>
            <p>{t.unknown_commune_body}</p>
            <p><A href=Page::Home.href() attr:class="gu-button">{texts().chooser.change}</A></p>
        }
        .into_any();
    };
    // Remember this commune (a deep link counts as a choice).
    let chosen = ChosenCommune {
        code: cov.commune.commune.code.clone(),
        name: cov.commune.commune.name.clone(),
    };
    if territory.chosen.get_untracked().as_ref() != Some(&chosen) {
        territory.choose(chosen);
    }
    let commune = cov.commune.commune;
    let title = format!(
        "{} {} ({})",
        t.title_prefix,
        commune.name,
        commune.postcodes.first().cloned().unwrap_or_default()
    );
    let local: Arc<Vec<bool>> = Arc::new(
        federation
            .catalogue
            .services
            .iter()
            .map(|s| cov.services().any(|c| c.id == s.id))
            .collect(),
    );
    let levels = levels_overview(&cov);
    let problems = problems_here(&cov);
    let uncovered = cov.is_uncovered();
    let sections = level_sections(&cov, &code);
    view! {
        <PageTitle title=title.clone() />
        <h1>{title}</h1>
        {problems}
        {levels}
        {if uncovered {
            view! {
                <Notice kind=NoticeKind::Info title=t.uncovered_title>
                    <p>{t.uncovered_body}</p>
                </Notice>
            }
            .into_any()
        } else {
            view! {
                <SearchBox federation=Arc::clone(&federation) local />
                {sections}
            }
            .into_any()
        }}
    }
    .into_any()
}

/// "Vos collectivités": the four levels, whether each is on this guichet.
fn levels_overview(cov: &Coverage<'_, '_>) -> impl IntoView + use<> {
    let t = &texts().commune;
    let rows: Vec<(String, String, bool)> = cov
        .levels
        .iter()
        .filter_map(|level| {
            let name = territory_name(level.kind, &cov.commune)?;
            let on_guichet = !level.members.is_empty();
            Some((
                level_label(level.kind, &cov.commune).to_owned(),
                name,
                on_guichet,
            ))
        })
        .collect();
    view! {
        <section class="gu-levels" aria-labelledby="levels-heading">
            <h2 id="levels-heading" class="gu-levels__title">{t.levels_heading}</h2>
            <ul class="gu-levels__list">
                {rows
                    .into_iter()
                    .map(|(label, name, on)| {
                        let (kind, status) = if on { (BadgeKind::Success, t.level_covered) } else { (BadgeKind::Neutral, t.level_not_covered) };
                        view! { <li><strong>{label}</strong> " : " {name} " " <Badge kind>{status}</Badge></li> }
                    })
                    .collect_view()}
            </ul>
        </section>
    }
}

/// Discreet notices for members here whose own catalogue is on its way or could not be loaded.
fn problems_here(cov: &Coverage<'_, '_>) -> impl IntoView + use<> {
    let here: Vec<String> = cov
        .levels
        .iter()
        .flat_map(|l| l.members.iter().map(|(m, _)| m.id.clone()))
        .collect();
    view! { <crate::components::load_errors::MemberProblems members=here /> }
}

/// Filters and the services of each covered level.
fn level_sections(cov: &Coverage<'_, '_>, code: &str) -> impl IntoView + use<> {
    let query = use_query_map();
    let all: Vec<Service> = cov.services().cloned().collect();
    let levels: Vec<(String, String, Vec<Service>)> = cov
        .levels
        .iter()
        .flat_map(|level| {
            let label = level_label(level.kind, &cov.commune);
            level.members.iter().map(move |(member, services)| {
                (
                    label.to_owned(),
                    member.name.fr.clone(),
                    services.iter().map(|s| (*s).clone()).collect::<Vec<_>>(),
                )
            })
        })
        .collect();
    let code = code.to_owned();
    move || {
        let t = &texts().commune;
        let theme = query
            .read()
            .get("theme")
            .and_then(|id| Category::from_id(&id));
        let event = query
            .read()
            .get("situation")
            .and_then(|id| LifeEvent::from_id(&id));
        let refs: Vec<&Service> = all.iter().collect();
        let base = Page::Commune(code.clone()).href();
        let link = |key: &str, value: Option<&str>, other: Option<(&str, &str)>| {
            let mut params: Vec<String> = Vec::new();
            if let Some(v) = value {
                params.push(format!("{key}={v}"));
            }
            if let Some((k, v)) = other {
                params.push(format!("{k}={v}"));
            }
            if params.is_empty() {
                base.clone()
            } else {
                format!("{base}?{}", params.join("&"))
            }
        };
        let event_param = event.map(|e| ("situation", e.id()));
        let theme_param = theme.map(|c| ("theme", c.id()));
        let theme_links = std::iter::once((None, t.all_themes.to_owned(), filtered(&refs, None, event).len()))
            .chain(Category::ALL.iter().map(|c| (Some(*c), c.label_fr().to_owned(), filtered(&refs, Some(*c), event).len())))
            .filter(|(c, _, n)| c.is_none() || *n > 0)
            .map(|(c, label, n)| {
                let current = c == theme;
                view! { <li><A href=link("theme", c.map(Category::id), event_param) attr:aria-current=current.then_some("true") attr:class="gu-filter">{label} <span class="gu-filter__count">{format!("({n})")}</span></A></li> }
            })
            .collect_view();
        let event_links = std::iter::once((None, t.all_events.to_owned(), filtered(&refs, theme, None).len()))
            .chain(LifeEvent::ALL.iter().map(|e| (Some(*e), e.label_fr().to_owned(), filtered(&refs, theme, Some(*e)).len())))
            .filter(|(e, _, n)| e.is_none() || *n > 0)
            .map(|(e, label, n)| {
                let current = e == event;
                view! { <li><A href=link("situation", e.map(LifeEvent::id), theme_param) attr:aria-current=current.then_some("true") attr:class="gu-filter">{label} <span class="gu-filter__count">{format!("({n})")}</span></A></li> }
            })
            .collect_view();
        let sections = levels
            .iter()
            .map(|(label, member, services)| {
                let refs: Vec<&Service> = services.iter().collect();
                let shown = filtered(&refs, theme, event);
                let heading = format!("{label} — {member}");
                let count = t.services_count(shown.len());
                let cards = shown.into_iter().map(|s| view! { <ServiceCard service=s.clone() /> }).collect_view();
                view! {
                    <section class="gu-level">
                        <h2>{heading} " " <span class="gu-level__count">{format!("({count})")}</span></h2>
                        <ul class="gu-cards">{cards}</ul>
                    </section>
                }
            })
            .collect_view();
        view! {
            <nav class="gu-filters" aria-label=t.filters_heading>
                <h2 class="gu-filters__title">{t.filters_heading}</h2>
                <div class="gu-filters__group">
                    <h3>{t.themes_legend}</h3>
                    <ul>{theme_links}</ul>
                </div>
                <div class="gu-filters__group">
                    <h3>{t.events_legend}</h3>
                    <ul>{event_links}</ul>
                </div>
            </nav>
            // Search (helper "search"): "Voir tous les services de ma commune" brings the focus here.
            <div id=ALL_SERVICES_ID tabindex="-1">{sections}</div>
        }
    }
}
