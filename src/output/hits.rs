//! One printer for ranked hits in every hit format: [`HitPrinter::begin`] writes the header
//! (TSV), [`HitPrinter::hit`] one hit, [`HitPrinter::finish`] the footer (the JSON summary
//! line, or the facet tables of text output).

use crate::output::{json, text, tsv, TextStyle};
use crate::search::{Hit, Summary};
use std::io::{self, Write};

/// How hits are rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HitFormat {
    /// Readable blocks in a [`TextStyle`] (colours, hyperlinks, wrap width).
    Text(TextStyle),
    /// JSON Lines: `{"type":"hit","data":…}` per hit, then `{"type":"summary","data":…}`.
    Json,
    /// Tab-separated values with a header line.
    Tsv,
}

/// Renders hits to any writer.
pub struct HitPrinter<W: Write> {
    out: W,
    format: HitFormat,
    columns: Vec<tsv::Column>,
}

impl<W: Write> HitPrinter<W> {
    /// Starts printing (writes the TSV header of the default columns).
    pub fn begin(out: W, format: HitFormat) -> io::Result<Self> {
        Self::begin_with(out, format, &tsv::Column::DEFAULT)
    }

    /// Starts printing with TSV `columns` (ignored by the other formats).
    pub fn begin_with(mut out: W, format: HitFormat, columns: &[tsv::Column]) -> io::Result<Self> {
        if format == HitFormat::Tsv {
            tsv::write_header(&mut out, columns)?;
        }
        Ok(HitPrinter {
            out,
            format,
            columns: columns.to_vec(),
        })
    }

    /// Writes one hit.
    pub fn hit(&mut self, hit: &Hit) -> io::Result<()> {
        match &self.format {
            HitFormat::Text(style) => text::write_hit(&mut self.out, hit, style),
            HitFormat::Json => json::write_hit(&mut self.out, hit),
            HitFormat::Tsv => tsv::write_hit(&mut self.out, hit, &self.columns),
        }
    }

    /// Writes the footer (the JSON summary line; facet tables in text), flushes and returns
    /// the writer. TSV has no footer: its facets, if any, are the caller's to show elsewhere.
    pub fn finish(mut self, summary: &Summary) -> io::Result<W> {
        match &self.format {
            HitFormat::Json => json::write_summary(&mut self.out, summary)?,
            HitFormat::Text(style) => {
                if let Some(f) = &summary.facets {
                    text::write_facets(&mut self.out, f, style.color)?;
                }
                if let Some(f) = &summary.tree_facets {
                    text::write_tree_facets(&mut self.out, f, style.color)?;
                }
                if let Some(f) = &summary.metadata_facets {
                    text::write_meta_facets(&mut self.out, f, style.color)?;
                }
            }
            HitFormat::Tsv => {}
        }
        self.out.flush()?;
        Ok(self.out)
    }
}
