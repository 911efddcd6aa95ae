//! The app: deployment settings first, then contexts, the page frame and the router.
//!
//! `portail.toml` decides whether this instance is a kiosk, and that decides where anything may be
//! stored — so nothing else starts until it is known (it is preloaded by `index.html`, so this
//! costs no extra round trip).

use crate::auth::Auth;
use crate::auth::{IdentityConfig, provide_auth};
use crate::components::{Footer, Header};
use crate::lazy::{LazyPage, PreloadNext, views};
use crate::load_view;
use crate::pages::{HomePage, NotFoundPage};
use crate::providers::provide_provider_client;
use crate::state::device::DeviceStore;
use crate::state::device::{Persistence, provide_device_store};
use crate::state::federation::provide_federation;
use crate::state::site::KioskConfig;
use crate::state::site::{self, LoadedSite};
use crate::state::territory::provide_territory;
use crate::state::tracking::provide_tracking;
use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

/// Nothing is shown until the settings are read; then the portal, once.
///
/// Deliberately no `<Suspense>` around the portal: a resource read anywhere under a Suspense —
/// even in an effect, such as the catalogue read below to configure sign-in — registers with it,
/// and every later reload of that resource makes it fall back and rebuild the whole page (what a
/// citizen had typed, and the focus, were lost when the catalogue arrived). Pages that wait for
/// something have their own boundary (`LazyPage`, `Transition`s).
#[component]
pub fn App() -> impl IntoView {
    let site = LocalResource::new(site::load);
    move || site.get().map(|site| view! { <Portal site /> })
}

/// The portal once its deployment settings are known.
#[component]
fn Portal(site: LoadedSite) -> impl IntoView {
    let persistence = if site.config.kiosk.enabled {
        Persistence::MemoryOnly
    } else {
        Persistence::Device
    };
    let store = provide_device_store(persistence);
    let kiosk_config = site.config.kiosk.clone();
    provide_context(site);
    let federation = provide_federation();
    provide_territory(store);
    let auth = provide_auth();
    // Before anything can start a sign-in: a kiosk signs in with its own client and a fresh
    // authentication, even if the citizen is quicker than the lazily loaded kiosk frame.
    if kiosk_config.enabled {
        auth.use_shared_device(kiosk_config.client_id.clone());
    }
    let client = provide_provider_client(auth);
    let tracking = provide_tracking(client, auth, store);
    let kiosk = kiosk_config.enabled.then_some(kiosk_config);
    // The app has rendered the header the painted shell of index.html showed: replace it (on the
    // home page, the home page does, once its commune field exists).
    Effect::new(|_| crate::shell::take_over_unless_home());
    // Demandes are followed while the citizen is signed in (the header shows what changed).
    Effect::new(move |_| {
        if auth.session.get().is_some() && !tracking.sources.with(Vec::is_empty) {
            leptos::task::spawn_local(async move {
                // Not downloaded: the dashboard retries when opened, and says so if it cannot.
                let _ = crate::lazy::parts::start_tracking(tracking).await;
            });
        }
    });
    // Once the catalogue is known: the issuer to sign in with, the origins a token may go to, and
    // a silent sign-in if the citizen was signed in before a reload (tokens live in memory only).
    // Once: members, issuer and APIs come from the root catalogue, which fragments merged later
    // (the resource changes then) do not change — and a second silent sign-in would break the
    // first one's state.
    let configured = StoredValue::new(false);
    Effect::new(move |_| {
        let Some(Ok(federation)) = federation.resource.get() else {
            return;
        };
        if configured.get_value() {
            return;
        }
        configured.set_value(true);
        if let Some(identity) = &federation.catalogue.federation.identity {
            // Each provider API is a resource indicator: tokens are asked for one at a time.
            let resources = federation
                .catalogue
                .members
                .iter()
                .filter_map(|m| m.api.as_ref().map(|api| api.as_str().to_owned()))
                .collect();
            auth.configure(
                IdentityConfig {
                    issuer: identity.issuer.as_str().to_owned(),
                    client_id: identity.client_id.clone(),
                },
                resources,
            );
        }
        client.declare_origins(federation.token_origins.clone());
        tracking.set_sources(&federation.catalogue);
        let location = web_sys::window().map(|w| w.location());
        let path = location
            .as_ref()
            .and_then(|l| l.pathname().ok())
            .unwrap_or_default();
        let search = location
            .as_ref()
            .and_then(|l| l.search().ok())
            .unwrap_or_default();
        if auth.should_resume() && path != crate::auth::session::CALLBACK_PATH {
            leptos::task::spawn_local(async move {
                let _ = crate::lazy::start::sign_in(auth, format!("{path}{search}"), true).await;
            });
        }
    });
    view! {
        <Router>
            <PreloadNext />
            <Header />
            {kiosk.map(|config| view! { <LazyKiosk config store auth /> })}
            <main id="contenu" class="gu-main" tabindex="-1">
                <Routes fallback=NotFoundPage>
                    // Only the home page is in the main module; every other page is downloaded
                    // when first opened, or before, when the browser is idle (see `lazy.rs`).
                    <Route path=path!("/") view=HomePage />
                    <Route path=path!("/commune/:insee") view=|| view! { <LazyPage load=load_view!(views::commune) /> } />
                    <Route path=path!("/service/:member/:slug") view=|| view! { <LazyPage load=load_view!(views::service) /> } />
                    <Route path=path!("/accessibilite") view=|| view! { <LazyPage load=load_view!(views::accessibility) /> } />
                    <Route path=path!("/service/:member/:slug/demarche") view=|| view! { <LazyPage load=load_view!(views::procedure) /> } />
                    <Route path=path!("/compte") view=|| view! { <LazyPage load=load_view!(views::account) /> } />
                    <Route path=path!("/aide") view=|| view! { <LazyPage load=load_view!(views::help) /> } />
                    <Route path=path!("/mes-demarches") view=|| view! { <LazyPage load=load_view!(views::dashboard) /> } />
                    <Route path=path!("/mes-demarches/:member/:id") view=|| view! { <LazyPage load=load_view!(views::demande) /> } />
                    <Route path=path!("/connexion/retour") view=|| view! { <LazyPage load=load_view!(views::sign_in_return) /> } />
                </Routes>
            </main>
            <Footer />
        </Router>
    }
}

/// The kiosk's bar and dialogs, downloaded only by a kiosk deployment.
#[component]
fn LazyKiosk(config: KioskConfig, store: DeviceStore, auth: Auth) -> impl IntoView {
    let attempt = RwSignal::new(0u32);
    view! {
        <Suspense fallback=|| ()>
            {move || {
                attempt.track();
                let config = config.clone();
                Suspend::new(send_wrapper::SendWrapper::new(async move {
                    match crate::lazy::parts::kiosk(config, store, auth).await {
                        Ok(frame) => frame,
                        Err(_) => view! { <crate::lazy::ChunkFailed retry=move || attempt.update(|n| *n += 1) /> }.into_any(),
                    }
                }))
            }}
        </Suspense>
    }
}
