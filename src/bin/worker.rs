//! The library worker's entry point (built by Trunk as a Web Worker): parses, stores and indexes
//! cables off the page's thread. See `cable_reader::worker`.

fn main() {
    console_error_panic_hook::set_once();
    cable_reader::worker::start();
}
