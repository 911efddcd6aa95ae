//! Characters a catalogue may not contain, and how diagnostics show them safely.
//!
//! Catalogue text is shown to citizens as text and echoed by the `catalogue` CLI, so some
//! characters are dangerous even though no script can run:
//!
//! * **bidirectional controls** (U+202A–202E, U+2066–2069, U+200E/F, U+061C) reorder what is
//!   displayed: a summary saying "25 €" can be written so that it displays "52 €";
//! * **invisible characters** (zero-width spaces and joiners, the other Unicode format characters,
//!   tags, fillers that display as nothing) hide words, split them so search misses them, or make
//!   two different texts look the same;
//! * **control characters** (C0, DEL, C1) are acted on by terminals (`ESC [` moves the cursor,
//!   `BEL` rings) and have no meaning in a catalogue. Line feeds and tabs are allowed only where
//!   a text may span lines (descriptions).
//!
//! The parser refuses them in every string of the format (see [`first_forbidden`]); whatever
//! still has to be printed — a file name, a key, a syntax error — goes through [`escape`].

mod names;

pub use names::name;
use std::borrow::Cow;

/// Why a character is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CharKind {
    /// Reorders displayed text.
    Bidi,
    /// Displays as nothing.
    Invisible,
    /// C0 (other than line feed and tab), DEL or C1.
    Control,
    /// A line break (line feed, carriage return, NEL, U+2028/2029) where it is not allowed.
    LineBreak,
    /// A tab in a one-line field.
    Tab,
}

/// The first refused character of a text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ForbiddenChar {
    pub ch: char,
    /// Byte offset in the text.
    pub offset: usize,
    pub kind: CharKind,
    /// How many refused characters the text holds in all (at least 1).
    pub count: usize,
}

impl ForbiddenChar {
    /// "contains U+202E RIGHT-TO-LEFT OVERRIDE, a bidirectional control that …".
    pub fn message(&self) -> String {
        let name = name(self.ch);
        let what = match self.kind {
            CharKind::Bidi => {
                "a bidirectional control, which makes text display in another order than it is written"
            }
            CharKind::Invisible => "an invisible character, which can hide, join or split words",
            CharKind::Control => "a control character, which terminals and programs act on",
            CharKind::LineBreak => "a line break, in a field of one line",
            CharKind::Tab => "a tab, in a field of one line",
        };
        let more = match self.count {
            1 => String::new(),
            2 => " (and 1 more such character)".to_owned(),
            n => format!(" (and {} more such characters)", n - 1),
        };
        format!("contains {name}, {what}{more}")
    }

    /// The fix to suggest.
    pub fn hint(&self, multiline: bool) -> &'static str {
        match self.kind {
            CharKind::Tab => "replace it with a space",
            CharKind::LineBreak if multiline => {
                "use an ordinary line break (a new line in the file)"
            }
            CharKind::LineBreak => {
                "write it on one line (only `description` may span several lines)"
            }
            _ => {
                "remove it (it does not show: if the text was copied from another document, type it again)"
            }
        }
    }
}

/// Bidirectional controls: embeddings, overrides, isolates and the three marks.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Characters that display as nothing: Unicode format characters (category Cf) other than the
/// bidi controls, the combining grapheme joiner, and fillers (Hangul, Braille blank).
pub fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{034F}' | '\u{0600}'..='\u{0605}' | '\u{06DD}' | '\u{070F}'
        | '\u{0890}' | '\u{0891}' | '\u{08E2}' | '\u{115F}' | '\u{1160}' | '\u{180E}'
        | '\u{200B}'..='\u{200D}' | '\u{2060}'..='\u{2064}' | '\u{206A}'..='\u{206F}'
        | '\u{2800}' | '\u{3164}' | '\u{FEFF}' | '\u{FFA0}' | '\u{FFF9}'..='\u{FFFB}'
        | '\u{110BD}' | '\u{110CD}' | '\u{13430}'..='\u{1343F}' | '\u{1BCA0}'..='\u{1BCA3}'
        | '\u{1D173}'..='\u{1D17A}' | '\u{E0000}'..='\u{E007F}')
}

fn is_line_break(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\u{0085}' | '\u{2028}' | '\u{2029}')
}

/// How `c` is refused in a field, or `None` when it is allowed. In a multi-line field, `\n` and
/// `\t` are allowed (a `\r` must have been normalised away before, see [`normalize_newlines`]).
pub fn classify(c: char, multiline: bool) -> Option<CharKind> {
    if multiline && (c == '\n' || c == '\t') {
        return None;
    }
    if c == '\t' {
        Some(CharKind::Tab)
    } else if is_line_break(c) {
        Some(CharKind::LineBreak)
    } else if c.is_control() {
        Some(CharKind::Control)
    } else if is_bidi_control(c) {
        Some(CharKind::Bidi)
    } else if is_invisible(c) {
        Some(CharKind::Invisible)
    } else {
        None
    }
}

