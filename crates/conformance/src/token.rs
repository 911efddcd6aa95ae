//! Getting citizens' tokens from an OpenID provider the way the portal does, and presenting them.
//!
//! Sign-in is the authorization code flow with PKCE through the provider's login form, over plain
//! HTTP with a cookie jar, asking for the provider under test (and another one) as resources
//! (RFC 8707). The code and the refresh token are redeemed with DPoP proofs (RFC 9449) signed by a
//! P-256 key made for the run, so the tokens are bound to it, exactly as the browser's are; one
//! access token per resource comes from the (rotated) refresh token.
//!
//! This works with the demo identity provider (`tools/identity-provider`, form fields `login` and
//! `password`); for another issuer, pass bearer tokens obtained otherwise with `--token`/`--token-b`.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ring::rand::SystemRandom;
use ring::signature::{ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair, KeyPair};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use std::sync::Arc;

#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    #[error("{0}")]
    Http(#[from] reqwest::Error),
    #[error("the sign-in flow stopped: {0}")]
    Flow(String),
    #[error("cannot make a DPoP key: {0}")]
    Key(String),
}

/// A DPoP key pair (P-256), as a browser holds one: the private half never leaves this value.
pub struct DpopKey {
    pair: EcdsaKeyPair,
    jwk: Value,
}

impl std::fmt::Debug for DpopKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DpopKey").field("jwk", &self.jwk).finish()
    }
}

fn seconds_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default()
}

impl DpopKey {
    pub fn generate() -> Result<DpopKey, TokenError> {
        let rng = SystemRandom::new();
        let key = |e: ring::error::Unspecified| TokenError::Key(e.to_string());
        let pkcs8 =
            EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &rng).map_err(key)?;
        let pair = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, pkcs8.as_ref(), &rng)
            .map_err(|e| TokenError::Key(e.to_string()))?;
        let point = pair.public_key().as_ref();
        let jwk = json!({
            "kty": "EC", "crv": "P-256",
            "x": URL_SAFE_NO_PAD.encode(&point[1..33]),
            "y": URL_SAFE_NO_PAD.encode(&point[33..65]),
        });
        Ok(DpopKey { pair, jwk })
    }

    /// A proof for `method url` (query and fragment dropped), for `access_token` when given.
    pub fn proof(&self, method: &str, url: &str, access_token: Option<&str>) -> String {
        let htu = url.split(['?', '#']).next().unwrap_or(url);
        let mut claims = json!({
            "jti": uuid::Uuid::new_v4().to_string(),
            "htm": method,
            "htu": htu,
            "iat": seconds_now(),
        });
        if let Some(token) = access_token {
            claims["ath"] = json!(URL_SAFE_NO_PAD.encode(Sha256::digest(token.as_bytes())));
        }
        let header = json!({ "typ": "dpop+jwt", "alg": "ES256", "jwk": self.jwk });
        let input = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(header.to_string()),
            URL_SAFE_NO_PAD.encode(claims.to_string())
        );
        let signature = self
            .pair
            .sign(&SystemRandom::new(), input.as_bytes())
            .map(|s| URL_SAFE_NO_PAD.encode(s.as_ref()))
            .unwrap_or_default();
        format!("{input}.{signature}")
    }
}

/// An access token and, when it is DPoP-bound, the key it is bound to.
#[derive(Clone, Debug)]
pub struct Credential {
    pub access_token: String,
    pub key: Option<Arc<DpopKey>>,
}

impl Credential {
    /// A bearer token obtained elsewhere (`--token`).
    pub fn bearer(access_token: String) -> Credential {
        Credential {
            access_token,
            key: None,
        }
    }

    /// The headers that present this credential on a `method url` request (a fresh proof each
    /// time for a bound token).
    pub fn headers(&self, method: &str, url: &str) -> Vec<(&'static str, String)> {
        match &self.key {
            Some(key) => vec![
                ("authorization", format!("DPoP {}", self.access_token)),
                ("dpop", key.proof(method, url, Some(&self.access_token))),
            ],
            None => vec![("authorization", format!("Bearer {}", self.access_token))],
        }
    }
}

/// Adds a [`Credential`] to a request being built (reads its method and URL).
pub trait WithCredential {
    fn credential(self, credential: &Credential) -> Self;
}

impl WithCredential for reqwest::RequestBuilder {
    fn credential(self, credential: &Credential) -> Self {
        let (client, request) = self.build_split();
        let mut request = match request {
            Ok(request) => request,
            Err(e) => {
                // Keep the error visible at `send()`: a request to a reserved, unresolvable name.
                let url = format!("http://invalid.invalid/{}", urlencode(&e.to_string()));
                return client.get(url);
            }
        };
        for (name, value) in credential.headers(request.method().as_str(), request.url().as_str()) {
            if let Ok(value) = reqwest::header::HeaderValue::from_str(&value) {
                request.headers_mut().insert(name, value);
            }
        }
        reqwest::RequestBuilder::from_parts(client, request)
    }
}

fn urlencode(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

/// How to sign in.
#[derive(Clone, Debug)]
pub struct SignIn<'a> {
    pub issuer: &'a str,
    pub client_id: &'a str,
    pub redirect_uri: &'a str,
    pub login: &'a str,
    pub password: &'a str,
    /// Bind the tokens to a fresh DPoP key (the portal clients require it).
    pub dpop: bool,
}

