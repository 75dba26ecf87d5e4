//! Normalization of entity types and identifiers, shared by ingest and query so that both
//! sides agree: canonical type names (`GeneOrGeneProduct` → `Gene`), canonical IDs
//! (`D009369` → `MESH:D009369`, `CVCL_0030` → `CVCL:0030`), splitting of multi-ID fields, the
//! parts of tmVar variant IDs, and relation type keys (`negative_correlate` ≡
//! `Negative_Correlation`).

/// The canonical entity types, in display order. `rel_partner` terms write a type as its
/// position in this list (`index::relterms`), so the order is part of the index format.
pub const CANONICAL_TYPES: [&str; 6] = [
    "Gene", "Disease", "Chemical", "Species", "Variant", "CellLine",
];

/// Maps a type column to its canonical type (case-insensitive); unknown types keep their name.
pub fn canonical_type(raw: &str) -> &str {
    const TABLE: [(&str, &str); 25] = [
        ("gene", "Gene"),
        ("geneorgeneproduct", "Gene"),
        ("familyname", "Gene"),
        ("domainmotif", "Gene"),
        ("disease", "Disease"),
        ("diseaseorphenotypicfeature", "Disease"),
        ("specificdisease", "Disease"),
        ("diseaseclass", "Disease"),
        ("modifier", "Disease"),
        ("compositemention", "Disease"),
        ("chemical", "Chemical"),
        ("chemicalentity", "Chemical"),
        ("species", "Species"),
        ("organismtaxon", "Species"),
        ("variant", "Variant"),
        ("sequencevariant", "Variant"),
        ("mutation", "Variant"),
        ("dnamutation", "Variant"),
        ("proteinmutation", "Variant"),
        ("snp", "Variant"),
        ("dnaallele", "Variant"),
        ("proteinallele", "Variant"),
        ("acidchange", "Variant"),
        ("othermutation", "Variant"),
        ("cell_line", "CellLine"),
    ];
    let t = raw.trim();
    if t.eq_ignore_ascii_case("cellline") {
        return "CellLine";
    }
    // No allocation: this runs once per annotation.
    TABLE
        .iter()
        .find(|(k, _)| t.eq_ignore_ascii_case(k))
        .map_or(t, |(_, v)| v)
}

/// If `name` (any case) names a canonical type, returns it.
pub fn canonical_type_name(name: &str) -> Option<&'static str> {
    let c = canonical_type(name);
    CANONICAL_TYPES.iter().copied().find(|t| *t == c)
}

/// PubMed's page of a document ID that is a PMID (1 to 12 digits); `None` for any other ID.
pub fn pubmed_url(id: &str) -> Option<String> {
    (!id.is_empty() && id.len() <= 12 && id.bytes().all(|b| b.is_ascii_digit()))
        .then(|| format!("https://pubmed.ncbi.nlm.nih.gov/{id}/"))
}

/// True when an ID column is "not normalized": empty, `-` or `-1`.
fn is_unnormalized(id: &str) -> bool {
    matches!(id, "" | "-" | "-1")
}

/// True for variant ID columns in tmVar's forms (a normal form, a `tmVar:`/`HGVS:` prefix, a
/// `CorrespondingGene:` or `VariantGroup:` part), whose `|`, `;` and `,` are part of one ID
/// read by [`crate::pubtator::variant::parse_variant`].
pub fn is_variant_id(id: &str) -> bool {
    let b = id.as_bytes();
    let starts = |p: &[u8]| b.len() >= p.len() && b[..p.len()].eq_ignore_ascii_case(p);
    if starts(b"tmvar:") || starts(b"hgvs:") {
        return true;
    }
    // Every marker starts with `|` or ends with `:`, so only those bytes are tried: gene, MeSH
    // and taxonomy IDs cost one pass over their few bytes.
    const BAR_MARKERS: [&[u8]; 7] = [
        b"|sub|",
        b"|del|",
        b"|ins|",
        b"|dup|",
        b"|indel|",
        b"|fs|",
        b"|allele|",
    ];
    const COLON_MARKERS: [&[u8]; 2] = [b"correspondinggene", b"variantgroup"];
    b.iter().enumerate().any(|(i, &c)| match c {
        b'|' => BAR_MARKERS
            .iter()
            .any(|m| b.len() - i >= m.len() && b[i..i + m.len()].eq_ignore_ascii_case(m)),
        b':' => COLON_MARKERS
            .iter()
            .any(|m| i >= m.len() && b[i - m.len()..i].eq_ignore_ascii_case(m)),
        _ => false,
    })
}

