//! `cable publish`: a corpus (folders of cable files, `cables.csv` files) pre-parsed into the static
//! files of a hosted corpus (see `cable_index::hosted`), for GitHub Pages or any static host.

use cable_index::hosted::text_path;
use cable_index::{Doc, Index};
use cable_parser::input::{csv_cable, CsvReader};
use cable_parser::{id_from_file_name, parse_with, Cable, Options};
use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

/// What a publication did, for the closing report.
#[derive(Default)]
struct Tally {
    cables: usize,
    versions: usize,
    duplicates: usize,
    unreadable: Vec<String>,
    text_bytes: u64,
}

/// The corpus being published: the index, the text fingerprints per key (versions), the output.
struct Publication {
    docs: Vec<Doc>,
    fingerprints: HashMap<String, Vec<u64>>,
    out: PathBuf,
    tally: Tally,
}

impl Publication {
    /// Adds one cable: a new key, a new version (`_v2`) of a known one, or a duplicate (skipped).
    fn add(&mut self, c: &Cable) -> Result<(), String> {
        let Some(base) = c.key().filter(|k| !k.is_empty() && k.len() <= 64 && k.bytes().all(|b| b.is_ascii_alphanumeric())) else {
            return Err("no reference id".to_string());
        };
        let fp = c.text_fingerprint();
        let seen = self.fingerprints.entry(base.to_string()).or_default();
        if seen.contains(&fp) {
            self.tally.duplicates += 1;
            return Ok(());
        }
        seen.push(fp);
        let key = if seen.len() == 1 { base.to_string() } else { format!("{base}_v{}", seen.len()) };
        if seen.len() > 1 {
            self.tally.versions += 1;
        }
        let text = c.portable_text();
        let path = self.out.join(text_path(&key));
        write_file(&path, text.as_bytes())?;
        self.tally.text_bytes += text.len() as u64;
        let mut doc = Doc::from_cable(&key, c);
        doc.fingerprint = fp;
        // Only what the index keeps of a cable is held until the end (its text is written).
        self.docs.push(doc);
        self.tally.cables += 1;
        Ok(())
    }

    fn add_file(&mut self, path: &Path) {
        let name = path.display().to_string();
        let is_csv = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv"));
        if is_csv {
            if let Err(e) = self.add_csv(path) {
                self.tally.unreadable.push(format!("{name}: {e}"));
            }
            return;
        }
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) => return self.tally.unreadable.push(format!("{name}: {e}")),
        };
        if bytes.iter().take(8192).any(|&b| b == 0) {
            return self.tally.unreadable.push(format!("{name}: not a text file"));
        }
        let text = String::from_utf8_lossy(&bytes);
        let hint = path.file_name().and_then(|n| n.to_str()).and_then(id_from_file_name);
        let parsed = parse_with(&text, &Options { id_hint: hint });
        if parsed.cables.is_empty() {
            return self.tally.unreadable.push(format!("{name}: no cable found"));
        }
        for c in &parsed.cables {
            if let Err(e) = self.add(c) {
                self.tally.unreadable.push(format!("{name}: {e}"));
            }
        }
    }

    /// Streams a cables.csv in 4 MB slices (never the whole file in memory).
    fn add_csv(&mut self, path: &Path) -> Result<(), String> {
        let mut f = std::fs::File::open(path).map_err(|e| e.to_string())?;
        let mut reader = CsvReader::new();
        let mut buf = vec![0u8; 4 << 20];
        let mut carry: Vec<u8> = Vec::new();
        loop {
            let n = f.read(&mut buf).map_err(|e| e.to_string())?;
            let eof = n == 0;
            carry.extend_from_slice(&buf[..n]);
            // Hand over whole UTF-8 characters only.
            let cut = if eof { carry.len() } else { utf8_prefix(&carry) };
            let rest = carry.split_off(cut);
            reader.push(&String::from_utf8_lossy(&carry));
            carry = rest;
            while let Some(rec) = reader.next_record(eof) {
                let c = csv_cable(rec);
                if let Err(e) = self.add(&c) {
                    self.tally.unreadable.push(format!("{}: record {}: {e}", path.display(), self.tally.cables + 1));
                }
            }
            if eof {
                return Ok(());
            }
        }
    }
}

/// Length of the longest prefix of `b` that ends on a UTF-8 character boundary.
fn utf8_prefix(b: &[u8]) -> usize {
    let mut end = b.len();
    for back in 1..=3.min(b.len()) {
        let byte = b[b.len() - back];
        if byte & 0xC0 == 0xC0 {
            // A lead byte: complete when the sequence it starts fits.
            let need = if byte >= 0xF0 { 4 } else if byte >= 0xE0 { 3 } else { 2 };
            if back < need {
                end = b.len() - back;
            }
            break;
        }
        if byte & 0x80 == 0 {
            break;
        }
    }
    end
}

