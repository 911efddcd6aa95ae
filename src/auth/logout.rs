//! Leaving for the issuer's logout endpoint with a POSTed form (see `oidc::logout_form` for why
//! POST): a hidden form is built in this document, filled with text values, and submitted.

use wasm_bindgen::JsCast;

/// Submits `fields` to `action` by POST; `false` if the document would not let it.
pub fn post(action: &str, fields: &[(&'static str, String)]) -> bool {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return false;
    };
    let Some(form) = document
        .create_element("form")
        .ok()
        .and_then(|e| e.dyn_into::<web_sys::HtmlFormElement>().ok())
    else {
        return false;
    };
    form.set_method("post");
    form.set_action(action);
    form.set_hidden(true);
    for (name, value) in fields {
        let Some(input) = document
            .create_element("input")
            .ok()
            .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return false;
        };
        input.set_type("hidden");
        input.set_name(name);
        input.set_value(value);
        if form.append_child(&input).is_err() {
            return false;
        }
    }
    let Some(body) = document.body() else {
        return false;
    };
    body.append_child(&form).is_ok() && form.submit().is_ok()
}
