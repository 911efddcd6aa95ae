//! The app: deployment settings first, then contexts, the page frame and the router.
//!
//! `portail.toml` decides whether this instance is a kiosk, and that decides where anything may be
//! stored — so nothing else starts until it is known (it is preloaded by `index.html`, so this
//! costs no extra round trip).

use crate::components::{Footer, Header};
use crate::pages::{AccessibilityPage, CommunePage, HomePage, NotFoundPage, ServicePage};
use crate::state::device::{Persistence, provide_device_store};
use crate::state::federation::provide_federation;
use crate::state::site::{self, LoadedSite};
use crate::state::territory::provide_territory;
use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

#[component]
pub fn App() -> impl IntoView {
    let site = LocalResource::new(site::load);
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let site = site.await;
                view! { <Portal site /> }
            })}
        </Suspense>
    }
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
    provide_context(site);
    provide_federation();
    provide_territory(store);
    view! {
        <Router>
            <Header />
            <main id="contenu" class="gu-main" tabindex="-1">
                <Routes fallback=NotFoundPage>
                    <Route path=path!("/") view=HomePage />
                    <Route path=path!("/accessibilite") view=AccessibilityPage />
                    <Route path=path!("/commune/:insee") view=CommunePage />
                    <Route path=path!("/service/:member/:slug") view=ServicePage />
                </Routes>
            </main>
            <Footer />
        </Router>
    }
}
