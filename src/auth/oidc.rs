//! The OpenID Connect messages of the authorization code flow, as pure functions.
//!
//! Nothing here touches the browser, so all of it is unit-tested natively: building the
//! authorization and logout URLs, reading the redirect back, and checking the ID token's claims.
//! The ID token arrives straight from the token endpoint over TLS, so per OIDC Core §3.1.3.7 (6) its
//! signature need not be re-checked by the client; issuer, audience, nonce and expiry are.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Deserialize;

/// The subset of the issuer's discovery document the app uses.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct Discovery {
    pub issuer: String,
    pub authorization_endpoint: String,
    pub token_endpoint: String,
    pub userinfo_endpoint: Option<String>,
    pub end_session_endpoint: Option<String>,
    #[serde(default)]
    pub code_challenge_methods_supported: Vec<String>,
}

/// The scopes asked for: identity, contact and postal address — what forms can pre-fill.
pub const SCOPES: &str = "openid profile email phone address";

/// What the app needs to start a sign-in.
#[derive(Clone, Debug)]
pub struct AuthorizeRequest<'a> {
    pub client_id: &'a str,
    pub redirect_uri: &'a str,
    pub state: &'a str,
    pub nonce: &'a str,
    pub code_challenge: &'a str,
    /// `true` for a silent attempt (`prompt=none`): succeeds only if the issuer already knows us.
    pub silent: bool,
    /// `true` on a shared device: the citizen must authenticate now, whatever session the issuer
    /// still has (`prompt=login`, `max_age=0`; `auth_time` is checked on return).
    pub fresh_login: bool,
    /// Every provider API the portal may call (RFC 8707 resource indicators): the sign-in covers
    /// them, and the portal later asks for one token per provider.
    pub resources: &'a [String],
}

pub fn authorize_url(discovery: &Discovery, request: &AuthorizeRequest<'_>) -> String {
    let mut query = form_urlencoded::Serializer::new(String::new());
    query
        .append_pair("response_type", "code")
        .append_pair("client_id", request.client_id)
        .append_pair("redirect_uri", request.redirect_uri)
        .append_pair("scope", SCOPES)
        .append_pair("state", request.state)
        .append_pair("nonce", request.nonce)
        .append_pair("code_challenge", request.code_challenge)
        .append_pair("code_challenge_method", "S256");
    for resource in request.resources {
        query.append_pair("resource", resource.trim_end_matches('/'));
    }
    if request.fresh_login {
        query
            .append_pair("prompt", "login")
            .append_pair("max_age", "0");
    } else if request.silent {
        query.append_pair("prompt", "none");
    }
    join_query(&discovery.authorization_endpoint, &query.finish())
}

/// The body of the token request that redeems `code` (form-encoded).
pub fn token_request_body(
    client_id: &str,
    redirect_uri: &str,
    code: &str,
    verifier: &str,
) -> String {
    form_urlencoded::Serializer::new(String::new())
        .append_pair("grant_type", "authorization_code")
        .append_pair("client_id", client_id)
        .append_pair("redirect_uri", redirect_uri)
        .append_pair("code", code)
        .append_pair("code_verifier", verifier)
        .finish()
}

/// RP-initiated logout (OIDC RP-Initiated Logout 1.0): where to POST, and the form's fields.
///
/// The form is POSTed, never put in a URL: with the ID token as `id_token_hint`, brokers such as
/// Keycloak end the session without asking for confirmation, and the ID token — which carries the
/// citizen's profile claims — stays out of the browser history, the address bar and the issuer's
/// access logs. Without an ID token (the sign-in never completed), `client_id` alone says which
/// client asks and where to come back; the issuer ends the session of this browser (its cookie).
pub fn logout_form(
    discovery: &Discovery,
    client_id: &str,
    after: &str,
    id_token: Option<&str>,
) -> Option<(String, Vec<(&'static str, String)>)> {
    let endpoint = discovery.end_session_endpoint.as_deref()?;
    let mut fields = vec![
        ("client_id", client_id.to_owned()),
        ("post_logout_redirect_uri", after.to_owned()),
    ];
    if let Some(hint) = id_token {
        fields.push(("id_token_hint", hint.to_owned()));
    }
    Some((endpoint.to_owned(), fields))
}

fn join_query(endpoint: &str, query: &str) -> String {
    let separator = if endpoint.contains('?') { '&' } else { '?' };
    format!("{endpoint}{separator}{query}")
}

/// What the issuer sent back to the redirect URI.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Callback {
    Code {
        code: String,
        state: String,
    },
    Error {
        error: String,
        description: Option<String>,
        state: Option<String>,
    },
}

