//! Test harness: a real provider over real HTTP with a real database (SQLite, or PostgreSQL when
//! `GUICHET_TEST_DATABASE_URL` says so: see [`database`]), and a small issuer publishing a JWKS so
//! tests can mint tokens (valid, expired, forged, wrong audience…).

#![allow(dead_code, clippy::unwrap_used)] // test support: a failure here is a broken fixture

mod database;
pub use database::TestDatabase;

use axum::Json;
use axum::routing::get;
use jsonwebtoken::{Algorithm, EncodingKey, Header, encode};
use provider::config::Config;
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

/// The test provider's resource indicator (its public base URL; it listens elsewhere).
pub const AUDIENCE: &str = "https://demarches.gien.test/api";
pub const CAMILLE: &str = "demo-camille-martin";
pub const JEAN: &str = "demo-jean-lefebvre";
pub const PORTAL: &str = "http://127.0.0.1:8080";

/// The provider crate's test fixtures (also found from the conformance crate's tests, which share
/// this harness).
fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../provider/tests/fixtures")
        .join(name)
}

/// The demo forms folder.
pub fn demo_forms() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../demo/forms")
}

pub struct TestProvider {
    pub url: String,
    pub issuer: String,
    pub config: Config,
    pub client: reqwest::Client,
    _dir: TempDir,
    /// Dropped after the folder (a PostgreSQL database is dropped on the server).
    pub database: TestDatabase,
}

/// A directory removed when dropped.
pub struct TempDir(pub PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Serves the issuer's discovery document and JWKS on a free port; returns its URL.
pub async fn start_issuer() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let jwk: Value =
        serde_json::from_str(&std::fs::read_to_string(fixture("issuer-public.jwk.json")).unwrap())
            .unwrap();
    let discovery = json!({ "issuer": url, "jwks_uri": format!("{url}/jwks") });
    let app = axum::Router::new()
        .route(
            "/.well-known/openid-configuration",
            get(move || async move { Json(discovery) }),
        )
        .route(
            "/jwks",
            get(move || async move { Json(json!({ "keys": [jwk] })) }),
        );
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    url
}

/// How to start a test provider.
pub struct Options {
    pub latency_ms: u64,
    /// Extra lines of the `[limits]` section.
    pub limits: String,
    /// Form schema files.
    pub forms: Vec<PathBuf>,
    /// Wraps the provider's router (to break the contract on purpose in conformance tests).
    pub wrap: fn(axum::Router) -> axum::Router,
    /// `[auth] dpop`: "allowed" (tests sign plain bearer tokens) or "required".
    pub dpop: &'static str,
    /// The issuer to trust (default: a new test issuer).
    pub issuer: Option<String>,
    /// Where the provider listens (`127.0.0.1:0` when served in process on a listener of its own).
    pub bind: String,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            latency_ms: 0,
            limits: "max_file_bytes = 3000000".into(),
            forms: vec![
                demo_forms().join("acte-naissance.json"),
                demo_forms().join("transport-scolaire.json"),
            ],
            wrap: |router| router,
            dpop: "allowed",
            issuer: None,
            bind: "127.0.0.1:0".into(),
        }
    }
}

/// A provider serving the demo forms `acte-naissance` and `transport-scolaire`.
pub async fn start() -> TestProvider {
    start_opts(Options::default()).await
}

pub async fn start_with(latency_ms: u64) -> TestProvider {
    start_opts(Options {
        latency_ms,
        ..Options::default()
    })
    .await
}

/// A provider trusting `issuer`, with `[auth] dpop = dpop` ("required" or "allowed").
pub async fn start_full(issuer: String, latency_ms: u64, dpop: &'static str) -> TestProvider {
    start_opts(Options {
        latency_ms,
        dpop,
        issuer: Some(issuer),
        ..Options::default()
    })
    .await
}

