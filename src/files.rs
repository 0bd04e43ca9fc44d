//! Reading files a person opened or dropped: size and binary checks, then their text.

use crate::import::{decode_file, Rejected, MAX_INPUT_BYTES};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// An input ready for import: text, source label, file name.
pub type Input = (String, String, Option<String>);

/// The files of a `FileList` as a vector.
pub fn file_list(list: Option<web_sys::FileList>) -> Vec<web_sys::File> {
    let Some(list) = list else { return Vec::new() };
    (0..list.length()).filter_map(|i| list.get(i)).collect()
}

/// Reads files as text. Oversized and binary files are refused with a reason each.
pub async fn read_files(files: Vec<web_sys::File>) -> (Vec<Input>, Vec<String>) {
    let mut inputs = Vec::new();
    let mut problems = Vec::new();
    for f in files {
        let name = f.name();
        let size = f.size();
        if size > MAX_INPUT_BYTES as f64 {
            problems.push(format!(
                "{name} is {:.0} MB; the reader takes files up to {} MB at once.",
                size / 1e6,
                MAX_INPUT_BYTES / (1024 * 1024)
            ));
            continue;
        }
        let buffer = match JsFuture::from(f.array_buffer()).await {
            Ok(b) => b,
            Err(_) => {
                problems.push(format!("{name} could not be read (was it moved or deleted?)."));
                continue;
            }
        };
        let Ok(buffer) = buffer.dyn_into::<js_sys::ArrayBuffer>() else {
            problems.push(format!("{name} could not be read."));
            continue;
        };
        let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
        match decode_file(&name, &bytes) {
            Ok(text) => inputs.push((text, name.clone(), Some(name))),
            Err(Rejected(msg)) => problems.push(msg),
        }
    }
    (inputs, problems)
}
