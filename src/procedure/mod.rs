//! Doing a procedure online, the logic behind the pages: the state of a procedure in progress
//! ([`flow`]) and how it starts or resumes ([`start`]), what pre-fills what (tell-us-once),
//! files kept with drafts ([`attachments`]), checking patterns with the browser's own regular
//! expressions, and writing to the provider — a submission or its sibling, a reply ([`reply`]) —
//! through one idempotent send path ([`send`]) whose unknown outcomes are resolved, never
//! duplicated ([`outcome`]).

pub mod attachments;
pub mod autosave;
pub mod flow;
pub mod outcome;
pub mod prefill;
pub mod reply;
pub mod send;
pub mod start;
pub mod submission;
pub mod submit;

use crate::i18n::texts;

/// Pattern checks with JavaScript's `RegExp`, anchored (the server does the same with Rust's
/// `regex`; providers keep patterns to the common subset).
pub struct BrowserPatterns;

impl contract::PatternMatcher for BrowserPatterns {
    fn full_match(&self, pattern: &str, value: &str) -> Option<bool> {
        let constructor: js_sys::Function = js_sys::RegExp::new(".", "").constructor();
        let args = js_sys::Array::of2(&format!("^(?:{pattern})$").into(), &"u".into());
        let regexp: js_sys::RegExp =
            wasm_bindgen::JsCast::dyn_into(js_sys::Reflect::construct(&constructor, &args).ok()?)
                .ok()?;
        Some(regexp.test(value))
    }
}

/// A field's label as shown: optional fields say so, once — not again when the provider's label
/// already ends with "(facultatif)".
pub fn label_text(label: &str, required: bool) -> String {
    let optional = texts().procedure.optional;
    if required || label.to_lowercase().contains(&optional.to_lowercase()) {
        label.to_owned()
    } else {
        format!("{label} {optional}")
    }
}

#[cfg(test)]
mod tests {
    use super::label_text;

    #[test]
    fn optional_is_said_once_even_when_the_label_already_says_it() {
        assert_eq!(label_text("Téléphone", false), "Téléphone (facultatif)");
        assert_eq!(
            label_text("Téléphone (facultatif)", false),
            "Téléphone (facultatif)"
        );
        assert_eq!(
            label_text("Motif (Facultatif)", false),
            "Motif (Facultatif)"
        );
        assert_eq!(label_text("Nom", true), "Nom");
    }
}
