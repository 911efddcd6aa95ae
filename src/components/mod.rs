//! Components, named for what citizens see (header, notice, figures…). Each is small and owns one
//! accessibility contract, documented on it.

mod back_link;
mod badge;
pub mod commune_chooser;
pub mod contact;
pub mod error_summary;
mod footer;
mod header;
pub mod load_errors;
pub mod markdown;
mod notice;
mod page_title;
mod print_button;
mod qr_code;
pub mod search_box;
pub mod service_card;
mod sign_in_button;

pub use back_link::BackLink;
pub use badge::{Badge, BadgeKind, StatusBadge};
pub use footer::Footer;
pub use header::Header;
pub use notice::{Notice, NoticeKind};
pub use page_title::PageTitle;
pub use print_button::PrintButton;
pub use qr_code::{PublicUrl, QrCode};
pub use sign_in_button::SignInButton;
