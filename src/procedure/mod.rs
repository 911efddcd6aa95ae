//! Doing a procedure online, the logic behind the pages: what pre-fills what (tell-us-once),
//! checking patterns with the browser's own regular expressions, files, and building the request.

pub mod prefill;
pub mod submission;

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

/// Today's date (`YYYY-MM-DD`) in the citizen's time zone.
pub fn today() -> String {
    let d = js_sys::Date::new_0();
    format!(
        "{:04}-{:02}-{:02}",
        d.get_full_year(),
        d.get_month() + 1,
        d.get_date()
    )
}
