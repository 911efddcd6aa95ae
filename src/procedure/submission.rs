//! Files chosen by the citizen, and the multipart request that carries a submission or a reply.

use crate::state::drafts::ReplyFile;
use contract::{Answer, Answers};
use js_sys::{Array, Uint8Array};
use std::collections::HashMap;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Reads a chosen file's bytes.
pub async fn read_file(file: &web_sys::File) -> Option<Vec<u8>> {
    let buffer = JsFuture::from(file.array_buffer()).await.ok()?;
    Some(Uint8Array::new(&buffer).to_vec())
}

fn blob(bytes: &[u8], content_type: &str) -> Option<web_sys::Blob> {
    let parts = Array::of1(&Uint8Array::from(bytes));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(content_type);
    web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options).ok()
}

/// The multipart body: the JSON part `json_name`, and each file answer's bytes under its part.
pub fn form_data(
    json_name: &str,
    json: &str,
    answers: &Answers,
    files: &HashMap<String, Vec<u8>>,
) -> Option<web_sys::FormData> {
    let data = web_sys::FormData::new().ok()?;
    data.append_with_str(json_name, json).ok()?;
    for answer in answers.values() {
        if let Answer::File(f) = answer {
            let bytes = files.get(&f.part)?;
            data.append_with_blob_and_filename(&f.part, &blob(bytes, &f.content_type)?, &f.name)
                .ok()?;
        }
    }
    Some(data)
}

/// A multipart body with free files (a reply): each file's bytes under its part; `None` if a
/// file's bytes are missing.
pub fn reply_data(
    json: &str,
    files: &[ReplyFile],
    bytes: &HashMap<String, Vec<u8>>,
) -> Option<web_sys::FormData> {
    let data = web_sys::FormData::new().ok()?;
    data.append_with_str("reply", json).ok()?;
    for file in files {
        let blob = blob(bytes.get(&file.part)?, &file.content_type)?;
        data.append_with_blob_and_filename(&file.part, &blob, &file.name)
            .ok()?;
    }
    Some(data)
}

/// The input element of an event, to read its chosen files.
pub fn input_of(ev: &leptos::ev::Event) -> Option<web_sys::HtmlInputElement> {
    ev.target()?.dyn_into().ok()
}