/// The first refused character of `text`, with how many there are in all.
pub fn first_forbidden(text: &str, multiline: bool) -> Option<ForbiddenChar> {
    let mut found: Option<ForbiddenChar> = None;
    for (offset, ch) in text.char_indices() {
        if let Some(kind) = classify(ch, multiline) {
            match &mut found {
                Some(f) => f.count += 1,
                None => {
                    found = Some(ForbiddenChar {
                        ch,
                        offset,
                        kind,
                        count: 1,
                    })
                }
            }
        }
    }
    found
}

/// Windows line ends (`\r\n`) in a multi-line text become `\n`: files saved on Windows are fine.
pub fn normalize_newlines(text: &str) -> Cow<'_, str> {
    if text.contains("\r\n") {
        Cow::Owned(text.replace("\r\n", "\n"))
    } else {
        Cow::Borrowed(text)
    }
}

/// Whether printing `c` as is could act on a terminal or reorder or hide text.
pub fn is_unsafe_to_print(c: char) -> bool {
    c.is_control() || is_line_break(c) || is_bidi_control(c) || is_invisible(c)
}

/// `text` with every character unsafe to print written as `\u{…}` (line feeds too: a diagnostic
/// is one line). Idempotent: the escapes are plain ASCII.
pub fn escape(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe_to_print) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_unsafe_to_print(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bidi_control_named_by_the_issue_is_refused_everywhere() {
        let bidi = [
            '\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}', '\u{202E}', '\u{2066}', '\u{2067}',
            '\u{2068}', '\u{2069}', '\u{200E}', '\u{200F}', '\u{061C}',
        ];
        for c in bidi {
            for multiline in [false, true] {
                assert_eq!(classify(c, multiline), Some(CharKind::Bidi), "{}", name(c));
            }
        }
    }

    #[test]
    fn zero_width_and_invisible_characters_are_refused_everywhere() {
        for c in [
            '\u{200B}',
            '\u{200C}',
            '\u{200D}',
            '\u{2060}',
            '\u{FEFF}',
            '\u{E0041}',
            '\u{3164}',
            '\u{AD}',
            '\u{2800}',
        ] {
            assert_eq!(classify(c, true), Some(CharKind::Invisible), "{}", name(c));
        }
    }

    #[test]
    fn controls_are_refused_but_lines_and_tabs_are_allowed_in_multi_line_text() {
        for c in [
            '\u{0}', '\u{7}', '\u{1B}', '\u{7F}', '\u{80}', '\u{9B}', '\u{9F}',
        ] {
            assert_eq!(classify(c, true), Some(CharKind::Control), "{}", name(c));
        }
        assert_eq!(classify('\n', true), None);
        assert_eq!(classify('\t', true), None);
        assert_eq!(classify('\n', false), Some(CharKind::LineBreak));
        assert_eq!(classify('\t', false), Some(CharKind::Tab));
        assert_eq!(classify('\r', true), Some(CharKind::LineBreak));
        assert_eq!(classify('\u{2028}', true), Some(CharKind::LineBreak));
    }

    #[test]
    fn french_typography_is_allowed() {
        let text = "Tarif : 25\u{202F}€ « à l’accueil » — 1\u{A0}250\u{2009}m² ☎\u{FE0F} œuvre";
        assert_eq!(first_forbidden(text, false), None);
    }

    #[test]
    fn reports_the_first_refused_character_its_offset_and_how_many() {
        let found = first_forbidden("25 €\u{202E}52\u{202C}", false).unwrap();
        assert_eq!((found.ch, found.offset, found.count), ('\u{202E}', 6, 2));
        assert_eq!(
            found.message(),
            "contains U+202E RIGHT-TO-LEFT OVERRIDE, a bidirectional control, which makes text display in another order than it is written (and 1 more such character)"
        );
    }

    #[test]
    fn windows_line_ends_are_normalised_in_multi_line_text() {
        assert_eq!(normalize_newlines("a\r\nb"), "a\nb");
        assert_eq!(first_forbidden(&normalize_newlines("a\r\nb"), true), None);
        assert_eq!(
            first_forbidden("a\rb", true).map(|f| f.kind),
            Some(CharKind::LineBreak)
        );
    }

    #[test]
    fn escaping_leaves_no_raw_control_bidi_or_invisible_character_and_is_idempotent() {
        let hostile = "a\u{1B}[31mb\u{7}\u{9B}c\u{202E}d\u{200B}e\nf";
        let escaped = escape(hostile);
        assert_eq!(
            escaped,
            "a\\u{1b}[31mb\\u{7}\\u{9b}c\\u{202e}d\\u{200b}e\\u{a}f"
        );
        assert!(!escaped.chars().any(is_unsafe_to_print));
        assert_eq!(escape(&escaped), escaped);
        assert!(matches!(escape("Gien — état civil"), Cow::Borrowed(_)));
    }

    #[test]
    fn names_say_what_the_character_is() {
        assert_eq!(name('\u{1B}'), "U+001B ESCAPE");
        assert_eq!(name('\u{81}'), "U+0081 (a control character)");
        assert_eq!(name('\u{E0041}'), "U+E0041 (a tag character)");
        assert_eq!(
            name('\u{FEFF}'),
            "U+FEFF ZERO WIDTH NO-BREAK SPACE (byte order mark)"
        );
    }
}
