//! Vocabularies, just below the index in the shared core (the index holds them, the read
//! side expands queries with them; they import nothing but errors and names): MeSH
//! (descriptors with their tree, supplementary records with their headings) and NCBI Gene
//! (`gene_info`, `gene_orthologs`), loaded from their distribution files ([`add`]: detected
//! by content, plain or gzip, streamed) into the index directory ([`store`]), plus the
//! HomoloGene groups ingest learns from BioC infons ([`homologene`]), and read back
//! lazily, once per open index, by the read side ([`Vocab`]), which expands entity clauses
//! with them at query time ([`expand`]). No document is re-indexed to add, replace or remove
//! one.

pub mod expand;
pub mod gene;
pub mod homologene;
pub mod mesh;
pub mod store;

use crate::error::{Error, Result};
use crate::names::Named;
use gene::{Genes, Orthologs};
use mesh::Mesh;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
pub use store::VocabInfo;

/// The kinds of vocabulary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum VocabKind {
    /// MeSH descriptors (`desc20XX.xml`).
    MeshDescriptors,
    /// MeSH supplementary concept records (`supp20XX.xml`).
    MeshSupplementary,
    /// NCBI `gene_info`.
    GeneInfo,
    /// NCBI `gene_orthologs`.
    GeneOrthologs,
    /// HomoloGene groups learned at ingest from BioC `ncbi_homologene` infons
    /// ([`homologene`]); never loaded from a file.
    Homologene,
}

impl Named for VocabKind {
    const WHAT: &'static str = "vocabulary kind";
    const NAMES: &'static [(Self, &'static [&'static str])] = &[
        (VocabKind::MeshDescriptors, &["mesh-desc", "desc", "mesh"]),
        (VocabKind::MeshSupplementary, &["mesh-supp", "supp"]),
        (VocabKind::GeneInfo, &["gene-info", "gene_info", "genes"]),
        (
            VocabKind::GeneOrthologs,
            &["gene-orthologs", "gene_orthologs", "orthologs"],
        ),
        (VocabKind::Homologene, &["homologene", "ncbi_homologene"]),
    ];
}

impl VocabKind {
    /// Every kind, in listing order.
    pub const ALL: [VocabKind; 5] = [
        VocabKind::MeshDescriptors,
        VocabKind::MeshSupplementary,
        VocabKind::GeneInfo,
        VocabKind::GeneOrthologs,
        VocabKind::Homologene,
    ];

    /// The canonical name.
    pub fn name(self) -> &'static str {
        crate::names::name_of(self)
    }

    fn file_stem(self) -> &'static str {
        self.name()
    }
}

/// How to load a file.
#[derive(Debug, Clone, Default)]
pub struct AddOptions {
    /// Taxa to keep from `gene_info` and `gene_orthologs` (every taxon when empty).
    pub taxa: Vec<u64>,
}

/// Progress of [`add`]: raw (compressed) bytes read and records parsed so far.
#[derive(Debug, Clone, Copy)]
pub struct AddProgress {
    /// Bytes of the file read.
    pub bytes: u64,
    /// File size.
    pub total: u64,
    /// Records (or lines, for the gene files) read.
    pub records: u64,
}

/// Loads the vocabulary in `file` into the index directory `index_dir`, replacing the one of
/// the same kind (its kind is read from the content). The index itself is not touched;
/// callers open it first ([`crate::PtIndex::vocab_add`]), which checks it is one.
pub fn add(
    index_dir: &Path,
    file: &Path,
    options: &AddOptions,
    progress: &mut dyn FnMut(AddProgress),
) -> Result<VocabInfo> {
    let read = Arc::new(AtomicU64::new(0));
    let total = std::fs::metadata(file).map(|m| m.len()).unwrap_or(0);
    let (kind, reader) = store::open_source(file, read.clone())?;
    let name = file.display().to_string();
    let mut tick = |records: u64| {
        progress(AddProgress {
            bytes: read.load(Ordering::Relaxed),
            total,
            records,
        })
    };
    let shown = file
        .file_name()
        .map_or(name.clone(), |n| n.to_string_lossy().into_owned());
    let mut info = VocabInfo {
        kind: kind.name().to_string(),
        file: shown,
        version: String::new(),
        records: 0,
        added: store::now(),
    };
    match kind {
        VocabKind::MeshDescriptors => {
            let p = mesh::parse_descriptors(reader, &name, &mut tick)?;
            (info.version, info.records) = (p.latest, p.records.len() as u64);
            store::write(index_dir, kind, &info, &p.records)?;
        }
        VocabKind::MeshSupplementary => {
            let p = mesh::parse_supplementary(reader, &name, &mut tick)?;
            (info.version, info.records) = (p.latest, p.records.len() as u64);
            store::write(index_dir, kind, &info, &p.records)?;
        }
        VocabKind::GeneInfo => {
            let p = gene::parse_gene_info(reader, &name, &options.taxa, &mut tick)?;
            (info.version, info.records) = (p.latest, p.records.len() as u64);
            store::write(index_dir, kind, &info, &p.records)?;
        }
        VocabKind::GeneOrthologs => {
            let p = gene::parse_orthologs(reader, &name, &options.taxa, &mut tick)?;
            info.version = file_date(file);
            info.records = p.records.len() as u64;
            store::write(index_dir, kind, &info, &p.records)?;
        }
        VocabKind::Homologene => {
            return Err(Error::Refused(format!(
                "{name}: HomoloGene groups are read from BioC ncbi_homologene infons at ingest"
            )))
        }
    }
    tick(info.records);
    Ok(info)
}

