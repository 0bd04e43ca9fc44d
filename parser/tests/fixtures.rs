//! Fixture tests: every cable of `../shared/corpus/unusual.tsv` (and every misparse fixed), parsed
//! from its text alone; the expected fields are kept in `fixtures/unusual.json` (never the cable
//! text). Skipped, with a message, when the corpus is not beside the repository.

use serde_json::{json, Value};
use std::path::PathBuf;

fn expected(id: &str) -> Value {
    let all: Value = serde_json::from_str(include_str!("fixtures/unusual.json")).unwrap();
    all[id].clone()
}

fn check(id: &str) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("../../shared/corpus/cables/{id}.txt"));
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!("SKIPPED {id}: ../shared/corpus not found");
        return;
    };
    let parsed = cable_parser::parse(&text);
    assert!(!parsed.cables.is_empty(), "{id}: no cable found");
    let c = &parsed.cables[0];
    let got = json!({
        "reference_id": c.reference_id, "canonical_id": c.canonical_id,
        "classification": c.classification, "origin": c.origin, "created": c.created,
        "subject": c.subject, "tags": c.tags,
        "paragraph_ids": c.paragraphs.iter().map(|p| p.id.clone()).collect::<Vec<_>>(),
        "signers": c.signers, "classified_by": c.classified_by, "declassify_on": c.declassify_on,
        "partial": c.partial,
        "reference_ids": c.references.iter().filter_map(|r| r.id.clone()).collect::<Vec<_>>(),
        "redactions": c.redactions,
    });
    let want = expected(id);
    for (field, value) in got.as_object().unwrap() {
        assert_eq!(value, &want[field], "{id}: field {field} ({})", want["why"]);
    }
    // The routing header and the classification's reason, for the fixtures that record them.
    let header = json!({
        "classification_reason": c.classification_reason,
        "date_time_group": c.date_time_group, "precedence": c.precedence,
        "recipient_names": c.recipients.iter().map(|r| r.name.clone()).collect::<Vec<_>>(),
        "info_recipient_names": c.info_recipients.iter().map(|r| r.name.clone()).collect::<Vec<_>>(),
    });
    for (field, value) in header.as_object().unwrap() {
        if let Some(w) = want.get(field) {
            assert_eq!(value, w, "{id}: field {field} ({})", want["why"]);
        }
    }
}

macro_rules! fixture {
    ($name:ident, $id:literal) => {
        #[test]
        fn $name() {
            check($id);
        }
    };
}

fixture!(c_08beijing3662, "08BEIJING3662");
fixture!(c_06kabul3934, "06KABUL3934");
fixture!(c_09rome1048, "09ROME1048");
fixture!(c_07buenosaires1673, "07BUENOSAIRES1673");
fixture!(c_02brasilia4227, "02BRASILIA4227");
fixture!(c_03rome2045, "03ROME2045");
fixture!(c_01vatican3507, "01VATICAN3507");
fixture!(c_10state17263, "10STATE17263");
fixture!(c_08vladivostok68, "08VLADIVOSTOK68");
fixture!(c_04ankara348, "04ANKARA348");
fixture!(c_02ankara8305, "02ANKARA8305");
fixture!(c_07moscow5399, "07MOSCOW5399");
fixture!(c_03thehague1865, "03THEHAGUE1865");
fixture!(c_08kinshasa189, "08KINSHASA189");
fixture!(c_07moscow2981, "07MOSCOW2981");
fixture!(c_05istanbul329, "05ISTANBUL329");
fixture!(c_09conakry797, "09CONAKRY797");
fixture!(c_06mexico2220, "06MEXICO2220");
fixture!(c_09santiago933, "09SANTIAGO933");
fixture!(c_08newdelhi638, "08NEWDELHI638");
fixture!(c_09islamabad3037, "09ISLAMABAD3037");
fixture!(c_08state43817, "08STATE43817");
fixture!(c_09manama424, "09MANAMA424");
fixture!(c_07sanjose1248, "07SANJOSE1248");
fixture!(c_08ection01of02manama492, "08ECTION01OF02MANAMA492");
fixture!(c_09eftolondon2618, "09EFTOLONDON2618");
fixture!(c_06brasilia476, "06BRASILIA476");
fixture!(c_03thehague1910, "03THEHAGUE1910");
fixture!(c_66buenosaires2481, "66BUENOSAIRES2481");
fixture!(c_06havana11650, "06HAVANA11650");
fixture!(c_08buenosaires1706_embedded_origin, "08BUENOSAIRES1706");

