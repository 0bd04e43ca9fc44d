//! `cable`: the command line of the cable reader. `cable parse FILE...` prints one JSON object per
//! cable found (JSON lines); `cable id ID...` prints canonical ids; `cable replicate` writes a
//! corpus of any size; `cable publish` cuts a corpus into the files of a hosted corpus.

mod publish;

use cable_parser::{canonical_id, id_from_file_name, parse_with, Options};
use std::io::{self, BufWriter, Read, Write};
use std::process::ExitCode;

const USAGE: &str = "usage:
  cable parse [--id REFID] [--raw] FILE...   print one JSON object per cable found (JSON lines);
                                            FILE may be - for standard input
  cable id ID...                            print the canonical id of each id
  cable replicate DIR --count N [--out FILE] write a cables.csv of N records from the cables in
                                            DIR (*.txt), repeating them with new reference ids
                                            (copy k of 09TRIPOLI748 is 09TRIPOLI<k>000748): a
                                            corpus of any size for benchmarks and tests
  cable publish INPUT... --out OUT          pre-parse a folder of cables (.txt, .html) or a
                                            cables.csv into the static, sharded files of a hosted
                                            corpus (OUT/manifest.json, columns, term chunks, rows,
                                            one text per cable) that the reader fetches lazily
  cable --help

Inputs: raw cable text, a WikiLeaks page copied as text, a saved WikiLeaks page (.html),
or the bulk cables.csv. A file named like a reference id (09TRIPOLI748.txt) supplies the id
when the text lacks it; --id REFID does the same for every file.";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("parse") => parse_cmd(&args[1..]),
        Some("replicate") => replicate_cmd(&args[1..]),
        Some("publish") => publish::publish_cmd(&args[1..]),
        Some("id") => {
            let out = io::stdout();
            let mut out = out.lock();
            for id in &args[1..] {
                let _ = writeln!(out, "{}", canonical_id(id));
            }
            ExitCode::SUCCESS
        }
        Some("--help") | Some("-h") | Some("help") => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        _ => {
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn parse_cmd(args: &[String]) -> ExitCode {
    let mut id = None;
    let mut include_text = false;
    let mut files = Vec::new();
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "--id" => {
                i += 1;
                match args.get(i) {
                    Some(v) => id = Some(v.clone()),
                    None => {
                        eprintln!("cable parse: --id needs a reference id");
                        return ExitCode::from(2);
                    }
                }
            }
            "--raw" => include_text = true,
            f => files.push(f.to_string()),
        }
        i += 1;
    }
    if files.is_empty() {
        eprintln!("cable parse: name at least one FILE (or - for standard input)\n\n{USAGE}");
        return ExitCode::from(2);
    }
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut status = ExitCode::SUCCESS;
    for f in &files {
        let bytes = if f == "-" {
            let mut v = Vec::new();
            if let Err(e) = io::stdin().read_to_end(&mut v) {
                eprintln!("cable parse: cannot read standard input: {e}");
                status = ExitCode::FAILURE;
                continue;
            }
            v
        } else {
            match std::fs::read(f) {
                Ok(v) => v,
                Err(e) => {
                    eprintln!("cable parse: cannot read {f}: {e}");
                    status = ExitCode::FAILURE;
                    continue;
                }
            }
        };
        let text = String::from_utf8_lossy(&bytes);
        let hint = id.clone().or_else(|| if f == "-" { None } else { id_from_file_name(f) });
        let parsed = parse_with(&text, &Options { id_hint: hint });
        for d in &parsed.diagnostics {
            eprintln!("cable parse: {f}: {}", d.message);
        }
        if parsed.cables.is_empty() {
            status = ExitCode::FAILURE;
        }
        for c in parsed.cables {
            let mut v = serde_json::to_value(&c).unwrap_or_default();
            if let Some(obj) = v.as_object_mut() {
                if !include_text {
                    obj.remove("text");
                }
                obj.insert("header_text".into(), c.header_text().into());
                obj.insert("source_file".into(), f.as_str().into());
            }
            if writeln!(out, "{v}").is_err() {
                return ExitCode::FAILURE;
            }
        }
    }
    let _ = out.flush();
    status
}

