//! Attachments: checked by content, stored under generated names, never trusted.
//!
//! A file's declared type means nothing: its first bytes are sniffed, and only PDF, JPEG and PNG
//! whose content matches are kept. The citizen's file name is kept for display only; on disk a file
//! is `<storage>/<uuid>`, so no name can traverse out of the storage folder.

use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// The types the reference provider accepts at all (a form may accept fewer).
pub const SUPPORTED_TYPES: [&str; 3] = ["application/pdf", "image/jpeg", "image/png"];

/// The media type of `bytes` by their content, if it is one we handle.
pub fn sniff(bytes: &[u8]) -> Option<&'static str> {
    let kind = infer::get(bytes)?;
    SUPPORTED_TYPES.into_iter().find(|t| *t == kind.mime_type())
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// A display name safe to show and to put in a `Content-Disposition` header: no path, no control
/// characters, no quotes, at most 120 characters.
pub fn display_name(original: &str) -> String {
    let base = original.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = base
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '"' | '\\' | '/'))
        .take(120)
        .collect();
    let cleaned = cleaned.trim().trim_start_matches('.').to_owned();
    if cleaned.is_empty() {
        "document".to_owned()
    } else {
        cleaned
    }
}

/// Files on disk.
#[derive(Clone, Debug)]
pub struct Storage {
    root: PathBuf,
}

impl Storage {
    pub fn new(root: &Path) -> std::io::Result<Storage> {
        std::fs::create_dir_all(root)?;
        Ok(Storage {
            root: root.to_owned(),
        })
    }

    /// Writes bytes under a new generated key and returns the key.
    pub async fn put(&self, bytes: &[u8]) -> std::io::Result<String> {
        let key = uuid::Uuid::new_v4().to_string();
        let tmp = self.root.join(format!("{key}.part"));
        tokio::fs::write(&tmp, bytes).await?;
        tokio::fs::rename(&tmp, self.root.join(&key)).await?;
        Ok(key)
    }

    pub async fn get(&self, key: &str) -> std::io::Result<Vec<u8>> {
        tokio::fs::read(self.path(key)?).await
    }

    /// Removes files written for a request that failed afterwards (nothing partial is kept).
    pub async fn remove(&self, key: &str) {
        if let Ok(path) = self.path(key) {
            let _ = tokio::fs::remove_file(path).await;
        }
    }

    fn path(&self, key: &str) -> std::io::Result<PathBuf> {
        // Keys are UUIDs we generated; refuse anything else rather than trust the database.
        if uuid::Uuid::parse_str(key).is_err() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                "not a storage key",
            ));
        }
        Ok(self.root.join(key))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_by_content_not_by_name() {
        assert_eq!(sniff(b"%PDF-1.7\n..."), Some("application/pdf"));
        assert_eq!(
            sniff(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0]),
            Some("image/png")
        );
        assert_eq!(sniff(b"<html><script>alert(1)</script>"), None);
        assert_eq!(sniff(b"MZ\x90\x00"), None, "executables are refused");
    }

    #[test]
    fn display_names_cannot_traverse_or_inject() {
        assert_eq!(display_name("../../etc/passwd"), "passwd");
        assert_eq!(
            display_name("C:\\Users\\x\\livret \"famille\".pdf"),
            "livret famille.pdf"
        );
        assert_eq!(display_name("..."), "document");
        assert_eq!(display_name("a\u{0}b\r\n.pdf"), "ab.pdf");
    }

    #[tokio::test]
    async fn storage_refuses_keys_it_did_not_generate() {
        let dir = std::env::temp_dir().join(format!("guichet-storage-{}", uuid::Uuid::new_v4()));
        let storage = Storage::new(&dir).unwrap();
        let key = storage.put(b"%PDF-1.4").await.unwrap();
        assert_eq!(storage.get(&key).await.unwrap(), b"%PDF-1.4");
        assert!(storage.get("../secret").await.is_err());
        storage.remove(&key).await;
        assert!(storage.get(&key).await.is_err());
        let _ = std::fs::remove_dir_all(dir);
    }
}
