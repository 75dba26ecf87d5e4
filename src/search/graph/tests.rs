//! NPMI against a table computed by hand, and the names of the graph options.

use super::*;

#[test]
fn npmi_matches_a_hand_computed_table() {
    // (both, x, y, n, expected): ln(pxy / (px py)) / -ln pxy, worked out on paper.
    let table = [
        (1, 2, 2, 4, 0.0),           // independent: ln(0.25 / 0.25) = 0
        (2, 2, 2, 4, 1.0),           // always together: ln 2 / ln 2
        (1, 3, 2, 4, -0.292_481_25), // ln(0.25 / 0.375) / ln 4 = -0.405465 / 1.386294
        (3, 4, 5, 10, 0.336_772_6),  // ln(0.3 / 0.2) / -ln 0.3 = 0.4054651 / 1.2039728
        (5, 5, 5, 5, 1.0),           // a pair in every hit
        (0, 3, 3, 9, -1.0),          // never together
    ];
    for (both, x, y, n, want) in table {
        let got = npmi(both, x, y, n);
        assert!(
            (got - want).abs() < 1e-6,
            "npmi({both}, {x}, {y}, {n}) = {got}, expected {want}"
        );
    }
}

#[test]
fn edge_kinds_and_weights_have_one_spelling_everywhere() {
    assert_eq!(
        "comention".parse::<EdgeKind>().unwrap(),
        EdgeKind::Comention
    );
    assert_eq!("Relation".parse::<EdgeKind>().unwrap(), EdgeKind::Relation);
    assert_eq!("npmi".parse::<Weight>().unwrap(), Weight::Npmi);
    assert_eq!(Weight::Docs.to_string(), "docs");
    assert_eq!(
        "cites".parse::<EdgeKind>().unwrap_err().to_string(),
        "unknown edge kind 'cites'; valid: comention, sentence, relation"
    );
}
