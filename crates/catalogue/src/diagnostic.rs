//! Diagnostics: what is wrong in a catalogue file, where, and how to fix it.
//!
//! A collectivity's clerk editing `services.toml` must be able to fix a mistake from the message
//! alone, so every diagnostic names the file, line and column, the field (as a path a person can
//! find: "service `gien/etat-civil` field `processing_time`"), what is wrong and the fix:
//!
//! ```text
//! services.toml:42:9: service `gien/etat-civil` field `processing_time`: `15 days` is not an ISO 8601 duration; write `P15D`
//! ```
//!
//! Messages quote what the file says, and a hostile file can say anything: every diagnostic is
//! built with its control, bidi and invisible characters written as `\u{…}`
//! ([`crate::values::chars::escape`]), and printing escapes again, so raw `ESC` or `BEL` never
//! reaches a terminal and no message can display in another order than it is written.

use crate::values::chars::escape;
use serde::Serialize;
use std::fmt;
use std::ops::Range;

/// Which part of the catalogue a field belongs to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Owner {
    /// The whole file (syntax errors, top-level keys).
    Document,
    Federation,
    /// A member, by id when it has a valid one, otherwise by position (1-based).
    Member(String),
    /// A service, by id when it has a valid one, otherwise by position (1-based).
    Service(String),
}

/// The field a diagnostic is about: its owner and the dotted field path inside it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldPath {
    pub owner: Owner,
    /// Dotted path inside the owner (`channels.online.form`); empty for the owner itself.
    pub field: String,
}

impl FieldPath {
    pub fn new(owner: Owner, field: impl Into<String>) -> Self {
        FieldPath {
            owner,
            field: field.into(),
        }
    }

    /// The same owner, a sub-field: `channels` + `online` → `channels.online`.
    pub fn join(&self, child: &str) -> Self {
        let field = if self.field.is_empty() {
            child.to_owned()
        } else {
            format!("{}.{child}", self.field)
        };
        FieldPath {
            owner: self.owner.clone(),
            field,
        }
    }

    /// The same path with unsafe characters written as `\u{…}`.
    fn escaped(self) -> Self {
        let owner = match self.owner {
            Owner::Member(id) => Owner::Member(escape(&id).into_owned()),
            Owner::Service(id) => Owner::Service(escape(&id).into_owned()),
            other => other,
        };
        FieldPath {
            owner,
            field: escape(&self.field).into_owned(),
        }
    }

    /// Machine form used in JSON output: `service[gien/etat-civil].processing_time`.
    pub fn machine(&self) -> String {
        let owner = match &self.owner {
            Owner::Document => String::new(),
            Owner::Federation => "federation".to_owned(),
            Owner::Member(id) => format!("member[{id}]"),
            Owner::Service(id) => format!("service[{id}]"),
        };
        match (owner.is_empty(), self.field.is_empty()) {
            (true, _) => self.field.clone(),
            (false, true) => owner,
            (false, false) => format!("{owner}.{}", self.field),
        }
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let field = &self.field;
        match (&self.owner, field.is_empty()) {
            (Owner::Document, true) => f.write_str("file"),
            (Owner::Document, false) => write!(f, "field `{field}`"),
            (Owner::Federation, true) => f.write_str("[federation]"),
            (Owner::Federation, false) => write!(f, "[federation] field `{field}`"),
            (Owner::Member(id), true) => write!(f, "member `{id}`"),
            (Owner::Member(id), false) => write!(f, "member `{id}` field `{field}`"),
            (Owner::Service(id), true) => write!(f, "service `{id}`"),
            (Owner::Service(id), false) => write!(f, "service `{id}` field `{field}`"),
        }
    }
}

/// One problem found in a catalogue file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    pub path: FieldPath,
    pub message: String,
    /// How to fix it; may be empty when the message says it all.
    pub hint: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}: {}",
            escape(&self.file),
            self.line,
            self.column,
            escape(&self.path.to_string()),
            escape(&self.message)
        )?;
        if !self.hint.is_empty() {
            write!(f, "; {}", escape(&self.hint))?;
        }
        Ok(())
    }
}

/// The JSON shape printed by `catalogue check --json`.
#[derive(Serialize)]
struct DiagnosticJson<'a> {
    file: &'a str,
    line: usize,
    column: usize,
    path: String,
    message: &'a str,
    hint: &'a str,
}

impl Serialize for Diagnostic {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        DiagnosticJson {
            file: &escape(&self.file),
            line: self.line,
            column: self.column,
            path: escape(&self.path.machine()).into_owned(),
            message: &escape(&self.message),
            hint: &escape(&self.hint),
        }
        .serialize(serializer)
    }
}

