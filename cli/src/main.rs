//! `cable`: the command line of the cable reader. `cable parse FILE...` prints one JSON object per
//! cable found (JSON lines); `cable id ID...` prints canonical ids.

use cable_parser::{canonical_id, id_from_file_name, parse_with, Options};
use std::io::{self, BufWriter, Read, Write};
use std::process::ExitCode;

const USAGE: &str = "usage:
  cable parse [--id REFID] [--raw] FILE...   print one JSON object per cable found (JSON lines);
                                            FILE may be - for standard input
  cable id ID...                            print the canonical id of each id
  cable --help

Inputs: raw cable text, a WikiLeaks page copied as text, a saved WikiLeaks page (.html),
or the bulk cables.csv. A file named like a reference id (09TRIPOLI748.txt) supplies the id
when the text lacks it; --id REFID does the same for every file.";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("parse") => parse_cmd(&args[1..]),
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
