//! `/aide`: where to find a person who can help — the help desk of the France services house the
//! kiosk belongs to (from the catalogue), or every help desk of the federation elsewhere.

use crate::components::PageTitle;
use crate::components::contact::ContactDetails;
use crate::components::load_errors::LoadErrors;
use crate::i18n::texts;
use crate::state::federation::expect_federation;
use crate::state::site::LoadedSite;
use leptos::prelude::*;

#[component]
pub fn HelpPage() -> impl IntoView {
    let t = &texts().kiosk;
    let federation = expect_federation();
    let house = use_context::<LoadedSite>().and_then(|s| s.config.kiosk.house.clone());
    view! {
        <PageTitle title=t.help_title.to_string() />
        <div class="gu-container">
            <h1>{t.help_title}</h1>
            <Transition fallback=|| view! { <p class="gu-loading">{texts().site.loading}</p> }>
                <ErrorBoundary fallback=|errors| view! { <LoadErrors errors /> }>
                    {move || {
                        let house = house.clone();
                        Suspend::new(async move {
                            let federation = federation.resource.await?;
                            let desks: Vec<_> = federation
                                .catalogue
                                .help_desks()
                                .filter(|(_, d)| house.as_ref().is_none_or(|h| &d.id == h))
                                .map(|(_, d)| d.clone())
                                .collect();
                            Ok::<_, leptos::error::Error>(if desks.is_empty() {
                                view! { <p>{texts().kiosk.help_unknown}</p> }.into_any()
                            } else {
                                view! {
                                    <p>{texts().kiosk.help_intro}</p>
                                    {desks.into_iter().map(|d| view! {
                                        <section class="gu-channel">
                                            <h2>{d.name.clone()}</h2>
                                            <ContactDetails contact=d.contact.clone() />
                                        </section>
                                    }).collect_view()}
                                }
                                .into_any()
                            })
                        })
                    }}
                </ErrorBoundary>
            </Transition>
        </div>
    }
}
