//! What an ingest run did: counts for the end-of-run summary (text and JSON).

use crate::names::counted;
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

/// From this many segments on, the summary suggests `ptsearch optimize` (at 39 segments an
/// entity search with facets took 3.7× as long as on one segment, BENCHMARKS.md).
pub const SEGMENTS_HINT: usize = 16;

/// Counts of one ingest run.
#[derive(Debug, Default, Clone, Serialize)]
pub struct IngestSummary {
    /// Documents written in this run (including replacements).
    pub documents_written: u64,
    /// New document IDs.
    pub added: u64,
    /// Documents that replaced one with the same ID.
    pub replaced: u64,
    /// Blocks rejected (no title line).
    pub rejected: u64,
    /// Dropped lines by reason.
    pub skipped_lines: BTreeMap<String, u64>,
    /// Annotations by canonical type.
    pub annotations: BTreeMap<String, u64>,
    /// Relation lines (and bulk relation rows).
    pub relations: u64,
    /// Documents that received PubTator3 bulk rows.
    pub attached: u64,
    /// Of those, new entity-only documents (no text indexed for the ID).
    pub entity_only: u64,
    /// Bulk concepts (entity rows merged per document) by canonical type.
    pub concepts: BTreeMap<String, u64>,
    /// Annotations located by each offset rule.
    pub offset_rules: BTreeMap<String, u64>,
    /// The first dropped line of each reason (`file:line`).
    pub skipped_examples: BTreeMap<String, String>,
    /// Inputs that could not be read to the end (name: error).
    pub source_errors: Vec<String>,
    /// Inputs skipped because their content is no supported format (a README in a corpus).
    pub unsupported_inputs: Vec<String>,
    /// Raw input bytes read.
    pub bytes: u64,
    /// Wall time.
    #[serde(serialize_with = "secs")]
    pub elapsed: Duration,
    /// Documents in the index after the run.
    pub total_documents: u64,
    /// Segments of the index after the run.
    pub segments: usize,
    /// Commits with a checkpoint made during the run.
    pub checkpoints: u64,
    /// Where an interrupted run was resumed (`input:line`), if it was.
    pub resumed_from: Option<String>,
    /// What merging annotation layers did.
    pub layers: super::layering::LayerSummary,
    /// Documents removed by PubMed `DeleteCitation`.
    pub deleted: u64,
    /// New (HomoloGene group, gene) pairs learned from BioC `ncbi_homologene` infons.
    pub homologene_pairs: u64,
}

/// The reader's message for an input in no supported format.
pub const UNSUPPORTED: &str = "not PubTator, PubTator3 bulk TSV, BioC or PubMed XML; skipped";

/// Inputs named per grouped line before `and N more`.
const SHOWN_INPUTS: usize = 5;

/// What each offset rule means, for the summary.
fn offset_rule_words(rule: &str) -> &'static str {
    match rule {
        "utf8_bytes" => "read as UTF-8 byte offsets",
        "utf16" => "read as UTF-16 offsets",
        "loose" => "matched ignoring case and punctuation",
        "nearest" => "placed at the nearest occurrence of their mention",
        _ => "repaired",
    }
}

fn secs<S: serde::Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64(d.as_secs_f64())
}

/// `name count` pairs joined by `, `.
fn counts<'a>(pairs: impl IntoIterator<Item = (&'a String, &'a u64)>) -> String {
    let pairs: Vec<String> = pairs.into_iter().map(|(k, v)| format!("{k} {v}")).collect();
    pairs.join(", ")
}

impl IngestSummary {
    /// Total dropped lines.
    pub fn skipped_total(&self) -> u64 {
        self.skipped_lines.values().sum()
    }
}

impl IngestSummary {
    /// The lines about merging with stored versions (sources, texts, `--replace`).
    fn fmt_layers(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let l = &self.layers;
        if l.merged > 0 && l.unchanged == l.merged && self.documents_written == 0 {
            writeln!(
                f,
                "nothing changed: {} indexed exactly so already",
                if l.merged == 1 {
                    "the one document read is".to_string()
                } else {
                    format!("all {} documents read are", l.merged)
                }
            )?;
        } else if l.merged > 0 {
            writeln!(
                f,
                "sources: {} merged with a stored version ({} unchanged); {} got another source, {} of the same source changed",
                counted(l.merged, "document"),
                l.unchanged,
                l.multi_source,
                counted(l.layers_replaced, "layer")
            )?;
        }
        if l.text_changed() > 0 {
            writeln!(
                f,
                "text replaced in {} ({}; e.g. {})",
                counted(l.text_changed(), "document"),
                counts(&l.text_replaced),
                l.text_changed_ids.join(", ")
            )?;
        }
        let kept: u64 = l.text_kept.values().sum();
        if kept > 0 {
            writeln!(
                f,
                "stored text kept in {} whose incoming text differs ({})",
                counted(kept, "document"),
                counts(&l.text_kept)
            )?;
        }
        if l.reanchored + l.unanchored > 0 {
            writeln!(
                f,
                "annotations moved to the other text: {} re-anchored, {} kept without span (their text is not in it){}",
                l.reanchored,
                l.unanchored,
                if l.unanchored_ids.is_empty() {
                    String::new()
                } else {
                    format!("; e.g. {}", l.unanchored_ids.join(", "))
                }
            )?;
        }
        if l.replace_dropped_layers > 0 {
            writeln!(
                f,
                "--replace dropped {} of other sources ({}) from {}",
                counted(l.replace_dropped_layers, "layer"),
                counted(l.replace_dropped_annotations, "annotation"),
                counted(l.replace_dropped_documents, "document")
            )?;
        }
        if l.metadata_only_missing > 0 {
            writeln!(
                f,
                "--metadata-only: {} skipped (not in the index)",
                counted(l.metadata_only_missing, "document")
            )?;
        }
        Ok(())
    }
}

