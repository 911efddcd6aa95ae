//! Value types with their own syntax in a catalogue: each parses from the text a clerk writes,
//! explains what is wrong in the same words everywhere, and formats itself for citizens in French.

pub mod duration;
pub mod markdown;
pub mod money;
pub mod phone;
pub mod text;
pub mod url;

pub use duration::ProcessingTime;
pub use money::Money;
pub use phone::Phone;
pub use text::Text;
pub use url::{SafeUrl, UrlPolicy};
