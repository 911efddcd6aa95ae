//! What a file really is, decided from its content as it streams in — never from its name or its
//! declared type.
//!
//! Three checks, each cheap enough to run over every byte of a 10 MiB upload:
//! 1. **Magic number**: the first bytes must be a PDF, JPEG or PNG signature.
//! 2. **Structure**: a PDF must end with `%%EOF` (in its last KiB, as readers require); a PNG must
//!    end exactly with its `IEND` chunk (bytes after it are another file riding along); a JPEG must
//!    contain its end-of-image marker (phones append motion-photo data after it, so trailing bytes
//!    are allowed there).
//! 3. **No markup anywhere**: a file that is also an HTML, SVG, XML-script or PHP document (a
//!    *polyglot*: `%PDF-1.4 … <html><script>…`) is refused, wherever the markup hides. The search is
//!    case-insensitive and survives a marker split across two network chunks.
//!
//! This is defence in depth: documents are also only ever served as attachments with
//! `application/octet-stream` and `nosniff`, so no browser renders them in the provider's origin.
//! It does not look inside compressed PDF streams (nothing a browser would render is there).

/// What the content is not allowed to be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// Not a PDF, JPEG or PNG at all.
    UnknownType,
    /// The signature is right but the file stops before its end (or is not really that format).
    Truncated(&'static str),
    /// Bytes after the end of a PNG image.
    TrailingData(&'static str),
    /// The file also reads as markup or script (the marker found).
    ActiveContent(&'static str),
}

/// Markers of content a browser or a server would execute or render; compared ignoring ASCII case.
const MARKUP: [&str; 12] = [
    "<!doctype html",
    "<html",
    "<head",
    "<body",
    "<script",
    "<svg",
    "<iframe",
    "<object",
    "<embed",
    "<form",
    "<?php",
    "javascript:",
];
const LONGEST_MARKER: usize = 14;
const HEAD: usize = 262;
const TAIL: usize = 1024;
const PNG_END: [u8; 12] = [0, 0, 0, 0, b'I', b'E', b'N', b'D', 0xAE, 0x42, 0x60, 0x82];

/// Fed chunk by chunk with [`Inspector::update`], then asked [`Inspector::finish`].
#[derive(Default)]
pub struct Inspector {
    head: Vec<u8>,
    /// The last bytes seen (at most [`TAIL`]), for end-of-file checks.
    tail: Vec<u8>,
    /// The end of the previous chunk, so a marker split across chunks is still found.
    carry: Vec<u8>,
    markup: Option<&'static str>,
    jpeg_end_seen: bool,
    previous_was_ff: bool,
}

impl Inspector {
    pub fn update(&mut self, chunk: &[u8]) {
        if self.head.len() < HEAD {
            let take = (HEAD - self.head.len()).min(chunk.len());
            self.head.extend_from_slice(&chunk[..take]);
        }
        self.tail.extend_from_slice(chunk);
        if self.tail.len() > TAIL {
            self.tail.drain(..self.tail.len() - TAIL);
        }
        for &byte in chunk {
            if self.previous_was_ff && byte == 0xD9 {
                self.jpeg_end_seen = true;
            }
            self.previous_was_ff = byte == 0xFF;
        }
        if self.markup.is_none() {
            let mut window = std::mem::take(&mut self.carry);
            window.extend_from_slice(chunk);
            self.markup = find_markup(&window);
            let keep = window.len().min(LONGEST_MARKER - 1);
            self.carry = window.split_off(window.len() - keep);
        }
    }

    /// The media type, if the content is an acceptable file.
    pub fn finish(&self) -> Result<&'static str, Refusal> {
        let kind = infer::get(&self.head)
            .map(|k| k.mime_type())
            .and_then(|mime| super::SUPPORTED_TYPES.into_iter().find(|t| *t == mime))
            .ok_or(Refusal::UnknownType)?;
        if let Some(marker) = self.markup {
            return Err(Refusal::ActiveContent(marker));
        }
        match kind {
            "application/pdf" if !contains(&self.tail, b"%%EOF") => Err(Refusal::Truncated(kind)),
            "image/png" if !self.tail.ends_with(&PNG_END) => {
                if contains(&self.tail, &PNG_END) {
                    Err(Refusal::TrailingData(kind))
                } else {
                    Err(Refusal::Truncated(kind))
                }
            }
            "image/jpeg" if !self.jpeg_end_seen => Err(Refusal::Truncated(kind)),
            _ => Ok(kind),
        }
    }
}

/// Inspects a whole file held in memory.
pub fn inspect(bytes: &[u8]) -> Result<&'static str, Refusal> {
    let mut inspector = Inspector::default();
    inspector.update(bytes);
    inspector.finish()
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

fn find_markup(window: &[u8]) -> Option<&'static str> {
    window.iter().enumerate().find_map(|(i, &byte)| {
        if byte != b'<' && !byte.eq_ignore_ascii_case(&b'j') {
            return None;
        }
        MARKUP.into_iter().find(|marker| {
            window
                .get(i..i + marker.len())
                .is_some_and(|w| w.eq_ignore_ascii_case(marker.as_bytes()))
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const PDF: &[u8] =
        b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";
    const PNG: &[u8] = &[
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 0x49, 0x48, 0x44, 0x52, 0,
        0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0, 0x1F, 0x15, 0xC4, 0x89, 0, 0, 0, 0x0A, 0x49, 0x44,
        0x41, 0x54, 0x78, 0x9C, 0x63, 0, 1, 0, 0, 5, 0, 1, 0x0D, 0x0A, 0x2D, 0xB4, 0, 0, 0, 0,
        0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
    ];
    const JPEG: &[u8] = &[
        0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, b'J', b'F', b'I', b'F', 0, 0xFF, 0xD9,
    ];

    fn with(base: &[u8], insert: &[u8], at: usize) -> Vec<u8> {
        let mut out = base[..at].to_vec();
        out.extend_from_slice(insert);
        out.extend_from_slice(&base[at..]);
        out
    }

    #[test]
    fn genuine_files_are_recognised_by_content() {
        assert_eq!(inspect(PDF), Ok("application/pdf"));
        assert_eq!(inspect(PNG), Ok("image/png"));
        assert_eq!(inspect(JPEG), Ok("image/jpeg"));
        let mut motion_photo = JPEG.to_vec();
        motion_photo.extend_from_slice(b"\0\0\0\x18ftypmp42 video after the image");
        assert_eq!(inspect(&motion_photo), Ok("image/jpeg"));
        assert_eq!(
            inspect(b"<html><script>alert(1)</script>"),
            Err(Refusal::UnknownType)
        );
        assert_eq!(inspect(b"MZ\x90\x00"), Err(Refusal::UnknownType));
    }

    #[test]
    fn polyglots_are_refused_wherever_the_markup_hides() {
        for (marker, insert) in [
            ("<html", &b"<HTML><body>x</body></HTML>"[..]),
            ("<script", b"<ScRiPt>alert(document.cookie)</script>"),
            (
                "<svg",
                b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>",
            ),
            ("<!doctype html", b"<!DOCTYPE html>"),
            ("javascript:", b"<a href=JavaScript:alert(1)>"),
        ] {
            let refused = Err(Refusal::ActiveContent(marker));
            assert_eq!(inspect(&with(PDF, insert, 9)), refused, "pdf {marker}");
            assert_eq!(inspect(&with(PNG, insert, 33)), refused, "png {marker}");
            assert_eq!(inspect(&with(JPEG, insert, 11)), refused, "jpeg {marker}");
        }
    }

    #[test]
    fn a_marker_split_across_chunks_is_still_found() {
        let polyglot = with(PDF, b"<script>alert(1)</script>", 20);
        for split in 0..polyglot.len() {
            let mut inspector = Inspector::default();
            inspector.update(&polyglot[..split]);
            inspector.update(&polyglot[split..]);
            assert_eq!(
                inspector.finish(),
                Err(Refusal::ActiveContent("<script")),
                "split at {split}"
            );
        }
        // One byte at a time is the extreme case.
        let mut inspector = Inspector::default();
        for byte in &polyglot {
            inspector.update(std::slice::from_ref(byte));
        }
        assert_eq!(inspector.finish(), Err(Refusal::ActiveContent("<script")));
    }

    #[test]
    fn truncated_files_and_riders_after_the_end_are_refused() {
        assert_eq!(
            inspect(&PDF[..PDF.len() - 7]),
            Err(Refusal::Truncated("application/pdf"))
        );
        assert_eq!(inspect(&PNG[..40]), Err(Refusal::Truncated("image/png")));
        let mut png_zip = PNG.to_vec();
        png_zip.extend_from_slice(b"PK\x03\x04 a zip archive riding along");
        assert_eq!(inspect(&png_zip), Err(Refusal::TrailingData("image/png")));
        assert_eq!(
            inspect(&JPEG[..JPEG.len() - 2]),
            Err(Refusal::Truncated("image/jpeg"))
        );
        // A PDF whose %%EOF is far from the end was cut or had something appended.
        let mut appended = PDF.to_vec();
        appended.extend(std::iter::repeat_n(b'x', 2000));
        assert_eq!(
            inspect(&appended),
            Err(Refusal::Truncated("application/pdf"))
        );
    }
}
