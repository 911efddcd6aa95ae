//! Requests with a deadline and cancellation, over the browser's `fetch`.

use super::FetchError;
use gloo_net::http::{Request, Response};
use leptos::prelude::{on_cleanup, set_timeout_with_handle};
use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

/// How long a static file may take before the citizen is told it is too slow.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

/// Sends the request `build` makes (with the abort signal it is given), aborting it after
/// `timeout` or when the calling reactive owner is cleaned up (the citizen navigated away).
pub async fn send(
    build: impl FnOnce(Option<&web_sys::AbortSignal>) -> Result<Request, gloo_net::Error>,
    timeout: Duration,
) -> Result<Response, FetchError> {
    let controller = web_sys::AbortController::new().ok();
    let signal = controller.as_ref().map(|c| c.signal());
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
            timeout,
        )
        .ok()
    };
    {
        let controller = send_wrapper::SendWrapper::new(controller.clone());
        on_cleanup(move || {
            if let Some(c) = controller.as_ref() {
                c.abort();
            }
        });
    }
    let request = build(signal.as_ref()).map_err(|e| FetchError::Undecodable(e.to_string()))?;
    let sent = request.send().await;
    if let Some(timer) = timer {
        timer.clear();
    }
    sent.map_err(|_| {
        if timed_out.get() {
            FetchError::Timeout
        } else {
            FetchError::Unreachable
        }
    })
}

/// Fetches `url` as text.
pub async fn get_text(url: &str, timeout: Duration) -> Result<String, FetchError> {
    let response = send(
        |signal| Request::get(url).abort_signal(signal).build(),
        timeout,
    )
    .await?;
    if !response.ok() {
        return Err(FetchError::Status(response.status()));
    }
    response
        .text()
        .await
        .map_err(|_| FetchError::Undecodable(crate::i18n::texts().errors.unreadable_body.into()))
}
