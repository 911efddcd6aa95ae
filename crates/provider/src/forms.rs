//! The forms a provider serves: JSON schema files, checked when the server starts.

use contract::FormSchema;
use std::collections::BTreeMap;
use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum FormsError {
    #[error("cannot read forms in {path}: {message}")]
    Read { path: String, message: String },
    #[error("form {file}: {problems}")]
    Invalid { file: String, problems: String },
}

/// Loads each file as a form schema, keyed by form id.
pub fn load(files: &[PathBuf]) -> Result<BTreeMap<String, FormSchema>, FormsError> {
    let mut forms = BTreeMap::new();
    for file in files {
        let name = file.display().to_string();
        let text = std::fs::read_to_string(file).map_err(|e| FormsError::Read {
            path: name.clone(),
            message: e.to_string(),
        })?;
        let schema: FormSchema = serde_json::from_str(&text).map_err(|e| FormsError::Invalid {
            file: name.clone(),
            problems: e.to_string(),
        })?;
        schema.check().map_err(|p| FormsError::Invalid {
            file: name.clone(),
            problems: p.join("; "),
        })?;
        if forms.insert(schema.id.clone(), schema).is_some() {
            return Err(FormsError::Invalid {
                file: name,
                problems: "another file has the same form id".into(),
            });
        }
    }
    Ok(forms)
}

/// The server side of pattern matching: Rust's `regex`, anchored.
pub struct RegexPatterns;

impl contract::PatternMatcher for RegexPatterns {
    fn full_match(&self, pattern: &str, value: &str) -> Option<bool> {
        let anchored = format!("^(?:{pattern})$");
        regex::Regex::new(&anchored)
            .ok()
            .map(|re| re.is_match(value))
    }
}
