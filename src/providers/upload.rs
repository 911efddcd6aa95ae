//! Writes that may carry files, timed out on lack of *progress* rather than after a fixed time.
//!
//! A fixed deadline punishes slow uplinks: 10 MiB at 512 kbit/s take almost three minutes, so a
//! 30-second limit made every attempt from an ADSL line fail. `fetch` reports no upload progress,
//! so writes go through `XMLHttpRequest`: every progress event (bytes sent, then bytes of the
//! answer) pushes back an idle deadline ([`IDLE_TIMEOUT`]); an overall limit ([`WRITE_LIMIT`])
//! still stops a request that trickles for ever. Unlike reads, a write is not aborted when the page
//! that started it goes away: the citizen wants it to arrive, and its draft already records that
//! its outcome is unknown, so the next visit asks the provider (see `procedure::send`).
//!
//! The same rules as the other provider calls hold: credentials come only from
//! [`ProviderClient::credentials_for`] (token confinement, no dot segment), no cookies are sent, the answer is read
//! up to [`ANSWER_CAP`] bytes, and an answer that comes from another URL than the one asked (the
//! browser followed a redirect, which `XMLHttpRequest` cannot refuse) is not trusted: the outcome
//! counts as unknown, so the draft is frozen until the provider is asked about the key.

use super::{ProviderClient, ProviderError};
use contract::Problem;
use leptos::prelude::set_interval_with_handle;
use serde::de::DeserializeOwned;
use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::XmlHttpRequest;

/// Longest wait without a single byte moving, either way.
pub const IDLE_TIMEOUT: Duration = Duration::from_secs(30);
/// Longest a write may take in all (25 MiB at 256 kbit/s take about 14 minutes).
pub const WRITE_LIMIT: Duration = Duration::from_secs(20 * 60);
/// Largest answer to a write that is read (a demande summary or a message is a few kB).
pub const ANSWER_CAP: usize = super::limits::WRITE_ANSWER.max_bytes;

/// When a request has waited too long: without progress for `idle`, or `total` in all.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Deadline {
    started: f64,
    last_progress: f64,
    idle_ms: f64,
    total_ms: f64,
}

impl Deadline {
    /// A deadline starting at `now` (milliseconds).
    pub fn new(now: f64, idle: Duration, total: Duration) -> Deadline {
        Deadline {
            started: now,
            last_progress: now,
            idle_ms: idle.as_secs_f64() * 1000.0,
            total_ms: total.as_secs_f64() * 1000.0,
        }
    }

    /// Bytes moved at `now`.
    pub fn progressed(&mut self, now: f64) {
        self.last_progress = self.last_progress.max(now);
    }

    /// Whether the request should be given up at `now`.
    pub fn expired(&self, now: f64) -> bool {
        now - self.last_progress >= self.idle_ms || now - self.started >= self.total_ms
    }
}

/// How the request ended, as its handlers saw it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Ended {
    Loaded,
    Failed,
    Aborted,
}

impl ProviderClient {
    /// An idempotent multipart write (`POST url` with `Idempotency-Key: key`), timed out on lack of
    /// progress. The same `key` goes with every retry of the same answers.
    pub async fn upload<T: DeserializeOwned>(
        &self,
        url: &str,
        key: &str,
        body: web_sys::FormData,
    ) -> Result<T, ProviderError> {
        let credentials = self.credentials_for("POST", url).await?;
        let xhr = XmlHttpRequest::new().map_err(|_| ProviderError::Unreachable)?;
        xhr.open_with_async("POST", url, true)
            .map_err(|_| ProviderError::Unreachable)?;
        for (name, value) in &credentials {
            xhr.set_request_header(name, value)
                .map_err(|_| ProviderError::Unreachable)?;
        }
        xhr.set_request_header("Idempotency-Key", key)
            .map_err(|_| ProviderError::Unreachable)?;
        exchange(&xhr, &body).await?;
        answer(&xhr, url)
    }
}

