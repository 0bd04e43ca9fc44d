//! Fuzz target: the parser must never panic, whatever the input, and spans must stay in bounds.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let parsed = cable_parser::parse(&text);
    for c in &parsed.cables {
        assert!(c.header.end <= c.text.len() && c.body.end <= c.text.len());
        assert!(c.text.is_char_boundary(c.header.start) && c.text.is_char_boundary(c.body.start));
        for p in &c.paragraphs {
            assert!(p.span.start <= p.span.end && p.span.end <= c.text.len());
        }
    }
    let _ = cable_parser::canonical_id(&text);
});
