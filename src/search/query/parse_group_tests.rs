//! Unit tests of the parser's sentence groups and `@TYPE_` checks.

use super::*;

fn show(node: &Node) -> String {
    super::tests::show(node)
}

fn p(query: &str) -> String {
    match parse(query) {
        Ok(node) => show(&node),
        Err(e) => panic!("{query:?} failed to parse: {e}"),
    }
}

fn err(query: &str) -> (usize, String) {
    let e = parse(query).expect_err("an error");
    (e.position, e.message)
}

#[test]
fn sentence_groups() {
    assert_eq!(
        p("sentence:(gene:673 disease:D008545)"),
        "SENT(AND(gene:673, disease:D008545))"
    );
    assert_eq!(
        p("sent:(BRAF melanoma) x"),
        "AND(SENT(AND(BRAF, melanoma)), x)"
    );
    assert_eq!(p("-Sentence:(a OR \"b c\")"), "NOT(SENT(OR(a, \"b c\")))");
    assert_eq!(p("title:(sentence:(a b))"), "SENT(AND(title:a, title:b))");
    match parse("sentence:(gene:1 x)") {
        Ok(Node::Sentence(_, pos)) => assert_eq!(pos, 0),
        other => panic!("{other:?}"),
    }
    assert!(parse("sentence:()").is_err());
}

#[test]
fn an_at_clause_needs_a_name_after_its_type() {
    assert_eq!(
        err("braf @GENE_"),
        (
            5,
            "'@GENE_' needs a name or ID after the type, such as @GENE_BRAF".to_string()
        )
    );
    assert_eq!(p("@GENE_BRAF"), "@GENE_BRAF");
}