/// A new temporary folder for one test.
pub fn temp_dir(purpose: &str) -> TempDir {
    let dir = std::env::temp_dir().join(format!("guichet-{purpose}-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    TempDir(dir)
}

/// Writes a configuration for `options` and `database` (a URL) to `config_path`; its storage is
/// the folder `files` beside it.
pub fn write_config(config_path: &Path, issuer: &str, options: &Options, database: &str) {
    let forms: Vec<String> = options
        .forms
        .iter()
        .map(|f| format!("{:?}", f.display().to_string()))
        .collect();
    std::fs::write(
        config_path,
        format!(
            r#"member = "gien"
name = "Ville de Gien (test)"
reference_prefix = "TEST"
bind = "{bind}"
database = "{database}"
storage = "files"
forms = [{forms}]
allowed_origins = ["{PORTAL}"]
[auth]
issuer = "{issuer}"
audience = "{AUDIENCE}"
dpop = "{dpop}"
[limits]
{limits}
[testing]
latency_ms = {latency_ms}
"#,
            bind = options.bind,
            forms = forms.join(", "),
            limits = options.limits,
            latency_ms = options.latency_ms,
            dpop = options.dpop,
        ),
    )
    .unwrap();
}

pub async fn start_opts(options: Options) -> TestProvider {
    let issuer = match options.issuer.clone() {
        Some(issuer) => issuer,
        None => start_issuer().await,
    };
    let dir = temp_dir("provider-test");
    let database = TestDatabase::create(&dir.0);
    let config_path = dir.0.join("provider.toml");
    write_config(&config_path, &issuer, &options, &database.url);
    let config = Config::load(&config_path).unwrap();
    let state = provider::build_state(config.clone()).await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let app = (options.wrap)(provider::api::router(state));
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    TestProvider {
        url,
        issuer,
        config,
        client: reqwest::Client::new(),
        _dir: dir,
        database,
    }
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// A token of the test issuer at `issuer` (its URL) for `spec`.
pub fn mint(issuer: &str, spec: &TokenSpec<'_>) -> String {
    let key_file = if spec.forged {
        "forger-key.pem"
    } else {
        "issuer-key.pem"
    };
    let key = EncodingKey::from_rsa_pem(&std::fs::read(fixture(key_file)).unwrap()).unwrap();
    let mut header = Header::new(Algorithm::RS256);
    header.kid = Some("test-key".into());
    header.typ = Some("at+jwt".into());
    let claims = json!({
        "sub": spec.subject,
        "aud": spec.audience,
        "iss": spec.issuer.unwrap_or(issuer),
        "iat": now(),
        "exp": (now() as i64 + spec.expires_in),
        "client_id": "guichet-portal",
    });
    encode(&header, &claims, &key).unwrap()
}

/// A valid token of the test issuer at `issuer` for `subject`, for this harness's audience.
pub fn token_from(issuer: &str, subject: &str) -> String {
    mint(
        issuer,
        &TokenSpec {
            subject,
            audience: AUDIENCE,
            issuer: None,
            expires_in: 600,
            forged: false,
        },
    )
}

/// What to put in a test token.
pub struct TokenSpec<'a> {
    pub subject: &'a str,
    pub audience: &'a str,
    pub issuer: Option<&'a str>,
    pub expires_in: i64,
    pub forged: bool,
}

impl TestProvider {
    pub fn token_for(&self, subject: &str) -> String {
        token_from(&self.issuer, subject)
    }

    pub fn token(&self, spec: &TokenSpec<'_>) -> String {
        mint(&self.issuer, spec)
    }

    pub async fn db(&self) -> provider::db::Db {
        provider::db::Db::open(&self.config.database).await.unwrap()
    }

    /// How many demandes are stored (checked after failures: nothing partial is kept).
    pub async fn count(&self) -> usize {
        provider::db::all(&self.db().await.pool, None, None)
            .await
            .unwrap()
            .len()
    }

    pub fn get(&self, path: &str, subject: &str) -> reqwest::RequestBuilder {
        self.client
            .get(format!("{}{path}", self.url))
            .bearer_auth(self.token_for(subject))
    }

    pub async fn submit(&self, subject: &str, key: &str, form: Form) -> reqwest::Response {
        submit_to(&self.client, &self.url, &self.token_for(subject), key, form).await
    }
}

/// Submits `form` to `acte-naissance` on the provider at `url` with `token` and `key`.
pub async fn submit_to(
    client: &reqwest::Client,
    url: &str,
    token: &str,
    key: &str,
    form: Form,
) -> reqwest::Response {
    client
        .post(format!("{url}/v1/forms/acte-naissance/demandes"))
        .bearer_auth(token)
        .header("idempotency-key", key)
        .multipart(form)
        .send()
        .await
        .unwrap()
}

/// Valid answers to `acte-naissance` for oneself (no attachment needed).
pub fn acte_for_myself() -> Value {
    json!({
        "pour_qui": "moi", "prenom": "Camille", "nom": "Martin", "date_naissance": "1988-04-12",
        "type_acte": "copie_integrale", "exemplaires": "1", "courriel": "camille.martin@example.fr",
        "adresse": { "street": "12 rue Louis Blanc", "postal_code": "45500", "city": "Gien" }
    })
}

pub const PDF: &[u8] =
    b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

pub fn submission(answers: Value) -> Form {
    Form::new().text(
        "submission",
        json!({ "form_version": 1, "answers": answers }).to_string(),
    )
}

/// `acte-naissance` for someone else: needs a proof of relationship (a file).
pub fn acte_for_my_child(proof: &'static [u8], declared: &str) -> Form {
    let mut answers = acte_for_myself();
    answers["pour_qui"] = json!("autre");
    answers["prenom"] = json!("Léa");
    answers["lien"] = json!("enfant");
    answers["justificatif_lien"] = json!({ "part": "preuve", "name": "livret.pdf", "size": proof.len(), "content_type": declared });
    submission(answers).part(
        "preuve",
        Part::bytes(proof)
            .file_name("livret.pdf")
            .mime_str(declared)
            .unwrap(),
    )
}

/// Files in the provider's storage folder (finished and `.part`).
pub fn stored_files(p: &TestProvider) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(&p.config.storage)
        .map(|dir| {
            dir.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

/// A multipart body built by hand, so tests control exactly when each byte is sent.
pub struct RawMultipart {
    pub boundary: String,
    pub body: Vec<u8>,
}

impl RawMultipart {
    pub fn new() -> Self {
        RawMultipart {
            boundary: format!("guichet-test-{}", uuid::Uuid::new_v4().simple()),
            body: Vec::new(),
        }
    }

    pub fn text(mut self, name: &str, value: &str) -> Self {
        self.body.extend_from_slice(
            format!(
                "--{}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n",
                self.boundary
            )
            .as_bytes(),
        );
        self
    }

    pub fn file(mut self, name: &str, file_name: &str, bytes: &[u8]) -> Self {
        self.body.extend_from_slice(
            format!(
                "--{}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{file_name}\"\r\nContent-Type: application/pdf\r\n\r\n",
                self.boundary
            )
            .as_bytes(),
        );
        self.body.extend_from_slice(bytes);
        self.body.extend_from_slice(b"\r\n");
        self
    }

    pub fn finish(mut self) -> Self {
        self.body
            .extend_from_slice(format!("--{}--\r\n", self.boundary).as_bytes());
        self
    }
}

/// What came back over a raw connection.
pub struct RawResponse {
    pub status: u16,
    pub head: String,
    pub body: String,
}

impl RawResponse {
    pub fn header(&self, name: &str) -> Option<String> {
        self.head.lines().find_map(|line| {
            let (k, v) = line.split_once(':')?;
            k.trim()
                .eq_ignore_ascii_case(name)
                .then(|| v.trim().to_owned())
        })
    }
}

impl TestProvider {
    /// POSTs `body` to `path` over a raw connection, sending it in `pieces` (byte counts), with
    /// `pause` before each piece after the first; a `None` piece size means the rest. Returns
    /// the response, or `None` if the server closed the connection without one.
    pub async fn post_slowly(
        &self,
        path: &str,
        subject: &str,
        key: &str,
        body: &RawMultipart,
        pieces: &[(usize, std::time::Duration)],
    ) -> Option<RawResponse> {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let address = self.url.trim_start_matches("http://");
        let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
        let head = format!(
            "POST {path} HTTP/1.1\r\nHost: {address}\r\nAuthorization: Bearer {}\r\nIdempotency-Key: {key}\r\nContent-Type: multipart/form-data; boundary={}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            self.token_for(subject),
            body.boundary,
            body.body.len()
        );
        stream.write_all(head.as_bytes()).await.unwrap();
        let mut sent: usize = 0;
        for (size, pause) in pieces {
            tokio::time::sleep(*pause).await;
            let end = sent.saturating_add(*size).min(body.body.len());
            if stream.write_all(&body.body[sent..end]).await.is_err() {
                break;
            }
            sent = end;
        }
        let mut answer = Vec::new();
        let _ = stream.read_to_end(&mut answer).await;
        let text = String::from_utf8_lossy(&answer).into_owned();
        let (head, body) = text.split_once("\r\n\r\n")?;
        let status = head.split_whitespace().nth(1)?.parse().ok()?;
        Some(RawResponse {
            status,
            head: head.to_owned(),
            body: body.to_owned(),
        })
    }
}

/// Runs the agent CLI action through the library, as the binary does.
pub async fn agent_request_document(p: &TestProvider, id: &str, label: &str) {
    provider::agent::request_document(&p.db().await, id, label, None)
        .await
        .unwrap();
}
