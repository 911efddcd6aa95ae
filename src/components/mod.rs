//! Components, named for what citizens see (header, notice, figures…). Each is small and owns one
//! accessibility contract, documented on it.

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
mod qr_code;
pub mod search_box;
pub mod service_card;

pub use badge::{Badge, BadgeKind, StatusBadge};
pub use footer::Footer;
pub use header::Header;
pub use notice::{Notice, NoticeKind};
pub use page_title::PageTitle;
pub use qr_code::{PublicUrl, QrCode};
