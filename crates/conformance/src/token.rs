//! Getting citizens' access tokens from an OpenID provider the way a browser does: authorization
//! code + PKCE through the provider's login form, over plain HTTP with a cookie jar.
//!
//! This works with the demo identity provider (`tools/identity-provider`, form fields `login` and
//! `password`); for another issuer, pass tokens obtained otherwise with `--token`/`--token-b`.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};

#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    #[error("{0}")]
    Http(#[from] reqwest::Error),
    #[error("the sign-in flow stopped: {0}")]
    Flow(String),
}

/// Signs `login` in at `issuer` as the portal client and returns the access token.
pub async fn obtain(
    issuer: &str,
    client_id: &str,
    redirect_uri: &str,
    login: &str,
    password: &str,
) -> Result<String, TokenError> {
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    let verifier = URL_SAFE_NO_PAD.encode(uuid::Uuid::new_v4().as_bytes())
        + &URL_SAFE_NO_PAD.encode(uuid::Uuid::new_v4().as_bytes());
    let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    let discovery: serde_json::Value = client
        .get(format!(
            "{}/.well-known/openid-configuration",
            issuer.trim_end_matches('/')
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
    let authorize =
        form_urlencoded::Serializer::new(format!("{}?", endpoint("authorization_endpoint")?))
            .append_pair("response_type", "code")
            .append_pair("client_id", client_id)
            .append_pair("redirect_uri", redirect_uri)
            .append_pair("scope", "openid profile email phone address")
            .append_pair("state", "conformance")
            .append_pair("nonce", "conformance")
            .append_pair("code_challenge", &challenge)
            .append_pair("code_challenge_method", "S256")
            .finish();
    let absolute = |location: &str| {
        if location.starts_with('/') {
            format!("{}{location}", issuer.trim_end_matches('/'))
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
                .form(&[("login", login), ("password", password)])
                .send()
                .await?;
            posted = true;
            continue;
        };
        if location.starts_with(redirect_uri) {
            let query = location.split_once('?').map(|(_, q)| q).unwrap_or_default();
            let code = form_urlencoded::parse(query.as_bytes())
                .find(|(k, _)| k == "code")
                .map(|(_, v)| v.into_owned())
                .ok_or_else(|| TokenError::Flow(format!("no code in {location}")))?;
            let tokens: serde_json::Value = client
                .post(endpoint("token_endpoint")?)
                .form(&[
                    ("grant_type", "authorization_code"),
                    ("client_id", client_id),
                    ("redirect_uri", redirect_uri),
                    ("code", &code),
                    ("code_verifier", &verifier),
                ])
                .send()
                .await?
                .error_for_status()?
                .json()
                .await?;
            return tokens["access_token"]
                .as_str()
                .map(str::to_owned)
                .ok_or_else(|| TokenError::Flow("no access_token".into()));
        }
        response = client.get(&location).send().await?;
    }
    Err(TokenError::Flow("too many redirects".into()))
}
