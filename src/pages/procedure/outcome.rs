//! What the citizen reads about a write that did not simply succeed: refused (and why), unknown
//! (answers frozen while the provider is asked, with a way to ask again), or confirmed not
//! written. Shared by the review of a procedure and the reply form.

use crate::components::{Notice, NoticeKind};
use crate::i18n::texts;
use crate::procedure::outcome::{Frozen, Status, Write};
use leptos::prelude::*;

#[component]
pub fn WriteOutcome(
    write: RwSignal<Write>,
    /// "votre demande" or "votre réponse".
    what: &'static str,
    /// The collectivity, as the citizen knows it.
    member: String,
    /// The title of a refusal.
    failed_title: &'static str,
    /// Asks the provider again.
    on_check: Callback<()>,
) -> impl IntoView {
    let t = &texts().outcome;
    move || match write.with(|w| w.status.clone()) {
        Status::Unresolved {
            why,
            checking,
            check_failed,
        } => {
            let cause = match why {
                Frozen::Failed(e) => format!("{} {e}", t.not_completed),
                Frozen::Interrupted => t.interrupted.to_owned(),
                Frozen::KeyReused => t.key_reused.to_owned(),
            };
            let frozen = t.frozen(what, &member);
            view! {
                <Notice kind=NoticeKind::Error title=t.unresolved_title(what)>
                    <p>{cause}</p>
                    <p>{frozen}</p>
                    <p>{texts().procedure.kept}</p>
                    {checking.then(|| view! { <p>{t.checking}</p> })}
                    {check_failed.map(|e| view! {
                        <p>{t.check_failed} " " {e.to_string()}</p>
                        <p><button type="button" class="gu-button gu-button--secondary" on:click=move |_| on_check.run(())>{t.check_again}</button></p>
                    })}
                    <p>{t.resend_safe}</p>
                </Notice>
            }
            .into_any()
        }
        Status::Refused(e) => view! {
            <Notice kind=NoticeKind::Error title=failed_title>
                <p>{e.to_string()}</p>
                <p>{texts().procedure.kept}</p>
            </Notice>
        }
        .into_any(),
        Status::NotWritten => {
            let body = t.not_written_body(&member);
            view! {
                <Notice kind=NoticeKind::Warning title=t.not_written_title(what)>
                    <p>{body}</p>
                </Notice>
            }
            .into_any()
        }
        _ => ().into_any(),
    }
}
