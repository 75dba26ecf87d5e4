//! Query forms users bring from other tools: PubMed's field tags (`cancer[ti]`), Lucene's
//! `field:*` and inner wildcards (`tumo?r`), and `*` as a relation type. Fixtures:
//! tests/data/ranking.pubtator and query_lang.pubtator; every expected answer is read off the
//! files or compared with the clause the form stands for.

use crate::query_lang::{failing, fixture_index, has_warning, sorted, warnings};
use crate::util::*;

#[test]
fn a_star_relation_type_is_any_type() {
    let d = fixture_index();
    let p = d.path();
    for (star, any) in [
        ("rel:*|*|*", "rel:ANY|*|*"),
        ("rel:*|gene:673|*", "rel:ANY|gene:673|*"),
        ("rel:*", "rel:ANY"),
    ] {
        let want = sorted(any, p);
        assert!(!want.is_empty(), "{any}");
        assert_eq!(sorted(star, p), want, "{star}");
        assert!(
            warnings(p, star).is_empty(),
            "{star}: {:?}",
            warnings(p, star)
        );
    }
    // Every document with a relation line (`ID<TAB>Type<TAB>ID1<TAB>ID2`), read off the files.
    let mut related: Vec<String> = Vec::new();
    for f in [data("ranking.pubtator"), data("query_lang.pubtator")] {
        for line in std::fs::read_to_string(f).unwrap().lines() {
            let cols: Vec<&str> = line.split('\t').collect();
            if cols.len() == 4 && !related.contains(&cols[0].to_string()) {
                related.push(cols[0].to_string());
            }
        }
    }
    related.sort();
    assert_eq!(sorted("rel:*|*|*", p), related);
}

#[test]
fn wildcards_inside_a_word_match_whole_index_words() {
    let d = fixture_index();
    let p = d.path();
    // The fixtures' words: "endometrial" (title of 3002, abstract of 3003), "endometrium"
    // (title of 3003), "melanoma" (1001, 1002).
    assert_eq!(sorted("endometri?l", p), ["3002", "3003"]);
    assert_eq!(sorted("endometri?m", p), ["3003"]);
    assert_eq!(sorted("endo*ium", p), ["3003"]);
    assert_eq!(sorted("title:endometri?m", p), ["3003"]);
    assert_eq!(sorted("mel*ma", p), sorted("melanoma", p));
    assert_eq!(sorted("mel*m?", p), sorted("melanoma", p));
    // A final `?` is a question mark, not a wildcard.
    assert_eq!(sorted("melanoma?", p), sorted("melanoma", p));
    has_warning(p, "zzz?q", "no word in the index matches 'zzz?q'");
    let (code, err) = failing(p, "me?a");
    assert_eq!(code, 2);
    assert!(err.contains("at least 3"), "{err}");
    // Quickwit's language has no such pattern: translate says so at the wildcard.
    let mut c = ptsearch(p);
    c.args(["translate", "endometri?l"]);
    let (code, _, err) = run(c);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("no Quickwit equivalent"), "{err}");
}

/// Documents of the PubTator files `paths` with an annotation line of type `entity_type`,
/// read off the files (tab-separated lines of six fields or more; the type is the fifth).
fn documents_with_type(paths: &[std::path::PathBuf], entity_type: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for p in paths {
        for line in std::fs::read_to_string(p).unwrap().lines() {
            let cols: Vec<&str> = line.split('\t').collect();
            if cols.len() >= 6 && cols[4] == entity_type && !out.contains(&cols[0].to_string()) {
                out.push(cols[0].to_string());
            }
        }
    }
    out.sort();
    out
}

