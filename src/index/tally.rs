//! Per-document counts in one fast column (`tally`), written by [`crate::index::document`] at
//! ingest and summed by [`crate::index::stats`]: the annotations of each canonical type and the
//! annotations and relations of each source (annotation layer).
//!
//! Counting these with one indexed term per annotation (what `stats` did before schema 12) put
//! 20–45 postings entries per document into the index; a column holds one value per
//! (counter, document). A value packs the counter's key, a 40-bit FNV-1a hash of its kind and
//! name, above a 24-bit count; a count past 2^24 − 1 is written as several values (sums are
//! unchanged). The key names are not stored here: `stats` enumerates them from the `type` and
//! `source` term dictionaries and hashes them the same way.

use std::collections::HashMap;
use tantivy::{DocId, Searcher};

/// Name of the column.
pub const TALLY: &str = "tally";

const COUNT_BITS: u32 = 24;
const COUNT_MASK: u64 = (1 << COUNT_BITS) - 1;

/// What a counter counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Counter {
    /// Annotations of a canonical type (after the layers' shared annotations count once).
    TypeAnnotations,
    /// Annotations of a source's layers.
    SourceAnnotations,
    /// Relations of a source's layers.
    SourceRelations,
}

impl Counter {
    fn tag(self) -> u8 {
        match self {
            Counter::TypeAnnotations => b't',
            Counter::SourceAnnotations => b'a',
            Counter::SourceRelations => b'r',
        }
    }
}

/// The 40-bit key of a counter: FNV-1a (64-bit) of its tag, a separator and its name.
pub fn key(counter: Counter, name: &str) -> u64 {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0100_0000_01b3;
    let mut h = OFFSET;
    for b in [counter.tag(), 0].into_iter().chain(name.bytes()) {
        h ^= u64::from(b);
        h = h.wrapping_mul(PRIME);
    }
    // Fold the high bits in before keeping 40 of them.
    (h ^ (h >> 40)) & ((1 << 40) - 1)
}

/// Calls `add` with the column values of `n` counts of `counter`/`name` (none for 0).
pub fn values(counter: Counter, name: &str, mut n: u64, mut add: impl FnMut(u64)) {
    let k = key(counter, name) << COUNT_BITS;
    while n > 0 {
        let part = n.min(COUNT_MASK);
        add(k | part);
        n -= part;
    }
}

/// Sums, over the live documents of `searcher`, the counts of each of `wanted`
/// (counter, name); names absent from the index sum to 0. Two wanted counters whose keys
/// collide would share one sum: the function checks and splits nothing, so it returns `None`
/// for them (the caller then reports no figure rather than a wrong one).
pub fn sums(
    searcher: &Searcher,
    wanted: &[(Counter, String)],
) -> tantivy::Result<Vec<Option<u64>>> {
    let keys: Vec<u64> = wanted.iter().map(|(c, name)| key(*c, name)).collect();
    // Key → (slot of its sum, how many wanted counters have it).
    let mut slots: HashMap<u64, (usize, usize)> = HashMap::with_capacity(keys.len());
    for (i, k) in keys.iter().enumerate() {
        slots.entry(*k).or_insert((i, 0)).1 += 1;
    }
    let mut totals = vec![0u64; wanted.len()];
    let mut tally = |v: u64| {
        if let Some((i, _)) = slots.get(&(v >> COUNT_BITS)) {
            totals[*i] += v & COUNT_MASK;
        }
    };
    for segment in searcher.segment_readers() {
        // A segment none of whose documents has a count may have no column.
        let Ok(column) = segment.fast_fields().u64(TALLY) else {
            continue;
        };
        match segment.alive_bitset() {
            None => column.values.iter().for_each(&mut tally),
            Some(alive) => {
                for doc in 0..segment.max_doc() as DocId {
                    if alive.is_alive(doc) {
                        column.values_for_doc(doc).for_each(&mut tally);
                    }
                }
            }
        }
    }
    Ok(keys
        .iter()
        .map(|k| {
            let (slot, n) = slots[k];
            (n == 1).then_some(totals[slot])
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_split_large_counts_and_skip_zero() {
        let mut out = Vec::new();
        values(Counter::TypeAnnotations, "Gene", 0, |v| out.push(v));
        assert!(out.is_empty());
        values(Counter::TypeAnnotations, "Gene", COUNT_MASK + 5, |v| {
            out.push(v)
        });
        assert_eq!(out.len(), 2);
        let sum: u64 = out.iter().map(|v| v & COUNT_MASK).sum();
        assert_eq!(sum, COUNT_MASK + 5);
        assert!(out
            .iter()
            .all(|v| v >> COUNT_BITS == key(Counter::TypeAnnotations, "Gene")));
    }

    #[test]
    fn keys_differ_by_kind_and_name() {
        let a = key(Counter::SourceAnnotations, "biored");
        assert_ne!(a, key(Counter::SourceRelations, "biored"));
        assert_ne!(a, key(Counter::SourceAnnotations, "bioreD"));
        assert!(a < 1 << 40);
        // Fixed across builds and platforms: a stored index depends on it.
        // (The value below is FNV-1a of b"t\0Gene" computed outside this code.)
        assert_eq!(key(Counter::TypeAnnotations, "Gene"), 887_677_485_097);
    }
}
