//! The painted shell: what `index.html` shows before the wasm has arrived.
//!
//! On Slow 4G the code takes a second or more to arrive; until it runs, a page that is only a
//! `<script>` is white. The shell is the app's own first screen written as static HTML — the
//! header, the home page's title and "Où habitez-vous ?" with the commune field — styled by the
//! same inlined CSS, so the first paint needs no code. When the app has rendered, it removes the
//! shell in the same task (`src/shell.rs`), before the next paint: no jump, no duplicate
//! landmarks. What a citizen typed into the shell's field is handed to the app's field.
//!
//! The texts are the app's (`src/i18n/fr.rs`); a test below keeps them equal. On any other page
//! than `/`, the route script (`site.rs`) hides the home part before the first paint.

use crate::error::{Error, Result};
use crate::paths;

/// Texts shown by the shell, each one exactly as in `src/i18n/fr.rs`.
const NAME: &str = "Guichet";
const TAGLINE: &str = "Vos démarches locales, au même endroit";
const SKIP: &str = "Aller au contenu";
const HOME_LINK_LABEL: &str = " — retour à l’accueil";
const NAV_LABEL: &str = "Menu principal";
const NAV_HOME: &str = "Accueil";
const NAV_MINE: &str = "Mes démarches";
const DEMO_BANNER: &str = "Site de démonstration : les collectivités sont réelles, les services et les données sont fictifs.";
const TITLE: &str =
    "Vos démarches auprès de votre commune, de votre intercommunalité et de votre département";
const LEAD: &str = "Trouvez au même endroit les services de toutes les collectivités qui s’occupent de vous, faites vos démarches en ligne avec un seul compte et suivez-les toutes ici.";
const HEADING: &str = "Où habitez-vous ?";
const LABEL: &str = "Votre commune";
const HINT: &str = "Nom de la commune, code postal ou code INSEE. Exemple : Gien, 45500";
const SUBMIT: &str = "Voir mes services";
const SIGN_IN: &str = "Se connecter";

/// The shell's markup, placed first in `<body>`. `demo`: the catalogue is demonstration data.
/// No form: without the app, Enter must not reload the page and lose what was typed. "Se
/// connecter" is only drawn (hidden from assistive technologies): it cannot work before the app.
pub fn markup(demo: bool) -> String {
    let banner = if demo {
        format!("<p class=\"gu-demo-banner\"><span class=\"gu-container\">{DEMO_BANNER}</span></p>")
    } else {
        String::new()
    };
    format!(
        r##"<div id="gu-shell">
<a class="gu-skip-link" href="#contenu">{SKIP}</a>
<header class="gu-header"><div class="gu-container gu-header__bar">
<a href="/" class="gu-header__brand"><svg class="gu-header__logo" viewBox="0 0 32 32" aria-hidden="true" focusable="false"><rect width="32" height="32" rx="6" fill="#1b4f8a"></rect><path d="M8 13h16v11H8z" fill="#fff"></path><path d="M6 13l10-6 10 6z" fill="#fff"></path><path d="M14 17h4v7h-4z" fill="#1b4f8a"></path></svg><span><span class="gu-header__name">{NAME}</span><span class="gu-header__tagline">{TAGLINE}</span></span><span class="gu-visually-hidden">{HOME_LINK_LABEL}</span></a>
<nav class="gu-header__nav" aria-label="{NAV_LABEL}"><ul><li><a href="/" aria-current="page">{NAV_HOME}</a></li><li><a href="/mes-demarches">{NAV_MINE}</a></li><li><span class="gu-header__button" aria-hidden="true">{SIGN_IN}</span></li></ul></nav>
</div>{banner}</header>
<main id="contenu" class="gu-main" tabindex="-1"><div id="gu-shell-home">
<section class="gu-hero"><div class="gu-container"><h1>{TITLE}</h1><p class="gu-hero__lead">{LEAD}</p></div></section>
<div class="gu-container"><section class="gu-chooser" aria-labelledby="chooser-heading"><h2 id="chooser-heading">{HEADING}</h2>
<div class="gu-chooser__form"><label class="gu-label" for="commune-saisie">{LABEL}</label><p class="gu-hint" id="commune-aide">{HINT}</p>
<div class="gu-combobox"><input id="commune-saisie" class="gu-input" type="text" autocomplete="off" aria-describedby="commune-aide"></div>
<button type="button" class="gu-button">{SUBMIT}</button></div></section></div>
</div></main>
</div>
"##
    )
}

/// Checks that every text of the shell is, word for word, in the app's French texts.
pub fn check_texts_match_the_app() -> Result<()> {
    let path = paths::root().join("src/i18n/fr.rs");
    let app = std::fs::read_to_string(&path).map_err(|e| Error::io("reading", &path, e))?;
    let texts = [
        NAME,
        TAGLINE,
        SKIP,
        HOME_LINK_LABEL,
        NAV_LABEL,
        NAV_HOME,
        NAV_MINE,
        DEMO_BANNER,
        TITLE,
        LEAD,
        HEADING,
        LABEL,
        HINT,
        SUBMIT,
        SIGN_IN,
    ];
    match texts.iter().find(|t| !app.contains(&format!("\"{t}\""))) {
        None => Ok(()),
        Some(missing) => Err(Error::Inconsistent {
            what: format!("the painted shell says \"{missing}\", which src/i18n/fr.rs does not"),
            fix: "update the texts at the top of xtask/src/shell.rs to the app's".into(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shell_says_exactly_what_the_app_says() {
        check_texts_match_the_app().unwrap();
    }

    #[test]
    fn the_demo_banner_is_shown_only_for_demonstration_catalogues() {
        assert!(markup(true).contains(DEMO_BANNER));
        assert!(!markup(false).contains(DEMO_BANNER));
    }
}
