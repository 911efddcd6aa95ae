//! One file per page. A page reads contexts and the core crate, and composes components.

mod accessibility;
mod account;
mod commune;
mod dashboard;
mod demande;
mod help;
pub mod home;
mod not_found;
pub mod procedure;
mod service;
mod sign_in_return;

pub use accessibility::AccessibilityPage;
pub use account::AccountPage;
pub use commune::CommunePage;
pub use dashboard::DashboardPage;
pub use demande::DemandePage;
pub use help::HelpPage;
pub use home::HomePage;
pub use not_found::NotFoundPage;
pub use procedure::ProcedurePage;
pub use service::ServicePage;
pub use sign_in_return::SignInReturnPage;
