//! Unit tests of the query parser (lexer and parser together).

use super::*;

/// Compact rendering of a tree without positions, for readable assertions.
pub(super) fn show(node: &Node) -> String {
    let join = |v: &[Node]| v.iter().map(show).collect::<Vec<_>>().join(", ");
    match node {
        Node::And(v) => format!("AND({})", join(v)),
        Node::Or(v) => format!("OR({})", join(v)),
        Node::Not(x) => format!("NOT({})", show(x)),
        Node::Boost(x, b) => format!("{}^{b}", show(x)),
        Node::Sentence(x, _) => format!("SENT({})", show(x)),
        Node::Clause(Clause::All { .. }) => "*".to_string(),
        Node::Clause(Clause::At { text, .. }) => format!("@{text}"),
        Node::Clause(Clause::Term {
            field,
            text,
            quoted,
            ..
        }) => {
            let value = if *quoted {
                format!("{text:?}")
            } else {
                text.clone()
            };
            match field {
                Some(f) => format!("{}:{value}", f.name),
                None => value,
            }
        }
    }
}

fn p(query: &str) -> String {
    match parse(query) {
        Ok(node) => show(&node),
        Err(e) => panic!("{query:?} failed to parse: {e}"),
    }
}

/// (position, message) of the error for `query`.
fn err(query: &str) -> (usize, String) {
    match parse(query) {
        Ok(node) => panic!("{query:?} parsed unexpectedly as {}", show(&node)),
        Err(e) => (e.position, e.message),
    }
}

fn err_pos(query: &str) -> usize {
    err(query).0
}

fn term(text: &str, pos: usize) -> Node {
    Node::Clause(Clause::Term {
        field: None,
        text: text.to_string(),
        quoted: false,
        slop: 0,
        pos,
    })
}

// ----- operators and precedence -----

#[test]
fn juxtaposition_is_and() {
    assert_eq!(p("a b c"), "AND(a, b, c)");
    assert_eq!(
        parse("a  b").unwrap(),
        Node::And(vec![term("a", 0), term("b", 3)])
    );
}

#[test]
fn explicit_and_is_flattened() {
    assert_eq!(p("a AND b AND c"), "AND(a, b, c)");
    assert_eq!(p("a AND b c"), "AND(a, b, c)");
    assert_eq!(p("a && b"), "AND(a, b)");
}

#[test]
fn or_is_flattened() {
    assert_eq!(p("a OR b OR c"), "OR(a, b, c)");
    assert_eq!(p("a || b"), "OR(a, b)");
}

#[test]
fn and_binds_tighter_than_or() {
    assert_eq!(p("a OR b c"), "OR(a, AND(b, c))");
    assert_eq!(p("a b OR c"), "OR(AND(a, b), c)");
    assert_eq!(p("a AND b OR c AND d"), "OR(AND(a, b), AND(c, d))");
}

#[test]
fn single_element_collapses() {
    assert_eq!(parse("a").unwrap(), term("a", 0));
    assert_eq!(parse("  a  ").unwrap(), term("a", 2));
}

#[test]
fn lowercase_operators_are_words() {
    assert_eq!(p("a and b or c not d"), "AND(a, and, b, or, c, not, d)");
    assert_eq!(p("And Or"), "AND(And, Or)");
}

// ----- negation -----

#[test]
fn not_and_minus() {
    assert_eq!(p("NOT a"), "NOT(a)");
    assert_eq!(p("-a"), "NOT(a)");
    assert_eq!(p("! a"), "NOT(a)");
    assert_eq!(p("NOT NOT a"), "NOT(NOT(a))");
    assert_eq!(p("--a"), "NOT(NOT(a))");
    assert_eq!(p("-(a OR b)"), "NOT(OR(a, b))");
    assert_eq!(p("-\"a b\""), "NOT(\"a b\")");
    assert_eq!(p("-gene:5133"), "NOT(gene:5133)");
    assert_eq!(p("-@GENE_X"), "NOT(@GENE_X)");
    assert_eq!(
        parse("-a").unwrap(),
        Node::Not(Box::new(term("a", 1))),
        "the term starts after the '-'"
    );
}