/// Canonical spelling of one ID: bare MeSH `D009369`/`C564766` gets the `MESH:` prefix,
/// `mesh:` prefixes are upper-cased, `CVCL_0030` becomes `CVCL:0030`, `RS#:123` becomes `rs123`.
pub fn canonical_id(id: &str) -> String {
    let id = id.trim();
    let b = id.as_bytes();
    if b.len() >= 7 && (b[0] == b'D' || b[0] == b'C') && b[1..].iter().all(u8::is_ascii_digit) {
        return prefixed("MESH:", id);
    }
    if let Some(rest) = strip_prefix_ci(id, "mesh:") {
        if id.starts_with("MESH:") {
            return id.to_string();
        }
        return prefixed("MESH:", rest);
    }
    if let Some(rest) = strip_prefix_ci(id, "cvcl_").or_else(|| strip_prefix_ci(id, "cvcl:")) {
        return prefixed("CVCL:", rest);
    }
    if let Some(rest) = strip_prefix_ci(id, "rs#:")
        .or_else(|| strip_prefix_ci(id, "rsid:"))
        .or_else(|| strip_prefix_ci(id, "dbsnp:"))
    {
        let rest = rest.trim();
        let digits = strip_prefix_ci(rest, "rs").unwrap_or(rest);
        if !digits.is_empty() && digits.bytes().all(|c| c.is_ascii_digit()) {
            return prefixed("rs", digits);
        }
        // `dbSNP:c|SUB|G|Ex2+860|C` (tmVar 3 gold): a normal form, read below.
        if !rest.contains('|') {
            return prefixed("rs", rest);
        }
        return canonical_id(rest);
    }
    // Variant spellings: `tmVar:p|SUB|V|600|E` is the bare normal form, `HGVS:p.Val600Glu` and
    // `p.Val600Glu` are `p.V600E` (see `pubtator::hgvs`).
    if let Some(rest) = strip_prefix_ci(id, "tmvar:") {
        if rest.contains('|') && !rest.contains(';') {
            return rest.trim().to_string();
        }
    }
    if let Some(rest) = strip_prefix_ci(id, "hgvs:") {
        if !rest.contains(';') {
            return crate::pubtator::hgvs::normalize_hgvs(rest);
        }
    }
    if crate::pubtator::hgvs::is_hgvs(id) && !id.contains(';') {
        return crate::pubtator::hgvs::normalize_hgvs(id);
    }
    if let Some(rest) = strip_prefix_ci(id, "rs") {
        if !rest.is_empty() && rest.bytes().all(|c| c.is_ascii_digit()) {
            return prefixed("rs", rest);
        }
    }
    id.to_string()
}

/// `prefix` then `rest` (what `format!("{prefix}{rest}")` makes, without the formatting
/// machinery: IDs are spelled for every relation argument of every hit shown).
fn prefixed(prefix: &str, rest: &str) -> String {
    let mut out = String::with_capacity(prefix.len() + rest.len());
    out.push_str(prefix);
    out.push_str(rest);
    out
}

/// Normal form of one ID as written in an ID column or a query: [`canonical_id`] after
/// removing what other tools add around it: GNormPlus' species suffix (`54702(Tax:10116)` →
/// `54702`, see [`taxon_suffix`]) and gene database prefixes on numeric gene IDs
/// (`NCBI Gene:3577`, `NCBIGene:3577`, `Gene:3577`, tmVar's `CorrespondingGene:3577` → `3577`).
pub fn normalize_id(id: &str) -> String {
    let mut id = id.trim();
    // Gene and taxonomy IDs, the most frequent, are already in normal form.
    if !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()) {
        return id.to_string();
    }
    if let Some((bare, _)) = split_taxon(id) {
        id = bare;
    }
    for prefix in ["ncbi gene:", "ncbigene:", "gene:", "correspondinggene:"] {
        if let Some(rest) = strip_prefix_ci(id, prefix) {
            let rest = rest.trim();
            if !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit()) {
                return rest.to_string();
            }
        }
    }
    canonical_id(id)
}

