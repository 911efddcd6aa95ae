//! What the page says about the draft after each change: saved, kept for the session (kiosk), or
//! not saved and why — never "saved" when a write failed.

use crate::i18n::texts;
use crate::state::device::{Persistence, StoreError};

/// The sentence under the form, and whether it is a warning.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Autosave {
    /// "Brouillon enregistré automatiquement sur cet appareil."
    Saved,
    /// A kiosk keeps answers in memory for the session only: it never says "saved on this device".
    KioskSession,
    /// "Brouillon non enregistré : …" with the reason.
    NotSaved(String),
}

impl Autosave {
    /// From the last save of the answers and the files that could not be kept (name, reason).
    pub fn of<'a>(
        persistence: Persistence,
        answers: &Result<(), StoreError>,
        mut unkept: impl Iterator<Item = &'a (String, StoreError)>,
    ) -> Autosave {
        let t = &texts().drafts;
        if let Err(e) = answers {
            return Autosave::NotSaved(t.not_saved_because(&e.to_string()));
        }
        if let Some((name, e)) = unkept.next() {
            return Autosave::NotSaved(t.file_not_kept(name, &e.to_string()));
        }
        match persistence {
            Persistence::Device => Autosave::Saved,
            Persistence::MemoryOnly => Autosave::KioskSession,
        }
    }

    pub fn text(&self) -> String {
        match self {
            Autosave::Saved => texts().drafts.saved.to_owned(),
            Autosave::KioskSession => texts().kiosk.draft_kept.to_owned(),
            Autosave::NotSaved(why) => why.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_storage_is_told_and_never_called_saved() {
        let shown = Autosave::of(Persistence::Device, &Err(StoreError::Full), [].iter());
        assert_eq!(
            shown.text(),
            "Brouillon non enregistré : l’espace de stockage de ce navigateur est plein."
        );
    }

    #[test]
    fn a_file_that_could_not_be_kept_is_named_with_the_reason() {
        let unkept = [("jugement.pdf".to_string(), StoreError::Full)];
        let shown = Autosave::of(Persistence::Device, &Ok(()), unkept.iter());
        let text = shown.text();
        assert!(text.starts_with("Brouillon non enregistré : le fichier « jugement.pdf »"));
        assert!(text.contains("plein"), "{text}");
        assert!(!text.contains("Brouillon enregistré"));
    }

    #[test]
    fn disabled_storage_is_explained() {
        let shown = Autosave::of(
            Persistence::Device,
            &Err(StoreError::Unavailable),
            [].iter(),
        );
        assert!(shown.text().contains("stockage désactivé"), "{shown:?}");
    }

    #[test]
    fn a_kiosk_never_says_saved_on_this_device() {
        let shown = Autosave::of(Persistence::MemoryOnly, &Ok(()), [].iter());
        assert_eq!(shown, Autosave::KioskSession);
        assert!(!shown.text().contains("enregistré"));
        assert!(!shown.text().contains("sur cet appareil"));
        assert_eq!(
            Autosave::of(Persistence::Device, &Ok(()), [].iter()).text(),
            "Brouillon enregistré automatiquement sur cet appareil."
        );
    }
}
