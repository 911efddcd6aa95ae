//! How long an exchange may take and how many bytes its answer may hold, per kind of answer.
//!
//! A member's host may be hostile or broken: it may send headers and then nothing, or stream
//! 200 MB. So every exchange has one deadline over the **whole** exchange (headers and body) and a
//! cap on the bytes read; the cap is checked against `Content-Length` before reading, then on every
//! chunk, so an answer that is too large is abandoned without ever being held in memory whole.
//! Counted bytes are the decoded ones (after `Content-Encoding`), so a compression bomb stops too.

use std::time::Duration;

/// The deadline and byte cap of one kind of exchange.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// From the moment the request leaves to the last byte of the body.
    pub deadline: Duration,
    /// The most bytes of body that will be read.
    pub max_bytes: usize,
}

impl Limits {
    pub const fn new(deadline: Duration, max_bytes: usize) -> Self {
        Limits {
            deadline,
            max_bytes,
        }
    }

    /// The same cap with another deadline.
    pub const fn with_deadline(self, deadline: Duration) -> Self {
        Limits { deadline, ..self }
    }
}

/// The federation's root `services.toml` (the portal cannot work without it).
pub const ROOT_CATALOGUE: Limits =
    Limits::new(Duration::from_secs(10), catalogue::limits::MAX_ROOT_BYTES);

/// One member's catalogue fragment: reported for that member only when it is late or too large.
pub const FRAGMENT: Limits = Limits::new(
    Duration::from_secs(5),
    catalogue::limits::MAX_FRAGMENT_BYTES,
);

/// A small file or JSON document: deployment settings, the identity provider's discovery
/// document, a token answer.
pub const SMALL_FILE: Limits = Limits::new(Duration::from_secs(10), 256 * 1024);

/// The answer was larger than allowed: reading stopped there.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Exceeded {
    pub limit: usize,
}

/// Counts the bytes of one body against its cap.
#[derive(Debug)]
pub struct Budget {
    limit: usize,
    read: usize,
}

impl Budget {
    pub fn new(limit: usize) -> Self {
        Budget { limit, read: 0 }
    }

    /// Checks the announced `Content-Length` (absent or unreadable: the chunks are counted).
    pub fn announced(&self, content_length: Option<&str>) -> Result<(), Exceeded> {
        match content_length.and_then(|v| v.trim().parse::<u64>().ok()) {
            Some(n) if n > self.limit as u64 => Err(Exceeded { limit: self.limit }),
            _ => Ok(()),
        }
    }

    /// Accounts for one more chunk of `len` bytes.
    pub fn take(&mut self, len: usize) -> Result<(), Exceeded> {
        match self.read.checked_add(len) {
            Some(total) if total <= self.limit => {
                self.read = total;
                Ok(())
            }
            _ => Err(Exceeded { limit: self.limit }),
        }
    }

    #[cfg(test)]
    fn read(&self) -> usize {
        self.read
    }
}

/// `512 Ko`, `2 Mo`: a cap in the words citizens read on their phone's storage screen.
pub fn human_bytes(n: usize) -> String {
    const KIB: usize = 1024;
    const MIB: usize = 1024 * KIB;
    if n >= MIB && n.is_multiple_of(MIB) {
        format!("{} Mo", n / MIB)
    } else if n >= MIB {
        // Tenths of a mebibyte, rounded, in integers: no float formatting in the first page.
        let tenths = (n * 10 + MIB / 2) / MIB;
        format!("{},{} Mo", tenths / 10, tenths % 10)
    } else if n >= KIB {
        format!("{} Ko", n.div_ceil(KIB))
    } else {
        format!("{n} octets")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_announced_length_over_the_cap_is_refused_before_reading() {
        let budget = Budget::new(1000);
        assert_eq!(
            budget.announced(Some("1001")),
            Err(Exceeded { limit: 1000 })
        );
        assert_eq!(budget.announced(Some(" 1000 ")), Ok(()));
        assert_eq!(
            budget.announced(Some("209715200")),
            Err(Exceeded { limit: 1000 })
        );
        // Absent or nonsense: the chunks are what counts.
        assert_eq!(budget.announced(None), Ok(()));
        assert_eq!(budget.announced(Some("-5")), Ok(()));
        assert_eq!(budget.announced(Some("lots")), Ok(()));
    }

    #[test]
    fn chunks_are_counted_until_one_goes_past_the_cap() {
        let mut budget = Budget::new(10);
        assert_eq!(budget.take(4), Ok(()));
        assert_eq!(budget.take(6), Ok(()));
        assert_eq!(budget.read(), 10);
        assert_eq!(budget.take(1), Err(Exceeded { limit: 10 }));
        assert_eq!(budget.read(), 10, "a refused chunk is not counted");
        assert_eq!(
            Budget::new(10).take(usize::MAX),
            Err(Exceeded { limit: 10 })
        );
    }

    #[test]
    fn fragments_and_the_root_use_the_catalogue_core_caps() {
        assert_eq!(
            FRAGMENT.max_bytes,
            catalogue::limits::MAX_FRAGMENT_BYTES,
            "the portal and the CLI must refuse the same files"
        );
        assert_eq!(ROOT_CATALOGUE.max_bytes, catalogue::limits::MAX_ROOT_BYTES);
    }

    #[test]
    fn caps_read_as_citizens_count_bytes() {
        assert_eq!(human_bytes(512 * 1024), "512 Ko");
        assert_eq!(human_bytes(2 * 1024 * 1024), "2 Mo");
        assert_eq!(human_bytes(1536 * 1024), "1,5 Mo");
        // Rounded to the nearest tenth, as `{:.1}` on the quotient did.
        assert_eq!(human_bytes(1_100_000), "1,0 Mo");
        assert_eq!(human_bytes(10_443_000), "10,0 Mo");
        assert_eq!(human_bytes(3 * 1024 * 1024 + 300 * 1024), "3,3 Mo");
        assert_eq!(human_bytes(100), "100 octets");
    }
}
