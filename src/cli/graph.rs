//! `ptsearch graph QUERY`: flags → [`GraphRequest`], the library's exact network of every hit
//! ([`build_graph`]) written by [`write_graph`] in the chosen format; what a cap cut and the
//! totals go to stderr.

use super::format::{EntityTypeName, NamedValue};
use super::{EXIT_NO_MATCH, EXIT_OK};
use crate::output::graph::{write_graph, GraphFormat};
use crate::search::graph::{build_graph, EdgeKind, GraphRequest, Weight};
use crate::PtIndex;
use std::io::{BufWriter, Write};
use std::path::Path;

/// Arguments of `ptsearch graph`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  ptsearch graph 'melanoma' > melanoma.graphml              co-mention network, every entity
  ptsearch graph 'gene:673' --nodes Gene,Disease,Chemical --max-nodes 100 --format cyjs
  ptsearch graph 'disease:MESH:D008545' --edges relation --format xgmml > braf.xgmml
  ptsearch graph 'immunotherapy' --weight npmi --min-docs 3 --max-edges 500 --format tsv

Nodes are the entities annotated in the matching documents (type, ID, display name, documents);
an edge joins two entities annotated in the same document (--edges comention) or related by a
relation line of a matching document (--edges relation), with the documents holding the pair,
its weight (documents, or NPMI over the result set: ln(p(xy) / (p(x) p(y))) / -ln p(xy) with
p = documents / hits), the relation types and the first evidence document IDs. Counts are exact
over every hit; what --max-nodes, --max-edges and --min-docs cut is said on stderr.")]
pub struct GraphArgs {
    /// The query; several arguments are joined with spaces.
    #[arg(required = true, num_args = 1.., value_name = "QUERY", value_parser = super::argv::query_text)]
    pub query: Vec<String>,
    /// Entity types of the nodes (comma-separated or repeated); every type by default.
    #[arg(long, value_delimiter = ',', value_parser = EntityTypeName, value_name = "TYPES")]
    pub nodes: Vec<String>,
    /// What joins two entities: comention (same document), relation (a relation line), or
    /// sentence (same sentence, from each hit's stored sentences).
    #[arg(long, value_parser = NamedValue::<EdgeKind>::new(), default_value = "comention")]
    pub edges: EdgeKind,
    /// Edge weight: docs (documents with both) or npmi (over the result set).
    #[arg(long, value_parser = NamedValue::<Weight>::new(), default_value = "docs")]
    pub weight: Weight,
    /// Leave out nodes and edges in fewer documents.
    #[arg(long, default_value_t = 1, value_name = "N")]
    pub min_docs: u64,
    /// Keep the N most frequent nodes.
    #[arg(long, value_name = "N")]
    pub max_nodes: Option<usize>,
    /// Keep the N heaviest edges.
    #[arg(long, value_name = "N")]
    pub max_edges: Option<usize>,
    /// Output format.
    #[arg(long, value_parser = NamedValue::<GraphFormat>::new(), default_value = "graphml")]
    pub format: GraphFormat,
}

/// Runs `ptsearch graph`.
pub fn run(index_dir: &Path, args: GraphArgs) -> anyhow::Result<i32> {
    let index = PtIndex::open(index_dir)?;
    let request = GraphRequest {
        query: args.query.join(" "),
        node_types: args.nodes,
        edges: args.edges,
        weight: args.weight,
        min_docs: args.min_docs,
        max_nodes: args.max_nodes,
        max_edges: args.max_edges,
    };
    let graph = build_graph(&index, &request)?;
    for w in &graph.warnings {
        eprintln!("ptsearch: warning: {w}");
    }
    for c in &graph.cuts {
        eprintln!("ptsearch: {c}");
    }
    let mut out = BufWriter::new(std::io::stdout().lock());
    write_graph(&mut out, &graph, args.format)?;
    out.flush()?;
    eprintln!(
        "{} hits, {} nodes, {} edges ({:.1} ms)",
        graph.total_hits,
        graph.nodes.len(),
        graph.edges.len(),
        graph.elapsed_ms
    );
    Ok(if graph.total_hits > 0 {
        EXIT_OK
    } else {
        EXIT_NO_MATCH
    })
}