#[test]
fn a_type_field_with_a_star_finds_every_document_with_that_type() {
    let d = fixture_index();
    let p = d.path();
    let files = [data("ranking.pubtator"), data("query_lang.pubtator")];
    for (query, entity_type) in [
        ("gene:*", "Gene"),
        ("disease:*", "Disease"),
        ("Chemical:*", "Chemical"),
        ("species:*", "Species"),
    ] {
        let want = documents_with_type(&files, entity_type);
        assert!(!want.is_empty(), "{entity_type}");
        assert_eq!(sorted(query, p), want, "{query}");
        assert!(
            warnings(p, query).is_empty(),
            "{query}: {:?}",
            warnings(p, query)
        );
    }
    // Combined like any clause: documents with a gene and without a disease.
    let genes = documents_with_type(&files, "Gene");
    let diseases = documents_with_type(&files, "Disease");
    let want: Vec<String> = genes
        .into_iter()
        .filter(|g| !diseases.contains(g))
        .collect();
    assert_eq!(sorted("gene:* -disease:*", p), want);
}

/// Documents of the PubTator files `paths` whose title (`ID|t|…` line) has `word` as a word
/// (case aside), read off the files.
fn titles_with_word(paths: &[std::path::PathBuf], word: &str) -> Vec<String> {
    let mut out = Vec::new();
    for p in paths {
        for line in std::fs::read_to_string(p).unwrap().lines() {
            if let Some((id, title)) = line.split_once("|t|") {
                let has = title
                    .split(|c: char| !c.is_alphanumeric())
                    .any(|w| w.eq_ignore_ascii_case(word));
                if has {
                    out.push(id.to_string());
                }
            }
        }
    }
    out.sort();
    out
}

#[test]
fn pubmed_field_tags_read_as_their_fields() {
    let d = fixture_index();
    let p = d.path();
    let files = [data("ranking.pubtator"), data("query_lang.pubtator")];
    // `cancer[ti]`: the titles with the word, as the files have them; every tag as its field.
    let titled = titles_with_word(&files, "cancer");
    assert!(!titled.is_empty());
    assert_eq!(sorted("cancer[ti]", p), titled);
    for (tagged, fielded) in [
        ("cancer[ti]", "title:cancer"),
        ("cancer[Title]", "title:cancer"),
        ("cancer[tiab]", "text:cancer"),
        ("cancer[Title/Abstract]", "text:cancer"),
        ("cancer[ab]", "abstract:cancer"),
        ("cancer[tw]", "cancer"),
        ("\"breast cancer\"[ti]", "title:\"breast cancer\""),
        ("BRAF[gene]", "gene:BRAF"),
        ("1001[pmid]", "pmid:1001"),
        ("cancer[ti] AND BRAF[gene]", "title:cancer AND gene:BRAF"),
        ("NOT cancer[ti]", "NOT title:cancer"),
        // Long tags with a space, as PubMed's search details write them.
        ("cancer[All Fields]", "cancer"),
        ("cancer[text word] AND BRAF[gene]", "cancer AND gene:BRAF"),
        ("melanoma[MeSH Terms]", "mh:melanoma"),
        ("cancer[All Fields]^2 OR melanoma", "cancer^2 OR melanoma"),
    ] {
        assert_eq!(sorted(tagged, p), sorted(fielded, p), "{tagged}");
    }
    assert!(!sorted("\"breast cancer\"[ti]", p).is_empty());
    // A tag this index cannot search is an error at the tag, never a silent word search.
    let (code, err) = failing(p, "cancer[majr]");
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("unknown field tag [majr]"), "{err}");
    assert!(err.contains("position 6"), "{err}");
    // Brackets that are no tag stay in the word (`Ca[2+]`, `benzo[a]`).
    for word in ["Ca[2+]", "benzo[a]"] {
        let mut c = ptsearch(p);
        c.args(["search", word]);
        let (code, _, err) = run(c);
        // 0 with hits, 1 without (as grep): not 2, a query error.
        assert!(code == 0 || code == 1, "{word}: {code} {err}");
    }
}

