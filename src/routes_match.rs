//! The router (`app.rs`, `path!(…)`) and the links (`Page::href`) name the same URLs.
//!
//! The router's paths must be literals for `path!`, so they cannot be read from [`Page`]: this
//! test reads them from the router's source instead and checks both ways — every page's link
//! opens exactly one route, and every route is some page's link. A page added on one side only
//! fails here (and a new `Page` variant fails to compile until it has an example below).

use crate::routes::Page;

/// One example of every page; the `match` makes a new variant a compile error until listed.
fn examples() -> Vec<Page> {
    let all = vec![
        Page::Home,
        Page::Accessibility,
        Page::Commune("45155".into()),
        Page::Service("gien/acte-naissance".into()),
        Page::Procedure("gien/acte-naissance".into()),
        Page::Dashboard,
        Page::Demande {
            member: "gien".into(),
            id: "abc".into(),
        },
        Page::Account,
        Page::SignInReturn,
        Page::Help,
    ];
    for page in &all {
        match page {
            Page::Home
            | Page::Accessibility
            | Page::Commune(_)
            | Page::Service(_)
            | Page::Procedure(_)
            | Page::Dashboard
            | Page::Demande { .. }
            | Page::Account
            | Page::SignInReturn
            | Page::Help => {}
        }
    }
    all
}

/// The paths the router declares, in order.
fn router_paths() -> Vec<&'static str> {
    include_str!("app.rs")
        .split("path!(\"")
        .skip(1)
        .filter_map(|rest| rest.split_once("\")").map(|(path, _)| path))
        .collect()
}

/// Whether `href` is matched by the router path `pattern` (`:name` is one non-empty segment).
fn matches(pattern: &str, href: &str) -> bool {
    let pattern: Vec<&str> = pattern.split('/').collect();
    let href: Vec<&str> = href.split('/').collect();
    pattern.len() == href.len()
        && pattern
            .iter()
            .zip(&href)
            .all(|(p, h)| p.strip_prefix(':').map_or(p == h, |_| !h.is_empty()))
}

#[test]
fn every_page_link_opens_exactly_one_route() {
    let routes = router_paths();
    assert!(routes.len() >= 10, "router paths not found: {routes:?}");
    for page in examples() {
        let href = page.href();
        let opening: Vec<_> = routes.iter().filter(|r| matches(r, &href)).collect();
        assert_eq!(opening.len(), 1, "{page:?} ({href}) opens {opening:?}");
    }
}

#[test]
fn every_route_is_the_link_of_a_page() {
    let hrefs: Vec<String> = examples().iter().map(Page::href).collect();
    for route in router_paths() {
        assert!(
            hrefs.iter().any(|h| matches(route, h)),
            "the router serves {route}, which no Page links to"
        );
    }
}

#[test]
fn a_link_with_another_shape_opens_no_route() {
    assert!(!matches("/service/:member/:slug", "/service/gien"));
    assert!(!matches("/commune/:insee", "/commune/"));
    assert!(matches("/commune/:insee", "/commune/45155"));
}
