//! Timestamps: RFC 3339 UTC with fixed microsecond precision, so they sort as text in SQL.

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

pub fn format(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        t.microsecond()
    )
}

pub fn now() -> String {
    format(OffsetDateTime::now_utc())
}

pub fn today() -> String {
    now()[..10].to_owned()
}

/// Parses any RFC 3339 timestamp and normalises it (for `updated_since`).
pub fn normalise(text: &str) -> Option<String> {
    OffsetDateTime::parse(text, &Rfc3339).ok().map(format)
}

pub fn year() -> i32 {
    OffsetDateTime::now_utc().year()
}

#[cfg(test)]
mod tests {
    #[test]
    fn timestamps_sort_as_text_and_normalise() {
        let a = super::normalise("2026-11-22T10:00:00+01:00").unwrap();
        assert_eq!(a, "2026-11-22T09:00:00.000000Z");
        assert!(super::normalise("hier").is_none());
        assert!(a < super::now());
    }
}