/// Sends `body` and waits for the end, enforcing the deadline and the answer's size.
async fn exchange(xhr: &XmlHttpRequest, body: &web_sys::FormData) -> Result<(), ProviderError> {
    let (tx, rx) = futures::channel::oneshot::channel::<Ended>();
    let tx = Rc::new(Cell::new(Some(tx)));
    let deadline = Rc::new(Cell::new(Deadline::new(
        js_sys::Date::now(),
        IDLE_TIMEOUT,
        WRITE_LIMIT,
    )));
    let (timed_out, too_large) = (Rc::new(Cell::new(false)), Rc::new(Cell::new(false)));
    let end = |how: Ended| {
        let tx = Rc::clone(&tx);
        Closure::<dyn FnMut(web_sys::ProgressEvent)>::new(move |_| {
            if let Some(tx) = tx.take() {
                let _ = tx.send(how);
            }
        })
    };
    let (on_load, on_error, on_abort) =
        (end(Ended::Loaded), end(Ended::Failed), end(Ended::Aborted));
    let progress = |cap: bool| {
        let (deadline, too_large, xhr) = (Rc::clone(&deadline), Rc::clone(&too_large), xhr.clone());
        Closure::<dyn FnMut(web_sys::ProgressEvent)>::new(move |e: web_sys::ProgressEvent| {
            let mut d = deadline.get();
            d.progressed(js_sys::Date::now());
            deadline.set(d);
            if cap && e.loaded() > ANSWER_CAP as f64 {
                too_large.set(true);
                let _ = xhr.abort();
            }
        })
    };
    let (sent, received) = (progress(false), progress(true));
    let upload = xhr.upload().map_err(|_| ProviderError::Unreachable)?;
    upload.set_onprogress(Some(sent.as_ref().unchecked_ref()));
    xhr.set_onprogress(Some(received.as_ref().unchecked_ref()));
    xhr.set_onload(Some(on_load.as_ref().unchecked_ref()));
    xhr.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    xhr.set_onabort(Some(on_abort.as_ref().unchecked_ref()));
    let timer = {
        let (deadline, timed_out, xhr) = (Rc::clone(&deadline), Rc::clone(&timed_out), xhr.clone());
        set_interval_with_handle(
            move || {
                if deadline.get().expired(js_sys::Date::now()) {
                    timed_out.set(true);
                    let _ = xhr.abort();
                }
            },
            Duration::from_secs(1),
        )
        .ok()
    };
    let sent_ok = xhr.send_with_opt_form_data(Some(body)).is_ok();
    let ended = if sent_ok {
        rx.await.unwrap_or(Ended::Failed)
    } else {
        Ended::Failed
    };
    if let Some(timer) = timer {
        timer.clear();
    }
    upload.set_onprogress(None);
    xhr.set_onprogress(None);
    xhr.set_onload(None);
    xhr.set_onerror(None);
    xhr.set_onabort(None);
    match ended {
        Ended::Aborted if timed_out.get() => Err(ProviderError::Timeout),
        Ended::Aborted if too_large.get() => Err(ProviderError::TooLarge { limit: ANSWER_CAP }),
        Ended::Loaded => Ok(()),
        _ => Err(ProviderError::Unreachable),
    }
}

/// Reads the answer of a finished request.
fn answer<T: DeserializeOwned>(xhr: &XmlHttpRequest, url: &str) -> Result<T, ProviderError> {
    let status = xhr.status().map_err(|_| ProviderError::Unreachable)?;
    let asked = web_sys::Url::new(url).map(|u| u.href()).unwrap_or_default();
    if xhr.response_url() != asked {
        return Err(ProviderError::Undecodable(format!(
            "redirected to {}",
            xhr.response_url()
        )));
    }
    let text = xhr.response_text().ok().flatten().unwrap_or_default();
    if (200..300).contains(&status) {
        return serde_json::from_str(&text).map_err(|e| ProviderError::Undecodable(e.to_string()));
    }
    if status == 401 {
        return Err(ProviderError::SignInRequired);
    }
    Err(match serde_json::from_str::<Problem>(&text) {
        Ok(problem) => ProviderError::Problem(Box::new(problem)),
        Err(_) => ProviderError::Status(status),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: f64 = 1000.0;

    #[test]
    fn a_slow_upload_that_keeps_moving_never_times_out() {
        let mut d = Deadline::new(0.0, IDLE_TIMEOUT, WRITE_LIMIT);
        // 10 MiB at 512 kbit/s: about 164 s, one progress event every 50 ms.
        let mut now = 0.0;
        while now < 164.0 * S {
            now += 50.0;
            d.progressed(now);
            assert!(
                !d.expired(now),
                "expired at {now} ms while bytes were moving"
            );
        }
    }

    #[test]
    fn a_stalled_upload_times_out_after_the_idle_delay() {
        let mut d = Deadline::new(0.0, IDLE_TIMEOUT, WRITE_LIMIT);
        d.progressed(100.0 * S);
        assert!(!d.expired(129.0 * S));
        assert!(d.expired(130.0 * S));
    }

    #[test]
    fn an_upload_that_trickles_for_ever_stops_at_the_overall_limit() {
        let mut d = Deadline::new(0.0, IDLE_TIMEOUT, WRITE_LIMIT);
        let limit = WRITE_LIMIT.as_secs_f64() * S;
        let mut now = 0.0;
        while now < limit - 10.0 * S {
            now += 10.0 * S;
            d.progressed(now);
        }
        assert!(!d.expired(limit - 1.0));
        d.progressed(limit);
        assert!(d.expired(limit));
    }

    #[test]
    fn progress_reported_out_of_order_never_moves_the_deadline_back() {
        let mut d = Deadline::new(0.0, IDLE_TIMEOUT, WRITE_LIMIT);
        d.progressed(20.0 * S);
        d.progressed(5.0 * S);
        assert!(!d.expired(45.0 * S));
    }
}