/// Lucene's `year:[2010 TO 2015]` (`{…}` excluding an end, `*` open) and Elasticsearch's
/// `year:>2010` read as the year range they name, on every year of a BioC fixture read off the
/// file (the title passage's `year` infon, else the year of its citation-style `journal` infon,
/// `Cancer Cell; 2015 Mar; 27(3) 1-2`).
#[test]
fn lucene_and_elasticsearch_year_ranges_find_the_years_they_name() {
    let input = data("interop/citations.bioc.xml");
    let xml = std::fs::read_to_string(&input).unwrap();
    let mut years: Vec<(String, u64)> = Vec::new();
    for doc in xml.split("<document>").skip(1) {
        let id = doc.split("<id>").nth(1).unwrap().split('<').next().unwrap();
        let infon = |key: &str| {
            doc.split(&format!("key=\"{key}\">"))
                .nth(1)
                .map(|v| v.split('<').next().unwrap().trim().to_string())
        };
        let year = infon("year").or_else(|| {
            let cited = infon("journal")?;
            Some(cited.split("; ").nth(1)?.get(..4)?.to_string())
        });
        if let Some(y) = year {
            years.push((id.to_string(), y.parse::<u64>().unwrap()));
        }
    }
    assert!(years.len() >= 3, "{years:?}");
    let d = tempfile::tempdir().unwrap();
    let index = d.path().join("index");
    index_files(&index, &[&input]);
    let within = |from: u64, to: u64| {
        let mut v: Vec<String> = years
            .iter()
            .filter(|(_, y)| (from..=to).contains(y))
            .map(|(id, _)| id.clone())
            .collect();
        v.sort();
        v
    };
    let mid = years[1].1;
    for (q, from, to) in [
        (format!("year:[{mid} TO {mid}]"), mid, mid),
        (format!("year:[* TO {mid}]"), 0, mid),
        (format!("year:{{{mid} TO *]"), mid + 1, 9999),
        (format!("year:[{} TO {}}}", mid - 1, mid + 1), mid - 1, mid),
        (format!("year:>{mid}"), mid + 1, 9999),
        (format!("year:>={mid}"), mid, 9999),
        (format!("year:<{mid}"), 0, mid - 1),
        (format!("year:<={mid}"), 0, mid),
        (format!("year:{mid}.."), mid, 9999),
    ] {
        assert_eq!(sorted(&q, &index), within(from, to), "{q}");
    }
    // The range is one value: it combines with other clauses like any other.
    let with_not = format!("* NOT year:[{mid} TO {mid}]");
    let all: Vec<String> = sorted("*", &index);
    let want: Vec<String> = all
        .into_iter()
        .filter(|id| !within(mid, mid).contains(id))
        .collect();
    assert_eq!(sorted(&with_not, &index), want);
    let (code, err) = failing(&index, "year:[2015 TO 2010]");
    assert_eq!(code, 2);
    assert!(err.contains("empty year range"), "{err}");
}

/// Titles for the proximity test: the words' distances are read off these strings.
const NEAR_TITLES: [(&str, &str); 6] = [
    ("1", "Breast cancer screening"),
    ("2", "Breast and ovarian cancer"),
    ("3", "Cancer of the breast"),
    ("4", "Breast tissue density and the risk of later cancer"),
    ("5", "Cancer breast"),
    ("6", "Lung cancer"),
];

/// The least proximity at which `"a b"~N` matches `title` (Lucene's phrase slop: words in
/// order at distance d need d - 1, in reverse order d + 1), or `None` without both words.
fn least_slop(title: &str, a: &str, b: &str) -> Option<u32> {
    let words: Vec<String> = title.split_whitespace().map(str::to_lowercase).collect();
    let at = |w: &str| -> Vec<i64> {
        (0..words.len() as i64)
            .filter(|&i| words[i as usize] == w)
            .collect()
    };
    let mut least: Option<u32> = None;
    for i in at(a) {
        for j in at(b) {
            let need = if j > i { j - i - 1 } else { i - j + 1 } as u32;
            least = Some(least.map_or(need, |l: u32| l.min(need)));
        }
    }
    least
}

