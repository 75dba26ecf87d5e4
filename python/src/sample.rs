//! `_ptsearch._conversion_sample()`: a value with every shape [`crate::topy`] handles, returned
//! both as `serde_json` text and as the converter's object, so that the Python tests can check
//! that the object equals `json.loads` of the text, types included (python/tests/test_topy.py).
//! Not part of the public API.

use pyo3::prelude::*;
use serde::{Serialize, Serializer};
use std::collections::BTreeMap;

#[derive(Serialize)]
#[serde(rename_all = "lowercase")]
enum Kind {
    Term,
    Entity,
}

#[derive(Serialize)]
enum Shape {
    Unit,
    Newtype(u8),
    Pair(i32, String),
    Named { x: f32, y: Option<bool> },
}

#[derive(Serialize)]
struct Meta {
    #[serde(skip_serializing_if = "Option::is_none")]
    year: Option<u16>,
    journal: Option<&'static str>,
}

#[derive(Serialize)]
struct Newtype(&'static str);

/// Bytes, which `serde_json` writes as a list of numbers.
struct Bytes(&'static [u8]);

impl Serialize for Bytes {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(self.0)
    }
}

#[derive(Serialize)]
struct Span {
    field: &'static str,
    start: usize,
    end: usize,
    text: &'static str,
    kind: Kind,
    entity_type: Option<&'static str>,
    entity_id: Option<String>,
}

#[derive(Serialize)]
struct Sample {
    texts: Vec<&'static str>,
    chars: Vec<char>,
    spans: Vec<Vec<Span>>,
    big: (u64, i64, i128, u128, usize),
    scores: Vec<f32>,
    floats: Vec<f64>,
    pairs: Vec<(String, u64)>,
    by_number: BTreeMap<u32, Vec<Option<i8>>>,
    by_bool: BTreeMap<bool, ()>,
    by_kind: BTreeMap<char, Newtype>,
    shapes: Vec<Shape>,
    bytes: Bytes,
    empty: (Vec<u8>, BTreeMap<String, u8>, ()),
    #[serde(flatten)]
    meta: Meta,
    #[serde(rename = "abstract")]
    abstract_text: Option<Option<String>>,
}

fn sample() -> Sample {
    let span = |start, text: &'static str, kind, t: Option<&'static str>| Span {
        field: "abstract",
        start,
        end: start + text.chars().count(),
        text,
        kind,
        entity_type: t,
        entity_id: t.map(|_| "MESH:D009369,7157".to_string()),
    };
    Sample {
        texts: vec![
            "",
            "plain ascii",
            "Ünïcödé — β-catenin ≥ 5 µM, 日本語, emoji 🧬",
            "quotes \" and \\ backslash, tab\t newline\n nul\u{0} bell\u{7}",
            "line\u{2028}separator\u{2029} and \u{feff}bom",
        ],
        chars: vec!['a', 'é', '🧬', '"'],
        spans: vec![
            vec![
                span(0, "TP53", Kind::Entity, Some("Gene")),
                span(10, "tümör", Kind::Term, None),
            ],
            vec![],
        ],
        big: (u64::MAX, i64::MIN, -(1i128 << 100), u128::MAX, usize::MAX),
        scores: vec![
            0.1,
            12.345_678,
            1e-7,
            f32::MAX,
            f32::MIN_POSITIVE,
            0.0,
            -0.0,
            f32::NAN,
            f32::INFINITY,
        ],
        floats: vec![
            0.1,
            1.0 / 3.0,
            1e300,
            5e-324,
            -2.5,
            0.0,
            f64::NAN,
            f64::NEG_INFINITY,
        ],
        pairs: vec![("melanoma".into(), 42), ("ß".into(), u64::MAX)],
        by_number: [(7, vec![Some(-1), None]), (12, vec![])]
            .into_iter()
            .collect(),
        by_bool: [(true, ()), (false, ())].into_iter().collect(),
        by_kind: [('x', Newtype("ex")), ('ä', Newtype("umlaut"))]
            .into_iter()
            .collect(),
        shapes: vec![
            Shape::Unit,
            Shape::Newtype(255),
            Shape::Pair(-3, "drei".into()),
            Shape::Named { x: 0.3, y: None },
        ],
        bytes: Bytes(b"\x00\xffab"),
        empty: (vec![], BTreeMap::new(), ()),
        meta: Meta {
            year: None,
            journal: Some("J Ünï"),
        },
        abstract_text: Some(None),
    }
}

/// `(json_text, object)` for the same sample value.
#[pyfunction]
pub(crate) fn _conversion_sample(py: Python<'_>) -> PyResult<(String, Bound<'_, PyAny>)> {
    let value = sample();
    let text = serde_json::to_string(&value)
        .map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string()))?;
    Ok((text, crate::topy::to_py(py, &value)?))
}
