//! `cargo xtask bench provider --postgres`: the reference provider on PostgreSQL with a
//! département's volume — 200,000 demandes of 50,000 citizens — measured on "list my demandes"
//! and on submissions, each citizen's request with that citizen's token.
//!
//! A throwaway cluster with PostgreSQL's durable defaults (fsync, synchronous commit) on
//! 127.0.0.1:55432; the schema is the provider's own (`guichet-provider migrate`), the rows are
//! generated in SQL (histories, open requests for documents, agents' messages). A small issuer
//! served here signs one RS256 token per citizen (the demo identity provider knows six people);
//! wrk picks a random citizen per request through a Lua script, for a fixed duration with a bounded
//! number of connections. Results go to `target/bench/provider-postgres.json`.

use crate::bench_provider::{self, Measured};
use crate::bench_support::{self, Killed};
use crate::error::{Error, Result};
use crate::paths;
use crate::postgres::{self, Cluster, Durability};
use crate::tools;
use serde_json::json;
use std::path::Path;

const DEMANDES: u32 = 200_000;
const CITIZENS: u32 = 50_000;
/// The audience tokens name (the provider's resource indicator; it listens elsewhere).
const AUDIENCE: &str = "https://demarches.bench.test/api";

/// Budgets from issue 19: (requests/s at least, p99 below, in ms).
const LIST_BUDGET: (f64, f64) = (5_000.0, 20.0);
const SUBMIT_BUDGET: (f64, f64) = (500.0, 100.0);

pub fn run() -> Result<()> {
    tools::ensure_postgresql()?;
    bench_provider::ensure_wrk()?;
    let provider_bin = bench_support::release_provider()?;
    let data = paths::artifacts().join("bench").join("provider-postgres");
    let _ = std::fs::remove_dir_all(&data);
    std::fs::create_dir_all(&data).map_err(|e| Error::io("creating", &data, e))?;
    let cluster = Cluster::start(postgres::PORT, Durability::AsDeployed)?;
    cluster.create_database("bench")?;
    let issuer = issuer::Issuer::start(&data)?;
    let port = free_port()?;
    let config = data.join("provider.toml");
    write(
        &config,
        &provider_config(&cluster, &issuer.url, port, &data),
    )?;
    bench_support::run_provider(&provider_bin, &config, "migrate")?;
    println!("    loading {DEMANDES} demandes of {CITIZENS} citizens…");
    cluster.psql("bench", &load_sql())?;
    cluster.psql("bench", "VACUUM ANALYZE")?;
    let tokens = data.join("tokens.txt");
    write(&tokens, &issuer.tokens(CITIZENS))?;
    let _provider: Killed = bench_support::provider(&provider_bin, &config)?;
    let base = format!("http://127.0.0.1:{port}");
    bench_support::wait_ready(&format!("{base}/healthz"))?;
    let list = measure(
        &data,
        "list",
        &list_script(&tokens),
        &format!("{base}/v1/demandes"),
    )?;
    let submit = measure(
        &data,
        "submit",
        &submit_script(&tokens),
        &format!("{base}/v1/forms/encombrants/demandes"),
    )?;
    let results = [verdict(&list, LIST_BUDGET), verdict(&submit, SUBMIT_BUDGET)];
    bench_provider::save("provider-postgres.json", &results)
}

/// Runs wrk with the Lua script `name.lua` (written into `data`) against `url`.
fn measure(data: &Path, name: &str, script: &str, url: &str) -> Result<Measured> {
    let path = data.join(format!("{name}.lua"));
    write(&path, script)?;
    let case = match name {
        "list" => format!("list my demandes (random citizen of {CITIZENS}, 200)"),
        _ => "submission (random citizen, new Idempotency-Key, 201)".to_owned(),
    };
    let connections = if name == "list" { "32" } else { "16" };
    bench_provider::wrk(
        &case,
        connections,
        &["-s".to_owned(), path.display().to_string()],
        url,
    )
}

/// The measurement with its budget and whether it was met, printed and as JSON.
fn verdict(m: &Measured, (rps, p99): (f64, f64)) -> serde_json::Value {
    let met = m.requests_per_second >= rps && m.p99_ms.is_some_and(|v| v < p99) && m.errors == 0;
    println!(
        "      budget ≥ {rps} req/s, p99 < {p99} ms, no errors: {}",
        if met { "met" } else { "NOT met" }
    );
    let mut value = m.json();
    value["budget"] = json!({ "requests_per_second": rps, "p99_ms": p99, "met": met });
    value
}

fn write(path: &Path, text: &str) -> Result<()> {
    std::fs::write(path, text).map_err(|e| Error::io("writing", path, e))
}

fn free_port() -> Result<u16> {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| Error::io("finding a free port on", "127.0.0.1", e))
}

