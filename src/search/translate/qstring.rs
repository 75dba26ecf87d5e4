//! The Quickwit query string being built: a small tree of leaves (`field:"value"`), AND, OR,
//! NOT and boosts, rendered in the query grammar Quickwit shares with tantivy
//! (`tantivy::query_grammar`): groups in parentheses, values quoted with `\` escapes. A
//! conjunction is written with occurrence marks, `+a +b -c`, one boolean clause: the
//! grammar reads `a AND NOT b` as `a` AND a clause holding only `NOT b`, which tantivy's query
//! parser turns into a query matching nothing (checked by the emulation test). A NOT that
//! stands alone is `(+* -x)`.

/// One node of a Quickwit query string.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Q {
    /// Every document (`*`).
    All,
    /// A leaf written as is (`entity:"gene:5133"`, `year:[2015 TO 2020]`, `melan*`).
    Leaf(String),
    /// All children.
    And(Vec<Q>),
    /// Any child.
    Or(Vec<Q>),
    /// Not the child.
    Not(Box<Q>),
    /// The child with a boost (finite, > 0).
    Boost(Box<Q>, f32),
}

/// `"value"` with `\` and `"` escaped: one phrase (one term on a raw field).
pub(crate) fn quote(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        if c == '"' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

/// `field:"value"`, or the quoted value alone (the default search fields) without a field.
pub(crate) fn leaf(field: Option<&str>, value: &str) -> Q {
    Q::Leaf(match field {
        Some(f) => format!("{f}:{}", quote(value)),
        None => quote(value),
    })
}

/// One query for several: the only one, or their OR.
pub(crate) fn any_of(mut qs: Vec<Q>) -> Q {
    if qs.len() == 1 {
        qs.remove(0)
    } else {
        Q::Or(qs)
    }
}

/// One query for several that must all hold.
pub(crate) fn all_of(mut qs: Vec<Q>) -> Q {
    if qs.len() == 1 {
        qs.remove(0)
    } else {
        Q::And(qs)
    }
}

impl Q {
    /// The query string.
    pub(crate) fn render(&self) -> String {
        match self {
            Q::All => "*".to_string(),
            Q::Leaf(s) => s.clone(),
            Q::And(children) => {
                let mut parts: Vec<String> = Vec::new();
                let mut positive = false;
                for c in children {
                    match c {
                        Q::Not(inner) => parts.push(format!("-{}", inner.grouped())),
                        other => {
                            positive = true;
                            parts.push(format!("+{}", other.grouped()));
                        }
                    }
                }
                if !positive {
                    parts.insert(0, "+*".to_string());
                }
                parts.join(" ")
            }
            Q::Or(children) => children
                .iter()
                .map(Q::grouped)
                .collect::<Vec<_>>()
                .join(" OR "),
            Q::Not(inner) => format!("+* -{}", inner.grouped()),
            Q::Boost(inner, b) => format!("{}^{}", inner.grouped(), boost_number(*b)),
        }
    }

    /// The query string, in parentheses when it is not a single leaf.
    fn grouped(&self) -> String {
        match self {
            Q::All | Q::Leaf(_) | Q::Boost(..) => self.render(),
            Q::And(_) | Q::Or(_) | Q::Not(_) => format!("({})", self.render()),
        }
    }
}

/// A boost as the grammar reads it: digits, optionally `.` and digits (no exponent).
fn boost_number(b: f32) -> String {
    let s = format!("{b}");
    if s.contains('e') || s.contains("inf") || s.contains("NaN") {
        format!("{:.6}", b)
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_groups_negations_and_quotes() {
        let a = leaf(Some("entity"), "gene:5133");
        let b = leaf(None, "say \"hi\" \\ ok");
        assert_eq!(b.render(), r#""say \"hi\" \\ ok""#);
        let q = Q::And(vec![
            a.clone(),
            Q::Or(vec![b.clone(), Q::Leaf("melan*".into())]),
            Q::Not(Box::new(a.clone())),
        ]);
        assert_eq!(
            q.render(),
            r#"+entity:"gene:5133" +("say \"hi\" \\ ok" OR melan*) -entity:"gene:5133""#
        );
        assert_eq!(
            Q::Not(Box::new(a.clone())).render(),
            r#"+* -entity:"gene:5133""#
        );
        assert_eq!(
            Q::Or(vec![Q::Not(Box::new(a.clone())), b.clone()]).render(),
            r#"(+* -entity:"gene:5133") OR "say \"hi\" \\ ok""#
        );
        assert_eq!(
            Q::And(vec![Q::Not(Box::new(a.clone()))]).render(),
            r#"+* -entity:"gene:5133""#
        );
        assert_eq!(
            Q::Boost(Box::new(Q::Or(vec![a.clone(), b])), 2.5).render(),
            r#"(entity:"gene:5133" OR "say \"hi\" \\ ok")^2.5"#
        );
        assert_eq!(boost_number(3.0), "3");
    }
}
