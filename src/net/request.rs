//! Requests with one deadline over the whole exchange, a byte cap, and cancellation, over the
//! browser's `fetch`.
//!
//! The body is read as a stream (`ReadableStream` reader), chunk by chunk, against the cap of its
//! kind ([`Limits`]); the deadline runs from the moment the request leaves until the last byte,
//! so a server that sends its headers and then stalls is cut off like one that never answers.
//! Going past either aborts the request (the server sees the connection close). Nothing else in
//! the app reads a response body: [`Answer`] holds bytes already read within the limits.

use super::FetchError;
use super::limits::{Budget, Exceeded, Limits};
use gloo_net::http::{Headers, Request, Response};
use leptos::leptos_dom::helpers::TimeoutHandle;
use leptos::prelude::{on_cleanup, set_timeout_with_handle};
use serde::de::DeserializeOwned;
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// An answer whose body was read whole, within its deadline and cap.
#[derive(Debug)]
pub struct Answer {
    status: u16,
    url: String,
    redirected: bool,
    headers: Headers,
    body: Vec<u8>,
}

impl Answer {
    pub fn status(&self) -> u16 {
        self.status
    }

    /// 2xx.
    pub fn ok(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The URL the answer finally came from (the one asked: requests never follow redirects
    /// when they carry credentials).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Whether the browser followed a redirect to get this answer.
    pub fn redirected(&self) -> bool {
        self.redirected
    }

    pub fn header(&self, name: &str) -> Option<String> {
        self.headers.get(name)
    }

    pub fn into_bytes(self) -> Vec<u8> {
        self.body
    }

    /// The body as UTF-8 text (a leading byte-order mark dropped, as browsers do); a body that is
    /// not UTF-8 says at which byte it breaks, instead of being read with replacement characters.
    pub fn text(mut self) -> Result<String, FetchError> {
        if self.body.starts_with(b"\xEF\xBB\xBF") {
            self.body.drain(..3);
        }
        String::from_utf8(self.body).map_err(|e| {
            FetchError::Undecodable(format!(
                "{} {}",
                crate::i18n::texts().errors.not_utf8_at,
                e.utf8_error().valid_up_to() + 1
            ))
        })
    }

    /// The body as JSON.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, FetchError> {
        serde_json::from_slice(&self.body).map_err(|e| FetchError::Undecodable(e.to_string()))
    }
}

/// The abort controller and deadline timer of one exchange; dropping it (the exchange finished,
/// failed, or its future was dropped) clears the timer and aborts whatever is still running.
struct Exchange {
    controller: Option<web_sys::AbortController>,
    timer: Option<TimeoutHandle>,
    timed_out: Rc<Cell<bool>>,
}

impl Exchange {
    fn start(limits: Limits) -> Self {
        let controller = web_sys::AbortController::new().ok();
        let timed_out = Rc::new(Cell::new(false));
        let timer = {
            let controller = controller.clone();
            let timed_out = Rc::clone(&timed_out);
            set_timeout_with_handle(
                move || {
                    timed_out.set(true);
                    if let Some(c) = &controller {
                        c.abort();
                    }
                },
                limits.deadline,
            )
            .ok()
        };
        // The citizen navigated away: the page that asked is gone.
        let for_cleanup = send_wrapper::SendWrapper::new(controller.clone());
        on_cleanup(move || {
            if let Some(c) = for_cleanup.as_ref() {
                c.abort();
            }
        });
        Exchange {
            controller,
            timer,
            timed_out,
        }
    }

    fn signal(&self) -> Option<web_sys::AbortSignal> {
        self.controller.as_ref().map(|c| c.signal())
    }

    /// What a failed `fetch` or read means: the deadline passed, or no (more) answer.
    fn failure(&self) -> FetchError {
        if self.timed_out.get() {
            FetchError::Timeout
        } else {
            FetchError::Unreachable
        }
    }
}

impl Drop for Exchange {
    fn drop(&mut self) {
        if let Some(timer) = self.timer.take() {
            timer.clear();
        }
        if let Some(c) = &self.controller {
            c.abort();
        }
    }
}

fn too_large(e: Exceeded) -> FetchError {
    FetchError::TooLarge { limit: e.limit }
}

/// Sends the request `build` makes (with the abort signal it is given) and reads its whole body,
/// within `limits`; aborted when the calling reactive owner is cleaned up (the citizen navigated
/// away).
pub async fn send(
    build: impl FnOnce(Option<&web_sys::AbortSignal>) -> Result<Request, gloo_net::Error>,
    limits: Limits,
) -> Result<Answer, FetchError> {
    let exchange = Exchange::start(limits);
    let signal = exchange.signal();
    let request = build(signal.as_ref()).map_err(|e| FetchError::Undecodable(e.to_string()))?;
    let response = request.send().await.map_err(|_| exchange.failure())?;
    let mut budget = Budget::new(limits.max_bytes);
    budget
        .announced(response.headers().get("content-length").as_deref())
        .map_err(too_large)?;
    let body = read_body(&response, &mut budget, &exchange).await?;
    Ok(Answer {
        status: response.status(),
        url: response.url(),
        redirected: response.redirected(),
        headers: response.headers(),
        body,
    })
}

/// Reads the body chunk by chunk, stopping (and cancelling the stream) past the cap.
async fn read_body(
    response: &Response,
    budget: &mut Budget,
    exchange: &Exchange,
) -> Result<Vec<u8>, FetchError> {
    let Some(stream) = response.body() else {
        return Ok(Vec::new());
    };
    let reader: web_sys::ReadableStreamDefaultReader = stream.get_reader().unchecked_into();
    let mut body = Vec::new();
    loop {
        let chunk = JsFuture::from(reader.read())
            .await
            .map_err(|_| exchange.failure())?;
        let done = js_sys::Reflect::get(&chunk, &"done".into())
            .ok()
            .and_then(|d| d.as_bool())
            .unwrap_or(true);
        if done {
            return Ok(body);
        }
        let Ok(bytes) = js_sys::Reflect::get(&chunk, &"value".into())
            .and_then(|v| v.dyn_into::<js_sys::Uint8Array>())
        else {
            return Err(exchange.failure());
        };
        let len = bytes.length() as usize;
        if let Err(e) = budget.take(len) {
            let _ = reader.cancel();
            return Err(too_large(e));
        }
        let start = body.len();
        body.resize(start + len, 0);
        bytes.copy_to(&mut body[start..]);
    }
}

/// Fetches `url`'s bytes, within `limits` (a non-success status is an error).
pub async fn get_bytes(url: &str, limits: Limits) -> Result<Vec<u8>, FetchError> {
    let answer = send(
        |signal| Request::get(url).abort_signal(signal).build(),
        limits,
    )
    .await?;
    if !answer.ok() {
        return Err(FetchError::Status(answer.status()));
    }
    Ok(answer.into_bytes())
}

/// Fetches `url` as UTF-8 text, within `limits`.
pub async fn get_text(url: &str, limits: Limits) -> Result<String, FetchError> {
    let answer = send(
        |signal| Request::get(url).abort_signal(signal).build(),
        limits,
    )
    .await?;
    if !answer.ok() {
        return Err(FetchError::Status(answer.status()));
    }
    answer.text()
}
