//! Kiosk mode, for the shared touch screens of France services houses.
//!
//! Turned on by the deployment (`portail.toml`), never by a passer-by. On a kiosk:
//! * nothing personal is written to the device (storage is memory-only, see `state::device`);
//! * a permanent bar says the device is shared and offers "Recommencer", "Terminer et tout
//!   effacer" and "Demander de l'aide à un conseiller";
//! * after a few minutes without activity, a full-screen countdown warns, then [`wipe`] runs;
//! * sign-in always asks for a password (`prompt=login`, `max_age=0`, `auth_time` checked), with the
//!   kiosks' own client at the identity provider when the deployment names one;
//! * [`wipe`] ("Terminer et tout effacer", "Recommencer", or inactivity) forgets everything —
//!   storage, drafts, the DPoP key and every token, profile, search text, history — and **always**
//!   ends the identity provider's session (even when this page never completed a sign-in), by
//!   leaving the page: nothing in memory survives a full navigation, and a page restored from the
//!   back-forward cache reloads itself.

mod bar;
mod inactivity;

pub use bar::{KioskBar, KioskDialog};
pub use inactivity::use_inactivity;

use crate::auth::Auth;
use crate::state::device::DeviceStore;
use crate::state::site::KioskConfig;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;

/// Where a wiped kiosk lands (the next citizen sees the home page and a short notice).
pub const ENDED_PATH: &str = "/?session=terminee";

#[derive(Clone, Copy)]
pub struct Kiosk {
    pub config: StoredValue<KioskConfig>,
    pub wiping: RwSignal<bool>,
    store: DeviceStore,
    auth: Auth,
}

pub fn provide_kiosk(config: KioskConfig, store: DeviceStore, auth: Auth) -> Kiosk {
    let kiosk = Kiosk {
        config: StoredValue::new(config),
        wiping: RwSignal::new(false),
        store,
        auth,
    };
    provide_context(kiosk);
    crate::shared_history::remember_start();
    mark_document();
    reload_when_restored_from_cache();
    kiosk
}

/// Texts about what this device keeps: a kiosk keeps nothing past the session, so it never says
/// "enregistré sur cet appareil" — it says `on_kiosk` instead.
///
/// Read from the deployment settings, not from the [`Kiosk`] context: that context lives in the
/// lazily loaded kiosk frame, beside the pages, which cannot see it.
pub fn device_text(on_device: &'static str, on_kiosk: &'static str) -> &'static str {
    let kiosk =
        use_context::<crate::state::site::LoadedSite>().is_some_and(|s| s.config.kiosk.enabled);
    if kiosk { on_kiosk } else { on_device }
}

/// `<html class="gu-kiosk">`: larger type and touch targets everywhere (see `style/tokens.css`).
fn mark_document() {
    if let Some(root) = crate::browser::document().and_then(|d| d.document_element()) {
        let _ = root.class_list().add_1("gu-kiosk");
    }
}

/// A page brought back by the back button from the browser's cache would show the previous
/// citizen's screen: reload it instead.
fn reload_when_restored_from_cache() {
    let Some(window) = crate::browser::window() else {
        return;
    };
    let handler = Closure::<dyn Fn(web_sys::PageTransitionEvent)>::new(
        |event: web_sys::PageTransitionEvent| {
            if event.persisted() {
                crate::browser::replace_with(ENDED_PATH);
            }
        },
    );
    let _ = window.add_event_listener_with_callback("pageshow", handler.as_ref().unchecked_ref());
    handler.forget();
}

impl Kiosk {
    /// Forgets everything and ends the session (at the issuer too), then starts afresh.
    pub fn wipe(&self) {
        if self.wiping.get_untracked() {
            return;
        }
        self.wiping.set(true);
        self.store.wipe();
        let auth = self.auth;
        leptos::task::spawn_local(async move {
            // Back to this document's first entry: the navigation below then drops every later
            // entry of this citizen's history.
            crate::shared_history::rewind_this_document().await;
            let after = format!("{}{ENDED_PATH}", crate::browser::current_origin());
            if !auth.end_everything(&after).await {
                crate::browser::go_to(&after);
            }
        });
    }
}