/// Escapes a cables.csv field: backslash escapes for `\\` and `"`.
fn csv_field(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for ch in s.chars() {
        match ch {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `YYYY-MM-DD HH:MM` as cables.csv writes it (`M/D/YYYY H:MM`).
fn csv_date(created: &str) -> String {
    let (y, m, d, hh, mm) = (created.get(0..4), created.get(5..7), created.get(8..10), created.get(11..13), created.get(14..16));
    match (y, m, d, hh, mm) {
        (Some(y), Some(m), Some(d), Some(hh), Some(mm)) => {
            let n = |s: &str| s.trim_start_matches('0').to_string();
            let h = if hh == "00" { "0".to_string() } else { n(hh) };
            format!("{}/{}/{} {}:{}", n(m), n(d), y, h, mm)
        }
        _ => String::new(),
    }
}

/// The id of copy `k` of a cable: the serial number grows by `k` million (`09TRIPOLI748` →
/// `09TRIPOLI1000748` for copy 1); copy 0 keeps the id.
fn replica_id(id: &str, k: usize) -> String {
    if k == 0 {
        return id.to_string();
    }
    let digits = id.bytes().rev().take_while(u8::is_ascii_digit).count();
    let (stem, serial) = id.split_at(id.len() - digits);
    let serial: u64 = serial.parse().unwrap_or(0);
    format!("{stem}{}", serial + k as u64 * 1_000_000)
}

fn replicate_cmd(args: &[String]) -> ExitCode {
    let mut dir = None;
    let mut count = None;
    let mut out_path = None;
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "--count" => {
                i += 1;
                count = args.get(i).and_then(|c| c.replace('_', "").parse::<usize>().ok());
            }
            "--out" => {
                i += 1;
                out_path = args.get(i).cloned();
            }
            other => dir = Some(other.to_string()),
        }
        i += 1;
    }
    let (Some(dir), Some(count)) = (dir, count) else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    let mut paths: Vec<std::path::PathBuf> = match std::fs::read_dir(&dir) {
        Ok(rd) => rd.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.extension().is_some_and(|e| e == "txt")).collect(),
        Err(e) => {
            eprintln!("cable: cannot read {dir}: {e}");
            return ExitCode::FAILURE;
        }
    };
    paths.sort();
    // Each source cable once: id, created, origin, classification, references, header, body.
    let mut sources = Vec::new();
    for p in &paths {
        let Ok(text) = std::fs::read_to_string(p) else { continue };
        let hint = p.file_name().and_then(|n| n.to_str()).and_then(id_from_file_name);
        let parsed = parse_with(&text, &Options { id_hint: hint });
        let Some(c) = parsed.cables.into_iter().next() else { continue };
        let Some(id) = c.reference_id.clone().or_else(|| c.canonical_id.clone()) else { continue };
        let refs = c.references.iter().filter_map(|r| r.id.clone()).collect::<Vec<_>>().join("|");
        sources.push((id, csv_date(c.created.as_deref().unwrap_or("")), c.origin.clone().unwrap_or_default(), c.classification.clone().unwrap_or_default(), refs, c.header_text().to_string(), c.body_text().to_string()));
    }
    if sources.is_empty() {
        eprintln!("cable: no cable found in {dir}");
        return ExitCode::FAILURE;
    }
    let sink: Box<dyn Write> = match &out_path {
        Some(p) => match std::fs::File::create(p) {
            Ok(f) => Box::new(f),
            Err(e) => {
                eprintln!("cable: cannot write {p}: {e}");
                return ExitCode::FAILURE;
            }
        },
        None => Box::new(io::stdout()),
    };
    let mut out = BufWriter::new(sink);
    for n in 0..count {
        let (id, created, origin, class, refs, header, body) = &sources[n % sources.len()];
        let k = n / sources.len();
        let line = [(n + 1).to_string(), created.clone(), replica_id(id, k), origin.clone(), class.clone(), refs.clone(), header.clone(), body.clone()]
            .iter()
            .map(|f| csv_field(f))
            .collect::<Vec<_>>()
            .join(",");
        if writeln!(out, "{line}").is_err() {
            return ExitCode::FAILURE;
        }
    }
    if out.flush().is_err() {
        return ExitCode::FAILURE;
    }
    eprintln!("cable: wrote {count} records from {} source cables", sources.len());
    ExitCode::SUCCESS
}
