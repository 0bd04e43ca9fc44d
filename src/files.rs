//! Files a person opened or dropped: as a list, and as inputs on their way to the workers (a file,
//! or its content read by the page).

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// A property of a JS object (undefined when absent).
pub(crate) fn get(obj: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(obj, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// Sets a property of a JS object.
pub(crate) fn set(obj: &js_sys::Object, key: &str, value: &JsValue) {
    let _ = js_sys::Reflect::set(obj, &JsValue::from_str(key), value);
}

/// The files of a `FileList` as a vector.
pub fn file_list(list: Option<web_sys::FileList>) -> Vec<web_sys::File> {
    let Some(list) = list else { return Vec::new() };
    (0..list.length()).filter_map(|i| list.get(i)).collect()
}

/// One input of a file import: a file still to be read, or a file's content the page read.
#[derive(Clone)]
pub enum Input {
    /// A `File` (read where it is parsed).
    File(web_sys::File),
    /// A file's name and content.
    Bytes(String, js_sys::ArrayBuffer),
}

impl Input {
    /// The file's name.
    pub fn name(&self) -> String {
        match self {
            Input::File(f) => f.name(),
            Input::Bytes(n, _) => n.clone(),
        }
    }

    /// Its size in bytes.
    pub fn size(&self) -> f64 {
        match self {
            Input::File(f) => f.size(),
            Input::Bytes(_, b) => f64::from(b.byte_length()),
        }
    }

    /// True for a `cables.csv` (streamed by the library worker, never parsed whole).
    pub fn is_csv(&self) -> bool {
        self.name().to_ascii_lowercase().ends_with(".csv")
    }

    /// Its bytes: the content, or the file read (`None` when it cannot be read).
    pub async fn bytes(&self) -> Option<Vec<u8>> {
        let buf = match self {
            Input::File(f) => JsFuture::from(f.array_buffer())
                .await
                .ok()?
                .dyn_into::<js_sys::ArrayBuffer>()
                .ok()?,
            Input::Bytes(_, b) => b.clone(),
        };
        Some(js_sys::Uint8Array::new(&buf).to_vec())
    }

    /// The inputs of a message: `files` and `buffers` (named by `names`).
    pub fn from_message(data: &JsValue, names: &[String]) -> Vec<Input> {
        let array = |key: &str| {
            get(data, key)
                .dyn_into::<js_sys::Array>()
                .map(|a| a.iter().collect::<Vec<_>>())
                .unwrap_or_default()
        };
        let mut out: Vec<Input> = array("files")
            .into_iter()
            .filter_map(|f| f.dyn_into().ok())
            .map(Input::File)
            .collect();
        out.extend(
            names
                .iter()
                .zip(array("buffers"))
                .filter_map(|(n, b)| Some(Input::Bytes(n.clone(), b.dyn_into().ok()?))),
        );
        out
    }

    /// Puts inputs beside a message (`files`, `buffers`); returns the names of the buffers and the
    /// list to transfer.
    pub fn attach(inputs: &[Input], msg: &js_sys::Object) -> (Vec<String>, js_sys::Array) {
        let (files, buffers, names) = (js_sys::Array::new(), js_sys::Array::new(), Vec::new());
        let mut names = names;
        for i in inputs {
            match i {
                Input::File(f) => {
                    files.push(f);
                }
                Input::Bytes(n, b) => {
                    names.push(n.clone());
                    buffers.push(b);
                }
            }
        }
        set(msg, "files", &files);
        set(msg, "buffers", &buffers);
        (names, buffers)
    }
}
