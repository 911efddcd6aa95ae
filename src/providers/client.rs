//! The provider client: public reads, authenticated reads (with ETag), idempotent multipart
//! writes — all through [`token_allowed`](super::token_allowed).

use super::{ProviderError, token_allowed};
use crate::auth::Auth;
use crate::net::{self, FetchError};
use contract::Problem;
use gloo_net::http::{Request, Response};
use leptos::prelude::*;
use serde::de::DeserializeOwned;
use std::sync::Arc;
use std::time::Duration;

/// Reads are quick or not worth waiting for; writes may carry files.
pub const READ_TIMEOUT: Duration = Duration::from_secs(8);
pub const WRITE_TIMEOUT: Duration = Duration::from_secs(30);

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
        FetchError::Status(s) => ProviderError::Status(s),
        FetchError::Undecodable(d) => ProviderError::Undecodable(d),
        _ => ProviderError::Unreachable,
    }
}

/// Turns a non-success response into the provider's problem, or a bare status.
async fn failure(response: Response) -> ProviderError {
    let status = response.status();
    if status == 401 {
        return ProviderError::SignInRequired;
    }
    match response.json::<Problem>().await {
        Ok(problem) => ProviderError::Problem(problem),
        Err(_) => ProviderError::Status(status),
    }
}

impl ProviderClient {
    /// Declares the origins a token may go to (the catalogue's provider APIs and the issuer).
    pub fn declare_origins(&self, origins: Vec<String>) {
        self.origins.set_value(Arc::new(origins));
    }

    /// The headers that prove who is calling, for a `method` request to `url`.
    ///
    /// This is the only place credentials are attached to a request: the URL's origin must be a
    /// declared provider (token confinement) before anything is read from the session.
    pub(super) async fn authorization(
        &self,
        _method: &str,
        url: &str,
    ) -> Result<Vec<(&'static str, String)>, ProviderError> {
        if !token_allowed(url, &self.origins.get_value()) {
            let origin = catalogue::values::url::origin_of(url).unwrap_or_else(|| url.to_owned());
            return Err(ProviderError::UndeclaredOrigin(origin));
        }
        let token = self
            .auth
            .access_token()
            .ok_or(ProviderError::SignInRequired)?;
        Ok(vec![("Authorization", format!("Bearer {token}"))])
    }

    /// A public resource (discovery, form schema): no token.
    pub async fn get_public<T: DeserializeOwned>(&self, url: &str) -> Result<T, ProviderError> {
        let response = net::send(
            |signal| Request::get(url).abort_signal(signal).build(),
            READ_TIMEOUT,
        )
        .await
        .map_err(fetch_error)?;
        if !response.ok() {
            return Err(failure(response).await);
        }
        response
            .json()
            .await
            .map_err(|e| ProviderError::Undecodable(e.to_string()))
    }

    /// A personal resource, conditional on `etag` (`304` → [`Conditional::NotModified`]).
    pub async fn get_personal<T: DeserializeOwned>(
        &self,
        url: &str,
        etag: Option<&str>,
        timeout: Duration,
    ) -> Result<Conditional<T>, ProviderError> {
        let credentials = self.authorization("GET", url).await?;
        let response = net::send(
            |signal| {
                let mut builder = Request::get(url).abort_signal(signal);
                for (name, value) in &credentials {
                    builder = builder.header(name, value);
                }
                if let Some(etag) = etag {
                    builder = builder.header("If-None-Match", etag);
                }
                builder.build()
            },
            timeout,
        )
        .await
        .map_err(fetch_error)?;
        if response.status() == 304 {
            return Ok(Conditional::NotModified);
        }
        if !response.ok() {
            return Err(failure(response).await);
        }
        let etag = response.headers().get("etag");
        let value = response
            .json()
            .await
            .map_err(|e| ProviderError::Undecodable(e.to_string()))?;
        Ok(Conditional::Fresh { value, etag })
    }

    /// A personal file (a document of a demande), as bytes.
    pub async fn get_bytes(&self, url: &str) -> Result<Vec<u8>, ProviderError> {
        let credentials = self.authorization("GET", url).await?;
        let response = net::send(
            |signal| {
                let mut builder = Request::get(url).abort_signal(signal);
                for (name, value) in &credentials {
                    builder = builder.header(name, value);
                }
                builder.build()
            },
            WRITE_TIMEOUT,
        )
        .await
        .map_err(fetch_error)?;
        if !response.ok() {
            return Err(failure(response).await);
        }
        response
            .binary()
            .await
            .map_err(|e| ProviderError::Undecodable(e.to_string()))
    }

    /// An idempotent multipart write: the same `key` on every retry of the same write.
    pub async fn post_multipart<T: DeserializeOwned>(
        &self,
        url: &str,
        key: &str,
        body: web_sys::FormData,
    ) -> Result<T, ProviderError> {
        let credentials = self.authorization("POST", url).await?;
        let response = net::send(
            |signal| {
                let mut builder = Request::post(url).abort_signal(signal);
                for (name, value) in &credentials {
                    builder = builder.header(name, value);
                }
                builder.header("Idempotency-Key", key).body(body)
            },
            WRITE_TIMEOUT,
        )
        .await
        .map_err(fetch_error)?;
        if !response.ok() {
            return Err(failure(response).await);
        }
        response
            .json()
            .await
            .map_err(|e| ProviderError::Undecodable(e.to_string()))
    }
}
