//! MeSH, read from NLM's XML (`desc20XX.xml`: `DescriptorRecordSet`; `supp20XX.xml`:
//! `SupplementalRecordSet`) by a streaming parser that keeps a path of open elements, so the
//! many nested `String` and `DescriptorUI` elements (qualifiers, pharmacological actions) are
//! told apart from the record's own; and the loaded tree the query side explodes IDs with.

use crate::error::{Error, Result};
use quick_xml::events::Event;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashMap};
use std::io::BufRead;

/// One descriptor: UI, name, tree numbers and the entry terms of all its concepts.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Descriptor {
    /// `D009369`.
    pub ui: String,
    /// `Neoplasms`.
    pub name: String,
    /// `C04`, ...
    pub trees: Vec<String>,
    /// Entry terms of every concept (the name among them), as written.
    pub terms: Vec<String>,
}

/// One supplementary concept record: UI, name and the descriptors it is mapped to.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Supplementary {
    /// `C536528`.
    pub ui: String,
    /// Its name.
    pub name: String,
    /// UIs of the descriptors of its `HeadingMappedTo` list, without the `*` NLM puts before
    /// some of them.
    pub heads: Vec<String>,
}

/// What a parse of one file gives: its records and the latest record date (`YYYY-MM-DD`).
pub struct Parsed<T> {
    /// The records in file order.
    pub records: Vec<T>,
    /// The latest `DateCreated`/`DateRevised`/`DateEstablished` seen, as `YYYY-MM-DD`.
    pub latest: String,
}

/// Streams a descriptor file; `tick` is called every 1,000 records with the count so far.
pub fn parse_descriptors(
    reader: impl BufRead,
    file: &str,
    tick: &mut dyn FnMut(u64),
) -> Result<Parsed<Descriptor>> {
    let mut out = Vec::new();
    let mut cur = Descriptor::default();
    let latest = walk(reader, file, |path, ev| {
        match ev {
            Ev::Text(t) => match path {
                [.., "DescriptorRecord", "DescriptorUI"] => cur.ui = t.trim().to_string(),
                [.., "DescriptorRecord", "DescriptorName", "String"] => {
                    cur.name = t.trim().to_string()
                }
                [.., "DescriptorRecord", "TreeNumberList", "TreeNumber"] => {
                    cur.trees.push(t.trim().to_string())
                }
                [.., "Concept", "TermList", "Term", "String"] => {
                    let t = t.trim();
                    if !cur.terms.iter().any(|x| x == t) {
                        cur.terms.push(t.to_string());
                    }
                }
                _ => {}
            },
            Ev::End("DescriptorRecord") => {
                let d = std::mem::take(&mut cur);
                let empty = d.ui.is_empty();
                finish(
                    d,
                    empty,
                    &mut out,
                    "a DescriptorRecord without DescriptorUI",
                    tick,
                )?;
            }
            Ev::End(_) => {}
        }
        Ok(())
    })?;
    Ok(Parsed {
        records: out,
        latest,
    })
}

/// Streams a supplementary-record file; `tick` as for [`parse_descriptors`].
pub fn parse_supplementary(
    reader: impl BufRead,
    file: &str,
    tick: &mut dyn FnMut(u64),
) -> Result<Parsed<Supplementary>> {
    let mut out = Vec::new();
    let mut cur = Supplementary::default();
    let latest = walk(reader, file, |path, ev| {
        match ev {
            Ev::Text(t) => match path {
                [.., "SupplementalRecord", "SupplementalRecordUI"] => cur.ui = t.trim().to_string(),
                [.., "SupplementalRecord", "SupplementalRecordName", "String"] => {
                    cur.name = t.trim().to_string()
                }
                [.., "HeadingMappedTo", "DescriptorReferredTo", "DescriptorUI"] => {
                    let ui = t.trim().trim_start_matches('*').to_string();
                    if !ui.is_empty() && !cur.heads.contains(&ui) {
                        cur.heads.push(ui);
                    }
                }
                _ => {}
            },
            Ev::End("SupplementalRecord") => {
                let r = std::mem::take(&mut cur);
                let empty = r.ui.is_empty();
                let what = "a SupplementalRecord without SupplementalRecordUI";
                finish(r, empty, &mut out, what, tick)?;
            }
            Ev::End(_) => {}
        }
        Ok(())
    })?;
    Ok(Parsed {
        records: out,
        latest,
    })
}