/// Reads the query string (without `?`) of the redirect back from the issuer.
pub fn parse_callback(query: &str) -> Option<Callback> {
    let mut code = None;
    let mut state = None;
    let mut error = None;
    let mut description = None;
    for (key, value) in form_urlencoded::parse(query.trim_start_matches('?').as_bytes()) {
        match key.as_ref() {
            "code" => code = Some(value.into_owned()),
            "state" => state = Some(value.into_owned()),
            "error" => error = Some(value.into_owned()),
            "error_description" => description = Some(value.into_owned()),
            _ => {}
        }
    }
    match (error, code, state) {
        (Some(error), _, state) => Some(Callback::Error {
            error,
            description,
            state,
        }),
        (None, Some(code), Some(state)) => Some(Callback::Code { code, state }),
        _ => None,
    }
}

/// The ID token claims the app checks.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct IdTokenClaims {
    pub iss: String,
    pub sub: String,
    #[serde(deserialize_with = "one_or_many")]
    pub aud: Vec<String>,
    pub exp: u64,
    pub nonce: Option<String>,
    #[serde(default)]
    pub iat: Option<u64>,
    #[serde(default)]
    pub auth_time: Option<u64>,
}

fn one_or_many<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(String),
        Many(Vec<String>),
    }
    Ok(match OneOrMany::deserialize(d)? {
        OneOrMany::One(s) => vec![s],
        OneOrMany::Many(v) => v,
    })
}

/// Why an ID token was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum IdTokenError {
    #[error("la réponse du service de connexion est illisible (jeton d’identité)")]
    Malformed,
    #[error("le jeton d’identité vient de {0}, pas du service de connexion du guichet")]
    WrongIssuer(String),
    #[error("le jeton d’identité n’est pas destiné à ce guichet")]
    WrongAudience,
    #[error("le jeton d’identité ne correspond pas à cette connexion")]
    WrongNonce,
    #[error("le jeton d’identité a expiré : recommencez la connexion")]
    Expired,
    #[error(
        "le service de connexion n’a pas redemandé le mot de passe : sur une borne partagée, il le doit"
    )]
    NotFreshlyAuthenticated,
}

/// On a shared device, the ID token must prove the citizen authenticated during this sign-in
/// (`max_age=0`): the issuer's own clock says how long before issuing the token (`iat`) the
/// authentication happened (`auth_time`), and that cannot exceed the time this browser saw pass
/// since it sent the citizen there (plus a little tolerance). Comparing two durations, not two
/// clocks, keeps this exact on a kiosk whose clock is off.
pub fn check_fresh_authentication(
    claims: &IdTokenClaims,
    elapsed_since_request_seconds: u64,
) -> Result<(), IdTokenError> {
    const TOLERANCE_SECONDS: u64 = 5;
    match (claims.auth_time, claims.iat) {
        (Some(auth_time), Some(iat))
            if iat.saturating_sub(auth_time)
                <= elapsed_since_request_seconds + TOLERANCE_SECONDS =>
        {
            Ok(())
        }
        _ => Err(IdTokenError::NotFreshlyAuthenticated),
    }
}

