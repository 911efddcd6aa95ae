//! Deadlines and byte caps of each kind of provider answer (see `crate::net::limits`).
//!
//! The caps are generous for real use and small for a phone: a list of 4 Mo holds about six
//! thousand demandes; a demande of 2 Mo, hundreds of messages of the contract's 5,000 characters.
//! A document is capped at the size its demande declares, never above the contract's largest file.

use crate::net::Limits;
use std::time::Duration;

/// Reads are quick or not worth waiting for.
pub const READ_TIMEOUT: Duration = Duration::from_secs(8);
/// Writes may carry files.
pub const WRITE_TIMEOUT: Duration = Duration::from_secs(30);

const KIB: usize = 1024;
const MIB: usize = 1024 * KIB;

/// `GET /v1/demandes`.
pub const LIST: Limits = Limits::new(READ_TIMEOUT, 4 * MIB);
/// `GET /v1/demandes/{id}`.
pub const DEMANDE: Limits = Limits::new(READ_TIMEOUT, 2 * MIB);
/// Public documents: a form schema.
pub const SCHEMA: Limits = Limits::new(READ_TIMEOUT, MIB);
/// `GET /v1/idempotency-keys/{key}`: one record and the summary of its demande.
pub const LOOKUP: Limits = Limits::new(READ_TIMEOUT, 256 * KIB);
/// The answer to a write (a demande summary, a message) or an error's problem document.
pub const WRITE_ANSWER: Limits = Limits::new(WRITE_TIMEOUT, 256 * KIB);

/// Slowest download rate planned for (ADSL far from the exchange, a crowded 3G cell): 256 kbit/s.
const SLOW_BYTES_PER_SECOND: u64 = 32 * 1024;

/// A document that its demande says is `size` bytes: that many bytes at most (and never more than
/// the contract's largest file), within a deadline that leaves a slow line time to bring it.
pub fn document(size: u64) -> Limits {
    let cap = size.min(contract::form::MAX_FILE_BYTES);
    let seconds = (20 + cap / SLOW_BYTES_PER_SECOND).min(600);
    Limits::new(
        Duration::from_secs(seconds),
        usize::try_from(cap).unwrap_or(usize::MAX),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_document_may_hold_what_it_declares_and_no_more_than_the_contract_allows() {
        assert_eq!(document(1000).max_bytes, 1000);
        assert_eq!(document(u64::MAX).max_bytes, 10 * MIB);
        assert_eq!(document(0).max_bytes, 0);
    }

    #[test]
    fn a_large_document_gets_time_for_a_slow_line() {
        assert_eq!(document(0).deadline, Duration::from_secs(20));
        // 10 Mo at 256 kbit/s: 320 s, plus the margin.
        assert_eq!(
            document(10 * 1024 * 1024).deadline,
            Duration::from_secs(340)
        );
    }
}
