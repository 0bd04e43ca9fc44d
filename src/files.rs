//! Files a person opened or dropped, as a list (they are read by the library worker).

/// The files of a `FileList` as a vector.
pub fn file_list(list: Option<web_sys::FileList>) -> Vec<web_sys::File> {
    let Some(list) = list else { return Vec::new() };
    (0..list.length()).filter_map(|i| list.get(i)).collect()
}
