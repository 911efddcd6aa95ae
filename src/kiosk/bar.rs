//! The kiosk's permanent bar and its inactivity dialog.

use super::{Kiosk, use_inactivity};
use crate::components::{Badge, BadgeKind};
use crate::i18n::texts;
use crate::routes::Page;
use leptos::html;
use leptos::prelude::*;
use leptos_router::components::A;
use std::time::Duration;

/// "Appareil partagé", "Recommencer", "Terminer et tout effacer", "Demander de l'aide".
#[component]
pub fn KioskBar(kiosk: Kiosk) -> impl IntoView {
    let t = &texts().kiosk;
    // "Recommencer" is a full wipe: the next person must not find this one's session.
    let restart = move |_| kiosk.wipe();
    let problem = use_context::<crate::state::site::LoadedSite>().and_then(|s| s.problem);
    view! {
        <section class="gu-kiosk-bar" aria-label=t.bar_label>
            <div class="gu-container gu-kiosk-bar__inner">
                <p class="gu-kiosk-bar__shared"><Badge kind=BadgeKind::Warning>{t.bar_label}</Badge> " " {t.shared}</p>
                {problem.map(|_| view! { <p class="gu-kiosk-bar__problem">{t.config_problem}</p> })}
                <div class="gu-kiosk-bar__actions">
                    <button type="button" class="gu-button gu-button--secondary" on:click=restart>{t.restart}</button>
                    <A href=Page::Help.href() attr:class="gu-button gu-button--secondary">{t.help}</A>
                    <button type="button" class="gu-button gu-button--danger" on:click=move |_| kiosk.wipe()>{t.finish}</button>
                </div>
            </div>
        </section>
    }
}

/// The full-screen "Êtes-vous toujours là ?" countdown, then the wipe.
#[component]
pub fn KioskDialog(kiosk: Kiosk) -> impl IntoView {
    let t = &texts().kiosk;
    let config = kiosk.config.get_value();
    let inactivity = use_inactivity(
        Duration::from_secs(u64::from(config.inactivity_minutes) * 60),
        Duration::from_secs(u64::from(config.warning_seconds)),
        move || kiosk.wipe(),
    );
    let stay = NodeRef::<html::Button>::new();
    Effect::new(move |_| {
        if inactivity.countdown.get().is_some()
            && let Some(button) = stay.get()
        {
            let _ = button.focus();
        }
    });
    move || {
        let wiping = kiosk.wiping.get();
        let left = inactivity.countdown.get();
        (wiping || left.is_some()).then(|| {
            let reset = inactivity.reset;
            view! {
                <div class="gu-overlay">
                    <div class="gu-dialog" role="alertdialog" aria-modal="true" aria-labelledby="inactivite-titre" aria-describedby="inactivite-texte">
                        {if wiping {
                            view! { <h2 id="inactivite-titre">{t.wiping}</h2><p id="inactivite-texte" role="status">{t.wiping}</p> }.into_any()
                        } else {
                            view! {
                                <h2 id="inactivite-titre">{t.dialog_title}</h2>
                                <p id="inactivite-texte">{t.dialog_body}</p>
                                <p class="gu-dialog__countdown" role="timer">{t.countdown(left.unwrap_or(0))}</p>
                                <div class="gu-actions">
                                    <button type="button" class="gu-button" node_ref=stay on:click=move |_| reset.run(())>{t.stay}</button>
                                    <button type="button" class="gu-button gu-button--danger" on:click=move |_| kiosk.wipe()>{t.finish}</button>
                                </div>
                            }
                            .into_any()
                        }}
                    </div>
                </div>
            }
        })
    }
}
