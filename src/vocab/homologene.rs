//! HomoloGene groups learned at ingest: PubTator3's BioC exports give each gene annotation an
//! `ncbi_homologene` infon (the HomoloGene group of its NCBI Gene ID). The BioC reader hands
//! the (gene, group) pairs to the document writer, which merges them here into the stored
//! `homologene` vocabulary before each commit, so the stored pairs always cover the committed
//! documents (a crash between the two leaves pairs of documents a resumed run reads again).
//! The read side ([`super::Vocab::orthologs`]) joins these groups with `gene_orthologs`.

use super::store::{self, VocabInfo};
use super::VocabKind;
use crate::error::Result;
use std::collections::BTreeSet;
use std::path::Path;

/// What `vocab list` shows as the file of the learned groups.
pub const FROM_INGEST: &str = "ncbi_homologene infons (BioC)";

/// One pair: (HomoloGene group, NCBI Gene ID).
pub type Pair = (u64, u64);

/// The stored pairs, sorted (empty when none are stored).
pub fn stored(index_dir: &Path) -> Result<Vec<Pair>> {
    Ok(store::read::<Vec<Pair>>(index_dir, VocabKind::Homologene)?
        .map(|(_, pairs)| pairs)
        .unwrap_or_default())
}

/// Adds `pairs` to the stored ones, rewriting the file (atomically) only when one is new.
/// Returns how many pairs were new.
pub fn merge(index_dir: &Path, pairs: &BTreeSet<Pair>) -> Result<usize> {
    if pairs.is_empty() {
        return Ok(0);
    }
    let old = stored(index_dir)?;
    let mut all: BTreeSet<Pair> = old.iter().copied().collect();
    let before = all.len();
    all.extend(pairs.iter().copied());
    let new = all.len() - before;
    if new == 0 {
        return Ok(0);
    }
    let body: Vec<Pair> = all.into_iter().collect();
    let info = VocabInfo {
        kind: VocabKind::Homologene.name().to_string(),
        file: FROM_INGEST.to_string(),
        version: super::civil_date(store::now() / 86_400),
        records: body.len() as u64,
        added: store::now(),
    };
    store::write(index_dir, VocabKind::Homologene, &info, &body)?;
    Ok(new)
}

/// The pairs as gene groups: the genes of each HomoloGene group (groups of one gene dropped).
pub fn groups(pairs: &[Pair]) -> Vec<Vec<u64>> {
    let mut out: Vec<Vec<u64>> = Vec::new();
    let mut current: Option<u64> = None;
    for &(group, gene) in pairs {
        if current != Some(group) {
            out.push(Vec::new());
            current = Some(group);
        }
        if let Some(last) = out.last_mut() {
            last.push(gene);
        }
    }
    out.retain(|g| g.len() > 1);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merging_keeps_every_pair_once_and_groups_follow_the_group_ids() {
        let dir = tempfile::tempdir().unwrap();
        let first: BTreeSet<Pair> = [(3197, 673), (3197, 109880), (7846, 4212)].into();
        assert_eq!(merge(dir.path(), &first).unwrap(), 3);
        let info = store::read_info(dir.path(), VocabKind::Homologene)
            .unwrap()
            .unwrap();
        assert_eq!((info.records, info.file.as_str()), (3, FROM_INGEST));
        let again: BTreeSet<Pair> = [(3197, 673), (7846, 17536)].into();
        assert_eq!(merge(dir.path(), &again).unwrap(), 1);
        assert_eq!(merge(dir.path(), &again).unwrap(), 0);
        let pairs = stored(dir.path()).unwrap();
        assert_eq!(pairs.len(), 4);
        assert_eq!(groups(&pairs), vec![vec![673, 109880], vec![4212, 17536]]);
        assert!(groups(&[(1, 5)]).is_empty());
    }
}
