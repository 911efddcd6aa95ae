//! The site header: skip link, brand, main navigation, demonstration banner.
//!
//! The skip link is the first focusable element of every page (RGAA 12.7); navigation links are
//! `<A>` so the current page gets `aria-current="page"`.

use crate::i18n::texts;
use crate::routes::Page;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn Header() -> impl IntoView {
    let t = &texts().site;
    view! {
        <a class="gu-skip-link" href="#contenu" on:click=skip_to_content>{t.skip_to_content}</a>
        <header class="gu-header">
            <div class="gu-container gu-header__bar">
                <A href=Page::Home.href() attr:class="gu-header__brand">
                    <svg class="gu-header__logo" viewBox="0 0 32 32" aria-hidden="true" focusable="false">
                        <rect width="32" height="32" rx="6" fill="#1b4f8a"></rect>
                        <path d="M8 13h16v11H8z" fill="#fff"></path>
                        <path d="M6 13l10-6 10 6z" fill="#fff"></path>
                        <path d="M14 17h4v7h-4z" fill="#1b4f8a"></path>
                    </svg>
                    <span>
                        <span class="gu-header__name">{t.name}</span>
                        <span class="gu-header__tagline">{t.tagline}</span>
                    </span>
                    <span class="gu-visually-hidden">{t.home_link_label}</span>
                </A>
                <nav class="gu-header__nav" aria-label=t.main_nav_label>
                    <ul>
                        <li>
                            <A href=Page::Home.href() exact=true>{t.nav_home}</A>
                        </li>
                        <li>
                            <A href=Page::Dashboard.href()>{t.nav_my_procedures} <ChangedBadge /></A>
                        </li>
                        <AccountLinks />
                    </ul>
                </nav>
            </div>
            <ChosenCommuneBar />
            <p class="gu-demo-banner">
                <span class="gu-container">{t.demo_banner}</span>
            </p>
        </header>
    }
}

/// Moves keyboard focus to the main content. The router would otherwise treat `#contenu` as a
/// navigation and leave the focus on the skip link.
fn skip_to_content(event: leptos::ev::MouseEvent) {
    event.prevent_default();
    crate::browser::focus_element("contenu");
}

/// "Ma commune : Gien — Changer de commune", once a commune is chosen.
#[component]
fn ChosenCommuneBar() -> impl IntoView {
    let territory = crate::state::territory::expect_territory();
    move || {
        territory.chosen.get().map(|c| {
            let t = &texts().chooser;
            view! {
                <div class="gu-commune-bar">
                    <div class="gu-container">
                        {t.header_label} " "
                        <A href=Page::Commune(c.code.clone()).href()>{c.name.clone()}</A>
                        " — "
                        <A href=Page::Home.href()>{t.change}</A>
                    </div>
                </div>
            }
        })
    }
}

/// "Se connecter", or "Mon compte (Camille Martin)" and "Se déconnecter".
#[component]
fn AccountLinks() -> impl IntoView {
    let auth = crate::auth::expect_auth();
    move || {
        let t = &texts().auth;
        match auth.session.get() {
            Some(session) => {
                let name = session.display_name.clone().unwrap_or_default();
                view! {
                    <li>
                        <A href=Page::Account.href()>{t.my_account} <span class="gu-header__who">{name}</span></A>
                    </li>
                    <li>
                        <button type="button" class="gu-header__button" on:click=move |_| {
                            let after = format!("{}/", crate::browser::current_origin());
                            leptos::task::spawn_local(async move {
                                if !crate::lazy::start::sign_out(auth, after).await {
                                    crate::browser::go_to("/");
                                }
                            });
                        }>{t.sign_out}</button>
                    </li>
                }
                .into_any()
            }
            None => view! {
                <li>
                    <super::SignInButton class="gu-header__button">{t.sign_in}</super::SignInButton>
                </li>
            }
            .into_any(),
        }
    }
}

/// "2 nouveautés" next to "Mes démarches", when something changed since the citizen last looked.
#[component]
fn ChangedBadge() -> impl IntoView {
    let tracking = crate::state::tracking::expect_tracking();
    let count = Memo::new(move |_| tracking.changed_count());
    move || {
        let n = count.get();
        (n > 0).then(|| view! { <span class="gu-counter" aria-label=format!("{n} {}", texts().dashboard.badge_label)>{texts().dashboard.changed(n)}</span> })
    }
}
