//! Reads `/portail.toml` without a TOML library in the first page.
//!
//! The `toml` crate and its float and date code weigh about 20 KB brotli, and this file is read
//! before anything is shown: a town hall's portal would download the whole TOML machinery for six
//! settings. This reader knows the small part of TOML the file is documented with — `[kiosk]`,
//! comments, `key = value` with a boolean, a decimal integer or a one-line string — and **refuses
//! everything else** with the line and a way to write it. It never reads a file differently from a
//! TOML parser: whatever it accepts, `toml` accepts with the same values (the differential test
//! below checks that on thousands of mutated files); a construct it does not know (inline tables,
//! dotted keys, hexadecimal, multi-line strings…) is reported, and the portal then fails safe as
//! a kiosk, as for any unreadable file.

use super::{KioskConfig, SiteConfig};

/// Why the file could not be read, with its line (1-based) and what to write instead.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("portail.toml, ligne {line} : {what}")]
pub struct ReadError {
    pub line: usize,
    pub what: String,
}

/// A value as written on a `key = value` line.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Value {
    Bool(bool),
    Integer(i64),
    Text(String),
}

impl Value {
    fn kind(&self) -> &'static str {
        match self {
            Value::Bool(_) => "un booléen",
            Value::Integer(_) => "un nombre entier",
            Value::Text(_) => "un texte",
        }
    }
}

const KIOSK_KEYS: &str = "enabled, inactivity_minutes, warning_seconds, house, client_id";

/// Reads the settings; out-of-range values are left to the caller.
pub fn read(text: &str) -> Result<SiteConfig, ReadError> {
    let mut config = SiteConfig::default();
    let mut table: Option<&str> = None;
    let mut tables_seen: Vec<String> = Vec::new();
    let mut keys_seen: Vec<&str> = Vec::new();
    let lines: Vec<&str> = text.split('\n').collect();
    for (index, raw) in lines.iter().enumerate() {
        let line = index + 1;
        let fail = |what: String| ReadError { line, what };
        // CRLF ends a line; a carriage return anywhere else (the last line's included) is refused.
        let content = match raw.strip_suffix('\r') {
            Some(before) if line < lines.len() => before,
            _ => raw,
        };
        if let Some(c) = content.chars().find(|&c| is_forbidden_control(c)) {
            return Err(fail(format!(
                "caractère de contrôle U+{:04X} : enregistrez le fichier en texte simple (UTF-8)",
                c as u32
            )));
        }
        let content = content.trim_matches([' ', '\t']);
        if content.is_empty() || content.starts_with('#') {
            continue;
        }
        if let Some(header) = content.strip_prefix('[') {
            let name = table_header(header)
                .ok_or_else(|| fail("en-tête de section illisible : écrivez [kiosk]".to_owned()))?;
            if name != "kiosk" {
                return Err(fail(format!(
                    "section [{name}] inconnue : la seule section est [kiosk]"
                )));
            }
            if tables_seen.iter().any(|t| t == name) {
                return Err(fail(format!("section [{name}] écrite deux fois")));
            }
            tables_seen.push(name.to_owned());
            table = Some("kiosk");
            keys_seen.clear();
            continue;
        }
        let (key, rest) = content.split_once('=').ok_or_else(|| {
            fail(
                "ligne illisible : écrivez réglage = valeur, ou # devant un commentaire".to_owned(),
            )
        })?;
        let key = key.trim_matches([' ', '\t']);
        if key.is_empty()
            || !key
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        {
            return Err(fail(format!(
                "nom de réglage « {key} » illisible : écrivez-le sans guillemets ni point, sous [kiosk]"
            )));
        }
        let Some("kiosk") = table else {
            return Err(fail(format!(
                "réglage « {key} » hors de toute section : placez-le sous [kiosk]"
            )));
        };
        let value = value_of(rest.trim_start_matches([' ', '\t'])).map_err(fail)?;
        if keys_seen.contains(&key) {
            return Err(fail(format!("réglage « {key} » écrit deux fois")));
        }
        keys_seen.push(key);
        set(&mut config.kiosk, key, value).map_err(fail)?;
    }
    Ok(config)
}

/// TOML allows no control character but the tab in a line (a lone carriage return included).
fn is_forbidden_control(c: char) -> bool {
    (c.is_control() && c != '\t') || c == '\u{feff}'
}

/// `kiosk` from `kiosk]` (after the `[`), spaces allowed inside, a comment after.
fn table_header(after_bracket: &str) -> Option<&str> {
    let (name, rest) = after_bracket.split_once(']')?;
    let name = name.trim_matches([' ', '\t']);
    let rest = rest.trim_start_matches([' ', '\t']);
    let bare = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    (bare && (rest.is_empty() || rest.starts_with('#'))).then_some(name)
}

