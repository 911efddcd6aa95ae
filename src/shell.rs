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
/// The shell's home part, hidden before the first paint on any other page than `/`.
const SHELL_HOME_ID: &str = "gu-shell-home";

/// Called by the frame once it has rendered: takes over a shell that shows only the header (a
/// deep link). A shell showing the home page's first screen is left to the home page, which calls
/// [`take_over`] when its own commune field exists: the router builds the page's view a moment
/// after the frame (a later microtask, still before the next paint), and a shell removed earlier
/// would leave what the citizen typed nowhere to go.
pub fn take_over_unless_home() {
    let shows_home = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(SHELL_HOME_ID))
        .and_then(|e| e.dyn_into::<HtmlElement>().ok())
        .is_some_and(|home| !home.hidden());
    if !shows_home {
        take_over();
    }
}

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

/// The `<meta>` where the release build writes the root catalogue's figures (`xtask/src/site.rs`).
const FIGURES_META: &str = "guichet-figures";

/// The federation's figures as counted by the build from the root catalogue it was built with —
/// members, services, services online — so the home page shows them before the catalogue's
/// code and file are read (then the live figures replace them). `None` without the release
/// build's page (`trunk serve`) or if the tag is not as written by xtask.
pub fn built_figures() -> Option<[usize; 3]> {
    let content = web_sys::window()?
        .document()?
        .query_selector(&format!("meta[name=\"{FIGURES_META}\"]"))
        .ok()??
        .get_attribute("content")?;
    parse_figures(&content)
}

fn parse_figures(content: &str) -> Option<[usize; 3]> {
    let mut numbers = content.split(' ').map(|n| n.parse::<usize>().ok());
    let figures = [numbers.next()??, numbers.next()??, numbers.next()??];
    numbers.next().is_none().then_some(figures)
}

#[cfg(test)]
mod tests {
    use super::parse_figures;

    #[test]
    fn the_built_figures_are_three_counts_and_nothing_else() {
        assert_eq!(parse_figures("6 21 14"), Some([6, 21, 14]));
        for broken in ["", "6 21", "6 21 14 3", "6 vingt 14", "-1 2 3", "6  21 14"] {
            assert_eq!(parse_figures(broken), None, "{broken:?}");
        }
    }
}
