//! The deployment's settings for this portal instance: `/portail.toml`, next to the app.
//!
//! A town hall's public site needs none (the file is optional: 404 means defaults). A France
//! services house turns its shared screens into kiosks here, which a passer-by cannot undo:
//!
//! ```toml
//! [kiosk]
//! enabled = true
//! inactivity_minutes = 3     # then a countdown, then everything is wiped
//! warning_seconds = 30       # length of the countdown
//! house = "fs-gien"          # the France services house whose desk "Demander de l'aide" shows
//! client_id = "guichet-kiosque"  # the kiosks' own client at the identity provider (optional)
//! ```
//!
//! The `Deserialize` implementations are the file's definition for the differential test of
//! [`reader`] against the `toml` crate (native tests only).
//!
//! If the file exists but cannot be read, the portal fails safe: it runs as a kiosk (nothing
//! written to the device) and says the configuration is broken.

use crate::net::{self, FetchError};
use serde::Deserialize;

mod reader;

pub const SITE_CONFIG_URL: &str = "/portail.toml";

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    #[serde(default)]
    pub kiosk: KioskConfig,
}

#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct KioskConfig {
    pub enabled: bool,
    pub inactivity_minutes: u32,
    pub warning_seconds: u32,
    pub house: Option<String>,
    /// The kiosks' own client at the identity provider (short sessions, a login page that gives
    /// up after inactivity: docs/identity.md); the federation's client when absent.
    pub client_id: Option<String>,
}

impl Default for KioskConfig {
    fn default() -> Self {
        KioskConfig {
            enabled: false,
            inactivity_minutes: 3,
            warning_seconds: 30,
            house: None,
            client_id: None,
        }
    }
}

/// The settings, and whether they could be read as written.
#[derive(Clone, Debug, PartialEq)]
pub struct LoadedSite {
    pub config: SiteConfig,
    /// Set when the file exists but is unreadable; the portal then runs as a kiosk.
    pub problem: Option<String>,
}

impl SiteConfig {
    /// Reads the file's text ([`reader`]: the part of TOML the file is documented with, and no
    /// TOML library in the first page). Out-of-range values are clamped to something usable.
    pub fn parse(text: &str) -> Result<SiteConfig, String> {
        let mut config = reader::read(text).map_err(|e| e.to_string())?;
        config.kiosk.inactivity_minutes = config.kiosk.inactivity_minutes.clamp(1, 60);
        config.kiosk.warning_seconds = config.kiosk.warning_seconds.clamp(5, 120);
        Ok(config)
    }

    /// What the portal runs with, given the outcome of fetching the file.
    pub fn from_fetch(outcome: Result<String, FetchError>) -> LoadedSite {
        match outcome {
            Err(FetchError::Status(404)) => LoadedSite {
                config: SiteConfig::default(),
                problem: None,
            },
            Err(e) => LoadedSite::fail_safe(e.to_string()),
            Ok(text) => match SiteConfig::parse(&text) {
                Ok(config) => LoadedSite {
                    config,
                    problem: None,
                },
                Err(e) => LoadedSite::fail_safe(e),
            },
        }
    }
}

impl LoadedSite {
    fn fail_safe(problem: String) -> LoadedSite {
        let mut config = SiteConfig::default();
        config.kiosk.enabled = true;
        LoadedSite {
            config,
            problem: Some(problem),
        }
    }
}

/// Fetches and reads `/portail.toml`.
pub async fn load() -> LoadedSite {
    SiteConfig::from_fetch(net::get_text(SITE_CONFIG_URL, net::SMALL_FILE).await)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_file_means_a_personal_device_portal() {
        let site = SiteConfig::from_fetch(Err(FetchError::Status(404)));
        assert!(!site.config.kiosk.enabled);
        assert_eq!(site.problem, None);
    }

    #[test]
    fn reads_kiosk_settings() {
        let site = SiteConfig::from_fetch(Ok(
            "[kiosk]\nenabled = true\ninactivity_minutes = 5\nhouse = \"fs-gien\"\nclient_id = \"guichet-kiosque\"\n".into(),
        ));
        assert_eq!(
            site.config.kiosk,
            KioskConfig {
                enabled: true,
                inactivity_minutes: 5,
                warning_seconds: 30,
                house: Some("fs-gien".into()),
                client_id: Some("guichet-kiosque".into()),
            }
        );
    }

    #[test]
    fn an_unreadable_file_fails_safe_as_a_kiosk() {
        for outcome in [
            Ok("[kiosk]\nenabeld = false\n".to_string()),
            Ok("not toml at all [".to_string()),
            Err(FetchError::Status(500)),
            Err(FetchError::Unreachable),
        ] {
            let site = SiteConfig::from_fetch(outcome.clone());
            assert!(site.config.kiosk.enabled, "{outcome:?} must fail safe");
            assert!(site.problem.is_some());
        }
    }

    #[test]
    fn clamps_absurd_timings() {
        let config =
            SiteConfig::parse("[kiosk]\ninactivity_minutes = 0\nwarning_seconds = 9999\n").unwrap();
        assert_eq!(config.kiosk.inactivity_minutes, 1);
        assert_eq!(config.kiosk.warning_seconds, 120);
    }
}
