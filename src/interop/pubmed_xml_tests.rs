//! Tests of the PubMed XML reader: small inline files and the real samples of the shared
//! corpora (skipped with a note when they are absent, an error under `CI=true`).

use super::*;
use crate::pubtator::Document;

type Out = (
    Vec<Document>,
    Vec<(u64, String)>,
    Result<PubmedOutcome, InteropError>,
);

fn read(xml: &str) -> Out {
    let (mut docs, mut problems) = (Vec::new(), Vec::new());
    let r = read_pubmed_xml(xml.as_bytes(), &mut |i| match i {
        Item::Document(d) => docs.push(*d),
        Item::Problem { line, message } => problems.push((line, message)),
        Item::Homologene(_) => {}
    });
    (docs, problems, r)
}

const ARTICLE: &str = r#"<?xml version="1.0"?>
<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2025//EN" "x.dtd">
<PubmedArticleSet>
<PubmedArticle><MedlineCitation Status="MEDLINE"><PMID Version="1">29768149</PMID>
<Article><Journal><JournalIssue><PubDate><Year>2018</Year><Month>May</Month><Day>17</Day></PubDate></JournalIssue>
<Title>The New England journal of medicine</Title><ISOAbbreviation>N Engl J Med</ISOAbbreviation></Journal>
<ArticleTitle>Inhaled   Budesonide
  in <i>Mild</i> Asthma.</ArticleTitle>
<ELocationID EIdType="doi" ValidYN="Y">10.1056/NEJMoa1715274</ELocationID>
<Abstract><AbstractText Label="BACKGROUND">A &#946;<sub>2</sub>-agonist.</AbstractText>
<AbstractText Label="METHODS">We did it.</AbstractText></Abstract>
<AuthorList><Author><LastName>O'Byrne</LastName><ForeName>Paul M</ForeName><Initials>PM</Initials></Author>
<Author><CollectiveName>SYGMA Investigators</CollectiveName></Author>
<Author><LastName>Smith</LastName><ForeName>John Adam</ForeName></Author></AuthorList>
<PublicationTypeList><PublicationType UI="D016428">Journal Article</PublicationType><PublicationType UI="D016454">Review</PublicationType></PublicationTypeList>
</Article>
<MedlineJournalInfo><MedlineTA>N Engl J Med</MedlineTA></MedlineJournalInfo>
<CommentsCorrectionsList><CommentsCorrections RefType="CommentIn"><RefSource>x</RefSource><PMID Version="1">111</PMID></CommentsCorrections></CommentsCorrectionsList>
<MeshHeadingList><MeshHeading><DescriptorName UI="D009369" MajorTopicYN="N">Neoplasms</DescriptorName><QualifierName UI="Q1" MajorTopicYN="Y">therapy</QualifierName></MeshHeading>
<MeshHeading><DescriptorName UI="D006801" MajorTopicYN="N">Humans</DescriptorName></MeshHeading></MeshHeadingList>
</MedlineCitation>
<PubmedData><ArticleIdList><ArticleId IdType="pubmed">29768149</ArticleId><ArticleId IdType="pmc">PMC123</ArticleId></ArticleIdList>
<ReferenceList><Reference><ArticleIdList><ArticleId IdType="doi">10.9/other</ArticleId></ArticleIdList></Reference></ReferenceList></PubmedData>
</PubmedArticle>
<PubmedArticle><MedlineCitation><PMID>42</PMID><Article><Journal><JournalIssue><PubDate><MedlineDate>1998 Dec-1999 Jan</MedlineDate></PubDate></JournalIssue><Title>J</Title></Journal>
<ArticleTitle>Second.</ArticleTitle></Article></MedlineCitation></PubmedArticle>
<DeleteCitation><PMID Version="1">7</PMID><PMID Version="1">8</PMID></DeleteCitation>
</PubmedArticleSet>
"#;

