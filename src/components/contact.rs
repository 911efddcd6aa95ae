//! A contact card: address, phone (a `tel:` link), e-mail, opening hours — for a collectivity or
//! a help desk. Every value is provider text, rendered as text.

use crate::i18n::texts;
use catalogue::model::Contact;
use leptos::prelude::*;

#[component]
pub fn ContactDetails(contact: Contact) -> impl IntoView {
    let t = &texts().service;
    view! {
        <dl class="gu-contact">
            {contact.address.map(|a| view! { <dt>{t.address}</dt><dd>{a}</dd> })}
            {contact.phone.map(|p| view! { <dt>{t.phone}</dt><dd><a href=p.tel_uri()>{p.to_string()}</a></dd> })}
            {contact.email.map(|e| view! { <dt>{t.email}</dt><dd><a href=format!("mailto:{e}")>{e.clone()}</a></dd> })}
            {(!contact.hours.is_empty()).then(|| view! {
                <dt>{t.hours}</dt>
                <dd><ul class="gu-plain-list">{contact.hours.into_iter().map(|h| view! { <li>{h}</li> }).collect_view()}</ul></dd>
            })}
        </dl>
    }
}
