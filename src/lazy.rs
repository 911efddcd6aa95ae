//! Code splitting: the parts of the app the first page does not need, downloaded when needed.
//!
//! Citizens on old phones and Slow 4G pay for every byte of the first page. With the cargo feature
//! `split` (what `cargo xtask build` uses), every function declared with [`lazy_view!`] becomes a
//! split point (`wasm_split_helpers`, re-exported by Leptos): after linking, xtask cuts the code
//! only reachable from it into its own `.wasm` chunk, fetched the first time it is called.
//! Without the feature (`trunk serve`, native tests) the same functions run directly.
//!
//! Leptos's own `#[lazy_route]` panics when a chunk fails to download, which aborts the whole
//! app. These split points are declared `fallible` instead: a failed download becomes a
//! [`ChunkError`], shown by [`LazyPage`] as a French message with a "Réessayer" button, and the
//! next attempt downloads again (failures are not remembered).

use crate::components::NoticeKind;
use crate::i18n::texts;
use leptos::prelude::*;
use std::future::Future;
use std::pin::Pin;

/// A part of the app could not be downloaded (network lost, server unreachable).
#[derive(Debug, Clone, thiserror::Error)]
#[error("a part of the application could not be downloaded")]
pub struct ChunkError;

#[cfg(feature = "split")]
impl From<leptos::wasm_split::SplitLoaderError> for ChunkError {
    fn from(_: leptos::wasm_split::SplitLoaderError) -> Self {
        ChunkError
    }
}

/// What a lazy route calls to get its page: downloads the chunk if needed, then builds the view.
pub type LoadView = fn() -> Pin<Box<dyn Future<Output = Result<AnyView, ChunkError>>>>;

