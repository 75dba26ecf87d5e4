//! The names of the search options every front end accepts (CLI flags, HTTP parameters, the
//! page, Python arguments): [`Named`] values with one `FromStr`/`Display` each, so that a value
//! means the same everywhere and an unknown one gets the same message everywhere.

use super::facets::{FacetScope, FacetSort};
use super::Order;
use crate::error::Error;
use crate::names::{name_of, parse_named, Named};
use std::fmt;
use std::str::FromStr;

impl Named for Order {
    const WHAT: &'static str = "sort order";
    const NAMES: &'static [(Order, &'static [&'static str])] = &[
        (Order::Relevance, &["relevance", "score"]),
        (Order::Date, &["date"]),
        (Order::Id, &["id", "pmid"]),
    ];
}

impl Named for FacetSort {
    const WHAT: &'static str = "facet order";
    const NAMES: &'static [(FacetSort, &'static [&'static str])] = &[
        (FacetSort::Count, &["count"]),
        (FacetSort::Lift, &["lift"]),
        (FacetSort::Significance, &["significance", "g", "llr"]),
    ];
}

impl Named for FacetScope {
    const WHAT: &'static str = "facet scope";
    const NAMES: &'static [(FacetScope, &'static [&'static str])] = &[
        (FacetScope::Document, &["document", "doc"]),
        (FacetScope::Sentence, &["sentence", "sent"]),
    ];
}

impl FromStr for FacetScope {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        parse_named(s)
    }
}

impl fmt::Display for FacetScope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(name_of(*self))
    }
}

impl FromStr for Order {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        parse_named(s)
    }
}

impl fmt::Display for Order {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(name_of(*self))
    }
}

impl FromStr for FacetSort {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        parse_named(s)
    }
}

impl fmt::Display for FacetSort {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(name_of(*self))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_unknown_values_list_the_valid_ones() {
        for (v, names) in Order::NAMES {
            for n in *names {
                assert_eq!(n.parse::<Order>().unwrap(), *v);
            }
            assert_eq!(v.to_string().parse::<Order>().unwrap(), *v);
        }
        assert_eq!(" LIFT ".parse::<FacetSort>().unwrap(), FacetSort::Lift);
        assert_eq!(
            "newest".parse::<Order>().unwrap_err().to_string(),
            "unknown sort order 'newest'; valid: relevance, date, id"
        );
        assert_eq!(
            "x".parse::<FacetSort>().unwrap_err().to_string(),
            "unknown facet order 'x'; valid: count, lift, significance"
        );
    }
}