/// `54702(Tax:10116)` → (`54702`, `10116`).
fn split_taxon(id: &str) -> Option<(&str, &str)> {
    let body = id.strip_suffix(')')?;
    let open = body.rfind('(')?;
    let inner = body.get(open + 1..)?;
    let taxon = strip_prefix_ci(inner, "tax:")?.trim();
    let bare = body.get(..open)?.trim();
    (!bare.is_empty() && !taxon.is_empty() && taxon.bytes().all(|b| b.is_ascii_digit()))
        .then_some((bare, taxon))
}

/// The NCBI Taxonomy ID of a GNormPlus species suffix: `54702(Tax:10116)` → `10116`.
pub fn taxon_suffix(id: &str) -> Option<&str> {
    split_taxon(id.trim()).map(|(_, t)| t)
}

fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    if s.len() >= prefix.len()
        && s.is_char_boundary(prefix.len())
        && s[..prefix.len()].eq_ignore_ascii_case(prefix)
    {
        Some(&s[prefix.len()..])
    } else {
        None
    }
}

/// Splits an ID column into canonical IDs. Separators are `,` `;` `|` and `+` (conjunctive
/// IDs such as `D007153+D040181`), except for variant IDs in tmVar form, which stay whole.
/// Unnormalized values (`-1`, `-`, empty) yield nothing.
pub fn split_ids(raw: &str) -> Vec<String> {
    let raw = raw.trim();
    if is_unnormalized(raw) {
        return Vec::new();
    }
    if is_variant_id(raw) {
        return vec![raw.to_string()];
    }
    let mut out: Vec<String> = Vec::new();
    for part in raw.split([',', ';', '|', '+']) {
        let part = part.trim();
        if is_unnormalized(part) {
            continue;
        }
        let id = normalize_id(part);
        if !out.contains(&id) {
            out.push(id);
        }
    }
    out
}

/// Extra searchable forms of one ID besides itself: for a variant ID in tmVar form
/// (`tmVar:p|SUB|V|600|E;HGVS:p.V600E;VariantGroup:0;CorrespondingGene:673;RS#:113488022`)
/// its identities (`rs113488022`, `p|SUB|V|600|E`, `p.V600E`, see
/// [`crate::pubtator::variant::VariantIds::identities`]); never its labels or links.
pub fn id_parts(id: &str) -> Vec<String> {
    if !is_variant_id(id) {
        return Vec::new();
    }
    crate::pubtator::variant::parse_variant(id)
        .identities()
        .into_iter()
        .filter(|p| *p != id)
        .map(str::to_string)
        .collect()
}

/// The search key of a relation type: lower case, with PubTator3's verb spellings mapped to
/// the BioRED nouns (`negative_correlate` → `negative_correlation`).
pub fn relation_key(rel_type: &str) -> String {
    let lower = rel_type
        .trim()
        .to_ascii_lowercase()
        .replace([' ', '-'], "_");
    let mapped = match lower.as_str() {
        "associate" => "association",
        "negative_correlate" => "negative_correlation",
        "positive_correlate" => "positive_correlation",
        "cotreat" => "cotreatment",
        "compare" => "comparison",
        "drug_interact" => "drug_interaction",
        "convert" => "conversion",
        "interact" => "interaction",
        _ => return lower,
    };
    mapped.to_string()
}

