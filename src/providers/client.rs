//! The provider client: public reads, authenticated reads (with ETag), idempotent multipart
//! writes — every one bounded by its kind's [`Limits`], every credentialed one through
//! [`ProviderClient::authorization`] and the checks of [`ProviderClient::credentialed`].

use super::endpoint::has_traversal;
use super::{ProviderError, token_allowed};
use crate::auth::Auth;
use crate::net::{self, Answer, FetchError, Limits};
use contract::Problem;
use gloo_net::http::{Method, RequestBuilder};
use leptos::prelude::*;
use serde::de::DeserializeOwned;
use std::sync::Arc;
use web_sys::{RequestCache, RequestRedirect};

/// The answer to a conditional read.
#[derive(Clone, Debug, PartialEq)]
pub enum Conditional<T> {
    NotModified,
    Fresh { value: T, etag: Option<String> },
}

/// App-wide client; knows which origins may receive the token.
#[derive(Clone, Copy)]
pub struct ProviderClient {
    auth: Auth,
    origins: StoredValue<Arc<Vec<String>>>,
}

pub fn provide_provider_client(auth: Auth) -> ProviderClient {
    let client = ProviderClient {
        auth,
        origins: StoredValue::new(Arc::new(Vec::new())),
    };
    provide_context(client);
    client
}

pub fn expect_provider_client() -> ProviderClient {
    expect_context::<ProviderClient>()
}

fn fetch_error(e: FetchError) -> ProviderError {
    match e {
        FetchError::Timeout => ProviderError::Timeout,
        FetchError::TooLarge { limit } => ProviderError::TooLarge { limit },
        FetchError::Status(s) => ProviderError::Status(s),
        FetchError::Undecodable(d) => ProviderError::Undecodable(d),
        _ => ProviderError::Unreachable,
    }
}

/// Turns a non-success answer into the provider's problem, or a bare status.
fn failure(answer: &Answer) -> ProviderError {
    let status = answer.status();
    if status == 401 {
        return ProviderError::SignInRequired;
    }
    match answer.json::<Problem>() {
        Ok(problem) => ProviderError::Problem(Box::new(problem)),
        Err(_) => ProviderError::Status(status),
    }
}

fn decode<T: DeserializeOwned>(answer: &Answer) -> Result<T, ProviderError> {
    answer.json().map_err(fetch_error)
}

impl ProviderClient {
    /// Declares the origins a token may go to (the catalogue's provider APIs and the issuer).
    pub fn declare_origins(&self, origins: Vec<String>) {
        self.origins.set_value(Arc::new(origins));
    }

    /// The headers that prove who is calling, for a `method` request to `url`.
    ///
    /// This is the only place credentials are attached to a request: the URL's origin must be a
    /// declared provider (token confinement) before anything is read from the session. The token
    /// is the one issued for that provider only, bound to this page's key, with a fresh DPoP proof
    /// for this very request (see `auth::tokens`).
    pub(super) async fn authorization(
        &self,
        method: &str,
        url: &str,
    ) -> Result<Vec<(&'static str, String)>, ProviderError> {
        if !token_allowed(url, &self.origins.get_value()) {
            let origin = catalogue::values::url::origin_of(url).unwrap_or_else(|| url.to_owned());
            return Err(ProviderError::UndeclaredOrigin(origin));
        }
        self.auth
            .credentials_for(method, url)
            .await
            .map_err(|e| match e {
                crate::auth::CredentialError::NotAProvider(_) => ProviderError::UndeclaredOrigin(
                    catalogue::values::url::origin_of(url).unwrap_or_else(|| url.to_owned()),
                ),
                crate::auth::CredentialError::Fetch(FetchError::Timeout) => ProviderError::Timeout,
                crate::auth::CredentialError::Fetch(FetchError::Unreachable) => {
                    ProviderError::Unreachable
                }
                _ => ProviderError::SignInRequired,
            })
    }

    /// The credentials for a `method` request to `url`, for a request made outside
    /// [`ProviderClient::credentialed`] (an upload with progress): the same path check first. Such a
    /// request must not follow redirects and must pass the URL its answer came from to
    /// [`ProviderClient::check_final_url`].
    pub(super) async fn credentials_for(
        &self,
        method: &str,
        url: &str,
    ) -> Result<Vec<(&'static str, String)>, ProviderError> {
        if has_traversal(url) {
            return Err(ProviderError::InvalidId);
        }
        self.authorization(method, url).await
    }

