//! The receipt: reference, date, recipient, what was sent, what happens next, how long it should
//! take; printable, with a link and a QR code to the tracking page (a public path that asks to sign
//! in — never a token).

use crate::components::{PrintButton, PublicUrl, QrCode};
use crate::i18n::texts;
use crate::procedure::flow::Flow;
use crate::routes::Page;
use catalogue::values::ProcessingTime;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn ReceiptView(flow: Flow) -> impl IntoView {
    let t = &texts().receipt;
    let Some(receipt) = flow.receipt.get_untracked() else {
        return ().into_any();
    };
    let meta = flow.meta.get_value();
    let schema = flow.schema.get_value();
    let tracking = Page::Demande {
        member: meta.member_id.clone(),
        id: receipt.id.clone(),
    }
    .href();
    let qr = PublicUrl::of_page(&crate::browser::current_origin(), &tracking);
    let delay = schema
        .expected_delay
        .as_deref()
        .and_then(|d| ProcessingTime::parse(d).ok())
        .map(|d| d.to_words_fr());
    // In the form's order, as the citizen answered.
    let sent: Vec<(String, String)> = schema
        .fields()
        .filter_map(|f| {
            receipt
                .answers
                .get(&f.id)
                .map(|a| (f.label.clone(), f.display(a)))
        })
        .collect();
    view! {
        <section aria-labelledby="recu-titre">
            <div class="gu-panel gu-panel--success">
                <h2 id="recu-titre" class="gu-panel__title">{t.title}</h2>
                <p class="gu-panel__body">{t.reference} <br /><strong class="gu-panel__reference">{receipt.reference.clone()}</strong></p>
                {receipt.recovered.then(|| view! { <p class="gu-panel__body">{texts().outcome.found}</p> })}
            </div>
            {receipt.log_failed.clone().map(|e| view! {
                <p class="gu-hint">{texts().receipt.log_not_kept} " " {e.to_string()}</p>
            })}
            <dl class="gu-summary-list">
                <div class="gu-summary-list__row"><dt>{t.date}</dt><dd>{crate::format::datetime_in_words(&receipt.created_at)}</dd></div>
                <div class="gu-summary-list__row"><dt>{t.recipient}</dt><dd>{meta.member_name.clone()}</dd></div>
                <div class="gu-summary-list__row"><dt>{texts().receipt.delay}</dt><dd>{delay.unwrap_or_default()}</dd></div>
            </dl>
            <h3>{t.next_heading}</h3>
            <p>{schema.next_steps.clone()}</p>
            <h3>{t.sent_heading}</h3>
            <dl class="gu-summary-list">
                {sent.into_iter().map(|(k, v)| view! { <div class="gu-summary-list__row"><dt>{k}</dt><dd>{v}</dd></div> }).collect_view()}
            </dl>
            <div class="gu-handoff">
                <p>{t.follow}</p>
                <QrCode url=qr label=t.qr_label />
                <p><A href=tracking attr:class="gu-button">{t.follow_link}</A></p>
            </div>
            <PrintButton>{t.print}</PrintButton>
        </section>
    }
    .into_any()
}