/// The value at the start of `text`, followed by nothing but an optional comment.
fn value_of(text: &str) -> Result<Value, String> {
    let (value, rest) = if let Some(body) = text.strip_prefix('"') {
        basic_string(body)?
    } else if let Some(body) = text.strip_prefix('\'') {
        let end = body
            .find('\'')
            .ok_or("texte sans apostrophe fermante".to_owned())?;
        if body[..end].is_empty() && body[end + 1..].starts_with('\'') {
            return Err(MULTI_LINE.to_owned());
        }
        (Value::Text(body[..end].to_owned()), &body[end + 1..])
    } else {
        let end = text.find([' ', '\t', '#']).unwrap_or(text.len());
        (bare_value(&text[..end])?, &text[end..])
    };
    let rest = rest.trim_start_matches([' ', '\t']);
    if rest.is_empty() || rest.starts_with('#') {
        Ok(value)
    } else {
        Err(format!(
            "« {rest} » après la valeur : une seule valeur par ligne, un # devant un commentaire"
        ))
    }
}

const MULTI_LINE: &str = "texte sur plusieurs lignes non pris en charge : écrivez-le sur une ligne";

/// A `"…"` string (after the opening quote): the text and what follows the closing quote.
fn basic_string(body: &str) -> Result<(Value, &str), String> {
    if body.starts_with("\"\"") {
        return Err(MULTI_LINE.to_owned());
    }
    let mut text = String::new();
    let mut chars = body.char_indices();
    while let Some((at, c)) = chars.next() {
        match c {
            '"' => return Ok((Value::Text(text), &body[at + 1..])),
            '\\' => {
                let escaped = match chars.next().map(|(_, e)| e) {
                    Some('"') => '"',
                    Some('\\') => '\\',
                    Some('n') => '\n',
                    Some('t') => '\t',
                    _ => {
                        return Err(
                            "échappement non pris en charge : seuls \\\" \\\\ \\n \\t le sont"
                                .to_owned(),
                        );
                    }
                };
                text.push(escaped);
            }
            c => text.push(c),
        }
    }
    Err("texte sans guillemet fermant".to_owned())
}

/// `true`, `false` or a decimal integer as TOML writes them (`1_000`, no leading zero).
fn bare_value(word: &str) -> Result<Value, String> {
    match word {
        "true" => return Ok(Value::Bool(true)),
        "false" => return Ok(Value::Bool(false)),
        _ => {}
    }
    let digits = word.strip_prefix(['+', '-']).unwrap_or(word);
    let well_formed = !digits.is_empty()
        && digits.starts_with(|c: char| c.is_ascii_digit())
        && digits.ends_with(|c: char| c.is_ascii_digit())
        && digits.chars().all(|c| c.is_ascii_digit() || c == '_')
        && !digits.contains("__")
        && !(digits.starts_with('0') && digits.len() > 1);
    if !well_formed {
        return Err(format!(
            "valeur « {word} » illisible : écrivez true, false, un nombre entier ou un texte entre guillemets"
        ));
    }
    word.replace('_', "")
        .parse::<i64>()
        .map(Value::Integer)
        .map_err(|_| format!("nombre « {word} » trop grand"))
}

fn set(kiosk: &mut KioskConfig, key: &str, value: Value) -> Result<(), String> {
    let wrong = |expected: &str, value: &Value| {
        format!(
            "« {key} » attend {expected}, pas {} : par exemple {}",
            value.kind(),
            example(key)
        )
    };
    match (key, value) {
        ("enabled", Value::Bool(b)) => kiosk.enabled = b,
        ("inactivity_minutes", Value::Integer(n)) => {
            kiosk.inactivity_minutes = minutes_or_seconds(key, n)?;
        }
        ("warning_seconds", Value::Integer(n)) => {
            kiosk.warning_seconds = minutes_or_seconds(key, n)?;
        }
        ("house", Value::Text(t)) => kiosk.house = Some(t),
        ("client_id", Value::Text(t)) => kiosk.client_id = Some(t),
        ("enabled", v) => return Err(wrong("true ou false", &v)),
        ("inactivity_minutes" | "warning_seconds", v) => {
            return Err(wrong("un nombre entier", &v));
        }
        ("house" | "client_id", v) => return Err(wrong("un texte entre guillemets", &v)),
        (other, _) => {
            return Err(format!(
                "« {other} » n’est pas un réglage de [kiosk] (réglages : {KIOSK_KEYS})"
            ));
        }
    }
    Ok(())
}

fn minutes_or_seconds(key: &str, n: i64) -> Result<u32, String> {
    u32::try_from(n)
        .map_err(|_| format!("« {key} » doit être un nombre positif : {}", example(key)))
}

