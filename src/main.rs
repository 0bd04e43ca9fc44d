//! Entry point of the Wasm app: installs the panic hook and mounts the app.

fn main() {
    cable_reader::install_panic_hook();
    leptos::mount::mount_to_body(cable_reader::App);
}