fn write_file(path: &Path, bytes: &[u8]) -> Result<(), String> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    std::fs::write(path, bytes).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// Every file under `dir`, sorted (a folder of folders is read whole).
fn files_under(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for e in std::fs::read_dir(dir)? {
        let p = e?.path();
        if p.is_dir() {
            files_under(&p, out)?;
        } else if p.extension().is_some_and(|e| ["txt", "html", "htm", "csv"].iter().any(|x| e.eq_ignore_ascii_case(x))) {
            out.push(p);
        }
    }
    Ok(())
}

/// `cable publish INPUT... --out OUT`.
pub fn publish_cmd(args: &[String]) -> ExitCode {
    let mut inputs = Vec::new();
    let mut out = None;
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "--out" => {
                i += 1;
                out = args.get(i).map(PathBuf::from);
            }
            other => inputs.push(PathBuf::from(other)),
        }
        i += 1;
    }
    let (Some(out), false) = (out, inputs.is_empty()) else {
        eprintln!("cable publish: name the corpus (folders or cables.csv files) and --out OUT\n\n{}", super::USAGE);
        return ExitCode::from(2);
    };
    let started = Instant::now();
    let mut files = Vec::new();
    for input in &inputs {
        if input.is_dir() {
            if let Err(e) = files_under(input, &mut files) {
                eprintln!("cable publish: cannot read {}: {e}", input.display());
                return ExitCode::FAILURE;
            }
        } else if input.is_file() {
            files.push(input.clone());
        } else {
            eprintln!("cable publish: {} is neither a folder nor a file", input.display());
            return ExitCode::FAILURE;
        }
    }
    files.sort();
    // Start from an empty folder: files of an earlier publication would be served as stale shards.
    for sub in ["terms", "rows", "ranks", "c"] {
        let _ = std::fs::remove_dir_all(out.join(sub));
    }
    let mut p = Publication { docs: Vec::new(), fingerprints: HashMap::new(), out: out.clone(), tally: Tally::default() };
    for f in &files {
        p.add_file(f);
    }
    if p.tally.cables == 0 {
        eprintln!("cable publish: no cable found in {} file(s)", files.len());
        for u in p.tally.unreadable.iter().take(20) {
            eprintln!("  {u}");
        }
        return ExitCode::FAILURE;
    }
    // Cables numbered newest first: the default list (and most browsing) reads one row shard.
    let mut docs = std::mem::take(&mut p.docs);
    docs.sort_by(|a, b| b.created.cmp(&a.created).then_with(|| a.key.cmp(&b.key)));
    let mut index = Index::new();
    for d in docs {
        index.add(d);
    }
    let mut index_bytes = 0u64;
    let mut index_files = 0usize;
    let mut failed = None;
    let manifest = index.publish(|path, bytes| {
        index_bytes += bytes.len() as u64;
        index_files += 1;
        if let Err(e) = write_file(&out.join(path), bytes) {
            failed.get_or_insert(e);
        }
    });
    let manifest = match (manifest, failed) {
        (Ok(m), None) => m,
        (Err(e), _) | (_, Some(e)) => {
            eprintln!("cable publish: {e}");
            return ExitCode::FAILURE;
        }
    };
    let json = serde_json::to_string(&manifest).unwrap_or_default();
    if let Err(e) = write_file(&out.join("manifest.json"), json.as_bytes()) {
        eprintln!("cable publish: {e}");
        return ExitCode::FAILURE;
    }
    let t = &p.tally;
    eprintln!(
        "cable publish: {} cables ({} second versions, {} duplicates skipped) from {} file(s) in {:.1} s → {}\n  index: {} files, {:.1} MB ({} term chunks, columns {:.2} MB); texts: {} files, {:.1} MB",
        t.cables,
        t.versions,
        t.duplicates,
        files.len(),
        started.elapsed().as_secs_f64(),
        out.display(),
        index_files + 1,
        index_bytes as f64 / 1e6,
        manifest.chunks.len(),
        manifest.columns_bytes as f64 / 1e6,
        t.cables,
        t.text_bytes as f64 / 1e6
    );
    if !t.unreadable.is_empty() {
        eprintln!("  {} input(s) not published:", t.unreadable.len());
        for u in t.unreadable.iter().take(20) {
            eprintln!("    {u}");
        }
    }
    ExitCode::SUCCESS
}