/// Declares a view that lives in its own chunk, and a function that downloads that chunk without
/// building anything (to preload it while the citizen reads the current page).
///
/// `lazy_view!(dashboard, preload_dashboard, __preload_dashboard, signed_in_chunk, || view)` makes
/// `dashboard()` (async, `Result<AnyView, ChunkError>`) and `preload_dashboard()`; every
/// view declared with the same chunk name shares one `.wasm` file.
macro_rules! lazy_view {
    ($(#[$doc:meta])* $name:ident, $preload:ident, $raw_preload:ident, $chunk:ident, || $body:expr) => {
        $(#[$doc])*
        #[cfg(feature = "split")]
        #[leptos::wasm_split::wasm_split(
            $chunk,
            wasm_split_path = ::leptos::wasm_split,
            fallible,
            preload(#[doc(hidden)] $raw_preload)
        )]
        pub fn $name() -> Result<AnyView, ChunkError> {
            Ok($body.into_any())
        }

        $(#[$doc])*
        #[cfg(not(feature = "split"))]
        pub async fn $name() -> Result<AnyView, ChunkError> {
            Ok($body.into_any())
        }

        /// Downloads this view's chunk without building it (nothing to do without code splitting).
        /// Only the views likely to come next are preloaded.
        #[allow(dead_code)]
        pub async fn $preload() -> Result<(), ChunkError> {
            #[cfg(feature = "split")]
            {
                $raw_preload().await.map_err(ChunkError::from)
            }
            #[cfg(not(feature = "split"))]
            {
                Ok(())
            }
        }
    };
}

pub mod views {
    //! The views that are downloaded on demand. Views a citizen uses together share a chunk
    //! (browsing a commune and its services; everything that needs to be signed in; the
    //! information pages): each split point multiplies the small chunks of code shared between
    //! split points, and each file is one more request on a slow network.
    use super::ChunkError;
    use crate::pages;
    use leptos::prelude::*;

    lazy_view!(
        /// `/commune/:insee`: the services of a commune, their filters and search.
        commune, preload_commune, __preload_commune, browse_chunk,
        || view! { <pages::CommunePage /> }
    );
    lazy_view!(
        /// `/service/:member/:slug`.
        service, preload_service, __preload_service, browse_chunk,
        || view! { <pages::ServicePage /> }
    );
    lazy_view!(
        /// `/mes-demarches`.
        dashboard, preload_dashboard, __preload_dashboard, signed_in_chunk,
        || view! { <pages::DashboardPage /> }
    );
    lazy_view!(
        /// `/mes-demarches/:member/:id`.
        demande, preload_demande, __preload_demande, signed_in_chunk,
        || view! { <pages::DemandePage /> }
    );
    lazy_view!(
        /// `/service/:member/:slug/demarche`: the schema-driven forms, drafts, review and receipt.
        procedure, preload_procedure, __preload_procedure, procedure_chunk,
        || view! { <pages::ProcedurePage /> }
    );
    lazy_view!(
        /// `/compte`.
        account, preload_account, __preload_account, signed_in_chunk,
        || view! { <pages::AccountPage /> }
    );
    lazy_view!(
        /// `/connexion/retour`: redeeming the sign-in code.
        sign_in_return, preload_sign_in_return, __preload_sign_in_return, signed_in_chunk,
        || view! { <pages::SignInReturnPage /> }
    );
    lazy_view!(
        /// `/aide` (kiosk help desks).
        help, preload_help, __preload_help, info_chunk,
        || view! { <pages::HelpPage /> }
    );
    lazy_view!(
        /// `/accessibilite`.
        accessibility, preload_accessibility, __preload_accessibility, info_chunk,
        || view! { <pages::AccessibilityPage /> }
    );
}

/// Split points that take arguments: the kiosk frame and the polling of Mes démarches, started
/// from the app's frame (`app.rs`) only when this deployment or this citizen needs them.
pub mod parts {
    use super::ChunkError;
    use crate::auth::Auth;
    use crate::state::device::DeviceStore;
    use crate::state::site::KioskConfig;
    use crate::state::tracking::Tracking;
    use leptos::prelude::*;

    /// The kiosk's bar and dialogs (and its context), for a kiosk deployment only.
    #[cfg_attr(
        feature = "split",
        leptos::wasm_split::wasm_split(
            kiosk_chunk,
            wasm_split_path = ::leptos::wasm_split,
            fallible
        )
    )]
    fn kiosk_frame(
        config: KioskConfig,
        store: DeviceStore,
        auth: Auth,
    ) -> Result<AnyView, ChunkError> {
        let kiosk = crate::kiosk::provide_kiosk(config, store, auth);
        Ok(view! {
            <crate::kiosk::KioskBar kiosk />
            <crate::kiosk::KioskDialog kiosk />
        }
        .into_any())
    }

    pub async fn kiosk(
        config: KioskConfig,
        store: DeviceStore,
        auth: Auth,
    ) -> Result<AnyView, ChunkError> {
        #[cfg(feature = "split")]
        return kiosk_frame(config, store, auth).await;
        #[cfg(not(feature = "split"))]
        return kiosk_frame(config, store, auth);
    }

    /// Starts following the signed-in citizen's demandes (the polling code is in its own chunk).
    #[cfg_attr(
        feature = "split",
        leptos::wasm_split::wasm_split(
            signed_in_chunk,
            wasm_split_path = ::leptos::wasm_split,
            fallible
        )
    )]
    fn start_polling(tracking: Tracking) -> Result<(), ChunkError> {
        tracking.start();
        Ok(())
    }

    pub async fn start_tracking(tracking: Tracking) -> Result<(), ChunkError> {
        #[cfg(feature = "split")]
        return start_polling(tracking).await;
        #[cfg(not(feature = "split"))]
        return start_polling(tracking);
    }
}

/// Split points the frame reaches outside any page: reading the catalogue (every page but the
/// home page's first screen needs it), and leaving for the identity provider. The home page does
/// not wait for them: its figures come from the build (`shell::built_figures`) until the
/// catalogue is read, and sign-in code is downloaded when a citizen asks to sign in (or a reload
/// resumes a session).
pub mod start {
    use super::ChunkError;
    use crate::auth::Auth;
    use crate::auth::session::SignInError;
    use crate::net::FetchError;
    use crate::state::federation::{Federation, Fragments, LoadError};
    use crate::state::territory::finder::TerritoryCode;
    use futures::future::LocalBoxFuture;
    use leptos::prelude::*;
    use std::sync::Arc;

    type Loading = LocalBoxFuture<'static, Result<Arc<Federation>, LoadError>>;

