//! Text clauses resolved: a word or phrase keeps its text (each backend analyzes it its own
//! way); a bare MeSH descriptor or dbSNP ID (`D008545`, `rs113488022`) or a variant in HGVS
//! (`V600E`, `c.677C>T`) also stands for the entity terms of that ID; a prefix search
//! (`melan*`) is checked and, searching the local index, expanded to the index's words.

use super::{Corpus, Leaf, Resolver, TextScope};
use crate::error::Result;
use crate::index::tokenizer::query_tokens;
use crate::pubtator::ids::canonical_id;
use crate::search::query::compile::EntityTarget;
use std::collections::BTreeSet;
use tantivy::schema::Field;

/// Most index words one prefix search (`melan*`) expands to.
pub(crate) const MAX_PREFIX_TERMS: usize = 1_000;
/// Most index words with the prefix of a wildcard pattern (`tumo?r`) read per segment to find
/// the words it matches.
const MAX_PATTERN_SCAN: usize = 100_000;
/// Fewest letters or digits before the `*` of a prefix search.
const MIN_PREFIX_CHARS: usize = 3;

impl Resolver<'_> {
    /// A word, phrase or prefix on `scope`; `slop` is a phrase's proximity (`"a b"~3`). `pos`
    /// is where the value starts.
    pub(super) fn text(
        &mut self,
        scope: TextScope,
        text: &str,
        quoted: bool,
        slop: u32,
        pos: usize,
    ) -> Result<Leaf> {
        if !quoted && text.chars().count() > 1 && (text.contains('*') || inner_question(text)) {
            return self.prefix(scope, text, pos);
        }
        let bare = bare_id(text);
        let mut id_terms = Vec::new();
        if let Some(id) = bare.as_ref().filter(|_| !quoted && scope == TextScope::All) {
            match self.corpus {
                // The typed terms of the ID under every type of the index, if any.
                Corpus::Local => {
                    if !query_tokens(text).is_empty() {
                        id_terms = self.id_terms(None, id)?;
                    }
                    if !id_terms.is_empty() {
                        self.out.targets.push(EntityTarget::Id {
                            entity_type: None,
                            id: id.clone(),
                        });
                        self.out.ranking.push(id.clone());
                    }
                }
                // The untyped term the export writes for every annotation.
                Corpus::Other => {
                    id_terms = vec![id.clone()];
                    self.out.ranking.push(id.clone());
                }
            }
        }
        Ok(Leaf::Text {
            scope,
            text: text.to_string(),
            quoted,
            slop,
            pos,
            bare,
            id_terms,
        })
    }

    /// A prefix search `melan*`: one word of at least [`MIN_PREFIX_CHARS`] before a final
    /// `*`; searching the local index, every index word starting with it, up to
    /// [`MAX_PREFIX_TERMS`]; for another corpus, a word its tokenizer keeps whole. A word with
    /// wildcards inside (`tumo?r`: one char, `hem*globin`: any chars) is a pattern: the
    /// index's words with its prefix that match it whole.
    fn prefix(&mut self, scope: TextScope, text: &str, pos: usize) -> Result<Leaf> {
        let chars: Vec<char> = text.chars().collect();
        let first = chars
            .iter()
            .position(|&c| c == '*' || c == '?')
            .unwrap_or(chars.len());
        let stem: String = chars[..first].iter().collect();
        let tail: String = chars[first..].iter().collect();
        let tokens = query_tokens(&stem);
        let [token] = tokens.as_slice() else {
            return Err(self.err(
                pos,
                "a prefix search takes one word before the '*' (such as melan*)",
            ));
        };
        if token.chars().count() < MIN_PREFIX_CHARS {
            return Err(self.err(
                pos,
                format!(
                    "a prefix search needs at least {MIN_PREFIX_CHARS} letters or digits before the '*'"
                ),
            ));
        }
        let pattern = (tail != "*").then(|| format!("{token}{}", tail.to_lowercase()));
        if let Some(i) = tail
            .chars()
            .position(|c| !c.is_alphanumeric() && c != '*' && c != '?')
        {
            return Err(self.err(
                pos + first + i,
                "a wildcard word takes letters and digits around its '?' and '*' (such as tumo?r)",
            ));
        }
        let token = token.clone();
        let mut words: Vec<String> = Vec::new();
        match self.corpus {
            Corpus::Other => {
                if pattern.is_some() {
                    return Err(self.err(
                        pos + first,
                        format!(
                            "'{text}' has no Quickwit equivalent: Quickwit's query language has \
                             prefix searches (melan*) only"
                        ),
                    ));
                }
                if !token.chars().all(char::is_alphanumeric) {
                    return Err(self.err(
                        pos,
                        format!(
                            "'{text}' has no Quickwit equivalent: Quickwit's default tokenizer \
                             splits '{stem}' into several words, and a prefix applies to one"
                        ),
                    ));
                }
            }
            Corpus::Local => {
                words = self.prefix_words(scope, text, &token, pattern.as_deref())?;
            }
        }
        Ok(Leaf::Prefix {
            scope,
            text: text.to_string(),
            token,
            words,
        })
    }

    /// The local index's words starting with `token` on the fields of `scope`, at most
    /// [`MAX_PREFIX_TERMS`] in alphabetical order, with a note when capped or when none does.
    /// With a `pattern`, only the words it matches whole (the prefix's first
    /// [`MAX_PATTERN_SCAN`] words of each segment are read).
    fn prefix_words(
        &mut self,
        scope: TextScope,
        text: &str,
        token: &str,
        pattern: Option<&str>,
    ) -> Result<Vec<String>> {
        let Some(ix) = self.index else {
            return Ok(Vec::new());
        };
        let f = ix.fields;
        let fields = match scope {
            TextScope::Title => vec![f.title],
            TextScope::Abstract => vec![f.abstract_text],
            TextScope::Mention => vec![f.mention],
            TextScope::All => vec![f.title, f.abstract_text, f.mention],
        };
        let mut words: BTreeSet<String> = BTreeSet::new();
        let limit = if pattern.is_some() {
            MAX_PATTERN_SCAN
        } else {
            MAX_PREFIX_TERMS
        };
        for field in fields {
            let found = words_with_prefix(ix.searcher, field, token, limit)?;
            words.extend(
                found
                    .into_iter()
                    .filter(|w| pattern.is_none_or(|p| glob_matches(p, w))),
            );
        }
        if words.len() > MAX_PREFIX_TERMS {
            self.note(format!(
                "'{text}' matches more than {MAX_PREFIX_TERMS} words; only the first \
                 {MAX_PREFIX_TERMS} in alphabetical order are searched"
            ));
        }
        let words: Vec<String> = words.into_iter().take(MAX_PREFIX_TERMS).collect();
        if words.is_empty() {
            self.note(match pattern {
                Some(_) => format!("no word in the index matches '{text}'"),
                None => format!("no word in the index starts with '{token}' ({text})"),
            });
        }
        Ok(words)
    }
}

