//! A file kept with a draft: where its bytes are, and what they must be to be given back.

use super::{StoreError, hex};
use contract::FileAnswer;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// Files larger than this are not kept on the device (the provider's own limit per file).
pub const MAX_KEPT_FILE_BYTES: usize = contract::form::MAX_FILE_BYTES as usize;

/// Where a file's bytes are kept, and their name, size and SHA-256 (hex).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredFile {
    /// The blob store key (unique per write: a new file never overwrites an older one in place).
    pub blob: String,
    pub name: String,
    pub size: u64,
    pub sha256: String,
}

impl StoredFile {
    /// Describes `bytes` to be kept under a new key made of `scope` and `unique`.
    pub fn describe(
        scope: &str,
        unique: &str,
        name: &str,
        bytes: &[u8],
    ) -> Result<StoredFile, StoreError> {
        if bytes.len() > MAX_KEPT_FILE_BYTES {
            return Err(StoreError::TooLarge);
        }
        Ok(StoredFile {
            blob: format!("{scope}{unique}"),
            name: name.to_owned(),
            size: bytes.len() as u64,
            sha256: hex(&Sha256::digest(bytes)),
        })
    }

    /// Whether `bytes` are exactly the file described.
    pub fn matches(&self, bytes: &[u8]) -> bool {
        bytes.len() as u64 == self.size && hex(&Sha256::digest(bytes)) == self.sha256
    }

    /// Whether this is the file the citizen chose for `answer` (same name and size).
    pub fn is_for(&self, answer: &FileAnswer) -> bool {
        self.name == answer.name && self.size == answer.size
    }
}
