//! Fetching from the network with a deadline, a byte cap, cancellation and errors a citizen can
//! understand.
//!
//! Every fetch of the app goes through [`send`] so that the ways a request fails — nobody
//! answers, the answer is too slow (headers *or* body), too large, the server says no, the answer
//! is garbage — are always told apart and explained in plain French ([`FetchError`]'s `Display`),
//! and so that no answer, however hostile, is read past its kind's [`Limits`]. A request is
//! aborted when the reactive owner that started it is cleaned up (the citizen navigated away).

mod error;
pub mod limits;
mod request;

pub use error::FetchError;
pub use limits::{FRAGMENT, Limits, ROOT_CATALOGUE, SMALL_FILE};
pub use request::{Answer, get_bytes, get_text, send};