#[test]
fn not_is_unary_and_joined_by_default_and() {
    assert_eq!(p("a NOT b"), "AND(a, NOT(b))");
    assert_eq!(p("a AND NOT b"), "AND(a, NOT(b))");
    assert_eq!(p("a -b"), "AND(a, NOT(b))");
    assert_eq!(p("NOT a b"), "AND(NOT(a), b)");
    assert_eq!(p("NOT a OR b"), "OR(NOT(a), b)");
}

#[test]
fn hyphen_inside_word_is_literal() {
    assert_eq!(p("PD-L1 IL-6"), "AND(PD-L1, IL-6)");
    assert_eq!(p("a-"), "a-");
    assert_eq!(p("-PD-L1"), "NOT(PD-L1)");
}

// ----- groups -----

#[test]
fn parentheses() {
    assert_eq!(p("(a OR b) c"), "AND(OR(a, b), c)");
    assert_eq!(p("a (b OR c)"), "AND(a, OR(b, c))");
    assert_eq!(p("((a))"), "a");
    assert_eq!(p("a (b c)"), "AND(a, AND(b, c))");
    assert_eq!(p("(a)(b)"), "AND(a, b)");
    assert_eq!(p("( a OR b )"), "OR(a, b)");
}

#[test]
fn open_paren_inside_word_is_literal() {
    assert_eq!(p("a(b"), "a(b");
}

#[test]
fn close_paren_ends_field_value() {
    assert_eq!(p("(gene:5133)"), "gene:5133");
    assert_eq!(p("(a OR gene:5133) b"), "AND(OR(a, gene:5133), b)");
}

#[test]
fn nesting_up_to_max_depth_is_allowed() {
    let q = format!("{}a{}", "(".repeat(MAX_DEPTH), ")".repeat(MAX_DEPTH));
    assert_eq!(p(&q), "a");
    let q = format!("{}a", "-".repeat(MAX_DEPTH));
    assert!(parse(&q).is_ok());
}

// ----- phrases -----

#[test]
fn phrases() {
    assert_eq!(p("\"breast cancer\""), "\"breast cancer\"");
    assert_eq!(
        parse("x \"a b\"").unwrap(),
        Node::And(vec![
            term("x", 0),
            Node::Clause(Clause::Term {
                field: None,
                text: "a b".into(),
                quoted: true,
                slop: 0,
                pos: 2,
            }),
        ])
    );
    // Operators and parentheses inside quotes are literal.
    assert_eq!(p("\"a OR (b\""), "\"a OR (b\"");
}

