// Starts the library worker. The page passes its build id (`?v=…`), and it is passed on to the
// worker's script and Wasm: Trunk does not hash the worker's file names, so without it a browser
// could pair a cached worker of an older build with a newer page after a deploy.
const build = self.location.search;
importScripts('./worker.js' + build);
wasm_bindgen('./worker_bg.wasm' + build);
