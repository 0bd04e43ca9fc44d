//! Gives the app a build id: a hash of the sources of the app, the parser and the index, so it
//! changes exactly when the code does. The page starts its worker with it (see
//! `public/worker-start.js`), so caches never pair a page and a worker of different builds.

use std::path::Path;

fn hash_dir(dir: &Path, h: &mut u64) {
    let Ok(rd) = std::fs::read_dir(dir) else { return };
    let mut entries: Vec<_> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            hash_dir(&p, h);
        } else if let Ok(bytes) = std::fs::read(&p) {
            for b in p.to_string_lossy().bytes().chain(bytes) {
                *h ^= u64::from(b);
                *h = h.wrapping_mul(0x100000001b3);
            }
        }
    }
}

fn main() {
    let mut h: u64 = 0xcbf29ce484222325;
    for dir in ["src", "parser/src", "index/src", "public", "Cargo.lock"] {
        println!("cargo:rerun-if-changed={dir}");
        let p = Path::new(dir);
        if p.is_file() {
            if let Ok(bytes) = std::fs::read(p) {
                for b in bytes {
                    h ^= u64::from(b);
                    h = h.wrapping_mul(0x100000001b3);
                }
            }
        } else {
            hash_dir(p, &mut h);
        }
    }
    println!("cargo:rustc-env=BUILD_ID={h:016x}");
}
