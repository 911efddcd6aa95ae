//! Components, named for what citizens see (header, notice, figures…). Each is small and owns one
//! accessibility contract, documented on it.

mod footer;
mod header;
mod notice;
mod page_title;
mod qr_code;

pub use footer::Footer;
pub use header::Header;
pub use notice::{Notice, NoticeKind};
pub use page_title::PageTitle;
pub use qr_code::{PublicUrl, QrCode};
