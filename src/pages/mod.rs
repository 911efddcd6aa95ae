//! One file per page. A page reads contexts and the core crate, and composes components.

mod accessibility;
mod commune;
pub mod home;
mod not_found;
mod service;

pub use accessibility::AccessibilityPage;
pub use commune::CommunePage;
pub use home::HomePage;
pub use not_found::NotFoundPage;
pub use service::ServicePage;
