//! Annotation layers over random sequences of sources: each source has its own version of one
//! text (sentences inserted or deleted, a structured-abstract label, repeated words) and
//! annotates word occurrences in it. Merging the sources in a random order (with repeats)
//! must leave every annotation either on a span whose text equals its mention or without a
//! span, and repeating the whole sequence must not change the result.

use super::*;
use ptsearch::pubtator::layers::{merge_with, name_layer, MergeMode, TextChoice};
use ptsearch::pubtator::{Annotation, Passage, PassageKind, Span};

const SENTENCES: [&str; 6] = [
    "We report ARSA loss in ARSA carriers.",
    "Then ARSA activity was low.",
    "TP53 and MDM2 bind; TP53 is mutated.",
    "Patients with MLD had low ARSA.",
    "No TP53 change was seen.",
    "ARSA-deficient mice were used.",
];

/// One source's text: a subset of the sentences, optionally labelled, and its annotations:
/// every `pick`-th occurrence of ARSA / TP53 / MDM2 in its own text.
fn source_doc(
    name: &str,
    sentences: &[usize],
    label: bool,
    pick: usize,
    annotated: bool,
) -> Document {
    let mut abs = String::new();
    for (k, &i) in sentences.iter().enumerate() {
        if label && k == 0 {
            abs.push_str("BACKGROUND: ");
        }
        if k > 0 {
            abs.push(' ');
        }
        abs.push_str(SENTENCES[i % SENTENCES.len()]);
    }
    let title = "ARSA in metachromatic leukodystrophy".to_string();
    let mut annotations = Vec::new();
    if annotated {
        let chars: Vec<char> = abs.chars().collect();
        let mut n = 0;
        for word in ["ARSA", "TP53", "MDM2"] {
            let w: Vec<char> = word.chars().collect();
            for s in 0..chars.len().saturating_sub(w.len() - 1) {
                if chars[s..s + w.len()] == w[..] {
                    n += 1;
                    if n % pick.max(1) == 0 {
                        let offset = title.chars().count() as u64 + 1 + s as u64;
                        annotations.push(Annotation {
                            block: 0,
                            start: offset,
                            end: offset + w.len() as u64,
                            mention: word.to_string(),
                            raw_type: "Gene".into(),
                            raw_id: Some("410".into()),
                            extra: Vec::new(),
                            span: Some(Span {
                                passage: 1,
                                start: s as u32,
                                end: (s + w.len()) as u32,
                            }),
                            more: Vec::new(),
                        });
                    }
                }
            }
        }
    }
    let mut d = Document {
        id: "1".into(),
        passages: vec![
            Passage {
                kind: PassageKind::Title,
                block: 0,
                text: title,
                section: None,
            },
            Passage {
                kind: PassageKind::Abstract,
                block: 0,
                text: abs,
                section: None,
            },
        ],
        annotations,
        ..Document::default()
    };
    name_layer(&mut d, name);
    d
}

fn apply(
    start: Option<Document>,
    order: &[usize],
    sources: &[Document],
    mode: MergeMode,
) -> Document {
    let mut state = start;
    for &i in order {
        let incoming = sources[i % sources.len()].clone();
        state = Some(match state {
            None => incoming,
            Some(stored) => merge_with(stored, incoming, mode).0,
        });
    }
    state.unwrap_or_default()
}

fn source_strategy() -> impl Strategy<Value = (Vec<usize>, bool, usize, bool)> {
    (
        proptest::collection::vec(0usize..6, 1..6),
        any::<bool>(),
        1usize..3,
        proptest::bool::weighted(0.8),
    )
}

proptest! {
    #![proptest_config(config(200))]

    #[test]
    fn merged_annotations_sit_on_their_mention_and_repeating_changes_nothing(
        specs in proptest::collection::vec(source_strategy(), 1..5),
        order in proptest::collection::vec(0usize..5, 1..8),
        text in 0usize..3,
    ) {
        let sources: Vec<Document> = specs
            .iter()
            .enumerate()
            .map(|(i, (s, label, pick, annotated))| source_doc(&format!("s{i}"), s, *label, *pick, *annotated))
            .collect();
        let mode = MergeMode {
            text: [TextChoice::Auto, TextChoice::Keep, TextChoice::Replace][text],
            metadata_only: false,
        };
        let once = apply(None, &order, &sources, mode);
        for a in &once.annotations {
            if let Some(sp) = a.span {
                let p = &once.passages[sp.passage as usize];
                let slice: String = p.text.chars().skip(sp.start as usize).take((sp.end - sp.start) as usize).collect();
                prop_assert_eq!(&slice, &a.mention);
                // The record offsets a PubTator export writes slice the same text.
                let record: Vec<char> = format!("{} {}", once.passages[0].text, once.passages[1].text).chars().collect();
                let at: String = record.get(a.start as usize..a.end as usize).map(|c| c.iter().collect()).unwrap_or_default();
                prop_assert_eq!(&at, &a.mention);
            }
        }
        let layered: u32 = once.layers.iter().map(|l| l.annotations).sum();
        prop_assert_eq!(layered as usize, once.annotations.len());
        let twice = apply(Some(once.clone()), &order, &sources, mode);
        prop_assert_eq!(twice, once);
    }
}