impl fmt::Display for IngestSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(at) = &self.resumed_from {
            writeln!(f, "resumed an interrupted run after {at}")?;
        }
        let secs = self.elapsed.as_secs_f64().max(1e-9);
        writeln!(
            f,
            "indexed {} ({} added, {} updated, {} rejected) in {:.2}s: {:.0} docs/s, {:.1} MB/s",
            counted(self.documents_written, "document"),
            self.added,
            self.replaced,
            self.rejected,
            secs,
            self.documents_written as f64 / secs,
            self.bytes as f64 / 1e6 / secs
        )?;
        let anns: u64 = self.annotations.values().sum();
        writeln!(f, "annotations: {anns} ({})", counts(&self.annotations))?;
        writeln!(f, "relations: {}", self.relations)?;
        if self.attached > 0 {
            writeln!(
                f,
                "bulk rows attached to {} documents ({} entity-only); concepts: {} ({})",
                self.attached,
                self.entity_only,
                self.concepts.values().sum::<u64>(),
                counts(&self.concepts)
            )?;
        }
        let rule = |name: &str| self.offset_rules.get(name).copied().unwrap_or(0);
        let repaired: Vec<String> = ["nearest", "utf8_bytes", "utf16", "loose"]
            .iter()
            .filter(|r| rule(r) > 0)
            .map(|r| format!("{} {}", rule(r), offset_rule_words(r)))
            .collect();
        if rule("exact") > 0 || !repaired.is_empty() {
            write!(f, "offsets: {} exact", rule("exact"))?;
            if !repaired.is_empty() {
                write!(f, "; repaired (no action needed): {}", repaired.join(", "))?;
            }
            writeln!(f)?;
        }
        if rule("unresolved") > 0 {
            writeln!(
                f,
                "{} annotations kept without a span: their text is not in the document (they are \
                 searchable, not highlighted; list them with `ptsearch check --unresolved`)",
                rule("unresolved")
            )?;
        }
        if !self.skipped_lines.is_empty() {
            writeln!(
                f,
                "skipped lines or BioC items: {} (the rest of each document was indexed; fix \
                 one and index its file again to keep it)",
                self.skipped_total()
            )?;
            for (kind, n) in &self.skipped_lines {
                match self.skipped_examples.get(kind) {
                    Some(at) => writeln!(f, "  {kind}: {n} (first at {at})")?,
                    None => writeln!(f, "  {kind}: {n}")?,
                }
            }
        }
        self.fmt_layers(f)?;
        if self.deleted > 0 {
            writeln!(f, "deleted: {} (PubMed DeleteCitation)", self.deleted)?;
        }
        if self.homologene_pairs > 0 {
            writeln!(
                f,
                "orthologs: {} gene-to-HomoloGene pairs learned (vocab homologene)",
                self.homologene_pairs
            )?;
        }
        for e in &self.source_errors {
            writeln!(f, "input error: {e}")?;
        }
        if !self.unsupported_inputs.is_empty() {
            let n = self.unsupported_inputs.len();
            let shown: Vec<&str> = self
                .unsupported_inputs
                .iter()
                .take(SHOWN_INPUTS)
                .map(String::as_str)
                .collect();
            let more = if n > SHOWN_INPUTS {
                format!(" and {} more", n - SHOWN_INPUTS)
            } else {
                String::new()
            };
            writeln!(
                f,
                "skipped {n} inputs in no supported format (not PubTator, PubTator3 TSV, BioC or \
                 PubMed XML): {}{more}",
                shown.join(", ")
            )?;
        }
        write!(
            f,
            "index now holds {}",
            counted(self.total_documents, "document")
        )?;
        if self.segments >= SEGMENTS_HINT {
            write!(
                f,
                " in {} segments; `ptsearch optimize` merges them for faster searches \
                 (facets most)",
                self.segments
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn many_segments_get_the_optimize_hint() {
        let few = IngestSummary {
            total_documents: 7,
            segments: SEGMENTS_HINT - 1,
            ..IngestSummary::default()
        };
        assert!(few.to_string().ends_with("index now holds 7 documents"));
        let many = IngestSummary {
            segments: 39,
            ..few
        };
        assert!(many
            .to_string()
            .ends_with("index now holds 7 documents in 39 segments; `ptsearch optimize` merges them for faster searches (facets most)"));
    }
}