/// All the claims of an ID token's payload (profile claims included), without checking them:
/// call [`check_id_token`] first.
pub fn id_token_claims(id_token: &str) -> Option<serde_json::Map<String, serde_json::Value>> {
    let payload = id_token.split('.').nth(1)?;
    let bytes = URL_SAFE_NO_PAD.decode(payload.trim_end_matches('=')).ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// Decodes the ID token's payload and checks issuer, audience, nonce and expiry.
pub fn check_id_token(
    id_token: &str,
    issuer: &str,
    client_id: &str,
    nonce: &str,
    now_seconds: u64,
) -> Result<IdTokenClaims, IdTokenError> {
    let payload = id_token.split('.').nth(1).ok_or(IdTokenError::Malformed)?;
    let bytes = URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .map_err(|_| IdTokenError::Malformed)?;
    let claims: IdTokenClaims =
        serde_json::from_slice(&bytes).map_err(|_| IdTokenError::Malformed)?;
    if claims.iss.trim_end_matches('/') != issuer.trim_end_matches('/') {
        return Err(IdTokenError::WrongIssuer(claims.iss));
    }
    if !claims.aud.iter().any(|a| a == client_id) {
        return Err(IdTokenError::WrongAudience);
    }
    if claims.nonce.as_deref() != Some(nonce) {
        return Err(IdTokenError::WrongNonce);
    }
    // A minute of tolerance for clocks that disagree.
    if claims.exp + 60 < now_seconds {
        return Err(IdTokenError::Expired);
    }
    Ok(claims)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn discovery() -> Discovery {
        Discovery {
            issuer: "http://127.0.0.1:8090".into(),
            authorization_endpoint: "http://127.0.0.1:8090/auth".into(),
            token_endpoint: "http://127.0.0.1:8090/token".into(),
            userinfo_endpoint: Some("http://127.0.0.1:8090/me".into()),
            end_session_endpoint: Some("http://127.0.0.1:8090/session/end".into()),
            code_challenge_methods_supported: vec!["S256".into()],
        }
    }

    fn request(silent: bool) -> AuthorizeRequest<'static> {
        AuthorizeRequest {
            client_id: "guichet-portal",
            redirect_uri: "http://127.0.0.1:8080/connexion/retour",
            state: "st",
            nonce: "no",
            code_challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
            silent,
            fresh_login: false,
            resources: &[],
        }
    }

    fn jwt(claims: &str) -> String {
        format!(
            "eyJhbGciOiJSUzI1NiJ9.{}.c2ln",
            URL_SAFE_NO_PAD.encode(claims)
        )
    }

    #[test]
    fn authorize_url_asks_for_a_code_with_pkce_s256() {
        let url = authorize_url(&discovery(), &request(false));
        assert!(url.starts_with("http://127.0.0.1:8090/auth?response_type=code&"));
        assert!(url.contains("code_challenge_method=S256"));
        assert!(url.contains("redirect_uri=http%3A%2F%2F127.0.0.1%3A8080%2Fconnexion%2Fretour"));
        assert!(url.contains("scope=openid+profile+email+phone+address"));
        assert!(!url.contains("prompt="));
    }

    #[test]
    fn silent_sign_in_adds_prompt_none() {
        assert!(authorize_url(&discovery(), &request(true)).ends_with("&prompt=none"));
    }

    #[test]
    fn reads_a_code_or_an_error_from_the_redirect() {
        assert_eq!(
            parse_callback("?code=abc&state=st&iss=x"),
            Some(Callback::Code {
                code: "abc".into(),
                state: "st".into()
            })
        );
        assert_eq!(
            parse_callback("error=login_required&state=st"),
            Some(Callback::Error {
                error: "login_required".into(),
                description: None,
                state: Some("st".into())
            })
        );
        assert_eq!(parse_callback("code=abc"), None);
    }

    #[test]
    fn accepts_a_matching_id_token() {
        let token = jwt(
            r#"{"iss":"http://127.0.0.1:8090","sub":"s","aud":"guichet-portal","exp":2000,"nonce":"no"}"#,
        );
        let claims = check_id_token(
            &token,
            "http://127.0.0.1:8090/",
            "guichet-portal",
            "no",
            1000,
        );
        assert_eq!(claims.map(|c| c.sub), Ok("s".into()));
    }

    #[test]
    fn refuses_id_tokens_that_do_not_match_the_request() {
        let base = r#""sub":"s","exp":2000"#;
        let cases = [
            (
                format!(r#"{{"iss":"http://evil",{base},"aud":"guichet-portal","nonce":"no"}}"#),
                IdTokenError::WrongIssuer("http://evil".into()),
            ),
            (
                format!(r#"{{"iss":"http://127.0.0.1:8090",{base},"aud":["other"],"nonce":"no"}}"#),
                IdTokenError::WrongAudience,
            ),
            (
                format!(
                    r#"{{"iss":"http://127.0.0.1:8090",{base},"aud":"guichet-portal","nonce":"replayed"}}"#
                ),
                IdTokenError::WrongNonce,
            ),
        ];
        for (claims, expected) in cases {
            let got = check_id_token(
                &jwt(&claims),
                "http://127.0.0.1:8090",
                "guichet-portal",
                "no",
                1000,
            );
            assert_eq!(got, Err(expected));
        }
        let expired = jwt(
            r#"{"iss":"http://127.0.0.1:8090","sub":"s","aud":"guichet-portal","exp":100,"nonce":"no"}"#,
        );
        assert_eq!(
            check_id_token(
                &expired,
                "http://127.0.0.1:8090",
                "guichet-portal",
                "no",
                1000
            ),
            Err(IdTokenError::Expired)
        );
        assert_eq!(
            check_id_token(
                "not-a-jwt",
                "http://127.0.0.1:8090",
                "guichet-portal",
                "no",
                1000
            ),
            Err(IdTokenError::Malformed)
        );
    }

    #[test]
    fn sign_in_covers_every_provider_as_a_resource() {
        let resources = vec![
            "http://127.0.0.1:8101".to_owned(),
            "https://demarches.loiret.fr/api/".to_owned(),
        ];
        let url = authorize_url(
            &discovery(),
            &AuthorizeRequest {
                resources: &resources,
                ..request(false)
            },
        );
        assert!(url.contains("&resource=http%3A%2F%2F127.0.0.1%3A8101&"));
        assert!(url.contains("&resource=https%3A%2F%2Fdemarches.loiret.fr%2Fapi"));
        assert!(!url.contains("api%2F"), "no trailing slash: {url}");
    }

    #[test]
    fn a_shared_device_always_asks_for_a_fresh_login() {
        let url = authorize_url(
            &discovery(),
            &AuthorizeRequest {
                fresh_login: true,
                ..request(true)
            },
        );
        assert!(url.ends_with("&prompt=login&max_age=0"), "{url}");
        assert!(!url.contains("prompt=none"));
    }

    #[test]
    fn an_old_authentication_is_refused_on_a_shared_device() {
        let claims = |auth_time: Option<u64>, iat: Option<u64>| IdTokenClaims {
            iss: "i".into(),
            sub: "s".into(),
            aud: vec!["c".into()],
            exp: 0,
            nonce: None,
            iat,
            auth_time,
        };
        // Authenticated 20 s before the token, 40 s after the browser left for the issuer: fresh.
        assert_eq!(
            check_fresh_authentication(&claims(Some(1_000), Some(1_020)), 40),
            Ok(())
        );
        // The previous citizen's session (10 min old) reused by an issuer ignoring prompt=login.
        assert_eq!(
            check_fresh_authentication(&claims(Some(1_000), Some(1_600)), 40),
            Err(IdTokenError::NotFreshlyAuthenticated)
        );
        assert_eq!(
            check_fresh_authentication(&claims(None, Some(1_600)), 40),
            Err(IdTokenError::NotFreshlyAuthenticated)
        );
    }

    #[test]
    fn logout_is_a_form_post_that_keeps_the_id_token_out_of_urls() {
        let (action, fields) = logout_form(
            &discovery(),
            "guichet-portal",
            "http://127.0.0.1:8080/",
            Some("id.token.here"),
        )
        .unwrap();
        assert_eq!(action, "http://127.0.0.1:8090/session/end");
        assert!(!action.contains('?'));
        assert_eq!(
            fields,
            vec![
                ("client_id", "guichet-portal".to_owned()),
                (
                    "post_logout_redirect_uri",
                    "http://127.0.0.1:8080/".to_owned()
                ),
                ("id_token_hint", "id.token.here".to_owned()),
            ]
        );
        let (_, without) = logout_form(&discovery(), "guichet-portal", "http://x/", None).unwrap();
        assert!(without.iter().all(|(name, _)| *name != "id_token_hint"));
    }
}