/// The modification date of a file (`YYYY-MM-DD`), for formats that carry no date.
fn file_date(file: &Path) -> String {
    let Some(secs) = std::fs::metadata(file)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map(|d| d.as_secs())
    else {
        return String::new();
    };
    civil_date(secs / 86_400)
}

/// `YYYY-MM-DD` of a day count since 1970-01-01 (Howard Hinnant's civil-from-days).
pub fn civil_date(days: u64) -> String {
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// The vocabularies stored in an index directory, in listing order.
pub fn list(index_dir: &Path) -> Result<Vec<VocabInfo>> {
    let mut out = Vec::new();
    for k in VocabKind::ALL {
        out.extend(store::read_info(index_dir, k)?);
    }
    Ok(out)
}

/// Removes the stored vocabulary of `kind`; false when there was none.
pub fn remove(index_dir: &Path, kind: VocabKind) -> Result<bool> {
    store::remove(index_dir, kind)
}

type Loaded<T> = OnceLock<std::result::Result<Option<Arc<T>>, String>>;

/// The vocabularies of an index as the read side sees them: which kinds are stored, each
/// read from disk on first use and kept for the life of this value (shared by searches).
pub struct Vocab {
    dir: PathBuf,
    present: [bool; 5],
    mesh: Loaded<Mesh>,
    genes: Loaded<Genes>,
    orthologs: Loaded<Orthologs>,
}

impl Vocab {
    /// The vocabularies stored in `index_dir` (nothing is read yet).
    pub fn open(index_dir: &Path) -> Vocab {
        let present = VocabKind::ALL.map(|k| store::stored_path(index_dir, k).exists());
        Vocab {
            dir: index_dir.to_path_buf(),
            present,
            mesh: OnceLock::new(),
            genes: OnceLock::new(),
            orthologs: OnceLock::new(),
        }
    }

    /// No vocabulary at all.
    pub fn none() -> Vocab {
        Vocab {
            dir: PathBuf::new(),
            present: [false; 5],
            mesh: OnceLock::new(),
            genes: OnceLock::new(),
            orthologs: OnceLock::new(),
        }
    }

    /// True when no vocabulary is stored: queries read as without this feature.
    pub fn is_empty(&self) -> bool {
        !self.present.iter().any(|p| *p)
    }

    fn has(&self, kind: VocabKind) -> bool {
        self.present[kind as usize]
    }

    fn load<T>(
        &self,
        cell: &'_ Loaded<T>,
        make: impl FnOnce() -> Result<Option<T>>,
    ) -> Result<Option<Arc<T>>> {
        cell.get_or_init(|| make().map(|o| o.map(Arc::new)).map_err(|e| e.to_string()))
            .clone()
            .map_err(Error::Corrupt)
    }

    /// MeSH, when a descriptor or supplementary file is stored.
    pub fn mesh(&self) -> Result<Option<Arc<Mesh>>> {
        if !self.has(VocabKind::MeshDescriptors) && !self.has(VocabKind::MeshSupplementary) {
            return Ok(None);
        }
        self.load(&self.mesh, || {
            let desc = store::read::<Vec<mesh::Descriptor>>(&self.dir, VocabKind::MeshDescriptors)?;
            let supp =
                store::read::<Vec<mesh::Supplementary>>(&self.dir, VocabKind::MeshSupplementary)?;
            let m = Mesh::new(
                desc.map(|(_, b)| b).unwrap_or_default(),
                supp.map(|(_, b)| b).unwrap_or_default(),
            );
            Ok((!m.is_empty()).then_some(m))
        })
    }

    /// The genes of `gene_info`, when stored.
    pub fn genes(&self) -> Result<Option<Arc<Genes>>> {
        if !self.has(VocabKind::GeneInfo) {
            return Ok(None);
        }
        self.load(&self.genes, || {
            Ok(
                store::read::<Vec<gene::Gene>>(&self.dir, VocabKind::GeneInfo)?
                    .map(|(_, b)| Genes::new(b)),
            )
        })
    }

    /// The ortholog groups: those of `gene_orthologs` joined with the HomoloGene groups
    /// learned at ingest (a gene in both joins its two groups), when either is stored.
    pub fn orthologs(&self) -> Result<Option<Arc<Orthologs>>> {
        if !self.has(VocabKind::GeneOrthologs) && !self.has(VocabKind::Homologene) {
            return Ok(None);
        }
        self.load(&self.orthologs, || {
            let table = store::read::<Vec<Vec<u64>>>(&self.dir, VocabKind::GeneOrthologs)?
                .map(|(_, b)| b)
                .unwrap_or_default();
            let learned = homologene::groups(&homologene::stored(&self.dir)?);
            let groups = if learned.is_empty() {
                table
            } else {
                let mut all = gene::Components::default();
                for g in table.iter().chain(&learned) {
                    for w in g.windows(2) {
                        all.join(w[0], w[1]);
                    }
                }
                all.groups()
            };
            Ok((!groups.is_empty()).then(|| Orthologs::new(groups)))
        })
    }
}
