//! Every page of the app and its URL, declared once.
//!
//! Links are built from [`Page`] (never from string literals scattered in views) and the router
//! in `app.rs` matches the same paths, so a URL cannot drift between a link and its route.
//! Deep links work on a static host as long as it answers unknown paths with `index.html`
//! (see `docs/deployment.md`).

/// A page of the app.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Page {
    Home,
    Accessibility,
    /// The services applying to a commune (INSEE code).
    Commune(String),
    /// A service, by its catalogue id `member/slug`.
    Service(String),
    /// Doing a service online.
    Procedure(String),
    /// All of the citizen's demandes.
    Dashboard,
    /// One demande at one member's provider.
    Demande {
        member: String,
        id: String,
    },
    Account,
    /// The OpenID Connect redirect URI.
    SignInReturn,
    /// Help desk information (kiosk).
    Help,
}

impl Page {
    /// The absolute path of the page, as used in links.
    pub fn href(&self) -> String {
        match self {
            Page::Home => "/".into(),
            Page::Accessibility => "/accessibilite".into(),
            Page::Commune(code) => format!("/commune/{code}"),
            Page::Service(id) => format!("/service/{id}"),
            Page::Procedure(id) => format!("/service/{id}/demarche"),
            Page::Dashboard => "/mes-demarches".into(),
            Page::Demande { member, id } => format!("/mes-demarches/{member}/{id}"),
            Page::Account => "/compte".into(),
            Page::SignInReturn => "/connexion/retour".into(),
            Page::Help => "/aide".into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Page;

    #[test]
    fn pages_have_stable_french_urls() {
        let cases = [
            (Page::Home, "/"),
            (Page::Accessibility, "/accessibilite"),
            (Page::Commune("45155".into()), "/commune/45155"),
            (
                Page::Service("gien/acte-naissance".into()),
                "/service/gien/acte-naissance",
            ),
            (
                Page::Procedure("gien/acte-naissance".into()),
                "/service/gien/acte-naissance/demarche",
            ),
            (Page::Dashboard, "/mes-demarches"),
            (
                Page::Demande {
                    member: "gien".into(),
                    id: "abc".into(),
                },
                "/mes-demarches/gien/abc",
            ),
            (Page::Account, "/compte"),
            (Page::SignInReturn, "/connexion/retour"),
            (Page::Help, "/aide"),
        ];
        for (page, href) in cases {
            assert_eq!(page.href(), href);
        }
    }

    #[test]
    fn the_sign_in_return_is_the_registered_redirect_uri_path() {
        assert_eq!(
            Page::SignInReturn.href(),
            crate::auth::session::CALLBACK_PATH
        );
    }
}
