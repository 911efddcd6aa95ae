//! One file per page. A page reads contexts and the core crate, and composes components.

mod accessibility;
mod home;
mod not_found;

pub use accessibility::AccessibilityPage;
pub use home::HomePage;
pub use not_found::NotFoundPage;
