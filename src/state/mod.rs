//! App-wide state, one context per concern, each a `Copy` handle with an `expect_*()` accessor.

pub mod device;
pub mod drafts;
pub mod federation;
pub mod site;
pub mod territory;
pub mod tracking;
pub mod transparency;
