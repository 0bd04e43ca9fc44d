//! The parser never panics and keeps its spans in bounds, on anything: property tests over random
//! and cable-shaped text, plus the pathological inputs of the issue (a 1 MB line, 100,000 blank
//! lines, a thousand REF lines, a 50 MB paste). Their cost is measured in `cargo bench`, not here.

use cable_parser::{parse, Cable};
use proptest::prelude::*;

fn check(c: &Cable) {
    assert!(c.header.start <= c.header.end && c.header.end <= c.text.len());
    assert!(c.body.start <= c.body.end && c.body.end <= c.text.len());
    assert!(c.text.is_char_boundary(c.header.start) && c.text.is_char_boundary(c.header.end));
    assert!(c.text.is_char_boundary(c.body.start) && c.text.is_char_boundary(c.body.end));
    let mut ids = std::collections::HashSet::new();
    for p in &c.paragraphs {
        assert!(p.span.start <= p.span.end && p.span.end <= c.text.len());
        assert!(ids.insert(p.id.clone()), "paragraph ids are unique: {}", p.id);
    }
}

fn check_all(text: &str) -> usize {
    let parsed = parse(text);
    for c in &parsed.cables {
        check(c);
    }
    parsed.cables.len()
}

/// Pieces cables are made of, to build cable-shaped random text.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("VZCZCXRO7857\n".to_string()),
        Just("O P 171049Z SEP 09\n".to_string()),
        Just("FM AMEMBASSY TRIPOLI\n".to_string()),
        Just("TO RUEHC/SECSTATE WASHDC IMMEDIATE 5271\n".to_string()),
        Just("INFO RUEHLO/AMEMBASSY LONDON 1158\n".to_string()),
        Just("C O N F I D E N T I A L SECTION 01 OF 05 TRIPOLI 000748\n".to_string()),
        Just("UNCLAS ".to_string()),
        Just("This record is a partial extract of the original cable. The full text of the original cable is not available.\n".to_string()),
        Just("E.O. 12958: DECL: 9/17/2019\n".to_string()),
        Just("TAGS: PREL, PGOV (CLINTON, HILLARY) KFRDKIRF\n".to_string()),
        Just("SUBJECT: (C) A SUBJECT\n".to_string()),
        Just("REF: A. TRIPOLI 677 B) 08 STATE 1234 AND 5678 (2007)\n".to_string()),
        Just("Classified By: Ambassador Gene A. Cretz, reasons 1.4 (b), (d)\n".to_string()),
        Just("¶1. (C) Summary: text. End Summary.\n".to_string()),
        Just("2.(SBU) more text 3. (C) inline\n".to_string()),
        Just("TRIPOLI 00000748  002.2 OF 005\n".to_string()),
        Just("PAGE 02        ROME  02045  01 OF 06  121721Z\n".to_string()),
        Just("Reference ID | Created | Released | Classification | Origin |\n".to_string()),
        Just("09TRIPOLI748 | 2009-09-17 10:10 | 2011-01-31 21:09 | CONFIDENTIAL | Embassy Tripoli |\n".to_string()),
        Just("\"1\",\"12/28/1966 18:48\",\"66X1\",\"o\",\"SECRET\",\"\",\"h\",\"b\\\"\"\n".to_string()),
        Just("<table class='cable'><td>x</td><pre>a&#x000A;b</pre>".to_string()),
        Just("XXXXXXXXXXXX ХХХХХХ ".to_string()),
        Just("\n\n".to_string()),
        Just("CRETZ\n".to_string()),
        "[ -~\\n¶ХЖ\u{2028}]{0,40}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn never_panics_on_cable_shaped_text(parts in proptest::collection::vec(piece(), 0..40)) {
        check_all(&parts.concat());
    }

    #[test]
    fn never_panics_on_arbitrary_text(s in "\\PC{0,400}") {
        check_all(&s);
    }

    #[test]
    fn canonical_id_never_panics(s in "\\PC{0,60}") {
        let _ = cable_parser::canonical_id(&s);
    }
}

#[test]
fn a_one_megabyte_line() {
    let text = format!("UNCLAS STATE 000001\nSUBJECT: X\n\n1. {}\n", "word ".repeat(200_000));
    assert_eq!(check_all(&text), 1);
}

/// One long line with a label-like word every five bytes: each place's line start used to be
/// searched back from the place to the line's start (quadratic; ~7 s for this megabyte). Its
/// speed is in `cargo bench -p cable-parser`; here, that it parses and finds no references.
#[test]
fn a_one_megabyte_line_of_reference_labels() {
    let text = format!("UNCLAS STATE 000001\nSUBJECT: X\n{}\n", "XREF:".repeat(200_000));
    let parsed = parse(&text);
    check(&parsed.cables[0]);
    assert!(parsed.cables[0].references.is_empty());
}

/// One long line of SUMMARY words that open no summary: each one's line start was searched back
/// to the line's start (quadratic: 5 s for this megabyte, 23 s for two).
#[test]
fn a_one_megabyte_line_of_summary_words() {
    let text = format!("UNCLAS STATE 000001\nSUBJECT: X\n{}\n", "X SUMMARY ".repeat(100_000));
    let parsed = parse(&text);
    check(&parsed.cables[0]);
    assert_eq!(parsed.cables[0].summary, None);
}

