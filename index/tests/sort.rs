//! A list sorted by any column: the cables in the order a stable sort by that column's key gives
//! (the key of each column as the reader defines it), ties in the order the cables were added; and
//! the reverse for a descending sort.

use cable_index::{Doc, Index, SearchRequest};

/// 90 cables with few distinct values per column, so most keys tie.
fn docs() -> Vec<Doc> {
    let created = ["2009-01-02 10:00", "2008-05-06 11:00", "2009-01-02 10:00", "2010-02-01 09:30"];
    let subjects = ["Fuel for the reactor", "fuel for the reactor", "Zeta", "alpha"];
    let origins = ["Embassy Tripoli", "Embassy Paris", "Secretary of State"];
    let classes = ["SECRET", "CONFIDENTIAL", "UNCLASSIFIED", "CONFIDENTIAL//NOFORN"];
    (0..90)
        .map(|i| Doc {
            key: format!("K{i:03}"),
            reference_id: format!("09X{}", (i * 7) % 11),
            subject: subjects[(i / 3) % 4].into(),
            created: created[i % 4].into(),
            released: created[(i / 2) % 4].into(),
            classification: classes[(i / 5) % 4].into(),
            origin: origins[(i / 4) % 3].into(),
            text: "the same words in every cable".into(),
            ..Doc::default()
        })
        .collect()
}

fn listed(index: &mut Index, sort: &str) -> Vec<String> {
    index.search(&SearchRequest { sort: sort.into(), limit: 1000, ..SearchRequest::default() }).rows.into_iter().map(|r| r.key).collect()
}

#[test]
fn every_sort_key_orders_as_a_stable_sort_by_its_key() {
    let docs = docs();
    let mut index = Index::new();
    for d in docs.clone() {
        index.add(d);
    }
    // The classification's order is the reader's own (by level); taken from the list itself, then
    // checked to hold ties by date and addition.
    let by_class = listed(&mut index, "class");
    let class_order: Vec<String> = by_class.iter().map(|k| docs.iter().find(|d| &d.key == k).unwrap().classification.clone()).fold(Vec::new(), |mut v, c| {
        if !v.contains(&c) {
            v.push(c);
        }
        v
    });
    assert_eq!(class_order.len(), 4);
    type Key = (String, String);
    let keys: [(&str, &dyn Fn(&Doc) -> Key); 6] = [
        ("id", &|d| (d.reference_id.clone(), String::new())),
        ("subject", &|d| (d.subject.to_lowercase(), d.created.clone())),
        ("created", &|d| (d.created.clone(), d.reference_id.clone())),
        ("released", &|d| (d.released.clone(), d.created.clone())),
        ("origin", &|d| (d.origin.clone(), d.created.clone())),
        ("class", &|d| (format!("{}", class_order.iter().position(|c| *c == d.classification).unwrap()), d.created.clone())),
    ];
    for (name, key) in keys {
        let mut expect: Vec<&Doc> = docs.iter().collect();
        expect.sort_by_key(|d| key(d));
        let expect: Vec<String> = expect.iter().map(|d| d.key.clone()).collect();
        assert_eq!(listed(&mut index, name), expect, "sorted by {name}");
        let reversed: Vec<String> = expect.iter().rev().cloned().collect();
        assert_eq!(listed(&mut index, &format!("-{name}")), reversed, "sorted by -{name}");
    }
}