fn example(key: &str) -> &'static str {
    match key {
        "enabled" => "enabled = true",
        "inactivity_minutes" => "inactivity_minutes = 3",
        "warning_seconds" => "warning_seconds = 30",
        "house" => "house = \"fs-gien\"",
        _ => "client_id = \"guichet-kiosque\"",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the `toml` crate reads (the library this reader stands in for).
    fn by_library(text: &str) -> Option<SiteConfig> {
        toml::from_str::<SiteConfig>(text).ok()
    }

    const SHIPPED: &str = include_str!("../../../public/portail.toml");

    const WRITTEN_AS_DOCUMENTED: &[&str] = &[
        SHIPPED,
        "",
        "[kiosk]\n",
        "[kiosk]\nenabled = true\ninactivity_minutes = 5\nwarning_seconds = 20\nhouse = \"fs-gien\"\nclient_id = \"guichet-kiosque\"\n",
        "# a kiosk\r\n[ kiosk ]  # the only table\r\n\tenabled=true # on\r\nhouse = 'fs-gien'\r\n",
        "[kiosk]\ninactivity_minutes = 1_0\nwarning_seconds = +45\nhouse = \"fs \\\"Gien\\\" \\\\ centre\"\n",
        "[kiosk]\nhouse = \"Maison France services — Gien\"\n",
        "\n\n   \n[kiosk]\n\n\nenabled = false\n\n",
    ];

    #[test]
    fn reads_every_documented_form_as_the_library_does() {
        for text in WRITTEN_AS_DOCUMENTED {
            let ours = read(text).unwrap_or_else(|e| panic!("{text:?}: {e}"));
            assert_eq!(Some(ours), by_library(text), "{text:?}");
        }
    }

    #[test]
    fn says_where_and_how_to_fix_it() {
        let cases = [
            ("[kiosk]\nenabeld = false\n", 2, "réglages : enabled"),
            ("[kiosk]\nenabled = \"oui\"\n", 2, "enabled = true"),
            ("[kisok]\n", 1, "[kiosk]"),
            ("enabled = true\n", 1, "sous [kiosk]"),
            ("[kiosk]\nwarning_seconds = -5\n", 2, "positif"),
            ("[kiosk]\nhouse = \"fs-gien\" x\n", 2, "une seule valeur"),
            ("[kiosk]\nenabled = true\nenabled = false\n", 3, "deux fois"),
            ("[kiosk]\n[kiosk]\n", 2, "deux fois"),
            ("[kiosk]\ninactivity_minutes = 0x10\n", 2, "nombre entier"),
            ("kiosk = { enabled = true }\n", 1, "kiosk"),
            (
                "[kiosk]\nkiosk.enabled = true\n",
                2,
                "sans guillemets ni point",
            ),
        ];
        for (text, line, hint) in cases {
            let error = read(text).expect_err(text);
            assert_eq!(error.line, line, "{text:?}: {error}");
            assert!(error.to_string().contains(hint), "{text:?}: {error}");
            assert!(
                error
                    .to_string()
                    .starts_with(&format!("portail.toml, ligne {line} : "))
            );
        }
    }

    /// A small deterministic generator (no dependency): the same mutations on every run.
    struct Lcg(u64);
    impl Lcg {
        fn below(&mut self, n: usize) -> usize {
            self.0 = self
                .0
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            ((self.0 >> 33) as usize) % n
        }
    }

    /// Characters that matter to TOML, to insert or substitute.
    const ALPHABET: &[&str] = &[
        "\"", "'", "[", "]", "=", "#", " ", "\t", "\n", "\r", "\\", "_", "-", "+", ".", "0", "1",
        "9", "x", "e", "t", "f", "{", "}", ",", "\"\"\"", "true", "false", "kiosk", "\\u00e9",
        "\u{0}", "é", "inf", "1e3", "1.5", "07", "1__0",
    ];

    #[test]
    fn whatever_it_accepts_the_library_reads_the_same_way() {
        let mut random = Lcg(0x5eed);
        let (mut accepted, mut refused_by_both, mut refused_by_us_only) = (0, 0, 0);
        for round in 0..6_000 {
            let mut text = WRITTEN_AS_DOCUMENTED[round % WRITTEN_AS_DOCUMENTED.len()].to_owned();
            for _ in 0..1 + random.below(3) {
                let bounds: Vec<usize> = (0..=text.len())
                    .filter(|&i| text.is_char_boundary(i))
                    .collect();
                let at = bounds[random.below(bounds.len())];
                let end = bounds.iter().copied().find(|&b| b > at).unwrap_or(at);
                let piece = ALPHABET[random.below(ALPHABET.len())];
                match random.below(3) {
                    0 => text.insert_str(at, piece),
                    1 => text.replace_range(at..end, piece),
                    _ => text.replace_range(at..end, ""),
                }
            }
            match (read(&text), by_library(&text)) {
                (Ok(ours), Some(theirs)) => {
                    assert_eq!(ours, theirs, "read differently: {text:?}");
                    accepted += 1;
                }
                (Ok(ours), None) => panic!("accepted what TOML refuses: {text:?} → {ours:?}"),
                (Err(_), None) => refused_by_both += 1,
                (Err(_), Some(_)) => refused_by_us_only += 1,
            }
        }
        // The mutations must exercise both sides, or the test proves nothing.
        assert!(accepted > 1_000, "{accepted} accepted");
        assert!(refused_by_both > 1_000, "{refused_by_both} refused by both");
        // What only this reader refuses is TOML it does not support (and says so), and rare.
        assert!(
            refused_by_us_only < accepted / 10,
            "{refused_by_us_only} refused only here, {accepted} accepted"
        );
    }
}
