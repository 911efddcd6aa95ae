//! `/connexion/retour`: the OpenID Connect redirect URI. Redeems the code and goes back where the
//! citizen was; on failure, says why in French and offers to try again.

use crate::auth::{AuthStatus, expect_auth};
use crate::components::{Notice, NoticeKind, PageTitle};
use crate::i18n::texts;
use crate::state::federation::expect_federation;
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::use_navigate;

#[component]
pub fn SignInReturnPage() -> impl IntoView {
    let t = &texts().auth;
    let auth = expect_auth();
    let federation = expect_federation();
    let navigate = use_navigate();
    let error = RwSignal::new(None::<String>);
    let started = StoredValue::new(false);
    Effect::new(move |_| {
        // Wait for the catalogue: it names the issuer.
        let Some(Ok(_)) = federation.resource.get() else {
            return;
        };
        if started.get_value() || auth.identity().is_none() {
            return;
        }
        started.set_value(true);
        let query = crate::browser::current_query();
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            match auth.complete(&query).await {
                Ok(back) => navigate(
                    &back,
                    NavigateOptions {
                        replace: true,
                        ..Default::default()
                    },
                ),
                Err((e, _)) => error.set(Some(e.to_string())),
            }
        });
    });
    view! {
        <PageTitle title=t.returning_title.to_string() />
        <div class="gu-container">
            <h1>{t.returning_title}</h1>
            {move || match (error.get(), auth.status.get()) {
                (Some(why), _) | (None, AuthStatus::Failed(why)) => view! {
                    <Notice kind=NoticeKind::Error title=t.failed_title>
                        <p>{why}</p>
                        <p>{t.failed_help}</p>
                    </Notice>
                    <crate::pages::procedure::SignInRequired />
                }
                .into_any(),
                _ => view! { <p class="gu-loading" role="status">{t.returning}</p> }.into_any(),
            }}
        </div>
    }
}