/// Lucene's and Quickwit's `"a b"~N` and PubMed's `"a b"[tiab:~N]` find the documents whose
/// words stand within N moves, counted here from the titles' words; `!x` is NOT, and a fuzzy
/// `word~1` is an error at the `~`, not a search for "word" and "1".
#[test]
fn phrase_proximity_and_lucene_not_read_as_their_tools_do() {
    let d = tempfile::tempdir().unwrap();
    let input = d.path().join("near.pubtator");
    let text: String = NEAR_TITLES
        .iter()
        .map(|(id, t)| format!("{id}|t|{t}\n{id}|a|Text.\n\n"))
        .collect();
    std::fs::write(&input, text).unwrap();
    let index = d.path().join("index");
    index_files(&index, &[&input]);
    for slop in [0u32, 1, 2, 3, 4, 7, 8] {
        let want: Vec<String> = NEAR_TITLES
            .iter()
            .filter(|(_, t)| least_slop(t, "breast", "cancer").is_some_and(|l| l <= slop))
            .map(|(id, _)| id.to_string())
            .collect();
        assert!(!want.is_empty());
        for q in [
            format!("\"breast cancer\"~{slop}"),
            format!("title:\"breast cancer\"~{slop}"),
            format!("\"breast cancer\"[tiab:~{slop}]"),
        ] {
            assert_eq!(sorted(&q, &index), want, "{q}");
        }
    }
    // Slop 7 reaches every title with both words; the exact phrase only the first.
    assert_eq!(
        sorted("\"breast cancer\"~7", &index),
        ["1", "2", "3", "4", "5"]
    );
    assert_eq!(sorted("\"breast cancer\"", &index), ["1"]);
    // Lucene's `!`: NOT.
    assert_eq!(sorted("!lung", &index), sorted("NOT lung", &index));
    assert_eq!(sorted("cancer !breast", &index), ["6"]);
    for q in [
        "canser~1",
        "cancer~",
        "title:canser~2",
        "\"breast cancer\"~x",
    ] {
        let (code, err) = failing(&index, q);
        assert_eq!(code, 2, "{q}");
        assert!(err.contains('~'), "{q}: {err}");
    }
    // Quickwit reads the same proximity.
    let mut c = ptsearch(&index);
    c.args(["translate", "title:\"breast cancer\"~2"]);
    let (code, out, err) = run(c);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains(r#"title:\"breast cancer\"~2"#), "{out}");
}

/// Lucene's `field:pre*` on an entity field: every entity with a name (a mention of that type)
/// starting with the prefix, compared with the documents the fixture files annotate with such
/// a mention (case and punctuation aside, as the name dictionary reads them).
#[test]
fn an_entity_name_prefix_finds_every_entity_named_so() {
    let d = fixture_index();
    let p = d.path();
    let key = |s: &str| -> String {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect()
    };
    let files = [data("ranking.pubtator"), data("query_lang.pubtator")];
    let named = |entity_type: &str, prefix: &str| -> Vec<String> {
        let mut ids: Vec<String> = Vec::new();
        for f in &files {
            for line in std::fs::read_to_string(f).unwrap().lines() {
                let cols: Vec<&str> = line.split('\t').collect();
                if cols.len() >= 6
                    && cols[4] == entity_type
                    && key(cols[3]).starts_with(&key(prefix))
                    && !ids.contains(&cols[0].to_string())
                {
                    ids.push(cols[0].to_string());
                }
            }
        }
        ids.sort();
        ids
    };
    for (field, entity_type, prefix) in [
        ("gene", "Gene", "CXC"),
        ("gene", "Gene", "bra"),
        ("disease", "Disease", "breast"),
        ("disease", "Disease", "colo"),
        ("chemical", "Chemical", "aspi"),
    ] {
        let want = named(entity_type, prefix);
        assert!(!want.is_empty(), "{prefix}");
        let q = format!("{field}:{prefix}*");
        assert_eq!(sorted(&q, p), want, "{q}");
        assert!(warnings(p, &q).is_empty(), "{q}: {:?}", warnings(p, &q));
    }
    // Two genes start with CXC (CXCR1 and CXCL8): both are searched, not only the first.
    assert_eq!(
        sorted("gene:CXC*", p),
        sorted("gene:CXCR1 OR gene:CXCL8", p)
    );
    // The field aliases of other tools read as their types.
    assert_eq!(sorted("protein:CXC*", p), sorted("gene:CXC*", p));
    assert_eq!(sorted("drug:aspi*", p), sorted("chemical:aspi*", p));
}
