//! `ptsearch sentences QUERY`: flags → the library's sentence answer
//! ([`crate::search::sentences::sentences`]) printed as text, JSON Lines or TSV.

use super::{EXIT_NO_MATCH, EXIT_OK};
use crate::output::json;
use crate::output::tsv::field as tsv;
use crate::search::sentences::sentences;
use crate::PtIndex;
use std::io::Write;
use std::path::Path;

/// Arguments of `ptsearch sentences`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  ptsearch sentences 'gene:673 disease:D008545'            sentences naming BRAF and melanoma
  ptsearch sentences 'sentence:(@CHEMICAL_cisplatin nephrotoxicity)' --format json
  ptsearch sentences 'gene:7157 apoptosis' -n 50 --format tsv > evidence.tsv

The sentences of the best matching documents that hold the most of what the query matched
(queried entities, then words), best first. JSON lines are shaped like LitSense 2.0's answers:
{\"type\":\"sentence\",\"data\":{\"pmid\",\"text\",\"section\",\"score\",\"annotations\":[\"start|length|type|ID\"],…}}.")]
pub struct SentencesArgs {
    /// The query (the search syntax; `sentence:(…)` keeps the sentences where the group holds).
    #[arg(value_parser = super::argv::query_text)]
    pub query: String,
    /// Sentences to print.
    #[arg(short = 'n', long, default_value_t = 20)]
    pub limit: usize,
    /// Output format.
    #[arg(long, value_enum, default_value_t = SentencesFormat::Text)]
    pub format: SentencesFormat,
}

/// Formats of `sentences`.
#[derive(Debug, Clone, Copy, clap::ValueEnum, PartialEq, Eq)]
pub enum SentencesFormat {
    /// One block per sentence: rank, sentence ID, section, score, text, matches.
    Text,
    /// JSON Lines: `{"type":"sentence","data":...}` rows, then a summary.
    Json,
    /// Tab-separated with a header.
    Tsv,
}

/// Runs `ptsearch sentences`.
pub fn run(index_dir: &Path, args: SentencesArgs) -> anyhow::Result<i32> {
    let index = PtIndex::open(index_dir)?;
    let answer = sentences(&index, &args.query, args.limit)?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    match args.format {
        SentencesFormat::Json => {
            for s in &answer.sentences {
                json::write_line(&mut out, "sentence", s)?;
            }
            json::write_line(&mut out, "summary", &answer)?;
        }
        SentencesFormat::Tsv => {
            writeln!(
                out,
                "rank\tpmid\tsentence_id\tsection\tscore\ttext\tannotations"
            )?;
            for s in &answer.sentences {
                writeln!(
                    out,
                    "{}\t{}\t{}\t{}\t{:.3}\t{}\t{}",
                    s.rank,
                    tsv(&s.pmid),
                    tsv(&s.id),
                    tsv(&s.section),
                    s.score,
                    tsv(&s.text),
                    tsv(&s.annotations.join(" "))
                )?;
            }
        }
        SentencesFormat::Text => {
            for s in &answer.sentences {
                writeln!(
                    out,
                    "{:>3}. {}  {}  score {:.2}\n     {}",
                    s.rank, s.id, s.section, s.score, s.text
                )?;
            }
            for w in &answer.warnings {
                eprintln!("note: {w}");
            }
            eprintln!(
                "{} sentences from the best {} of {} matching documents ({:.1} ms)",
                answer.returned, answer.documents_read, answer.total_documents, answer.elapsed_ms
            );
        }
    }
    out.flush()?;
    Ok(if answer.sentences.is_empty() {
        EXIT_NO_MATCH
    } else {
        EXIT_OK
    })
}
