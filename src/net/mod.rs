//! Fetching from the network with a timeout, cancellation and errors a citizen can understand.
//!
//! Every fetch of the app goes through here so that the four ways a request fails — nobody
//! answers, the answer is too slow, the server says no, the answer is garbage — are always told
//! apart and explained in plain French ([`FetchError`]'s `Display`). A request is aborted when the
//! reactive owner that started it is cleaned up (the citizen navigated away).

mod error;
mod request;

pub use error::FetchError;
pub use request::{DEFAULT_TIMEOUT, get_text, send};