    /// The catalogue parser, the fragments' merging and the search index.
    #[cfg_attr(
        feature = "split",
        leptos::wasm_split::wasm_split(
            catalogue_chunk,
            wasm_split_path = ::leptos::wasm_split,
            fallible
        )
    )]
    fn federation_loader(
        latest: RwSignal<Option<Arc<Federation>>>,
        fragments: RwSignal<Fragments>,
    ) -> Result<Loading, ChunkError> {
        Ok(Box::pin(crate::state::federation::load_root(
            latest, fragments,
        )))
    }

    /// Reads the root catalogue and starts merging the fragments (see `state::federation`). The
    /// code not downloaded is reported like an unreachable catalogue: the network failed.
    pub async fn load_federation(
        latest: RwSignal<Option<Arc<Federation>>>,
        fragments: RwSignal<Fragments>,
    ) -> Result<Arc<Federation>, LoadError> {
        #[cfg(feature = "split")]
        let loading = federation_loader(latest, fragments).await;
        #[cfg(not(feature = "split"))]
        let loading = federation_loader(latest, fragments);
        match loading {
            Ok(loading) => loading.await,
            Err(ChunkError) => Err(LoadError::Fetch(FetchError::Unreachable)),
        }
    }

    /// Why leaving for (or coming back from) the identity provider could not start.
    #[derive(Debug, thiserror::Error)]
    pub enum AuthStart {
        #[error(transparent)]
        Chunk(#[from] ChunkError),
        #[error(transparent)]
        SignIn(SignInError),
    }

    /// OpenID Connect discovery, PKCE (`sha2`, `base64`) and the authorization request.
    #[cfg_attr(
        feature = "split",
        leptos::wasm_split::wasm_split(
            sign_in_chunk,
            wasm_split_path = ::leptos::wasm_split,
            fallible
        )
    )]
    fn sign_in_starter(
        auth: Auth,
        return_to: String,
        silent: bool,
    ) -> Result<LocalBoxFuture<'static, Result<(), SignInError>>, ChunkError> {
        Ok(Box::pin(
            async move { auth.sign_in(&return_to, silent).await },
        ))
    }

    /// Leaves for the issuer (`Auth::sign_in`), once its code is downloaded.
    pub async fn sign_in(auth: Auth, return_to: String, silent: bool) -> Result<(), AuthStart> {
        #[cfg(feature = "split")]
        let starting = sign_in_starter(auth, return_to, silent).await?;
        #[cfg(not(feature = "split"))]
        let starting = sign_in_starter(auth, return_to, silent)?;
        starting.await.map_err(AuthStart::SignIn)
    }

    /// The territory index reader and the commune search (`state::territory::finder`): no one
    /// needs them before a citizen starts typing their commune or opens a commune's page.
    #[cfg_attr(
        feature = "split",
        leptos::wasm_split::wasm_split(
            territory_chunk,
            wasm_split_path = ::leptos::wasm_split,
            fallible
        )
    )]
    fn territory_functions() -> Result<TerritoryCode, ChunkError> {
        Ok(crate::state::territory::finder::code())
    }

    /// The territory functions, once their code is downloaded.
    pub async fn territory_code() -> Result<TerritoryCode, ChunkError> {
        #[cfg(feature = "split")]
        return territory_functions().await;
        #[cfg(not(feature = "split"))]
        return territory_functions();
    }

    /// Discovery and the POSTed logout (`auth::logout`).
    #[cfg_attr(
        feature = "split",
        leptos::wasm_split::wasm_split(
            sign_in_chunk,
            wasm_split_path = ::leptos::wasm_split,
            fallible
        )
    )]
    fn sign_out_starter(
        auth: Auth,
        after: String,
    ) -> Result<LocalBoxFuture<'static, bool>, ChunkError> {
        Ok(Box::pin(async move { auth.sign_out(&after).await }))
    }

    /// Signs out here and at the issuer (`Auth::sign_out`); `false` when the issuer was not
    /// left for (no session there, or its code could not be downloaded): the caller navigates.
    pub async fn sign_out(auth: Auth, after: String) -> bool {
        #[cfg(feature = "split")]
        let starting = sign_out_starter(auth, after).await;
        #[cfg(not(feature = "split"))]
        let starting = sign_out_starter(auth, after);
        match starting {
            Ok(signing_out) => signing_out.await,
            Err(ChunkError) => {
                // Not at the issuer, but here at least: nothing of the session is left in this
                // page, and no silent sign-in brings it back after the caller's reload.
                auth.forget_session();
                false
            }
        }
    }
}

/// A page whose chunk is worth downloading before it is asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Next {
    Commune,
    Service,
    Procedure,
    Demande,
}