/// PubTator3's relation verbs whose meaning the BioRED / BC5CDR relation types carry, for
/// indexes that have those types instead of the verb: `treat` → `Negative_Correlation`, ...
/// (the verbs `associate`, `negative_correlate`, `positive_correlate`, `cotreat`, `compare`,
/// `drug_interact`, `convert` and `interact` are already the same key as their noun, see
/// [`relation_key`]). Keys are compared after [`relation_key`].
pub fn relation_verb_types(key: &str) -> &'static [&'static str] {
    match key {
        "treat" | "inhibit" | "prevent" => &["Negative_Correlation"],
        "cause" => &["Positive_Correlation", "CID"],
        "stimulate" => &["Positive_Correlation"],
        "interaction" => &["Bind", "Drug_Interaction"],
        "bind" => &["Bind"],
        _ => &[],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The plain definition: any marker anywhere, any case.
    fn is_variant_id_by_definition(id: &str) -> bool {
        let l = id.to_ascii_lowercase();
        l.starts_with("tmvar:")
            || l.starts_with("hgvs:")
            || [
                "|sub|", "|del|", "|ins|", "|dup|", "|indel|", "|fs|", "|allele|",
            ]
            .iter()
            .chain(&["correspondinggene:", "variantgroup:"])
            .any(|m| l.contains(m))
    }

    proptest::proptest! {
        #[test]
        fn variant_ids_are_recognized_as_defined(
            id in "(tmVar:|HGVS:|[a-z0-9]{0,3}|MESH:D0[0-9]{5}|p|c)([|;:A-Za-z0-9.>]{0,6}(SUB|Del|ins|dup|INDEL|fs|Allele|CorrespondingGene|correspondingGENE|VariantGroup)?[|;:]{0,2}){0,3}"
        ) {
            proptest::prop_assert_eq!(is_variant_id(&id), is_variant_id_by_definition(&id), "{}", id);
        }
    }

    #[test]
    fn variant_ids_of_the_corpora() {
        for (id, want) in [
            (
                "tmVar:p|SUB|V|600|E;HGVS:p.V600E;VariantGroup:0;CorrespondingGene:673",
                true,
            ),
            ("p|SUB|V|600|E", true),
            ("c|DEL|1521_1523|CTT", true),
            ("c|Allele|A|123", true),
            ("CorrespondingGene:673;RS#:113488022", true),
            ("rs113488022", false),
            ("MESH:D009369", false),
            ("5133", false),
            ("a|b", false),
            ("correspondinggene", false),
        ] {
            assert_eq!(is_variant_id(id), want, "{id}");
            assert_eq!(is_variant_id_by_definition(id), want, "{id}");
        }
    }

    #[test]
    fn canonical_types_cover_the_corpus_spellings() {
        for (raw, want) in [
            ("GeneOrGeneProduct", "Gene"),
            ("gene", "Gene"),
            ("FamilyName", "Gene"),
            ("DomainMotif", "Gene"),
            ("SpecificDisease", "Disease"),
            ("DiseaseClass", "Disease"),
            ("Modifier", "Disease"),
            ("CompositeMention", "Disease"),
            ("DiseaseOrPhenotypicFeature", "Disease"),
            ("ChemicalEntity", "Chemical"),
            ("OrganismTaxon", "Species"),
            ("SequenceVariant", "Variant"),
            ("DNAMutation", "Variant"),
            ("ProteinMutation", "Variant"),
            ("SNP", "Variant"),
            ("ProteinAllele", "Variant"),
            ("cell_line", "CellLine"),
            ("CellLine", "CellLine"),
            ("OTHER", "OTHER"),
            ("NonStandardRef", "NonStandardRef"),
        ] {
            assert_eq!(canonical_type(raw), want, "{raw}");
        }
    }

    #[test]
    fn bare_mesh_and_cellosaurus_ids_get_their_prefix() {
        assert_eq!(canonical_id("D009369"), "MESH:D009369");
        assert_eq!(canonical_id("C564766"), "MESH:C564766");
        assert_eq!(canonical_id("mesh:D009369"), "MESH:D009369");
        assert_eq!(canonical_id("CVCL_0030"), "CVCL:0030");
        assert_eq!(canonical_id(" CVCL:WN86"), "CVCL:WN86");
        assert_eq!(canonical_id("RS#:113488022"), "rs113488022");
        assert_eq!(canonical_id("5133"), "5133");
        assert_eq!(canonical_id("OMIM:312080"), "OMIM:312080");
    }

    #[test]
    fn multi_id_fields_split_on_every_separator() {
        assert_eq!(split_ids("3172,3651, 6927"), ["3172", "3651", "6927"]);
        assert_eq!(
            split_ids("D001943|D010051"),
            ["MESH:D001943", "MESH:D010051"]
        );
        assert_eq!(split_ids("5133;5134"), ["5133", "5134"]);
        assert_eq!(
            split_ids("D007153+D040181"),
            ["MESH:D007153", "MESH:D040181"]
        );
        assert!(split_ids("-1").is_empty());
        assert!(split_ids("-").is_empty());
        assert!(split_ids(" ").is_empty());
    }

    #[test]
    fn tmvar_ids_stay_whole_and_expose_their_identities() {
        let id =
            "tmVar:p|SUB|V|600|E;HGVS:p.V600E;VariantGroup:0;CorrespondingGene:673;RS#:113488022";
        assert_eq!(split_ids(id), [id]);
        assert_eq!(id_parts(id), ["rs113488022", "p|SUB|V|600|E", "p.V600E"]);
        assert_eq!(split_ids("c|SUB|A|1517|G"), ["c|SUB|A|1517|G"]);
        assert_eq!(id_parts("c|SUB|A|1517|G"), ["c.1517A>G"]);
        assert_eq!(split_ids("|DEL|46|S"), ["|DEL|46|S"]);
        // tmVar 3 corpus IDs without a normal form stay whole too: no `VariantGroup:0` or
        // `Disease:D008180` ID.
        let id = "rs10954213;Disease:D008180;VariantGroup:0";
        assert_eq!(split_ids(id), [id]);
        assert_eq!(id_parts(id), ["rs10954213"]);
        // tmVar 3 gold: `dbSNP:` before a normal form is no rsID.
        let id = "dbSNP:2234671,dbSNP:c|SUB|G|Ex2+860|C,NCBI Gene:3577";
        assert_eq!(split_ids(id), [id]);
        assert_eq!(
            id_parts(id),
            ["rs2234671", "c|SUB|G|Ex2+860|C", "c.Ex2+860G>C"]
        );
    }

    #[test]
    fn variant_spellings_normalize_to_their_index_form() {
        assert_eq!(normalize_id("tmVar:p|SUB|V|600|E"), "p|SUB|V|600|E");
        assert_eq!(normalize_id("HGVS:p.Val600Glu"), "p.V600E");
        assert_eq!(normalize_id("p.Val600Glu"), "p.V600E");
        assert_eq!(normalize_id("dbSNP:c|SUB|C|677|T"), "c|SUB|C|677|T");
        assert_eq!(normalize_id("c.677C>T"), "c.677C>T");
    }

    #[test]
    fn other_tools_id_spellings_are_normalized() {
        assert_eq!(normalize_id("54702(Tax:10116)"), "54702");
        assert_eq!(taxon_suffix("54702(Tax:10116)"), Some("10116"));
        assert_eq!(taxon_suffix("54702"), None);
        assert_eq!(taxon_suffix("(Tax:10116)"), None);
        assert_eq!(normalize_id("NCBI Gene:3577"), "3577");
        assert_eq!(normalize_id("NCBIGene:3577"), "3577");
        assert_eq!(normalize_id("gene:3577"), "3577");
        assert_eq!(normalize_id("Gene:abc"), "Gene:abc");
        assert_eq!(normalize_id("dbSNP:2234671"), "rs2234671");
        assert_eq!(normalize_id("dbsnp:rs2234671"), "rs2234671");
        assert_eq!(normalize_id("rsid:2234671"), "rs2234671");
        assert_eq!(normalize_id("D008545"), "MESH:D008545");
        assert_eq!(
            split_ids("7422,22339(Tax:10090)|NCBIGene:3577"),
            ["7422", "22339", "3577"]
        );
        // Inside a tmVar ID, `Gene:N` is a gene link, not a variant ID.
        let id = "tmVar:p|SUB|V|600|E;Gene:673";
        assert!(!id_parts(id).iter().any(|p| p.contains("673")));
    }

    #[test]
    fn relation_verbs_map_to_types_of_the_same_meaning() {
        assert_eq!(
            relation_verb_types(&relation_key("treat")),
            ["Negative_Correlation"]
        );
        assert_eq!(
            relation_verb_types(&relation_key("CAUSE")),
            ["Positive_Correlation", "CID"]
        );
        assert_eq!(
            relation_verb_types(&relation_key("interact")),
            ["Bind", "Drug_Interaction"]
        );
        assert!(relation_verb_types("association").is_empty());
    }

    #[test]
    fn relation_keys_accept_pubtator3_spellings() {
        assert_eq!(
            relation_key("Negative_Correlation"),
            relation_key("negative_correlate")
        );
        assert_eq!(relation_key("ASSOCIATE"), "association");
        assert_eq!(relation_key("CID"), "cid");
    }
}
