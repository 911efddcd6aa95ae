//! The app: contexts, the page frame and the router.

use crate::components::{Footer, Header};
use crate::pages::{AccessibilityPage, HomePage, NotFoundPage};
use crate::state::federation::provide_federation;
use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

#[component]
pub fn App() -> impl IntoView {
    provide_federation();
    view! {
        <Router>
            <Header />
            <main id="contenu" class="gu-main" tabindex="-1">
                <Routes fallback=NotFoundPage>
                    <Route path=path!("/") view=HomePage />
                    <Route path=path!("/accessibilite") view=AccessibilityPage />
                </Routes>
            </main>
            <Footer />
        </Router>
    }
}
