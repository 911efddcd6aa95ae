//! Notices: a titled box telling the citizen something about the page (error, warning, info).
//!
//! The kind is always spelled out by the title text, never by colour alone (RGAA 3.1). Errors use
//! `role="alert"` so screen readers announce them when they appear.

use leptos::prelude::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoticeKind {
    Info,
    Success,
    Warning,
    Error,
}

impl NoticeKind {
    /// The BEM modifier class of this kind.
    pub fn class(self) -> &'static str {
        match self {
            NoticeKind::Info => "gu-notice gu-notice--info",
            NoticeKind::Success => "gu-notice gu-notice--success",
            NoticeKind::Warning => "gu-notice gu-notice--warning",
            NoticeKind::Error => "gu-notice gu-notice--error",
        }
    }

    /// Errors interrupt; everything else is announced politely.
    pub fn role(self) -> &'static str {
        match self {
            NoticeKind::Error => "alert",
            _ => "status",
        }
    }
}

#[component]
pub fn Notice(
    /// What kind of message this is; it sets the colour and the ARIA role.
    kind: NoticeKind,
    /// A short title that says what happened.
    #[prop(into)]
    title: String,
    /// Details, actions.
    #[prop(optional)]
    children: Option<Children>,
) -> impl IntoView {
    view! {
        <div class=kind.class() role=kind.role()>
            <p class="gu-notice__title">{title}</p>
            {children.map(|c| c())}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::NoticeKind;

    #[test]
    fn every_kind_maps_to_its_own_class_and_role() {
        let cases = [
            (NoticeKind::Info, "gu-notice gu-notice--info", "status"),
            (
                NoticeKind::Success,
                "gu-notice gu-notice--success",
                "status",
            ),
            (
                NoticeKind::Warning,
                "gu-notice gu-notice--warning",
                "status",
            ),
            (NoticeKind::Error, "gu-notice gu-notice--error", "alert"),
        ];
        for (kind, class, role) in cases {
            assert_eq!(kind.class(), class);
            assert_eq!(kind.role(), role);
        }
    }
}
