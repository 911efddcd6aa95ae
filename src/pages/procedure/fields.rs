//! One form field per contract field kind, each with its label, hint, error message and the ARIA
//! wiring that ties them together (`aria-describedby`, `aria-invalid`, fieldsets with legends for
//! groups). Every change updates the flow's answers, which autosave.

use crate::components::{Badge, BadgeKind};
use crate::i18n::texts;
use crate::procedure::flow::Flow;
use crate::procedure::submission::{input_of, read_file};
use contract::Answer;
use contract::answers::{FileAnswer, PostalAddress};
use contract::form::{Field, FieldKind};
use contract::validation::{formats, human_size};
use leptos::prelude::*;

/// The DOM id of a field's control (error summary links point here).
pub fn control_id(field: &str) -> String {
    format!("champ-{field}")
}

fn text_of(answer: Option<Answer>) -> String {
    match answer {
        Some(Answer::Text(t)) => t,
        _ => String::new(),
    }
}

#[component]
pub fn FieldInput(field: Field, flow: Flow) -> impl IntoView {
    let id = control_id(&field.id);
    let hint_id = format!("{id}-aide");
    let error_id = format!("{id}-erreur");
    let field_id = field.id.clone();
    let error = Memo::new(move |_| {
        flow.errors.with(|errors| {
            errors
                .iter()
                .find(|e| e.field == field_id)
                .map(|e| e.message.clone())
        })
    });
    let described = {
        let (hint_id, error_id, has_hint) =
            (hint_id.clone(), error_id.clone(), field.help.is_some());
        move || {
            let mut ids = Vec::new();
            if has_hint {
                ids.push(hint_id.clone());
            }
            if error.get().is_some() {
                ids.push(error_id.clone());
            }
            ids.join(" ")
        }
    };
    let t = &texts().procedure;
    let prefilled = flow.prefilled.with_value(|p| p.contains(&field.id));
    let hint = field
        .help
        .clone()
        .map(|h| view! { <p class="gu-hint" id=hint_id.clone()>{h}</p> });
    let error_view = {
        let error_id = error_id.clone();
        move || {
            error.get().map(|e| view! { <p class="gu-field__error" id=error_id.clone()><span class="gu-visually-hidden">{texts().procedure.error_prefix}</span>{e}</p> })
        }
    };
    let label_text = crate::procedure::label_text(&field.label, field.required);
    let badge = prefilled.then(|| view! { " " <Badge kind=BadgeKind::Info>{t.pre_filled}</Badge> });
    let grouped = matches!(
        field.kind,
        FieldKind::Choice | FieldKind::MultiChoice | FieldKind::Address
    );
    let control = control(&field, flow, &id, described);
    if grouped {
        view! {
            <div class="gu-field" class:gu-field--error=move || error.get().is_some()>
                <fieldset class="gu-fieldset" id=id.clone() tabindex="-1">
                    <legend class="gu-fieldset__legend">{label_text}{badge}</legend>
                    {hint}
                    {error_view}
                    {control}
                </fieldset>
            </div>
        }
        .into_any()
    } else {
        view! {
            <div class="gu-field" class:gu-field--error=move || error.get().is_some()>
                <label class="gu-label" for=id.clone()>{label_text}{badge}</label>
                {hint}
                {error_view}
                {control}
            </div>
        }
        .into_any()
    }
}

fn control(
    field: &Field,
    flow: Flow,
    id: &str,
    described: impl Fn() -> String + Clone + Send + Sync + 'static,
) -> AnyView {
    let field_id = field.id.clone();
    let value = {
        let field_id = field_id.clone();
        move || text_of(flow.answer(&field_id))
    };
    let set_text = {
        let field_id = field_id.clone();
        move |ev: leptos::ev::Event| {
            flow.set_answer(&field_id, Answer::Text(event_target_value(&ev)))
        }
    };
    let invalid = {
        let field_id = field_id.clone();
        move || {
            flow.errors
                .with(|e| e.iter().any(|e| e.field == field_id))
                .to_string()
        }
    };
    let id = id.to_owned();
    match field.kind {
        FieldKind::LongText => view! {
            <textarea id=id class="gu-textarea" rows="6" aria-describedby=described aria-invalid=invalid maxlength=field.max_length.map(|m| m.to_string()) prop:value=value on:input=set_text></textarea>
        }
        .into_any(),
        FieldKind::Choice => {
            let options = field.options.clone();
            options
                .into_iter()
                .enumerate()
                .map(|(i, option)| {
                    let radio_id = format!("{id}-{i}");
                    let (field_id, v1, v2) = (field_id.clone(), option.value.clone(), option.value.clone());
                    let checked = move || text_of(flow.answer(&field_id)) == v1;
                    let field_id = field.id.clone();
                    view! {
                        <div class="gu-radios__item">
                            <input type="radio" class="gu-radios__input" id=radio_id.clone() name=id.clone() prop:checked=checked on:change=move |_| flow.set_answer(&field_id, Answer::Text(v2.clone())) />
                            <label class="gu-radios__label" for=radio_id>{option.label}</label>
                        </div>
                    }
                })
                .collect_view()
                .into_any()
        }
        FieldKind::MultiChoice => field
            .options
            .clone()
            .into_iter()
            .enumerate()
            .map(|(i, option)| {
                let box_id = format!("{id}-{i}");
                let (f1, f2, v1, v2) = (field_id.clone(), field_id.clone(), option.value.clone(), option.value.clone());
                let checked = move || matches!(flow.answer(&f1), Some(Answer::Many(m)) if m.contains(&v1));
                view! {
                    <div class="gu-checkbox">
                        <input type="checkbox" class="gu-checkbox__input" id=box_id.clone() prop:checked=checked on:change=move |ev| flow.toggle_choice(&f2, &v2, event_target_checked(&ev)) />
                        <label class="gu-checkbox__label" for=box_id>{option.label}</label>
                    </div>
                }
            })
            .collect_view()
            .into_any(),
        FieldKind::Address => address(flow, &field_id, &id),
        FieldKind::File => file(field, flow, &id, described),
        kind => {
            let (input_type, autocomplete, class) = match kind {
                FieldKind::Email => ("email", "email", "gu-input"),
                FieldKind::Tel => ("tel", "tel", "gu-input gu-input--short"),
                FieldKind::Date => ("date", "off", "gu-input gu-input--short"),
                FieldKind::Number => ("text", "off", "gu-input gu-input--short"),
                _ => ("text", "on", "gu-input"),
            };
            let autocomplete = field.autocomplete.clone().unwrap_or_else(|| autocomplete.to_owned());
            let inputmode = (kind == FieldKind::Number).then_some("decimal");
            view! {
                <input id=id type=input_type class=class autocomplete=autocomplete inputmode=inputmode aria-describedby=described aria-invalid=invalid spellcheck="false" prop:value=value on:input=set_text />
            }
            .into_any()
        }
    }
}