/// The page a citizen most likely opens after `path`: the home page leads to a commune, a commune
/// to a service, a service to doing it online, the list of demandes to one of them.
pub fn next_likely(path: &str) -> Option<Next> {
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    match segments.as_slice() {
        [""] => Some(Next::Commune),
        ["commune", _] => Some(Next::Service),
        ["service", _, _] => Some(Next::Procedure),
        ["mes-demarches"] => Some(Next::Demande),
        _ => None,
    }
}

impl Next {
    async fn preload(self) -> Result<(), ChunkError> {
        match self {
            Next::Commune => views::preload_commune().await,
            Next::Service => views::preload_service().await,
            Next::Procedure => views::preload_procedure().await,
            Next::Demande => views::preload_demande().await,
        }
    }
}

/// After each navigation, once the browser is idle, downloads the chunk of the likely next page,
/// so following a link does not wait for the network. A failure here is silent: the page itself
/// retries when opened, and explains if it cannot.
#[component]
pub fn PreloadNext() -> impl IntoView {
    let location = leptos_router::hooks::use_location();
    Effect::new(move |_| {
        if let Some(next) = next_likely(&location.pathname.get()) {
            when_idle(move || {
                leptos::task::spawn_local(async move {
                    let _ = next.preload().await;
                });
            });
        }
    });
}

/// Runs `f` when the browser has nothing else to do (`requestIdleCallback`, or in a second where
/// it is missing, as in Safari).
fn when_idle(f: impl FnOnce() + 'static) {
    use wasm_bindgen::JsCast;
    let Some(window) = web_sys::window() else {
        return;
    };
    let callback = wasm_bindgen::closure::Closure::once_into_js(f);
    let idle = js_sys::Reflect::get(&window, &"requestIdleCallback".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    match idle {
        Some(request_idle_callback) => {
            let _ = request_idle_callback.call1(&window, &callback);
        }
        None => {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(
                callback.unchecked_ref(),
                1000,
            );
        }
    }
}

/// Boxes an async view loader so routes can hold it as a plain function pointer.
#[macro_export]
macro_rules! load_view {
    ($path:path) => {
        (|| Box::pin($path()) as ::std::pin::Pin<Box<dyn ::std::future::Future<Output = _>>>)
            as $crate::lazy::LoadView
    };
}

/// A page whose code is downloaded on demand: "Chargement…" meanwhile, then the page; if the
/// download fails, an explained error and a "Réessayer" button that downloads again.
#[component]
pub fn LazyPage(load: LoadView) -> impl IntoView {
    let attempt = RwSignal::new(0u32);
    view! {
        <Suspense fallback=|| view! { <p class="gu-container gu-loading">{texts().site.loading}</p> }>
            {move || {
                attempt.track();
                Suspend::new(send_wrapper::SendWrapper::new(async move {
                    match load().await {
                        Ok(page) => page,
                        Err(_) => view! { <ChunkFailed retry=move || attempt.update(|n| *n += 1) /> }
                            .into_any(),
                    }
                }))
            }}
        </Suspense>
    }
}

/// What a citizen sees when a part of the app could not be downloaded: the page's title says so
/// (the page itself could not be shown), the alert says what to do.
#[component]
pub fn ChunkFailed(retry: impl Fn() + Send + Sync + 'static) -> impl IntoView {
    let t = &texts().site;
    let kind = NoticeKind::Error;
    view! {
        <div class="gu-container">
            <h1>{t.chunk_failed_title}</h1>
            <div class=kind.class() role=kind.role()>
                <p>{t.chunk_failed_body}</p>
                <button type="button" class="gu-button" on:click=move |_| retry()>{t.retry}</button>
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::{Next, next_likely};

    #[test]
    fn the_likely_next_page_follows_a_citizens_usual_path() {
        assert_eq!(next_likely("/"), Some(Next::Commune));
        assert_eq!(next_likely("/commune/45155"), Some(Next::Service));
        assert_eq!(
            next_likely("/service/gien/acte-naissance"),
            Some(Next::Procedure)
        );
        assert_eq!(next_likely("/mes-demarches"), Some(Next::Demande));
    }

    #[test]
    fn pages_that_lead_nowhere_in_particular_preload_nothing() {
        for path in [
            "/service/gien/acte-naissance/demarche",
            "/compte",
            "/connexion/retour",
            "/accessibilite",
            "/mes-demarches/gien/abc",
        ] {
            assert_eq!(next_likely(path), None, "{path}");
        }
    }
}
