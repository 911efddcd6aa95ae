//! The provider's configuration file (TOML): which member it is, where its data lives, which
//! portals may call it, which issuer it trusts. Relative paths are relative to the file.
//!
//! ```toml
//! member = "gien"
//! name = "Ville de Gien"
//! reference_prefix = "GIEN"
//! bind = "127.0.0.1:8101"
//! database = "sqlite://../../../target/demo/gien.sqlite"   # or postgres://user@host/db
//! storage = "../../../target/demo/gien-files"
//! forms = ["forms/acte-naissance.json", "forms/inscription-scolaire.json"]
//! seed = "seed.toml"                                        # optional demo data
//! allowed_origins = ["https://guichet.example.fr"]
//!
//! [auth]
//! issuer = "https://connexion.example.fr"
//! audience = "https://demarches.gien.fr/api"   # this API's base URL, as the catalogue declares it
//! dpop = "required"                              # default; "allowed" also accepts bearer tokens
//!
//! [limits]            # optional
//! max_file_bytes = 10485760
//! max_request_bytes = 26214400
//! request_timeout_secs = 30    # reads
//! upload_idle_secs = 30        # a write whose body makes no progress for this long is dropped
//! upload_timeout_secs = 900    # a write's whole body, however steady
//! max_concurrent_uploads = 8
//!
//! [testing]           # optional, NEVER in production: simulates a slow provider
//! latency_ms = 300
//! ```

use serde::Deserialize;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: {message}")]
    Invalid { path: PathBuf, message: String },
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    member: String,
    name: String,
    reference_prefix: Option<String>,
    bind: String,
    database: String,
    storage: PathBuf,
    forms: Vec<PathBuf>,
    seed: Option<PathBuf>,
    allowed_origins: Vec<String>,
    auth: AuthConfig,
    #[serde(default)]
    limits: Limits,
    #[serde(default)]
    testing: Testing,
}

/// `[auth]`: whom to trust, and what a token must be to be accepted here.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuthConfig {
    /// The federation's issuer (its discovery document gives the signing keys).
    pub issuer: String,
    /// This provider's resource indicator (RFC 8707): its API base URL exactly as the catalogue
    /// declares it in `[[member]] api`, without a trailing slash. Tokens must carry it as their only
    /// `aud`, and DPoP proofs must name URLs under it (`htu`).
    pub audience: String,
    /// `"required"` (default): every token must be DPoP-bound; `"allowed"`: bearer tokens too.
    #[serde(default)]
    pub dpop: crate::auth::DpopMode,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Limits {
    /// Largest file part; larger is `413`.
    pub max_file_bytes: u64,
    /// Largest request body; larger is `413`.
    pub max_request_bytes: usize,
    /// Deadline of a read (headers to last byte of the answer).
    pub request_timeout_secs: u64,
    /// A write's body may pause this long between two chunks (and wait this long for a free
    /// upload slot): writes are timed by progress, so a slow uplink still gets through.
    pub upload_idle_secs: u64,
    /// Deadline of a whole write, however steady its progress.
    pub upload_timeout_secs: u64,
    /// Writes whose bodies are read at the same time; the others wait for a slot.
    pub max_concurrent_uploads: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: contract::form::MAX_FILE_BYTES,
            max_request_bytes: 25 * 1024 * 1024,
            request_timeout_secs: 30,
            upload_idle_secs: 30,
            upload_timeout_secs: 900,
            max_concurrent_uploads: 8,
        }
    }
}

/// Knobs for tests and benchmarks only.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Testing {
    /// Delay added before every API answer.
    pub latency_ms: u64,
}

/// The configuration, with paths resolved.
#[derive(Clone, Debug)]
pub struct Config {
    pub member: String,
    pub name: String,
    pub reference_prefix: String,
    pub bind: String,
    pub database: String,
    pub storage: PathBuf,
    /// Form schema files (JSON) this provider serves.
    pub forms: Vec<PathBuf>,
    pub seed: Option<PathBuf>,
    pub allowed_origins: Vec<String>,
    pub auth: AuthConfig,
    pub limits: Limits,
    pub testing: Testing,
}

impl Config {
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_owned(),
            source,
        })?;
        let raw: RawConfig = toml::from_str(&text).map_err(|e| ConfigError::Invalid {
            path: path.to_owned(),
            message: e.to_string(),
        })?;
        let base = std::path::absolute(path.parent().unwrap_or(Path::new("."))).unwrap_or_default();
        let resolve = |p: &Path| {
            if p.is_absolute() {
                p.to_owned()
            } else {
                base.join(p)
            }
        };
        let database = match raw.database.strip_prefix("sqlite://") {
            Some(file) if !file.starts_with('/') && !file.starts_with(':') => {
                format!(
                    "sqlite://{}",
                    normalise(&resolve(Path::new(file))).display()
                )
            }
            _ => raw.database.clone(),
        };
        let invalid = |message: String| ConfigError::Invalid {
            path: path.to_owned(),
            message,
        };
        if raw
            .allowed_origins
            .iter()
            .any(|o| o.ends_with('/') || !o.contains("://"))
        {
            return Err(invalid("allowed_origins are origins such as `https://guichet.example.fr` (scheme, host, port; no path)".into()));
        }
        if raw.limits.max_concurrent_uploads == 0
            || raw.limits.upload_idle_secs == 0
            || raw.limits.request_timeout_secs == 0
        {
            return Err(invalid(
                "[limits] max_concurrent_uploads, upload_idle_secs and request_timeout_secs must be at least 1".into(),
            ));
        }
        if !raw.bind.starts_with("127.0.0.1:")
            && !raw.bind.starts_with("0.0.0.0:")
            && !raw.bind.starts_with("[::")
        {
            return Err(invalid(format!(
                "bind `{}` is not an address such as `127.0.0.1:8101`",
                raw.bind
            )));
        }
        let audience = &raw.auth.audience;
        if !(audience.starts_with("https://") || audience.starts_with("http://"))
            || audience.ends_with('/')
            || audience.contains(['?', '#'])
        {
            return Err(invalid(format!(
                "[auth] audience `{audience}` must be this API's base URL as the catalogue declares it (e.g. `https://demarches.gien.fr/api`, no trailing slash)"
            )));
        }
        Ok(Config {
            reference_prefix: raw
                .reference_prefix
                .unwrap_or_else(|| raw.member.to_uppercase().replace('-', "")),
            member: raw.member,
            name: raw.name,
            bind: raw.bind,
            database,
            storage: normalise(&resolve(&raw.storage)),
            forms: raw.forms.iter().map(|f| resolve(f)).collect(),
            seed: raw.seed.as_deref().map(resolve),
            allowed_origins: raw.allowed_origins,
            auth: raw.auth,
            limits: raw.limits,
            testing: raw.testing,
        })
    }
}

/// `a/b/../c` → `a/c`, without touching the file system (the file may not exist yet).
fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}