    /// The origin of the URL an answer finally came from must still be a declared one.
    pub(super) fn check_final_url(&self, url: &str, redirected: bool) -> Result<(), ProviderError> {
        if redirected || !token_allowed(url, &self.origins.get_value()) {
            let origin = catalogue::values::url::origin_of(url).unwrap_or_else(|| url.to_owned());
            return Err(ProviderError::UndeclaredOrigin(origin));
        }
        Ok(())
    }

    /// Every request that carries credentials: a path that cannot step aside (no dot segment), the
    /// credentials for that exact URL, never a redirect followed (`redirect: "error"`), never
    /// stored in the HTTP cache (`cache: "no-store"`; `If-None-Match` is sent by the caller), and
    /// the origin of the URL the answer came from checked again.
    async fn credentialed(
        &self,
        method: Method,
        url: &str,
        headers: &[(&'static str, String)],
        body: Option<web_sys::FormData>,
        limits: Limits,
    ) -> Result<Answer, ProviderError> {
        let credentials = self.credentials_for(method.as_ref(), url).await?;
        let answer = net::send(
            |signal| {
                let mut builder = RequestBuilder::new(url)
                    .method(method)
                    .abort_signal(signal)
                    .redirect(RequestRedirect::Error)
                    .cache(RequestCache::NoStore);
                for (name, value) in credentials.iter().chain(headers) {
                    builder = builder.header(name, value);
                }
                match body {
                    Some(body) => builder.body(body),
                    None => builder.build(),
                }
            },
            limits,
        )
        .await
        .map_err(fetch_error)?;
        self.check_final_url(answer.url(), answer.redirected())?;
        Ok(answer)
    }

    /// A public resource (a form schema): no credentials.
    pub async fn get_public<T: DeserializeOwned>(&self, url: &str) -> Result<T, ProviderError> {
        let answer = net::send(
            |signal| RequestBuilder::new(url).abort_signal(signal).build(),
            super::limits::SCHEMA,
        )
        .await
        .map_err(fetch_error)?;
        if !answer.ok() {
            return Err(failure(&answer));
        }
        decode(&answer)
    }

    /// A personal resource's body, conditional on `etag` (`304` → [`Conditional::NotModified`]).
    pub async fn get_conditional(
        &self,
        url: &str,
        etag: Option<&str>,
        limits: Limits,
    ) -> Result<Conditional<Vec<u8>>, ProviderError> {
        let condition: Vec<(&'static str, String)> = etag
            .map(|etag| ("If-None-Match", etag.to_owned()))
            .into_iter()
            .collect();
        let answer = self
            .credentialed(Method::GET, url, &condition, None, limits)
            .await?;
        if answer.status() == 304 {
            return Ok(Conditional::NotModified);
        }
        if !answer.ok() {
            return Err(failure(&answer));
        }
        let etag = answer.header("etag");
        Ok(Conditional::Fresh {
            value: answer.into_bytes(),
            etag,
        })
    }

    /// A personal resource, decoded (see [`ProviderClient::get_conditional`]).
    pub async fn get_personal<T: DeserializeOwned>(
        &self,
        url: &str,
        etag: Option<&str>,
        limits: Limits,
    ) -> Result<Conditional<T>, ProviderError> {
        match self.get_conditional(url, etag, limits).await? {
            Conditional::NotModified => Ok(Conditional::NotModified),
            Conditional::Fresh { value, etag } => Ok(Conditional::Fresh {
                value: serde_json::from_slice(&value)
                    .map_err(|e| ProviderError::Undecodable(e.to_string()))?,
                etag,
            }),
        }
    }

    /// A personal file (a document of a demande), as bytes.
    pub async fn get_bytes(&self, url: &str, limits: Limits) -> Result<Vec<u8>, ProviderError> {
        let answer = self
            .credentialed(Method::GET, url, &[], None, limits)
            .await?;
        if !answer.ok() {
            return Err(failure(&answer));
        }
        Ok(answer.into_bytes())
    }
}
