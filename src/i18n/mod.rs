//! Every text the citizen reads, in one place, so a second language is one new file.
//!
//! Components never hold French literals: they call [`texts()`] and read a field. Texts with values
//! in them are small functions on [`Texts`] so word order can differ between languages.

mod fr;

pub use fr::FR;

/// The languages the interface can be shown in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Fr,
}

impl Lang {
    /// The BCP 47 tag written to `<html lang>`.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Fr => "fr",
        }
    }
}

/// The texts of the current language.
pub fn texts() -> &'static Texts {
    &FR
}

/// All interface texts of one language.
#[derive(Debug)]
pub struct Texts {
    pub site: SiteTexts,
    pub home: HomeTexts,
    pub not_found: NotFoundTexts,
    pub accessibility: AccessibilityTexts,
    pub errors: ErrorTexts,
}

#[derive(Debug)]
pub struct SiteTexts {
    pub name: &'static str,
    pub tagline: &'static str,
    pub skip_to_content: &'static str,
    pub home_link_label: &'static str,
    pub main_nav_label: &'static str,
    pub nav_home: &'static str,
    pub nav_my_procedures: &'static str,
    pub demo_banner: &'static str,
    pub footer_label: &'static str,
    pub footer_accessibility: &'static str,
    pub footer_about: &'static str,
    pub loading: &'static str,
    pub retry: &'static str,
    pub title_suffix: &'static str,
}

#[derive(Debug)]
pub struct HomeTexts {
    pub page_title: &'static str,
    pub title: &'static str,
    pub lead: &'static str,
    pub federation_heading: &'static str,
    pub members_label: &'static str,
    pub services_label: &'static str,
    pub online_label: &'static str,
    pub catalogue_error_title: &'static str,
    pub catalogue_error_help: &'static str,
}

#[derive(Debug)]
pub struct NotFoundTexts {
    pub title: &'static str,
    pub body: &'static str,
    pub back_home: &'static str,
}

#[derive(Debug)]
pub struct AccessibilityTexts {
    pub title: &'static str,
    pub paragraphs: &'static [&'static str],
}

/// Plain-French explanations of what went wrong while fetching something.
#[derive(Debug)]
pub struct ErrorTexts {
    pub unreachable: &'static str,
    pub timeout: &'static str,
    pub not_found: &'static str,
    pub server: &'static str,
    pub http_other: &'static str,
    pub undecodable: &'static str,
    pub unreadable_body: &'static str,
    pub catalogue_invalid: &'static str,
}