/// The ID (lower case) a bare query word stands for, when it is written as a MeSH
/// descriptor or supplementary concept (`D008545`, `C564766`), a dbSNP ID (`rs113488022`) or
/// a variant in HGVS (`V600E`, `p.Val600Glu`, `c.677C>T`).
fn bare_id(word: &str) -> Option<String> {
    if word.contains(':') {
        return None;
    }
    let id = canonical_id(word);
    let lower = id.to_ascii_lowercase();
    let rs = lower
        .strip_prefix("rs")
        .is_some_and(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()));
    if lower.starts_with("mesh:") || rs {
        return Some(lower);
    }
    // `V600E`, `p.Val600Glu`, `c.677C>T`: the HGVS form of a variant ID.
    crate::pubtator::variant::bare_variant(word).map(|v| v.to_ascii_lowercase())
}

/// Whether `text` has a `?` between two other chars (`tumo?r`): a one-char wildcard. A final
/// `?` is a question mark (`cancer?`), never a wildcard.
fn inner_question(text: &str) -> bool {
    let chars: Vec<char> = text.chars().collect();
    chars.len() > 2 && chars[1..chars.len() - 1].contains(&'?')
}

/// Whether `word` matches `pattern` whole: `?` one char, `*` any chars (none too).
fn glob_matches(pattern: &str, word: &str) -> bool {
    let (p, w): (Vec<char>, Vec<char>) = (pattern.chars().collect(), word.chars().collect());
    // Greedy match with backtracking to the last `*`.
    let (mut i, mut j) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while j < w.len() {
        match p.get(i) {
            Some('*') => {
                star = Some((i, j));
                i += 1;
            }
            Some(&c) if c == '?' || c == w[j] => {
                i += 1;
                j += 1;
            }
            _ => match star {
                Some((si, sj)) => {
                    i = si + 1;
                    j = sj + 1;
                    star = Some((si, sj + 1));
                }
                None => return false,
            },
        }
    }
    p[i..].iter().all(|c| *c == '*')
}

/// The words of `field` starting with `prefix`, at most `limit` + 1 per segment (enough to
/// tell that the cap was reached), read from the term dictionaries only.
fn words_with_prefix(
    searcher: &tantivy::Searcher,
    field: Field,
    prefix: &str,
    limit: usize,
) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for segment in searcher.segment_readers() {
        let inverted = segment.inverted_index(field)?;
        let mut stream = inverted
            .terms()
            .range()
            .ge(prefix.as_bytes())
            .into_stream()
            .map_err(tantivy::TantivyError::from)?;
        let mut seen = 0usize;
        while seen <= limit && stream.advance() {
            let key = stream.key();
            if !key.starts_with(prefix.as_bytes()) {
                break;
            }
            if let Ok(w) = std::str::from_utf8(key) {
                out.push(w.to_string());
            }
            seen += 1;
        }
    }
    Ok(out)
}
