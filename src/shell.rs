//! Taking over from the painted shell.
//!
//! The release `index.html` already shows the header and the home page's first screen as static
//! HTML (written by `xtask/src/shell.rs`), so a citizen on a slow network sees the page before the
//! code arrives. Once the app has rendered the same things, [`take_over`] removes the shell —
//! in the same task, before the browser paints again, so nothing jumps and no landmark is
//! doubled — and hands over what the citizen may already have typed into the commune field,
//! keeping the focus where it was.

use wasm_bindgen::JsCast;
use web_sys::{Document, HtmlElement, HtmlInputElement};

/// The shell's root element (`xtask/src/shell.rs`).
const SHELL_ID: &str = "gu-shell";

/// Removes the painted shell, if any, and gives its commune field's text and focus to the app's.
pub fn take_over() {
    let Some(document) = crate::browser::document() else {
        return;
    };
    let Some(shell) = document.get_element_by_id(SHELL_ID) else {
        return;
    };
    let typed = shell
        .query_selector("input")
        .ok()
        .flatten()
        .and_then(|e| e.dyn_into::<HtmlInputElement>().ok())
        .map(|input| {
            let focused = document
                .active_element()
                .is_some_and(|active| active.is_same_node(Some(input.as_ref())));
            (input.value(), focused)
        });
    shell.remove();
    if let Some((text, focused)) = typed {
        hand_over(&document, &text, focused);
    }
}

/// Puts `text` into the app's commune field as if typed (its suggestions follow), and the focus.
fn hand_over(document: &Document, text: &str, focused: bool) {
    let Some(input) = document
        .query_selector("input[role=\"combobox\"]")
        .ok()
        .flatten()
        .and_then(|e| e.dyn_into::<HtmlInputElement>().ok())
    else {
        return;
    };
    if focused {
        let _ = input.unchecked_ref::<HtmlElement>().focus();
    }
    if !text.is_empty() {
        input.set_value(text);
        // Bubbling: Leptos listens for `input` events on the document (event delegation).
        let init = web_sys::EventInit::new();
        init.set_bubbles(true);
        if let Ok(event) = web_sys::Event::new_with_event_init_dict("input", &init) {
            let _ = input.dispatch_event(&event);
        }
    }
}
