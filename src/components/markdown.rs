//! Renders the catalogue's safe Markdown subset — already parsed into a tree by the core crate —
//! as DOM nodes. There is no HTML string anywhere, so a description cannot inject markup; links are
//! the `https:` ones the parser accepted, and open normally.

use catalogue::values::markdown::{Block, Inline};
use leptos::prelude::*;

fn inline(items: &[Inline]) -> impl IntoView + use<> {
    items
        .iter()
        .map(|i| match i {
            Inline::Text(t) => t.clone().into_any(),
            Inline::Emphasis(t) => view! { <em>{t.clone()}</em> }.into_any(),
            Inline::Strong(t) => view! { <strong>{t.clone()}</strong> }.into_any(),
            Inline::Link { text, url } => view! { <a href=url.as_str().to_owned() rel="noopener noreferrer">{text.clone()}</a> }.into_any(),
        })
        .collect_view()
}

#[component]
pub fn Markdown(blocks: Vec<Block>) -> impl IntoView {
    blocks
        .into_iter()
        .map(|b| match b {
            Block::Paragraph(items) => view! { <p>{inline(&items)}</p> }.into_any(),
            Block::BulletList(items) => view! { <ul>{items.iter().map(|i| view! { <li>{inline(i)}</li> }).collect_view()}</ul> }.into_any(),
            Block::NumberedList(items) => view! { <ol>{items.iter().map(|i| view! { <li>{inline(i)}</li> }).collect_view()}</ol> }.into_any(),
        })
        .collect_view()
}
