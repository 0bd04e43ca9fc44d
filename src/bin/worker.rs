//! The library worker's entry point (built by Trunk as a Web Worker): parses, stores and indexes
//! cables off the page's thread (see `cable_reader::worker`). Started under the name `parse`, the
//! same code is a parse worker the library worker hands files to (see `cable_reader::parse_pool`).

use wasm_bindgen::JsCast;

fn main() {
    console_error_panic_hook::set_once();
    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    if scope.name() == cable_reader::parse_pool::PARSE_WORKER_NAME {
        cable_reader::parse_pool::serve();
    } else {
        cable_reader::worker::start();
    }
}
