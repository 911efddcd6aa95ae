//! Consent before pre-filling: which of the citizen's information would fill which field, and to
//! which collectivity it would go. Nothing is filled unless they say yes; they can change every
//! value afterwards.

use crate::auth::expect_auth;
use crate::i18n::texts;
use crate::procedure::flow::Flow;
use crate::procedure::prefill::prefills;
use crate::state::drafts::Step;
use leptos::prelude::*;

#[component]
pub fn ConsentStep(flow: Flow) -> impl IntoView {
    let t = &texts().procedure;
    let auth = expect_auth();
    let profile = auth
        .session
        .get_untracked()
        .map(|s| s.profile.clone())
        .unwrap_or_default();
    let schema = flow.schema.get_value();
    let found = prefills(&schema, &profile);
    let member = flow.meta.get_value().member_name;
    let choice = RwSignal::new(None::<bool>);
    let error = RwSignal::new(false);
    let rows: Vec<(String, String)> = found
        .iter()
        .map(|p| (p.label.clone(), p.value.display()))
        .collect();
    let nothing = found.is_empty();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match choice.get_untracked() {
            None if !nothing => error.set(true),
            use_profile => {
                if use_profile == Some(true) {
                    flow.apply_prefill(&found);
                }
                flow.step.set(Step::Page);
                flow.page.set(flow.pages().first().copied().unwrap_or(0));
                flow.save();
                super::scroll_top();
            }
        }
    };
    view! {
        <h2>{t.consent_heading}</h2>
        {move || error.get().then(|| view! {
            <crate::components::error_summary::ErrorSummary problems=vec![crate::components::error_summary::Problem { field_id: "consent-oui".into(), message: texts().procedure.consent_legend.to_owned() }] />
        })}
        {if nothing {
            view! { <p>{t.consent_nothing}</p> }.into_any()
        } else {
            view! {
                <p>{t.consent_intro}</p>
                <dl class="gu-summary-list">
                    {rows.into_iter().map(|(label, value)| view! {
                        <div class="gu-summary-list__row"><dt>{label}</dt><dd>{value}</dd></div>
                    }).collect_view()}
                </dl>
                <p>{t.consent_recipient} " " <strong>{member}</strong></p>
            }
            .into_any()
        }}
        <form on:submit=submit novalidate>
            {(!nothing).then(|| view! {
                <fieldset class="gu-fieldset">
                    <legend class="gu-fieldset__legend">{t.consent_legend}</legend>
                    <div class="gu-radios__item">
                        <input type="radio" class="gu-radios__input" id="consent-oui" name="consent" on:change=move |_| { choice.set(Some(true)); error.set(false); } />
                        <label class="gu-radios__label" for="consent-oui">{t.consent_yes}</label>
                    </div>
                    <div class="gu-radios__item">
                        <input type="radio" class="gu-radios__input" id="consent-non" name="consent" on:change=move |_| { choice.set(Some(false)); error.set(false); } />
                        <label class="gu-radios__label" for="consent-non">{t.consent_no}</label>
                    </div>
                </fieldset>
            })}
            <button type="submit" class="gu-button">{t.continue_button}</button>
        </form>
    }
}