/// A partial extract with no date anywhere: its id comes from outside the text (the file name,
/// the page, the csv), and its REF lines are read in that id's year (they were read as 2000).
#[test]
fn c_05brasilia1922_dateless_extract_reads_references_in_its_own_year() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/cables/05BRASILIA1922.txt");
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!("SKIPPED 05BRASILIA1922: ../shared/corpus not found");
        return;
    };
    let parsed = cable_parser::parse_with(&text, &cable_parser::Options { id_hint: Some("05BRASILIA1922".into()) });
    let c = &parsed.cables[0];
    assert_eq!(c.created, None, "the text has no date");
    assert!(c.partial);
    let ids: Vec<_> = c.references.iter().map(|r| r.id.clone()).collect();
    // All four items of the lettered list (`A.` on the REF line, `¶B.`, `¶C.` and `D.` below).
    let want = ["05BRASILIA2684", "05BRASILIA1849", "05BRASILIA1862", "05BRASILIA1867"];
    assert_eq!(ids, want.map(|w| Some(w.to_string())));
}
fixture!(c_04thehague1717, "04THEHAGUE1717");
fixture!(c_05ankara3199, "05ANKARA3199");
fixture!(c_01vatican5693_banner_after_scrape_quotes, "01VATICAN5693");
fixture!(c_06telaviv145_banner_after_a_stray_quote, "06TELAVIV145");
fixture!(c_00harare6677_page_01_header_then_routing, "00HARARE6677");
fixture!(c_03ankara3694_bare_date_time_group_first, "03ANKARA3694");
fixture!(c_00harare5461_distribution_block_is_not_addressees, "00HARARE5461");
fixture!(c_10abudhabi9_date_time_group_after_a_distribution_block, "10ABUDHABI9");
fixture!(c_09abudhabi862_year_from_the_date_time_group_not_the_decl_date, "09ABUDHABI862");
fixture!(c_09kuwait110_scrape_metadata_after_the_info_list, "09KUWAIT110");
fixture!(c_08state103511_control_number_ranges, "08STATE103511");
fixture!(c_10cairo113_minimize_considered_before_the_signer, "10CAIRO113");
fixture!(c_09reykjavik49_signer_above_a_page_number_and_a_caption, "09REYKJAVIK49");
fixture!(c_06cairo941_ref_glued_to_the_subject, "06CAIRO941");
fixture!(c_07newdelhi1485_a_dated_email_is_no_cable, "07NEWDELHI1485");
fixture!(c_09baku478_page_marker_under_the_tags, "09BAKU478");
fixture!(c_05brasilia2231_subject_rest_under_the_tags, "05BRASILIA2231");
fixture!(c_09london2492_classification_reason_before_the_first_paragraph, "09LONDON2492");
fixture!(c_08paris1501_slipped_banner_space_and_an_anchored_ref_letter, "08PARIS1501");
fixture!(c_10shenyang4_slipped_banner_space_and_a_redacted_station, "10SHENYANG4");
fixture!(c_08tunis193_slipped_banner_space_then_noforn, "08TUNIS193");
fixture!(c_06parto9_sipdis_comma_noforn_and_a_classifier_in_paragraph_1, "06PARTO9");
fixture!(c_09baku20_lower_cased_noforn_and_a_date_time_group_in_a_ref, "09BAKU20");
fixture!(c_09quito933_classifier_cut_short_then_written_surname_first, "09QUITO933");
fixture!(c_07reykjavik158_particle_in_the_classifier_surname, "07REYKJAVIK158");
fixture!(c_09ankara1084_apostrophe_as_comma_after_an_anchored_ref_letter, "09ANKARA1084");
fixture!(c_05brasilia760_a_ref_list_anchored_from_its_first_letter, "05BRASILIA760");
fixture!(c_07cairo3126_classified_by_glued_to_the_subject, "07CAIRO3126");
