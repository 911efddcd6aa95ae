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
}

impl Page {
    /// The absolute path of the page, as used in links.
    pub fn href(&self) -> String {
        match self {
            Page::Home => "/".into(),
            Page::Accessibility => "/accessibilite".into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Page;

    #[test]
    fn pages_have_stable_french_urls() {
        assert_eq!(Page::Home.href(), "/");
        assert_eq!(Page::Accessibility.href(), "/accessibilite");
    }
}
