//! Attachments: checked by content, stored under generated names, never trusted.
//!
//! A file's declared type means nothing: its content is inspected as it streams in
//! ([`inspect`]), and only PDF, JPEG and PNG files that are nothing else are kept. The citizen's
//! file name is kept for display only; on disk a file is `<storage>/<uuid>`, so no name can
//! traverse out of the storage folder.
//!
//! Files of a request are written as `<uuid>.part` while they arrive, renamed to `<uuid>` just
//! before the database transaction that references them commits, and removed if anything fails
//! on the way — including the request being dropped half-way (a [`Batch`] cleans up when dropped).

pub mod inspect;

pub use inspect::{Inspector, Refusal};

use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// The types the reference provider accepts at all (a form may accept fewer).
pub const SUPPORTED_TYPES: [&str; 3] = ["application/pdf", "image/jpeg", "image/png"];

/// `.part` files older than this are leftovers of a stopped process, removed at start-up.
const STALE_PART: Duration = Duration::from_secs(3600);

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
    /// Opens (creating) the folder and removes `.part` files left by a stopped process.
    pub fn new(root: &Path) -> std::io::Result<Storage> {
        std::fs::create_dir_all(root)?;
        for entry in std::fs::read_dir(root)?.flatten() {
            let path = entry.path();
            let stale = entry.metadata().and_then(|m| m.modified()).is_ok_and(|t| {
                SystemTime::now().duration_since(t).unwrap_or_default() > STALE_PART
            });
            if stale && path.extension().is_some_and(|e| e == "part") {
                let _ = std::fs::remove_file(path);
            }
        }
        Ok(Storage {
            root: root.to_owned(),
        })
    }

    /// A stored file, opened for streaming, with its length.
    pub async fn open(&self, key: &str) -> std::io::Result<(tokio::fs::File, u64)> {
        let file = tokio::fs::File::open(self.path(key)?).await?;
        let len = file.metadata().await?.len();
        Ok((file, len))
    }

    pub async fn get(&self, key: &str) -> std::io::Result<Vec<u8>> {
        tokio::fs::read(self.path(key)?).await
    }

    /// Removes a stored file (agents' clean-up, failed requests).
    pub async fn remove(&self, key: &str) {
        if let Ok(path) = self.path(key) {
            let _ = tokio::fs::remove_file(path).await;
        }
    }

    /// A new, empty batch of files for one request.
    pub fn batch(&self) -> Batch {
        Batch {
            storage: self.clone(),
            keys: Vec::new(),
            promoted: false,
            kept: false,
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

    fn part_path(&self, key: &str) -> std::io::Result<PathBuf> {
        Ok(self.path(key)?.with_extension("part"))
    }
}

/// The files of one request: written as `.part`, promoted, then kept — or removed on drop.
#[derive(Debug)]
pub struct Batch {
    storage: Storage,
    keys: Vec<String>,
    promoted: bool,
    kept: bool,
}

impl Batch {
    /// A new `.part` file under a generated key.
    pub async fn create(&mut self) -> std::io::Result<(String, tokio::fs::File)> {
        let key = uuid::Uuid::new_v4().to_string();
        let file = tokio::fs::File::create_new(self.storage.part_path(&key)?).await?;
        self.keys.push(key.clone());
        Ok((key, file))
    }

    /// Gives every file its final name (the caller commits the rows that reference them next).
    pub async fn promote(&mut self) -> std::io::Result<()> {
        for key in &self.keys {
            tokio::fs::rename(self.storage.part_path(key)?, self.storage.path(key)?).await?;
        }
        self.promoted = true;
        Ok(())
    }

    /// The rows referencing the files are committed: the files stay.
    pub fn keep(mut self) {
        self.kept = true;
    }
}

impl Drop for Batch {
    fn drop(&mut self) {
        if self.kept {
            return;
        }
        for key in &self.keys {
            // Both names: a failure may come between two renames of `promote`.
            for path in [self.storage.part_path(key), self.storage.path(key)]
                .into_iter()
                .flatten()
            {
                let _ = std::fs::remove_file(path);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::AsyncWriteExt;

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

    fn temp_storage() -> (Storage, PathBuf) {
        let dir = std::env::temp_dir().join(format!("guichet-storage-{}", uuid::Uuid::new_v4()));
        (Storage::new(&dir).unwrap(), dir)
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[tokio::test]
    async fn a_kept_batch_leaves_its_files_under_their_keys() {
        let (storage, dir) = temp_storage();
        let mut batch = storage.batch();
        let (key, mut file) = batch.create().await.unwrap();
        file.write_all(b"%PDF-1.4").await.unwrap();
        file.flush().await.unwrap();
        drop(file);
        assert_eq!(names(&dir), [format!("{key}.part")]);
        batch.promote().await.unwrap();
        batch.keep();
        assert_eq!(storage.get(&key).await.unwrap(), b"%PDF-1.4");
        assert!(
            storage.get("../secret").await.is_err(),
            "only generated keys"
        );
        storage.remove(&key).await;
        assert!(names(&dir).is_empty());
        let _ = std::fs::remove_dir_all(dir);
    }

    #[tokio::test]
    async fn a_dropped_batch_removes_its_files_promoted_or_not() {
        let (storage, dir) = temp_storage();
        let mut batch = storage.batch();
        batch.create().await.unwrap();
        drop(batch);
        assert!(names(&dir).is_empty(), "a .part file was left");
        let mut batch = storage.batch();
        batch.create().await.unwrap();
        batch.promote().await.unwrap();
        drop(batch);
        assert!(names(&dir).is_empty(), "a promoted file was left");
        let _ = std::fs::remove_dir_all(dir);
    }
}
