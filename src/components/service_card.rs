//! One service in a list: its title (a link to its page), summary, and what matters at a glance
//! (online or not, cost, delay) as text tags.

use super::{Badge, BadgeKind};
use crate::i18n::texts;
use crate::routes::Page;
use catalogue::Service;
use leptos::prelude::*;
use leptos_router::components::A;
use std::ops::Range;

/// Text with some ranges marked (search highlights), rendered as text nodes and `<mark>`.
pub fn highlighted(text: &str, ranges: &[Range<usize>]) -> impl IntoView + use<> {
    let mut pieces = Vec::new();
    let mut at = 0;
    let mut sorted: Vec<Range<usize>> = ranges
        .iter()
        .filter(|r| r.end <= text.len() && r.start >= at)
        .cloned()
        .collect();
    sorted.sort_by_key(|r| r.start);
    for r in sorted {
        if r.start < at || !text.is_char_boundary(r.start) || !text.is_char_boundary(r.end) {
            continue;
        }
        if r.start > at {
            pieces.push((text[at..r.start].to_owned(), false));
        }
        pieces.push((text[r.clone()].to_owned(), true));
        at = r.end;
    }
    if at < text.len() {
        pieces.push((text[at..].to_owned(), false));
    }
    pieces
        .into_iter()
        .map(|(piece, marked)| {
            if marked {
                view! { <mark>{piece}</mark> }.into_any()
            } else {
                piece.into_any()
            }
        })
        .collect_view()
}

#[component]
pub fn ServiceCard(
    service: Service,
    /// Search highlights in the title and summary.
    #[prop(optional)]
    title_marks: Vec<Range<usize>>,
    #[prop(optional)] summary_marks: Vec<Range<usize>>,
    /// Shown under the title when the card is a search hit ("trouvé dans : mots-clés").
    #[prop(optional, into)]
    why: Option<String>,
) -> impl IntoView {
    let t = &texts().commune;
    let online = service.form().is_some();
    let cost = service.cost.map(|c| c.to_string());
    let delay = service.processing_time.map(|d| d.to_words_fr());
    view! {
        <li class="gu-card">
            <h3 class="gu-card__title">
                <A href=Page::Service(service.id.clone()).href()>{highlighted(&service.title.fr, &title_marks)}</A>
            </h3>
            <p class="gu-card__summary">{highlighted(&service.summary.fr, &summary_marks)}</p>
            {why.map(|w| view! { <p class="gu-card__why">{w}</p> })}
            <p class="gu-card__tags">
                {online.then(|| view! { <Badge kind=BadgeKind::Info>{t.online}</Badge> })}
                {cost.map(|c| view! { <Badge kind=BadgeKind::Neutral>{c}</Badge> })}
                {delay.map(|d| view! { <Badge kind=BadgeKind::Neutral>{d}</Badge> })}
            </p>
        </li>
    }
}
