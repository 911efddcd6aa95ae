//! Catalogue files arrive as bytes: checked for size, then decoded as UTF-8 — never guessed.
//!
//! Town halls often edit files with tools that save them as Windows-1252 or Latin-1 (`é` is then
//! the single byte `0xE9`). Decoding such a file "leniently" would put `�` in every accented word
//! the citizen reads; refusing it without a word would leave the clerk stuck. So a file that is
//! not UTF-8 gets one diagnostic: the line, column and byte offset where it breaks, the byte, what
//! that byte would be in Windows-1252 when it is the likely cause, and how to save the file again
//! as UTF-8. The byte limits of [`crate::limits`] are checked first, on the bytes, so nothing
//! past them is ever decoded.

use crate::diagnostic::{Diagnostic, FieldPath, Owner, SourceText};
use crate::limits::thousands;

/// What a byte means in Windows-1252 (`None` for its five undefined bytes and for ASCII).
fn windows_1252(byte: u8) -> Option<char> {
    const HIGH: [Option<char>; 32] = [
        Some('€'),
        None,
        Some('‚'),
        Some('ƒ'),
        Some('„'),
        Some('…'),
        Some('†'),
        Some('‡'),
        Some('ˆ'),
        Some('‰'),
        Some('Š'),
        Some('‹'),
        Some('Œ'),
        None,
        Some('Ž'),
        None,
        None,
        Some('‘'),
        Some('’'),
        Some('“'),
        Some('”'),
        Some('•'),
        Some('–'),
        Some('—'),
        Some('˜'),
        Some('™'),
        Some('š'),
        Some('›'),
        Some('œ'),
        None,
        Some('ž'),
        Some('Ÿ'),
    ];
    match byte {
        0x80..=0x9F => HIGH[usize::from(byte - 0x80)],
        0xA0..=0xFF => Some(char::from(byte)),
        _ => None,
    }
}

const RESAVE: &str = "open it in a text editor and save it again with the encoding UTF-8 (Notepad: « Enregistrer sous », Encodage « UTF-8 »; LibreOffice: « Enregistrer sous », « Éditer les paramètres du filtre », « Unicode (UTF-8) »)";

/// A diagnostic at byte `offset` of `bytes` (located on the valid UTF-8 before it).
fn at_offset(file: &str, bytes: &[u8], offset: usize, message: String, hint: String) -> Diagnostic {
    let prefix = &bytes[..offset.min(bytes.len())];
    let valid = match std::str::from_utf8(prefix) {
        Ok(text) => text,
        Err(e) => std::str::from_utf8(&prefix[..e.valid_up_to()]).unwrap_or_default(),
    };
    SourceText::new(file, valid).diagnostic(
        valid.len()..valid.len(),
        FieldPath::new(Owner::Document, ""),
        message,
        hint,
    )
}

/// Refuses a file of more than `max` bytes, located where the limit falls.
pub fn check_size(
    file: &str,
    bytes: &[u8],
    max: usize,
    what: &str,
    hint: &str,
) -> Option<Diagnostic> {
    (bytes.len() > max).then(|| {
        at_offset(
            file,
            bytes,
            max,
            format!(
                "the file is {} bytes long, more than the {} bytes {what} may be (the limit falls here)",
                thousands(bytes.len()),
                thousands(max)
            ),
            hint.to_owned(),
        )
    })
}

/// The text of a catalogue file, or why it is not UTF-8.
pub fn decode<'b>(file: &str, bytes: &'b [u8]) -> Result<&'b str, Box<Diagnostic>> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(Box::new(at_offset(
            file,
            bytes,
            0,
            "the file is UTF-16 (what Windows calls « Unicode »), not UTF-8".to_owned(),
            RESAVE.to_owned(),
        )));
    }
    let error = match std::str::from_utf8(bytes) {
        Ok(text) => return Ok(text),
        Err(e) => e,
    };
    let offset = error.valid_up_to();
    let byte = bytes[offset];
    let Some(_) = error.error_len() else {
        return Err(Box::new(at_offset(
            file,
            bytes,
            offset,
            format!(
                "the file is not UTF-8: it ends in the middle of a character (byte offset {})",
                thousands(offset)
            ),
            format!("the file may be cut short; {RESAVE}"),
        )));
    };
    let hint = match windows_1252(byte) {
        Some(c) => format!(
            "it looks saved as Windows-1252 / Latin-1, where 0x{byte:02X} is `{c}`; {RESAVE}"
        ),
        None => RESAVE.to_owned(),
    };
    Err(Box::new(at_offset(
        file,
        bytes,
        offset,
        format!(
            "the file is not UTF-8: byte 0x{byte:02X} at byte offset {} is not valid UTF-8",
            thousands(offset)
        ),
        hint,
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_latin_1_file_gets_the_line_the_byte_offset_and_the_windows_1252_hint() {
        let bytes = b"[federation]\nname = \"Mairie de G\xe9nissac\"\n";
        let d = decode("services.toml", bytes).unwrap_err();
        assert_eq!((d.line, d.column), (2, 20));
        assert_eq!(
            d.message,
            "the file is not UTF-8: byte 0xE9 at byte offset 32 is not valid UTF-8"
        );
        assert!(d.hint.starts_with("it looks saved as Windows-1252 / Latin-1, where 0xE9 is `é`; open it in a text editor and save it again with the encoding UTF-8"), "{}", d.hint);
    }

    #[test]
    fn windows_1252_punctuation_is_named() {
        let d = decode("f.toml", b"a = \"l\x92accueil\"").unwrap_err();
        assert!(d.hint.contains("0x92 is `’`"), "{}", d.hint);
        let d = decode("f.toml", b"a = \"\x81\"").unwrap_err();
        assert!(!d.hint.contains("Windows-1252"), "{}", d.hint);
    }

    #[test]
    fn utf_16_and_cut_files_are_named_as_such() {
        let d = decode("f.toml", b"\xff\xfea\x00").unwrap_err();
        assert!(d.message.contains("UTF-16"), "{}", d.message);
        let d = decode("f.toml", "a = \"é".as_bytes().split_last().unwrap().1).unwrap_err();
        assert!(d.message.contains("middle of a character"), "{}", d.message);
    }

    #[test]
    fn utf_8_with_or_without_a_byte_order_mark_decodes() {
        assert_eq!(decode("f.toml", "a = \"é\"".as_bytes()), Ok("a = \"é\""));
        assert!(decode("f.toml", "\u{feff}a = 1".as_bytes()).is_ok());
    }

    #[test]
    fn a_file_over_its_limit_is_located_where_the_limit_falls() {
        let bytes = b"a = 1\nb = 2\nc = 3\n";
        assert_eq!(check_size("f.toml", bytes, 100, "a fragment", "x"), None);
        let d = check_size("f.toml", bytes, 8, "a fragment", "x").unwrap();
        assert_eq!((d.line, d.column), (2, 3));
        assert_eq!(
            d.message,
            "the file is 18 bytes long, more than the 8 bytes a fragment may be (the limit falls here)"
        );
    }
}
