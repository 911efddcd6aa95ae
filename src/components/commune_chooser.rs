//! "Où habitez-vous ?": an accessible combobox over commune names, postcodes and INSEE codes.
//!
//! WAI-ARIA 1.2 combobox pattern: the input has `role="combobox"`, `aria-expanded`,
//! `aria-controls` and `aria-activedescendant`; the suggestions are a `listbox` of `option`s; the
//! arrows move, Enter chooses, Escape closes; a polite live region says how many communes are
//! proposed. Submitting a postcode shared by several communes asks which one (radio buttons); so
//! does a five-digit code that is both a postcode and another commune's INSEE code (14360: the
//! postcode of Trouville-sur-Mer, the INSEE code of Leffard). Errors use an error summary linking
//! to the field (GOV.UK pattern).

use crate::components::error_summary::{ErrorSummary, Problem};
use crate::i18n::texts;
use crate::routes::Page;
use crate::state::territory::finder::{Proposal, Submitted};
use crate::state::territory::{ChosenCommune, expect_territory};
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::use_navigate;

const INPUT_ID: &str = "commune-saisie";
const LISTBOX_ID: &str = "commune-propositions";

#[component]
pub fn CommuneChooser() -> impl IntoView {
    let t = &texts().chooser;
    let territory = expect_territory();
    let navigate = use_navigate();
    let query = RwSignal::new(String::new());
    let open = RwSignal::new(false);
    let active = RwSignal::new(None::<usize>);
    let error = RwSignal::new(None::<String>);
    let ambiguous = RwSignal::new(Vec::<Proposal>::new());
    let question = RwSignal::new(String::new());
    let picked = RwSignal::new(None::<String>);

    let proposals = Memo::new(move |_| query.with(|q| territory.propose(q)));

    let choose = {
        let navigate = navigate.clone();
        move |p: Proposal| {
            territory.choose(ChosenCommune {
                code: p.code.clone(),
                name: p.name.clone(),
            });
            open.set(false);
            navigate(&Page::Commune(p.code).href(), NavigateOptions::default());
        }
    };

    let on_input = move |ev: leptos::ev::Event| {
        territory.want();
        let value = event_target_value(&ev);
        query.set(value);
        active.set(None);
        open.set(true);
        error.set(None);
        ambiguous.set(Vec::new());
    };

    let on_keydown = {
        let choose = choose.clone();
        move |ev: leptos::ev::KeyboardEvent| {
            let count = proposals.with_untracked(Vec::len);
            match ev.key().as_str() {
                "ArrowDown" => {
                    ev.prevent_default();
                    open.set(true);
                    if count > 0 {
                        active.update(|a| *a = Some(a.map_or(0, |i| (i + 1) % count)));
                    }
                }
                "ArrowUp" => {
                    ev.prevent_default();
                    if count > 0 {
                        active.update(|a| {
                            *a = Some(a.map_or(count - 1, |i| (i + count - 1) % count))
                        });
                    }
                }
                "Escape" => {
                    if open.get_untracked() {
                        open.set(false);
                        active.set(None);
                    } else {
                        query.set(String::new());
                    }
                }
                "Enter" => {
                    if let Some(p) = active
                        .get_untracked()
                        .and_then(|i| proposals.with_untracked(|all| all.get(i).cloned()))
                    {
                        ev.prevent_default();
                        choose(p);
                    }
                }
                _ => {}
            }
        }
    };

    let submit = {
        let choose = choose.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let q = query.get_untracked();
            if q.trim().is_empty() {
                error.set(Some(texts().chooser.empty.to_owned()));
                return;
            }
            let Some(submitted) = territory.submit(&q) else {
                territory.want();
                return;
            };
            match submitted {
                Submitted::Go(p) => choose(p),
                Submitted::Ask(text, options) => {
                    open.set(false);
                    picked.set(None);
                    question.set(text);
                    ambiguous.set(options);
                }
                Submitted::Several => {
                    open.set(true);
                    error.set(Some(texts().chooser.several.to_owned()));
                }
                Submitted::Unknown => error.set(Some(texts().chooser.unknown.to_owned())),
            }
        }
    };

    let confirm_ambiguous = {
        let choose = choose.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let chosen = picked.get_untracked().and_then(|code| {
                ambiguous.with_untracked(|all| all.iter().find(|p| p.code == code).cloned())
            });
            match chosen {
                Some(p) => choose(p),
                None => error.set(Some(texts().chooser.which_one.to_owned())),
            }
        }
    };

    let status = move || {
        let t = &texts().chooser;
        if territory.failure().is_some() {
            t.load_failed.to_owned()
        } else if !query.get().trim().is_empty() && territory.loaded().is_none() {
            t.loading.to_owned()
        } else if open.get() && !query.get().trim().is_empty() {
            t.count(proposals.get().len())
        } else {
            String::new()
        }
    };
    let expanded = move || open.get() && !proposals.get().is_empty();

    view! {
        <section class="gu-chooser" aria-labelledby="chooser-heading">
            <h2 id="chooser-heading">{t.heading}</h2>
            {move || error.get().map(|message| view! { <ErrorSummary problems=vec![Problem { field_id: INPUT_ID.to_owned(), message }] /> })}
            <form class="gu-chooser__form" on:submit=submit autocomplete="off" novalidate>
                <label class="gu-label" for=INPUT_ID>{t.label}</label>
                <p class="gu-hint" id="commune-aide">{t.hint}</p>
                <div class="gu-combobox">
                    <input
                        id=INPUT_ID
                        class="gu-input"
                        class:gu-input--error=move || error.get().is_some()
                        type="text"
                        role="combobox"
                        aria-autocomplete="list"
                        aria-controls=LISTBOX_ID
                        aria-describedby="commune-aide"
                        aria-invalid=move || error.get().is_some().to_string()
                        aria-expanded=move || expanded().to_string()
                        aria-activedescendant=move || active.get().map(|i| format!("commune-option-{i}")).unwrap_or_default()
                        prop:value=move || query.get()
                        on:focus=move |_| territory.want()
                        on:input=on_input
                        on:keydown=on_keydown
                        on:blur=move |_| open.set(false)
                    />
                    <ul id=LISTBOX_ID class="gu-combobox__listbox" role="listbox" aria-label=t.listbox_label hidden=move || !expanded()>
                        {move || {
                            let choose = choose.clone();
                            proposals
                                .get()
                                .into_iter()
                                .enumerate()
                                .map(|(i, p)| {
                                    let choose = choose.clone();
                                    let selected = move || active.get() == Some(i);
                                    let chosen = p.clone();
                                    view! {
                                        <li
                                            id=format!("commune-option-{i}")
                                            class="gu-combobox__option"
                                            class:gu-combobox__option--active=selected
                                            role="option"
                                            aria-selected=move || selected().to_string()
                                            on:mousedown=move |ev| {
                                                ev.prevent_default();
                                                choose(chosen.clone());
                                            }
                                        >
                                            <span class="gu-combobox__name">{p.name.clone()}</span>
                                            " "
                                            <span class="gu-combobox__detail">{p.detail.clone()}</span>
                                        </li>
                                    }
                                })
                                .collect_view()
                        }}
                    </ul>
                </div>
                <p class="gu-visually-hidden" role="status" aria-live="polite">{status}</p>
                <button type="submit" class="gu-button">{t.submit}</button>
            </form>
            {move || {
                let options = ambiguous.get();
                (!options.is_empty()).then(|| {
                    let t = &texts().chooser;
                    let question = question.get_untracked();
                    view! {
                        <form class="gu-chooser__which" on:submit=confirm_ambiguous.clone()>
                            <fieldset class="gu-fieldset">
                                <legend class="gu-fieldset__legend">{t.which_one}</legend>
                                <p class="gu-hint">{question}</p>
                                <div class="gu-radios">
                                    {options
                                        .into_iter()
                                        .map(|p| {
                                            let id = format!("commune-choix-{}", p.code);
                                            let code = p.code.clone();
                                            view! {
                                                <div class="gu-radios__item">
                                                    <input type="radio" class="gu-radios__input" name="commune-choix" id=id.clone() value=p.code.clone() on:change=move |_| picked.set(Some(code.clone())) />
                                                    <label class="gu-radios__label" for=id>{p.name} <span class="gu-combobox__detail">{format!(" — {}", p.detail)}</span></label>
                                                </div>
                                            }
                                        })
                                        .collect_view()}
                                </div>
                            </fieldset>
                            <button type="submit" class="gu-button">{t.choose}</button>
                        </form>
                    }
                })
            }}
        </section>
    }
}