/// Converts byte offsets of one source text into 1-based line and column numbers.
#[derive(Clone, Debug)]
pub struct SourceText<'a> {
    pub name: &'a str,
    pub text: &'a str,
    line_starts: Vec<usize>,
}

impl<'a> SourceText<'a> {
    pub fn new(name: &'a str, text: &'a str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        SourceText {
            name,
            text,
            line_starts,
        }
    }

    /// 1-based (line, column) of a byte offset; the column counts characters, not bytes.
    pub fn position(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        let mut start = self.line_starts[line];
        if line == 0 && self.text.starts_with('\u{feff}') {
            // A byte order mark is not a column.
            start = start.max(3).min(offset);
        }
        let column = self
            .text
            .get(start..offset)
            .map_or(offset - start, |prefix| prefix.chars().count());
        (line + 1, column + 1)
    }

    /// Builds a diagnostic located at the start of `span`.
    pub fn diagnostic(
        &self,
        span: Range<usize>,
        path: FieldPath,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> Diagnostic {
        let (line, column) = self.position(span.start);
        Diagnostic {
            file: escape(self.name).into_owned(),
            line,
            column,
            path: path.escaped(),
            message: escape(&message.into()).into_owned(),
            hint: escape(&hint.into()).into_owned(),
        }
    }
}

/// A place in a source file, kept with the model for checks that run after parsing.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Location {
    pub file: String,
    pub line: usize,
    pub column: usize,
}

impl Location {
    pub fn of(source: &SourceText<'_>, span: &Range<usize>) -> Self {
        let (line, column) = source.position(span.start);
        Location {
            file: source.name.to_owned(),
            line,
            column,
        }
    }

    pub fn diagnostic(
        &self,
        path: FieldPath,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic {
            file: escape(&self.file).into_owned(),
            line: self.line,
            column: self.column,
            path: path.escaped(),
            message: escape(&message.into()).into_owned(),
            hint: escape(&hint.into()).into_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_lines_and_characters() {
        let source = SourceText::new("s.toml", "a = 1\ntitre = \"é\"\n\nx");
        assert_eq!(source.position(0), (1, 1));
        assert_eq!(source.position(6), (2, 1));
        // `"é"` : the closing quote is after a 2-byte character.
        assert_eq!(source.position(17), (2, 11));
        assert_eq!(source.position(19), (3, 1));
        assert_eq!(source.position(20), (4, 1));
        assert_eq!(source.position(999), (4, 2));
    }

    #[test]
    fn displays_file_line_column_path_message_and_hint() {
        let d = Diagnostic {
            file: "services.toml".into(),
            line: 42,
            column: 9,
            path: FieldPath::new(Owner::Service("gien/etat-civil".into()), "processing_time"),
            message: "`15 days` is not an ISO 8601 duration".into(),
            hint: "write `P15D`".into(),
        };
        assert_eq!(
            d.to_string(),
            "services.toml:42:9: service `gien/etat-civil` field `processing_time`: `15 days` is not an ISO 8601 duration; write `P15D`"
        );
    }

    #[test]
    fn machine_paths_are_stable() {
        let p = FieldPath::new(Owner::Member("gien".into()), "contact.phone");
        assert_eq!(p.machine(), "member[gien].contact.phone");
        assert_eq!(
            FieldPath::new(Owner::Federation, "").machine(),
            "federation"
        );
        assert_eq!(
            FieldPath::new(Owner::Document, "servce").machine(),
            "servce"
        );
    }

    #[test]
    fn a_byte_order_mark_is_not_a_column() {
        let source = SourceText::new("s.toml", "\u{feff}a = 1");
        assert_eq!(source.position(3), (1, 1));
        assert_eq!(source.position(7), (1, 5));
    }

    #[test]
    fn diagnostics_never_carry_raw_control_bidi_or_invisible_characters() {
        let source = SourceText::new("x\u{1b}]0;t\u{7}.toml", "a = 1");
        let d = source.diagnostic(
            0..1,
            FieldPath::new(Owner::Service("g/\u{202e}x".into()), "k\u{9b}"),
            "`\u{1b}[2J` is wrong",
            "bell\u{7}",
        );
        let shown = d.to_string();
        assert_eq!(
            shown,
            "x\\u{1b}]0;t\\u{7}.toml:1:1: service `g/\\u{202e}x` field `k\\u{9b}`: `\\u{1b}[2J` is wrong; bell\\u{7}"
        );
        // Built by hand, without the constructor: printing still escapes.
        let raw = Diagnostic {
            message: "\u{7}".into(),
            ..d.clone()
        };
        assert!(!raw.to_string().contains('\u{7}'));
        let json = serde_json::to_string(&raw).unwrap();
        assert!(
            !json.chars().any(crate::values::chars::is_unsafe_to_print),
            "{json}"
        );
    }
}