/// One long line repeating a copied page's table header word: the same search back, per word.
#[test]
fn a_one_megabyte_line_of_table_header_words() {
    let text = format!("UNCLAS STATE 000001\nSUBJECT: X\n{}\n", "x Reference ID ".repeat(70_000));
    let parsed = parse(&text);
    assert_eq!(parsed.cables.len(), 1);
    check(&parsed.cables[0]);
}

#[test]
fn a_hundred_thousand_blank_lines() {
    let text = format!("UNCLAS STATE 000001\nSUBJECT: X\n{}1. (U) end\n", "\n".repeat(100_000));
    assert_eq!(check_all(&text), 1);
}

#[test]
fn a_thousand_ref_lines() {
    let refs: String = (1..=1000).map(|i| format!("REF: STATE {i}\n")).collect();
    let text = format!("VZCZC\nR 011200Z JAN 09\nFM SECSTATE WASHDC\nTO RUEHLO/AMEMBASSY LONDON\nUNCLAS STATE 000001\nSUBJECT: X\n{refs}\n1. (U) end\n");
    let parsed = parse(&text);
    check(&parsed.cables[0]);
}

#[test]
fn many_paragraphs_with_the_same_number() {
    let paras: String = (0..20_000).map(|_| "1. (C) again\n").collect();
    let text = format!("UNCLAS STATE 000001\nSUBJECT: X\n{paras}");
    let parsed = parse(&text);
    assert_eq!(parsed.cables[0].paragraphs.len(), 20_000);
    assert_eq!(parsed.cables[0].paragraphs[1].id, "par1-2");
}

#[test]
fn a_fifty_megabyte_paste() {
    let seed = include_str!("../../public/samples/09TRIPOLI748-page.txt");
    let mut text = String::with_capacity(50 * 1024 * 1024 + seed.len());
    let mut pages = 0;
    while text.len() < 50 * 1024 * 1024 {
        text.push_str(seed);
        text.push('\n');
        pages += 1;
    }
    let n = check_all(&text);
    assert_eq!(n, pages, "every copied page in the paste is a cable");
}

/// Fuzz finding (out-of-memory after slow inputs): splitting a long run of capitals as fused tags
/// backtracked exponentially. A 2,000-letter TAGS token must parse at once.
#[test]
fn fuzz_slow_fused_tag_backtracking() {
    let text = format!("UNCLAS STATE 000001\nTAGS: PREL {} LY\nSUBJECT: X\n\n1. (U) text\n", "P".repeat(2000));
    let parsed = parse(&text);
    assert_eq!(parsed.cables[0].tags.first().map(String::as_str), Some("PREL"));
    let fused = format!("UNCLAS STATE 000001\nTAGS: {}\nSUBJECT: X\n", "PREL".repeat(15) + "LY");
    assert_eq!(parse(&fused).cables[0].tags, vec!["PREL", "LY"]);
}

/// Fuzz finding (crash): the E.O. line was cut at byte 80 inside a multi-byte character.
#[test]
fn fuzz_decl_line_cut_inside_a_character() {
    let text = format!("UNCLAS STATE 000001\nE.O. 12958: DECL: 0{}7/02/11\nTAGS: PREL\nSUBJECT: X\n", "é".repeat(40));
    assert_eq!(parse(&text).cables.len(), 1);
    let html_entity = format!("<html><table class='cable'><td>&#{}</td></table><pre>UNCLAS STATE 1</pre>", "é".repeat(20));
    let _ = parse(&html_entity);
}

/// Fuzz finding (crash): "Cable dated:" followed by a multi-byte character at byte 19.
#[test]
fn fuzz_cable_dated_followed_by_multibyte_text() {
    let text = "This record is a partial extract of the original cable. The full text of the original cable is not available.\nCable dated:Browse\u{fffd}\u{fffd} latest releases\nUNCLAS STATE 000001\n";
    let _ = parse(text);
    let _ = parse("VZCZC\nFM AMEMBASSY X\nTO Y\nPAGE 02 ROME 1 éé2345Z\nUNCLAS\n\u{0}");
    let _ = parse("Tuesday, 03 July 2001, 12:0é\nUNCLAS STATE 1\n");
    let _ = parse("id: 1\n2007-03-28 23:31:0é\n07MEXICO1581\nEmbassy Mexico\nCONFIDENTIAL\n");
}

/// Property-test finding (crash): a first line shaped like a bare date-time group (`Z` at byte 6)
/// with multi-byte characters inside, `<ⴛ¨ZFᖁ𛅐`, was cut inside a character.
#[test]
fn proptest_dtg_shaped_first_line_with_multibyte_characters() {
    let _ = parse("<ⴛ¨ZFᖁ𛅐");
    let notice = "This record is a partial extract of the original cable. The full text of the original cable is not available.";
    let _ = parse(&format!("{notice}\n<ⴛ¨ZFᖁ𛅐\nUNCLAS STATE 000001\n"));
    let _ = parse(&format!("{notice}\n29é59Z Nov 00\nUNCLAS STATE 000001\n"));
}
