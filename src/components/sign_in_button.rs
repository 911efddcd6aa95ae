//! Sign-in button: starts OpenID Connect sign-in and comes back to the page it was pressed on.
//!
//! Parameters: `class` (the header's link-like button or a primary button) and the text as
//! children. A failure to start (no randomness, issuer unreachable) is put in the session's
//! status, which the page shows in a notice.
//!
//! Accessibility: a `<button type="button">` (it starts an action, it does not name a page),
//! named by its text ("Se connecter").

use crate::auth::{AuthStatus, expect_auth};
use leptos::prelude::*;

/// "Se connecter": signs in, then comes back here.
#[component]
pub fn SignInButton(#[prop(into)] class: String, children: Children) -> impl IntoView {
    let auth = expect_auth();
    let sign_in = move |_| {
        let path = crate::browser::current_path();
        leptos::task::spawn_local(async move {
            // Through the sign-in chunk: its code is downloaded when a citizen signs in.
            if let Err(e) = crate::lazy::start::sign_in(auth, path, false).await {
                auth.status.set(AuthStatus::Failed(e.to_string()));
            }
        });
    };
    view! { <button type="button" class=class on:click=sign_in>{children()}</button> }
}
