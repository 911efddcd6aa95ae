//! The line under a form that says whether the draft was saved — and, when it was not, a notice
//! that says why (announced once per change of message, not at every keystroke).

use crate::components::{Notice, NoticeKind};
use crate::i18n::texts;
use crate::procedure::autosave::Autosave;
use crate::procedure::flow::Flow;
use leptos::prelude::*;

/// What `status` says, as a hint or as an error notice.
#[component]
pub fn AutosaveNotice(status: Memo<Autosave>) -> impl IntoView {
    move || match status.get() {
        Autosave::NotSaved(why) => view! {
            <Notice kind=NoticeKind::Error title=why>
                <p>{texts().drafts.not_saved_help}</p>
            </Notice>
        }
        .into_any(),
        ok => view! { <p class="gu-hint gu-autosave">{ok.text()}</p> }.into_any(),
    }
}

/// The draft status of a procedure.
#[component]
pub fn AutosaveStatus(flow: Flow) -> impl IntoView {
    let persistence = flow.services.persistence;
    let status = Memo::new(move |_| {
        flow.unkept.with(|u| {
            flow.saved
                .with(|s| Autosave::of(persistence, s, u.values()))
        })
    });
    view! { <AutosaveNotice status /> }
}