/// What a sign-in gives: one access token per requested resource, in order.
#[derive(Debug)]
pub struct Tokens {
    pub per_resource: Vec<Credential>,
}

/// Signs in and obtains one access token for each of `resources` (provider API base URLs).
pub async fn obtain(sign_in: &SignIn<'_>, resources: &[&str]) -> Result<Tokens, TokenError> {
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    let key = if sign_in.dpop {
        Some(Arc::new(DpopKey::generate()?))
    } else {
        None
    };
    let discovery: Value = client
        .get(format!(
            "{}/.well-known/openid-configuration",
            sign_in.issuer.trim_end_matches('/')
        ))
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    let endpoint = |name: &str| {
        discovery[name]
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| TokenError::Flow(format!("no {name} in discovery")))
    };
    let token_endpoint = endpoint("token_endpoint")?;
    let (code, verifier) = authorize(
        &client,
        sign_in,
        &endpoint("authorization_endpoint")?,
        resources,
    )
    .await?;
    let redeem = |form: Vec<(&'static str, String)>| {
        let mut request = client.post(&token_endpoint).form(&form);
        if let Some(key) = &key {
            request = request.header("dpop", key.proof("POST", &token_endpoint, None));
        }
        async move {
            let response = request.send().await?;
            let status = response.status();
            let body: Value = response.json().await.unwrap_or_default();
            if !status.is_success() {
                return Err(TokenError::Flow(format!(
                    "token endpoint: HTTP {status} {body}"
                )));
            }
            Ok::<Value, TokenError>(body)
        }
    };
    let first = redeem(vec![
        ("grant_type", "authorization_code".into()),
        ("client_id", sign_in.client_id.into()),
        ("redirect_uri", sign_in.redirect_uri.into()),
        ("code", code),
        ("code_verifier", verifier),
    ])
    .await?;
    let mut refresh = first["refresh_token"].as_str().map(str::to_owned);
    let mut per_resource = Vec::new();
    for resource in resources {
        let Some(current) = refresh.take() else {
            return Err(TokenError::Flow(
                "no refresh token to ask for a resource".into(),
            ));
        };
        let answer = redeem(vec![
            ("grant_type", "refresh_token".into()),
            ("client_id", sign_in.client_id.into()),
            ("refresh_token", current),
            ("resource", (*resource).to_owned()),
        ])
        .await?;
        refresh = answer["refresh_token"].as_str().map(str::to_owned);
        let access_token = answer["access_token"]
            .as_str()
            .ok_or_else(|| TokenError::Flow("no access_token".into()))?;
        per_resource.push(Credential {
            access_token: access_token.to_owned(),
            key: key.clone(),
        });
    }
    Ok(Tokens { per_resource })
}

/// The browser's part: authorization request, login form, redirects; returns (code, verifier).
async fn authorize(
    client: &reqwest::Client,
    sign_in: &SignIn<'_>,
    authorization_endpoint: &str,
    resources: &[&str],
) -> Result<(String, String), TokenError> {
    let verifier = URL_SAFE_NO_PAD.encode(uuid::Uuid::new_v4().as_bytes())
        + &URL_SAFE_NO_PAD.encode(uuid::Uuid::new_v4().as_bytes());
    let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    let mut authorize = form_urlencoded::Serializer::new(format!("{authorization_endpoint}?"));
    authorize
        .append_pair("response_type", "code")
        .append_pair("client_id", sign_in.client_id)
        .append_pair("redirect_uri", sign_in.redirect_uri)
        .append_pair("scope", "openid profile email phone address")
        .append_pair("state", "conformance")
        .append_pair("nonce", "conformance")
        .append_pair("code_challenge", &challenge)
        .append_pair("code_challenge_method", "S256");
    for resource in resources {
        authorize.append_pair("resource", resource);
    }
    let authorize = authorize.finish();
    let issuer = sign_in.issuer.trim_end_matches('/');
    let absolute = |location: &str| {
        if location.starts_with('/') {
            format!("{issuer}{location}")
        } else {
            location.to_owned()
        }
    };
    let mut response = client.get(&authorize).send().await?;
    let mut posted = false;
    for _ in 0..10 {
        let Some(location) = response
            .headers()
            .get("location")
            .and_then(|l| l.to_str().ok())
            .map(absolute)
        else {
            if posted {
                return Err(TokenError::Flow(format!(
                    "login refused (HTTP {})",
                    response.status()
                )));
            }
            // The login page: post the credentials to `<interaction>/login`.
            let page = response.url().clone();
            response = client
                .post(format!("{page}/login"))
                .form(&[("login", sign_in.login), ("password", sign_in.password)])
                .send()
                .await?;
            posted = true;
            continue;
        };
        if location.starts_with(sign_in.redirect_uri) {
            let query = location.split_once('?').map(|(_, q)| q).unwrap_or_default();
            if let Some((_, error)) =
                form_urlencoded::parse(query.as_bytes()).find(|(k, _)| k == "error")
            {
                return Err(TokenError::Flow(format!("the issuer refused: {error}")));
            }
            let code = form_urlencoded::parse(query.as_bytes())
                .find(|(k, _)| k == "code")
                .map(|(_, v)| v.into_owned())
                .ok_or_else(|| TokenError::Flow(format!("no code in {location}")))?;
            return Ok((code, verifier));
        }
        response = client.get(&location).send().await?;
    }
    Err(TokenError::Flow("too many redirects".into()))
}