/// Keeps a finished record (an error naming `missing` when it has no UI), ticking every
/// 1,000 records.
fn finish<T>(
    record: T,
    no_ui: bool,
    out: &mut Vec<T>,
    missing: &str,
    tick: &mut dyn FnMut(u64),
) -> Result<(), String> {
    if no_ui {
        return Err(format!("{missing} (after {} records)", out.len()));
    }
    out.push(record);
    if out.len().is_multiple_of(1000) {
        tick(out.len() as u64);
    }
    Ok(())
}

/// An event of [`walk`]: the text of the innermost open element, or the end of an element.
enum Ev<'a> {
    Text(&'a str),
    End(&'a str),
}

/// Walks an XML stream keeping the path of open element names; calls `on` for each text and
/// each end. Returns the latest record date seen. Errors name the file and line.
fn walk(
    reader: impl BufRead,
    file: &str,
    mut on: impl FnMut(&[&str], Ev<'_>) -> std::result::Result<(), String>,
) -> Result<String> {
    let mut xml = quick_xml::Reader::from_reader(reader);
    let mut buf = Vec::new();
    let mut names: Vec<String> = Vec::new();
    let mut text = String::new();
    let mut date = [String::new(), String::new(), String::new()];
    let mut latest = String::new();
    loop {
        let pos = xml.buffer_position();
        // quick-xml counts bytes, not lines; the byte offset (of the decompressed stream)
        // finds the place with `head -c`.
        let bad = |reason: String| Error::Refused(format!("{file}: at byte {pos}: {reason}"));
        let ev = xml
            .read_event_into(&mut buf)
            .map_err(|e| bad(e.to_string()))?;
        match ev {
            Event::Start(e) => {
                names.push(String::from_utf8_lossy(e.name().as_ref()).into_owned());
                text.clear();
            }
            Event::Text(t) => {
                let s = t.unescape().map_err(|e| bad(e.to_string()))?;
                text.push_str(&s);
            }
            Event::CData(t) => text.push_str(&String::from_utf8_lossy(&t)),
            Event::End(_) => {
                let path: Vec<&str> = names.iter().map(String::as_str).collect();
                if !text.trim().is_empty() {
                    on(&path, Ev::Text(&text)).map_err(bad)?;
                    if let [.., d, part] = path.as_slice() {
                        if d.starts_with("Date") {
                            let slot = match *part {
                                "Year" => 0,
                                "Month" => 1,
                                _ => 2,
                            };
                            date[slot] = text.trim().to_string();
                        }
                    }
                }
                if let [.., d] = path.as_slice() {
                    if d.starts_with("Date") && !date[0].is_empty() {
                        let stamp = format!("{}-{:0>2}-{:0>2}", date[0], date[1], date[2]);
                        if stamp > latest {
                            latest = stamp;
                        }
                        date = Default::default();
                    }
                    on(&path, Ev::End(d)).map_err(bad)?;
                }
                text.clear();
                names.pop();
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(latest)
}

/// The MeSH vocabularies loaded for the query side: descriptors with their tree, and
/// supplementary records under the descriptors they are mapped to. Either may be absent.
#[derive(Default)]
pub struct Mesh {
    descriptors: Vec<Descriptor>,
    by_ui: HashMap<String, u32>,
    /// Every tree number with its descriptor, sorted: a branch is a contiguous range.
    trees: Vec<(String, u32)>,
    supplementary: Vec<Supplementary>,
    supp_by_ui: HashMap<String, u32>,
    /// Supplementary records by the descriptor UI they are mapped to.
    under: HashMap<String, Vec<u32>>,
    /// The name lookups, built on the first name lookup: an ID query never pays for them.
    names: std::sync::OnceLock<NameMaps>,
}

/// Lower-case names → indexes.
#[derive(Default)]
struct NameMaps {
    /// Names and entry terms → descriptor indexes.
    descriptors: HashMap<String, Vec<u32>>,
    /// Supplementary names → record indexes.
    supplementary: HashMap<String, Vec<u32>>,
}

/// A MeSH ID exploded: the descriptor, the descriptors under it, the records mapped to them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exploded {
    /// The name of the ID.
    pub name: String,
    /// The ID itself and every descriptor under any of its tree numbers (UIs).
    pub descriptors: Vec<String>,
    /// Supplementary records mapped to one of them (UIs).
    pub supplementary: Vec<String>,
}

impl Mesh {
    /// Builds the lookups over what was loaded.
    pub fn new(descriptors: Vec<Descriptor>, supplementary: Vec<Supplementary>) -> Mesh {
        let mut m = Mesh {
            descriptors,
            supplementary,
            ..Mesh::default()
        };
        for (i, d) in m.descriptors.iter().enumerate() {
            let i = i as u32;
            m.by_ui.insert(d.ui.clone(), i);
            m.trees.extend(d.trees.iter().map(|t| (t.clone(), i)));
        }
        m.trees.sort();
        for (i, s) in m.supplementary.iter().enumerate() {
            let i = i as u32;
            m.supp_by_ui.insert(s.ui.clone(), i);
            for h in &s.heads {
                m.under.entry(h.clone()).or_default().push(i);
            }
        }
        m
    }

    fn name_maps(&self) -> &NameMaps {
        self.names.get_or_init(|| {
            let mut maps = NameMaps::default();
            for (i, d) in self.descriptors.iter().enumerate() {
                let mut keys: BTreeSet<String> = d.terms.iter().map(|t| t.to_lowercase()).collect();
                keys.insert(d.name.to_lowercase());
                for k in keys {
                    maps.descriptors.entry(k).or_default().push(i as u32);
                }
            }
            for (i, s) in self.supplementary.iter().enumerate() {
                maps.supplementary
                    .entry(s.name.to_lowercase())
                    .or_default()
                    .push(i as u32);
            }
            maps
        })
    }

    /// True when neither file is loaded.
    pub fn is_empty(&self) -> bool {
        self.descriptors.is_empty() && self.supplementary.is_empty()
    }

    /// The descriptor of a UI.
    pub fn descriptor(&self, ui: &str) -> Option<&Descriptor> {
        self.by_ui
            .get(ui)
            .and_then(|&i| self.descriptors.get(i as usize))
    }

    /// The name of a descriptor or supplementary UI.
    pub fn name_of(&self, ui: &str) -> Option<&str> {
        if let Some(d) = self.descriptor(ui) {
            return Some(&d.name);
        }
        self.supp_by_ui
            .get(ui)
            .and_then(|&i| self.supplementary.get(i as usize))
            .map(|s| s.name.as_str())
    }

    /// The descriptor UIs of a name or entry term (any case), then supplementary records of
    /// that name when no descriptor has it.
    pub fn lookup_name(&self, name: &str) -> Vec<String> {
        let key = name.trim().to_lowercase();
        let maps = self.name_maps();
        if let Some(found) = maps.descriptors.get(&key) {
            return found
                .iter()
                .filter_map(|&i| self.descriptors.get(i as usize))
                .map(|d| d.ui.clone())
                .collect();
        }
        maps.supplementary
            .get(&key)
            .map(|v| {
                v.iter()
                    .filter_map(|&i| self.supplementary.get(i as usize))
                    .map(|s| s.ui.clone())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Explodes a descriptor UI (`D009369`): itself, every descriptor under any of its tree
    /// numbers, and every supplementary record mapped to one of them. `None` when the UI is
    /// neither a loaded descriptor nor the heading of a loaded supplementary record.
    pub fn explode(&self, ui: &str) -> Option<Exploded> {
        let own = self.descriptor(ui);
        if own.is_none() && !self.under.contains_key(ui) {
            return None;
        }
        let mut set: BTreeSet<&str> = BTreeSet::new();
        set.insert(ui);
        for t in own.map(|d| d.trees.as_slice()).unwrap_or_default() {
            let prefix = format!("{t}.");
            let start = self
                .trees
                .partition_point(|(x, _)| x.as_str() < prefix.as_str());
            for (x, i) in &self.trees[start..] {
                if !x.starts_with(&prefix) {
                    break;
                }
                if let Some(d) = self.descriptors.get(*i as usize) {
                    set.insert(&d.ui);
                }
            }
        }
        let mut supplementary: BTreeSet<&str> = BTreeSet::new();
        for d in &set {
            for &i in self.under.get(*d).map(Vec::as_slice).unwrap_or_default() {
                if let Some(s) = self.supplementary.get(i as usize) {
                    supplementary.insert(&s.ui);
                }
            }
        }
        let mut descriptors: Vec<String> = vec![ui.to_string()];
        descriptors.extend(set.iter().filter(|d| **d != ui).map(|d| d.to_string()));
        Some(Exploded {
            name: own.map(|d| d.name.clone()).unwrap_or_default(),
            descriptors,
            supplementary: supplementary.into_iter().map(str::to_string).collect(),
        })
    }

    /// The descriptors whose tree numbers are directly under one of `ui`'s (children), and
    /// those directly above (parents), sorted by UI.
    pub fn neighbours(&self, ui: &str) -> (Vec<&Descriptor>, Vec<&Descriptor>) {
        let Some(own) = self.descriptor(ui) else {
            return (Vec::new(), Vec::new());
        };
        let mut parents: BTreeSet<&str> = BTreeSet::new();
        let mut children: BTreeSet<&str> = BTreeSet::new();
        for t in &own.trees {
            if let Some((up, _)) = t.rsplit_once('.') {
                if let Ok(k) = self.trees.binary_search_by(|(x, _)| x.as_str().cmp(up)) {
                    if let Some(d) = self.descriptors.get(self.trees[k].1 as usize) {
                        parents.insert(&d.ui);
                    }
                }
            }
            let prefix = format!("{t}.");
            let start = self
                .trees
                .partition_point(|(x, _)| x.as_str() < prefix.as_str());
            for (x, i) in &self.trees[start..] {
                let Some(rest) = x.strip_prefix(&prefix) else {
                    break;
                };
                if !rest.contains('.') {
                    if let Some(d) = self.descriptors.get(*i as usize) {
                        children.insert(&d.ui);
                    }
                }
            }
        }
        let get = |s: BTreeSet<&str>| s.into_iter().filter_map(|u| self.descriptor(u)).collect();
        (get(parents), get(children))
    }

    /// The tree numbers of `depth` (1 = `C04`, 2 = `C04.588`) above a descriptor or a
    /// supplementary record (through its headings), as descriptor UIs, deduplicated.
    pub fn ancestors_at(&self, ui: &str, depth: usize) -> Vec<String> {
        let mut out: BTreeSet<String> = BTreeSet::new();
        let mut heads: Vec<&str> = vec![ui];
        if let Some(&i) = self.supp_by_ui.get(ui) {
            if let Some(s) = self.supplementary.get(i as usize) {
                heads = s.heads.iter().map(String::as_str).collect();
            }
        }
        for h in heads {
            let Some(d) = self.descriptor(h) else {
                continue;
            };
            for t in &d.trees {
                let parts: Vec<&str> = t.split('.').collect();
                if parts.len() < depth || depth == 0 {
                    continue;
                }
                let up = parts[..depth].join(".");
                if let Ok(k) = self.trees.binary_search_by(|(x, _)| x.as_str().cmp(&up)) {
                    if let Some(a) = self.descriptors.get(self.trees[k].1 as usize) {
                        out.insert(a.ui.clone());
                    }
                }
            }
        }
        out.into_iter().collect()
    }

    /// Number of descriptors and supplementary records loaded.
    pub fn counts(&self) -> (usize, usize) {
        (self.descriptors.len(), self.supplementary.len())
    }
}