#[test]
fn articles_become_documents_with_metadata() {
    let (docs, problems, r) = read(ARTICLE);
    assert!(problems.is_empty(), "{problems:?}");
    let out = r.unwrap();
    assert_eq!(out.articles, 2);
    assert_eq!(out.deleted, vec!["7".to_string(), "8".to_string()]);
    let d = &docs[0];
    assert_eq!(d.id, "29768149");
    assert_eq!(d.title(), "Inhaled Budesonide in Mild Asthma.");
    assert_eq!(
        d.passages[1].text,
        "BACKGROUND: A β2-agonist. METHODS: We did it."
    );
    assert_eq!(d.passages[1].kind, PassageKind::Abstract);
    let m = &d.meta;
    assert_eq!(m.journal.as_deref(), Some("N Engl J Med"));
    assert_eq!(
        m.journal_title.as_deref(),
        Some("The New England journal of medicine")
    );
    assert_eq!(m.year, Some(2018));
    assert_eq!(m.date.as_deref(), Some("2018-05-17"));
    assert_eq!(m.authors, ["O'Byrne PM", "SYGMA Investigators", "Smith JA"]);
    assert_eq!(m.pubtypes, ["Journal Article", "Review"]);
    assert_eq!(m.mesh.len(), 2);
    assert_eq!((m.mesh[0].ui.as_str(), m.mesh[0].major), ("D009369", true));
    assert_eq!(m.doi.as_deref(), Some("10.1056/NEJMoa1715274"));
    assert_eq!(m.pmcid.as_deref(), Some("PMC123"));
    let m = &docs[1].meta;
    assert_eq!(
        (m.year, m.date.as_deref()),
        (Some(1998), Some("1998 Dec-1999 Jan"))
    );
    assert_eq!(m.journal.as_deref(), Some("J"));
    assert_eq!(docs[1].passages.len(), 1);
}

#[test]
fn bad_input_is_an_error_after_earlier_articles() {
    let cut = ARTICLE
        .find("<PubmedArticle><MedlineCitation><PMID>42")
        .unwrap();
    let (docs, _, r) = read(&ARTICLE[..cut + 60]);
    assert_eq!(docs.len(), 1);
    assert!(matches!(r, Err(InteropError::Xml { .. })), "{r:?}");
    let (docs, _, r) = read("<PubmedArticleSet><PubmedArticle></Oops></PubmedArticleSet>");
    assert!(docs.is_empty() && r.is_err());
    let (docs, problems, r) = read(
        "<PubmedArticleSet><PubmedArticle><MedlineCitation/></PubmedArticle></PubmedArticleSet>",
    );
    assert!(docs.is_empty() && r.is_ok());
    assert!(problems[0].1.contains("PMID"), "{problems:?}");
}

#[test]
fn arbitrary_bytes_never_panic() {
    let bytes = ARTICLE.as_bytes();
    for i in (0..bytes.len()).step_by(7) {
        let mut b = bytes.to_vec();
        b[i] ^= 0x5a;
        let _ = read_pubmed_xml(&b[..], &mut |_| {});
        let _ = read_pubmed_xml(&bytes[..i], &mut |_| {});
    }
}

#[test]
fn years_and_months() {
    assert_eq!(first_year("Spring 1990"), Some(1990));
    assert_eq!(first_year("12345 2001"), Some(2001));
    assert_eq!(first_year("n.d."), None);
    assert_eq!(month_number("Sep"), Some(9));
    assert_eq!(month_number("09"), Some(9));
    assert_eq!(month_number("13"), None);
}

/// `../shared/corpora/pubmed_xml`, or `None` after a note; an error under `CI=true`.
fn samples() -> Option<std::path::PathBuf> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpora/pubmed_xml");
    if dir.is_dir() {
        return Some(dir);
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "{} is missing (required under CI=true)",
        dir.display()
    );
    eprintln!(
        "SKIPPED pubmed_xml samples: {} is not present",
        dir.display()
    );
    None
}

#[test]
fn every_real_sample_has_title_year_journal_and_authors() {
    let Some(dir) = samples() else { return };
    let mut n = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("xml") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(
            crate::interop::detect(text.as_bytes()),
            Some(crate::interop::InputFormat::PubmedXml),
            "{}",
            path.display()
        );
        let (docs, problems, r) = read(&text);
        assert!(
            r.is_ok() && problems.is_empty(),
            "{}: {r:?} {problems:?}",
            path.display()
        );
        assert!(!docs.is_empty(), "{}", path.display());
        for d in &docs {
            assert!(!d.title().is_empty(), "{} {}", path.display(), d.id);
            assert!(d.meta.year.is_some(), "{} {}", path.display(), d.id);
            assert!(d.meta.journal.is_some(), "{} {}", path.display(), d.id);
            n += 1;
        }
        assert!(docs.iter().any(|d| !d.meta.authors.is_empty()));
    }
    assert!(n >= 5, "{n} articles");
}
