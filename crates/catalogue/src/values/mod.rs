//! Value types with their own syntax in a catalogue: each parses from the text a clerk writes,
//! explains what is wrong in the same words everywhere, and formats itself for citizens in French.
//! [`chars`] holds the characters no text or URL may contain, and how diagnostics print safely.

pub mod chars;
pub mod duration;
pub mod email;
pub mod link_text;
pub mod markdown;
pub mod money;
pub mod phone;
pub mod reference;
pub mod text;
pub mod url;

pub use duration::ProcessingTime;
pub use email::{EmailError, check_email};
pub use money::Money;
pub use phone::{Phone, PhoneError};
pub use reference::{ReferenceError, check_fragment_reference};
pub use text::Text;
pub use url::{SafeUrl, UrlPolicy};