fn address(flow: Flow, field_id: &str, id: &str) -> AnyView {
    let t = &texts().procedure;
    let current = {
        let field_id = field_id.to_owned();
        move || match flow.answer(&field_id) {
            Some(Answer::Address(a)) => a,
            _ => PostalAddress::default(),
        }
    };
    let part = |suffix: &'static str,
                label: &'static str,
                autocomplete: &'static str,
                class: &'static str,
                get: fn(&PostalAddress) -> String,
                set: fn(&mut PostalAddress, String)| {
        let part_id = format!("{id}-{suffix}");
        let current = current.clone();
        let field_id = field_id.to_owned();
        view! {
            <div class="gu-field gu-field--nested">
                <label class="gu-label" for=part_id.clone()>{label}</label>
                <input id=part_id class=class autocomplete=autocomplete prop:value={let c = current.clone(); move || get(&c())} on:input=move |ev| {
                    let mut a = current();
                    set(&mut a, event_target_value(&ev));
                    flow.set_answer(&field_id, Answer::Address(a));
                } />
            </div>
        }
    };
    view! {
        {part("voie", t.street, "street-address", "gu-input", |a| a.street.clone(), |a, v| a.street = v)}
        {part("cp", t.postal_code, "postal-code", "gu-input gu-input--short", |a| a.postal_code.clone(), |a, v| a.postal_code = v)}
        {part("commune", t.city, "address-level2", "gu-input", |a| a.city.clone(), |a, v| a.city = v)}
    }
    .into_any()
}

fn file(
    field: &Field,
    flow: Flow,
    id: &str,
    described: impl Fn() -> String + Clone + Send + Sync + 'static,
) -> AnyView {
    let t = &texts().procedure;
    let field_id = field.id.clone();
    let accept = field.accept.join(",");
    let limits = format!(
        "{} — {}",
        formats(&field.accept),
        field.max_bytes.map(human_size).unwrap_or_default()
    );
    let chosen = {
        let field_id = field_id.clone();
        move || match flow.answer(&field_id) {
            Some(Answer::File(f)) => Some(f),
            _ => None,
        }
    };
    let on_change = {
        let field_id = field_id.clone();
        move |ev: leptos::ev::Event| {
            let Some(file) = input_of(&ev).and_then(|i| i.files()).and_then(|f| f.get(0)) else {
                return;
            };
            let field_id = field_id.clone();
            leptos::task::spawn_local(async move {
                let Some(bytes) = read_file(&file).await else {
                    return;
                };
                let part = format!("fichier-{field_id}");
                let answer = FileAnswer {
                    part: part.clone(),
                    name: file.name(),
                    size: bytes.len() as u64,
                    content_type: file.type_(),
                };
                flow.set_file(&field_id, answer, bytes);
            });
        }
    };
    let remove = {
        let field_id = field_id.clone();
        move |_| flow.clear_answer(&field_id)
    };
    view! {
        <p class="gu-hint">{limits}</p>
        {move || chosen().map(|f| view! {
            <p class="gu-file-chosen">{t.file_added} " " <strong>{f.name.clone()}</strong> {format!(" ({})", human_size(f.size))} " "
                <button type="button" class="gu-button gu-button--secondary gu-button--small" on:click=remove.clone()>{t.file_remove}</button>
            </p>
        })}
        <input id=id.to_owned() type="file" class="gu-file" accept=accept aria-describedby=described on:change=on_change />
    }
    .into_any()
}