fn provider_config(cluster: &Cluster, issuer: &str, port: u16, data: &Path) -> String {
    format!(
        "member = \"bench\"\nname = \"Département (banc d’essai)\"\nreference_prefix = \"BENCH\"\nbind = \"127.0.0.1:{port}\"\ndatabase = \"{db}\"\nstorage = \"{files}\"\nforms = [\"{form}\"]\nallowed_origins = [\"http://127.0.0.1:8080\"]\n[auth]\nissuer = \"{issuer}\"\naudience = \"{AUDIENCE}\"\ndpop = \"allowed\"\n",
        db = cluster.url_of("bench"),
        files = data.join("files").display(),
        form = paths::root().join("demo/forms/encombrants.json").display(),
    )
}

/// Valid answers to the `encombrants` form.
const ANSWERS: &str = r#"{"objets":["meubles"],"volume":"1","telephone":"02 61 91 00 00","courriel":"banc@example.fr","adresse":{"street":"1 rue A","postal_code":"45000","city":"Orléans"}}"#;

/// The département's rows, generated in SQL: demandes spread over a year in five states (a
/// history entry per state reached), a request for a document on each `action_required` one, an
/// agent's message on one in four.
fn load_sql() -> String {
    format!(
        r#"
SET TIME ZONE 'UTC';
BEGIN;
INSERT INTO demandes (id, reference, subject, form_id, form_version, form_title, answers, bucket, label, status_at, created_at, updated_at)
SELECT 'bench-' || i, 'BENCH-2025-' || lpad(i::text, 6, '0'), 'citizen-' || (i % {CITIZENS}),
       'encombrants', 1, 'Enlèvement des encombrants', '{ANSWERS}',
       s.bucket, s.label, t.at, t.at, t.at
FROM generate_series(1, {DEMANDES}) AS i
CROSS JOIN LATERAL (SELECT to_char(timestamptz '2025-01-01 00:00:00+00' + i * interval '150 seconds',
                                   'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at) t
CROSS JOIN LATERAL (SELECT (ARRAY['submitted','in_review','accepted','closed','action_required'])[1 + i % 5] AS bucket,
                           (ARRAY['Demande reçue','En cours d’instruction','Rendez-vous confirmé','Collecte effectuée','Pièce à fournir'])[1 + i % 5] AS label) s;
INSERT INTO status_history (id, demande_id, seq, bucket, label, at)
SELECT 'h1-' || id, id, 1, 'submitted', 'Demande reçue', created_at FROM demandes;
INSERT INTO status_history (id, demande_id, seq, bucket, label, at)
SELECT 'h2-' || id, id, 2, bucket, label, status_at FROM demandes WHERE bucket <> 'submitted';
INSERT INTO expectations (id, demande_id, kind, label, detail, requested_at)
SELECT 'e-' || id, id, 'document', 'Justificatif de domicile', 'De moins de 3 mois', status_at
FROM demandes WHERE bucket = 'action_required';
INSERT INTO messages (id, demande_id, seq, author, body, at)
SELECT 'm-' || id, id, 1, 'agent', 'Bonjour, votre demande est bien prise en compte.', updated_at
FROM demandes WHERE substr(id, 7)::int % 4 = 0;
COMMIT;
"#
    )
}

/// Lua shared by both scripts: the tokens file, one random citizen's token per request.
fn tokens_lua(tokens: &Path) -> String {
    format!(
        r#"local tokens = {{}}
for line in io.lines("{}") do tokens[#tokens + 1] = line end
local threads = 0
function setup(thread) threads = threads + 1; thread:set("tid", threads) end
function init(args) math.randomseed(os.time() * 100 + tid) end
local function token() return tokens[math.random(#tokens)] end
"#,
        tokens.display()
    )
}

fn list_script(tokens: &Path) -> String {
    format!(
        r#"{}
request = function()
  return wrk.format("GET", nil, {{ ["Authorization"] = "Bearer " .. token() }})
end
"#,
        tokens_lua(tokens)
    )
}

fn submit_script(tokens: &Path) -> String {
    let submission = json!({ "form_version": 1, "answers": serde_json::from_str::<serde_json::Value>(ANSWERS).unwrap_or_default() });
    let body = format!(
        "--guichetbanc\\r\\nContent-Disposition: form-data; name=\\\"submission\\\"\\r\\n\\r\\n{}\\r\\n--guichetbanc--\\r\\n",
        submission
            .to_string()
            .replace('\\', "\\\\")
            .replace('"', "\\\"")
    );
    format!(
        r#"{}
local body = "{body}"
local sent = 0
request = function()
  sent = sent + 1
  return wrk.format("POST", nil, {{
    ["Authorization"] = "Bearer " .. token(),
    ["Idempotency-Key"] = "banc-" .. tid .. "-" .. os.time() .. "-" .. sent,
    ["Content-Type"] = "multipart/form-data; boundary=guichetbanc",
  }}, body)
end
"#,
        tokens_lua(tokens)
    )
}

/// The benchmark's own issuer: an RSA key made by `openssl` (RS256, as the demo identity provider
/// signs), its discovery document and JWKS on a free loopback port, and tokens for `citizen-N`.
mod issuer {
    use super::{AUDIENCE, Error, Result, json};
    use axum::Json;
    use axum::routing::get;
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use ring::rand::SystemRandom;
    use ring::rsa::PublicKeyComponents;
    use ring::signature::{RSA_PKCS1_SHA256, RsaKeyPair};
    use std::path::Path;

    pub struct Issuer {
        pub url: String,
        key: RsaKeyPair,
        /// Serves the JWKS while the benchmark runs (on its own worker thread).
        _runtime: tokio::runtime::Runtime,
    }

    /// A new 2048-bit RSA key, made by `openssl` and converted to PKCS#1 DER, the form ring
    /// reads (it refuses OpenSSL 3's PKCS#8 output: `InvalidEncoding`, measured).
    fn new_key(data: &Path) -> Result<RsaKeyPair> {
        let (pem, der) = (data.join("issuer-key.pem"), data.join("issuer-key.der"));
        let fix = "install openssl (`apt-get install -y openssl`)";
        crate::cmd::run(
            std::process::Command::new("openssl")
                .args(["genpkey", "-quiet", "-algorithm", "RSA"])
                .args(["-pkeyopt", "rsa_keygen_bits:2048", "-out"])
                .arg(&pem),
            fix,
        )?;
        crate::cmd::run(
            std::process::Command::new("openssl")
                .args(["rsa", "-traditional", "-outform", "DER", "-in"])
                .arg(&pem)
                .arg("-out")
                .arg(&der),
            fix,
        )?;
        let bytes = std::fs::read(&der).map_err(|e| Error::io("reading", &der, e))?;
        RsaKeyPair::from_der(&bytes).map_err(|e| Error::Failed(format!("{}: {e}", der.display())))
    }

    impl Issuer {
        pub fn start(data: &Path) -> Result<Issuer> {
            let key = new_key(data)?;
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(1)
                .enable_all()
                .build()
                .map_err(|e| Error::io("starting", "runtime", e))?;
            let listener = runtime
                .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
                .map_err(|e| Error::io("listening on", "127.0.0.1", e))?;
            let address = listener
                .local_addr()
                .map_err(|e| Error::io("reading", "the issuer's address", e))?;
            let url = format!("http://{address}");
            let public = PublicKeyComponents::<Vec<u8>>::from(key.public());
            let jwk = json!({
                "kty": "RSA", "kid": "banc", "alg": "RS256", "use": "sig",
                "n": URL_SAFE_NO_PAD.encode(&public.n), "e": URL_SAFE_NO_PAD.encode(&public.e),
            });
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
            runtime.spawn(async move { axum::serve(listener, app).await });
            Ok(Issuer {
                url,
                key,
                _runtime: runtime,
            })
        }

        /// One access token per citizen (`citizen-0` … ), one per line, valid for two hours;
        /// signed on two threads (RSA signatures take about a millisecond each).
        pub fn tokens(&self, citizens: u32) -> String {
            let halves: Vec<String> = std::thread::scope(|scope| {
                let half = citizens / 2;
                let workers = [(0, half), (half, citizens)]
                    .map(|(from, to)| scope.spawn(move || self.sign_range(from, to)));
                workers
                    .into_iter()
                    .map(|w| w.join().unwrap_or_default())
                    .collect()
            });
            halves.concat()
        }

        fn sign_range(&self, from: u32, to: u32) -> String {
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_secs())
                .unwrap_or_default();
            let header = URL_SAFE_NO_PAD
                .encode(json!({ "alg": "RS256", "typ": "at+jwt", "kid": "banc" }).to_string());
            let rng = SystemRandom::new();
            let mut signature = vec![0; self.key.public().modulus_len()];
            let mut out = String::new();
            for i in from..to {
                let claims = json!({
                    "sub": format!("citizen-{i}"), "aud": AUDIENCE, "iss": self.url,
                    "iat": now, "exp": now + 7200, "client_id": "guichet-banc",
                });
                let input = format!("{header}.{}", URL_SAFE_NO_PAD.encode(claims.to_string()));
                if self
                    .key
                    .sign(&RSA_PKCS1_SHA256, &rng, input.as_bytes(), &mut signature)
                    .is_ok()
                {
                    out.push_str(&format!("{input}.{}\n", URL_SAFE_NO_PAD.encode(&signature)));
                }
            }
            out
        }
    }
}
