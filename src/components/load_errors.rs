//! What a page shows when what it needs could not be loaded: the reasons in plain French, the
//! catalogue's diagnostics when the catalogue is invalid (for the people who maintain it), and
//! what the citizen can do meanwhile — for the whole catalogue ([`LoadErrors`]), or for one member
//! whose own catalogue is late or broken ([`MemberProblems`], [`ServiceMissing`]).

use crate::components::{Notice, NoticeKind};
use crate::i18n::texts;
use crate::state::federation::{FragmentProblem, LoadError, MemberProblem, expect_federation};
use leptos::prelude::*;

#[component]
pub fn LoadErrors(errors: ArcRwSignal<Errors>) -> impl IntoView {
    let t = &texts().home;
    let details = move || {
        errors.with(|errors| {
            errors
                .iter()
                .map(|(_, e)| {
                    let lines = e
                        .downcast_ref::<LoadError>()
                        .and_then(|e| match e {
                            LoadError::Invalid(lines) => Some(lines.clone()),
                            LoadError::Fetch(_) => None,
                        })
                        .unwrap_or_default();
                    view! {
                        <p>{e.to_string()}</p>
                        <Diagnostics lines />
                    }
                })
                .collect_view()
        })
    };
    view! {
        <Notice kind=NoticeKind::Error title=t.catalogue_error_title>
            {details}
            <p>{t.catalogue_error_help}</p>
        </Notice>
    }
}

/// The diagnostics of a catalogue file, folded, for the people who maintain it.
#[component]
fn Diagnostics(lines: Vec<String>) -> impl IntoView {
    (!lines.is_empty()).then(|| {
        view! {
            <details>
                <summary>{texts().errors.details_for_maintainers}</summary>
                <ul>{lines.into_iter().map(|l| view! { <li><code>{l}</code></li> }).collect_view()}</ul>
            </details>
        }
    })
}

/// One member's fragment problem: whose, why, and that everything else works.
#[component]
fn MemberProblemNotice(problem: MemberProblem) -> impl IntoView {
    let title = format!(
        "{} : {}",
        problem.member_name,
        texts().commune.fragment_problem.to_lowercase()
    );
    let (why, lines) = match problem.problem {
        FragmentProblem::Unreachable(e) => (e.to_string(), Vec::new()),
        FragmentProblem::Invalid(lines) => {
            (format!("{}.", texts().errors.catalogue_invalid), lines)
        }
    };
    view! {
        <div class="gu-member-problem" data-member=problem.member_id.clone()>
            <Notice kind=NoticeKind::Warning title>
                <p>{why}</p>
                <p>{texts().errors.fragment_help}</p>
                <Diagnostics lines />
            </Notice>
        </div>
    }
}

/// For the `members` a page shows: those whose services are still on their way, and those whose
/// own catalogue could not be (wholly) used. Updates as fragments arrive or fail.
#[component]
pub fn MemberProblems(members: Vec<String>) -> impl IntoView {
    let federation = expect_federation();
    let here = StoredValue::new(members);
    move || {
        federation.fragments.with(|f| {
            let here = here.get_value();
            let pending = f
                .pending
                .iter()
                .filter(|(id, _)| here.contains(id))
                .map(|(id, name)| {
                    view! {
                        <p class="gu-pending" role="status" data-member=id.clone()>
                            {name.clone()} " — " {texts().errors.fragment_pending}
                        </p>
                    }
                })
                .collect_view();
            let problems = f
                .problems
                .iter()
                .filter(|p| here.contains(&p.member_id))
                .map(|p| view! { <MemberProblemNotice problem=p.clone() /> })
                .collect_view();
            view! { {pending} {problems} }
        })
    }
}

/// A service that is not in the catalogue: still loading if its member's services are on their
/// way, else not found — with the member's problem when its catalogue could not be used.
#[component]
pub fn ServiceMissing(member: String) -> impl IntoView {
    let federation = expect_federation();
    move || {
        if federation.is_pending(&member) {
            return view! { <p class="gu-loading" role="status">{texts().site.loading}</p> }
                .into_any();
        }
        let problem = federation.problem_of(&member);
        view! {
            <p>{texts().service.not_found_body}</p>
            {problem.map(|problem| view! { <MemberProblemNotice problem /> })}
        }
        .into_any()
    }
}