#[test]
fn escaped_quotes_and_backslashes() {
    let node = parse(r#""say \"hi\" \\ ok""#).unwrap();
    let Node::Clause(Clause::Term { text, quoted, .. }) = node else {
        panic!("expected a term");
    };
    assert_eq!(text, r#"say "hi" \ ok"#);
    assert!(quoted);
    // Other backslashes are kept as written.
    let node = parse(r#""a\b""#).unwrap();
    assert!(matches!(node, Node::Clause(Clause::Term { ref text, .. }) if text == r"a\b"));
}

// ----- fields -----

#[test]
fn field_values_may_contain_colons_and_punctuation() {
    assert_eq!(p("disease:MESH:D009369"), "disease:MESH:D009369");
    assert_eq!(
        p("rel:Negative_Correlation|gene:5133|Disease"),
        "rel:Negative_Correlation|gene:5133|Disease"
    );
    assert_eq!(
        p("variant:tmVar:p|SUB|V|600|E;HGVS:p.V600E"),
        "variant:tmVar:p|SUB|V|600|E;HGVS:p.V600E"
    );
    assert_eq!(p("variant:c.1799T>A"), "variant:c.1799T>A");
    assert_eq!(p("chem:#1.5"), "chem:#1.5");
    assert_eq!(p("x:a(b"), "x:a(b");
}

#[test]
fn field_positions_and_case() {
    assert_eq!(
        parse("x Gene:5133").unwrap(),
        Node::And(vec![
            term("x", 0),
            Node::Clause(Clause::Term {
                field: Some(Field {
                    name: "Gene".into(),
                    pos: 2,
                    literal: false,
                }),
                text: "5133".into(),
                quoted: false,
                slop: 0,
                pos: 7,
            }),
        ])
    );
}

#[test]
fn quoted_field_value() {
    assert_eq!(
        parse("title:\"a (b) OR c\"").unwrap(),
        Node::Clause(Clause::Term {
            field: Some(Field {
                name: "title".into(),
                pos: 0,
                literal: false,
            }),
            text: "a (b) OR c".into(),
            quoted: true,
            slop: 0,
            pos: 6,
        })
    );
}

#[test]
fn invalid_field_name_makes_a_plain_word() {
    assert_eq!(p("1:2"), "1:2");
    assert_eq!(p("_a:b"), "_a:b");
    assert_eq!(p("a-b:c"), "a-b:c");
    assert_eq!(p(":x"), ":x");
    assert_eq!(p("http://x"), "http://x");
    assert!(matches!(
        parse("http://x").unwrap(),
        Node::Clause(Clause::Term { field: Some(ref f), .. }) if f.name == "http"
    ));
    assert!(matches!(
        parse("1:2").unwrap(),
        Node::Clause(Clause::Term { field: None, .. })
    ));
}

// ----- special clauses -----

#[test]
fn at_entity_shorthand() {
    assert_eq!(
        parse("a @GENE_PDCD1").unwrap(),
        Node::And(vec![
            term("a", 0),
            Node::Clause(Clause::At {
                text: "GENE_PDCD1".into(),
                pos: 2
            }),
        ])
    );
    assert_eq!(p("@DISEASE_Neoplasms"), "@DISEASE_Neoplasms");
    assert_eq!(p("gene:@x"), "gene:@x");
}

#[test]
fn star_matches_all() {
    assert_eq!(parse("*").unwrap(), Node::Clause(Clause::All { pos: 0 }));
    assert_eq!(p("* -a"), "AND(*, NOT(a))");
    assert_eq!(p("a*"), "a*");
    assert_eq!(p("gene:*"), "gene:*");
}

// ----- boosts -----

#[test]
fn boosts() {
    assert_eq!(p("word^2"), "word^2");
    assert_eq!(
        parse("word^2").unwrap(),
        Node::Boost(Box::new(term("word", 0)), 2.0)
    );
    assert_eq!(p("\"a b\"^1.5"), "\"a b\"^1.5");
    assert_eq!(p("(a b)^3"), "AND(a, b)^3");
    assert_eq!(p("gene:5133^2"), "gene:5133^2");
    assert_eq!(p("title:\"a b\"^2"), "title:\"a b\"^2");
    assert_eq!(p("@GENE_X^2"), "@GENE_X^2");
    assert_eq!(p("*^2"), "*^2");
    assert_eq!(p("a^2 b"), "AND(a^2, b)");
    assert_eq!(p("-a^2"), "NOT(a^2)");
    assert_eq!(p("(a^2)^3"), "a^2^3");
}

#[test]
fn caret_that_is_not_a_boost_stays_in_the_word() {
    // A word where the boost number belongs is an error like a missing number.
    assert_eq!(
        err("cancer^x"),
        (
            6,
            "invalid boost: expected a positive number such as ^2 or ^1.5".to_string()
        )
    );
    assert_eq!(
        err("cancer^"),
        (6, "missing boost value after '^'".to_string())
    );
    assert_eq!(p("a^b-c"), "a^b-c");
    assert_eq!(p("a^b^2"), "a^b^2");
    assert_eq!(parse("a^b^2").unwrap(), {
        Node::Boost(Box::new(term("a^b", 0)), 2.0)
    });
    assert_eq!(p("^2"), "^2");
}

// ----- unicode -----

#[test]
fn unicode_words_and_char_positions() {
    assert_eq!(p("TNF-α"), "TNF-α");
    assert_eq!(
        parse("α β").unwrap(),
        Node::And(vec![term("α", 0), term("β", 2)])
    );
    // ')' is char 6 but byte 7.
    assert_eq!(err("TNF-α )"), (6, "unmatched ')'".to_string()));
    assert_eq!(err_pos("αβγ AND"), 7);
}

// ----- errors, one per kind, with exact positions -----

#[test]
fn error_empty_query() {
    assert_eq!(err(""), (0, "empty query".to_string()));
    assert_eq!(err("  \t\n"), (0, "empty query".to_string()));
}

#[test]
fn error_unterminated_quote() {
    assert_eq!(err_pos("a \"b c"), 2);
    assert_eq!(err_pos("gene:\"b"), 5);
    assert_eq!(err_pos("\"abc\\\""), 0);
    assert!(err("\"x").1.contains("unterminated"));
}

#[test]
fn error_empty_phrase() {
    assert_eq!(err("a \"\""), (2, "empty phrase".to_string()));
    assert_eq!(err_pos("\"  \""), 0);
}

#[test]
fn error_unclosed_paren() {
    assert_eq!(err("a (b"), (2, "unclosed '('".to_string()));
    assert_eq!(err_pos("(a (b)"), 0);
    assert_eq!(err_pos("("), 0);
}

#[test]
fn error_unmatched_close_paren() {
    assert_eq!(err("a b)"), (3, "unmatched ')'".to_string()));
    assert_eq!(err_pos(")"), 0);
    assert_eq!(err_pos("(a))"), 3);
}

#[test]
fn error_empty_group() {
    assert_eq!(err("a ()"), (2, "empty group '()'".to_string()));
    assert_eq!(err_pos("( )"), 0);
}

#[test]
fn error_missing_operand() {
    assert_eq!(err("a AND"), (5, "missing operand after 'AND'".to_string()));
    assert_eq!(err("OR b"), (0, "missing operand before 'OR'".to_string()));
    assert_eq!(err("NOT"), (3, "missing operand after 'NOT'".to_string()));
    assert_eq!(
        err("a OR OR b"),
        (5, "missing operand after 'OR'".to_string())
    );
    assert_eq!(err_pos("(a OR)"), 5);
    assert_eq!(err_pos("(AND a)"), 1);
    assert_eq!(err_pos("a NOT"), 5);
    assert_eq!(err_pos("NOT OR a"), 4);
}

#[test]
fn error_dangling_minus() {
    let (pos, msg) = err("-");
    assert_eq!(pos, 0);
    assert!(msg.contains("'-'"));
    assert_eq!(err_pos("a - b"), 2);
    assert_eq!(err_pos("(a -)"), 3);
    assert_eq!(err_pos("-AND b"), 1);
}

#[test]
fn error_empty_field_value() {
    assert_eq!(err("gene:"), (5, "missing value after 'gene:'".to_string()));
    assert_eq!(err_pos("gene: 5133"), 5);
    assert_eq!(err_pos("(gene:)"), 6);
    assert_eq!(err_pos("x gene:\"\""), 7);
}

#[test]
fn error_lone_at() {
    assert_eq!(err_pos("a @"), 2);
    assert_eq!(err_pos("@ b"), 0);
    assert_eq!(err_pos("(@)"), 1);
}

#[test]
fn error_bad_boost() {
    assert_eq!(err("a^"), (1, "missing boost value after '^'".to_string()));
    assert_eq!(err_pos("a^-1"), 1);
    assert_eq!(err_pos("a^0"), 1);
    assert_eq!(err_pos("a^0.0"), 1);
    assert_eq!(err_pos("a^1."), 1);
    assert_eq!(err_pos("a^1.5.2"), 1);
    assert_eq!(err_pos("a^1e3"), 1);
    assert_eq!(err_pos("gene:5133^"), 9);
    assert_eq!(err_pos("\"a\"^x"), 3);
    assert_eq!(err_pos("(a)^"), 3);
    assert_eq!(err_pos("(a)^-2"), 3);
    assert_eq!(err_pos(&format!("a^{}", "9".repeat(60))), 1, "inf");
}

#[test]
fn error_too_deep() {
    let q = format!(
        "{}a{}",
        "(".repeat(MAX_DEPTH + 1),
        ")".repeat(MAX_DEPTH + 1)
    );
    let (pos, msg) = err(&q);
    assert_eq!(pos, MAX_DEPTH);
    assert!(msg.contains("nested too deeply"));
    assert_eq!(
        err_pos(&format!("{}a", "-".repeat(MAX_DEPTH + 1))),
        MAX_DEPTH
    );
    // Negations and groups count together: 64 groups plus one NOT.
    let q = format!("{}NOT a{}", "(".repeat(MAX_DEPTH), ")".repeat(MAX_DEPTH));
    assert_eq!(err_pos(&q), MAX_DEPTH);
}

// ----- error rendering -----

#[test]
fn display_and_caret() {
    let e = parse("a AND").unwrap_err();
    assert_eq!(e.to_string(), "missing operand after 'AND' at position 5");
    let boxed: Box<dyn std::error::Error> = Box::new(e.clone());
    assert_eq!(boxed.to_string(), e.to_string());
    assert_eq!(caret("a AND", 5), "a AND\n     ^");
    assert_eq!(caret("α\tb", 2), "α b\n  ^");
    assert_eq!(caret("ab", 99), "ab\n  ^");
    assert_eq!(caret("", 0), "\n^");
}

// ----- robustness -----

#[test]
fn pathological_inputs_do_not_panic_or_hang() {
    let n = 200_000;
    assert!(parse(&"(".repeat(n)).is_err());
    assert!(parse(&")".repeat(n)).is_err());
    assert!(parse(&format!("{}a", "-".repeat(n))).is_err());
    assert!(parse(&format!("{}a", "NOT ".repeat(n))).is_err());
    assert!(parse(&"a ".repeat(n)).is_ok());
    assert!(parse(&"a OR ".repeat(n)).is_err());
    assert!(parse(&"x".repeat(n)).is_ok());
    assert!(
        parse(&"^".repeat(n)).is_err(),
        "trailing ^ is a missing boost"
    );
    assert!(parse(&format!("a^{}", "1".repeat(n))).is_err());
    assert!(parse(&"\"".repeat(n + 1)).is_err());
    assert!(parse(&"a:".repeat(n)).is_ok());
    assert!(parse("\0 a\0b \u{feff} \u{10ffff}").is_ok());
}

#[test]
fn never_panics_on_random_input() {
    const ALPHABET: [char; 18] = [
        '(', ')', '"', '\\', ':', '^', '-', '@', '*', 'a', 'A', 'N', 'D', 'O', 'R', 'T', '|', ' ',
    ];
    let mut alphabet = ALPHABET.to_vec();
    alphabet.extend(['α', ' ', '1', '.']);
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut ok = 0;
    for _ in 0..5000 {
        let len = (next() % 24) as usize;
        let query: String = (0..len)
            .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
            .collect();
        match parse(&query) {
            Ok(_) => ok += 1,
            Err(e) => {
                assert!(
                    e.position <= query.chars().count(),
                    "{query:?}: position {} out of range",
                    e.position
                );
                let _ = caret(&query, e.position);
            }
        }
    }
    assert!(ok > 0, "some random queries should parse");
}

// ----- field groups, relation values, bracketed values -----

#[test]
fn field_groups_give_their_field_to_each_term() {
    assert_eq!(
        p("title:(cancer OR tumor)"),
        "OR(title:cancer, title:tumor)"
    );
    assert_eq!(p("gene:(673 5133)"), "AND(gene:673, gene:5133)");
    assert_eq!(p("-gene:(673 OR 5133)"), "NOT(OR(gene:673, gene:5133))");
    assert_eq!(
        p("title:(a \"b c\" abstract:d)^2"),
        "AND(title:a, title:\"b c\", abstract:d)^2"
    );
    assert_eq!(p("x title:(a) y"), "AND(x, title:a, y)");
}

#[test]
fn unclosed_field_group_points_at_its_paren() {
    assert_eq!(err("title:("), (6, "unclosed '('".to_string()));
    assert_eq!(err_pos("a gene:(673 OR 5133"), 7);
    assert_eq!(err("gene:()"), (5, "empty group '()'".to_string()));
}

#[test]
fn relation_values_may_have_spaces_around_bars() {
    assert_eq!(
        p("rel:Association | gene:673 | Disease"),
        "rel:Association|gene:673|Disease"
    );
    assert_eq!(
        p("relations:ANY |@GENE_BRAF| @DISEASE_Melanoma x"),
        "AND(relations:ANY|@GENE_BRAF|@DISEASE_Melanoma, x)"
    );
    assert_eq!(p("rel:CID x | y"), "AND(rel:CID, x, |, y)");
    assert_eq!(p("(rel:A | b)"), "rel:A|b");
    assert_eq!(p("title:a | b"), "AND(title:a, |, b)");
}

#[test]
fn bracketed_parts_stay_in_field_values() {
    assert_eq!(p("gene:13649(Tax:10090)"), "gene:13649(Tax:10090)");
    assert_eq!(p("(gene:13649(Tax:10090))"), "gene:13649(Tax:10090)");
    assert_eq!(err_pos("gene:a(b))"), 9);
}
