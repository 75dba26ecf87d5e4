//! The python `bioc` package: every export loads and validates (a Python with `bioc` is
//! found by `util::python_with_bioc`; nothing is installed by the tests).

use super::*;

/// Counts (documents, passages, annotations, relations) of documents.
fn counts(docs: &[Document]) -> [usize; 4] {
    [
        docs.len(),
        docs.iter().map(|d| d.passages.len()).sum(),
        docs.iter().map(|d| d.annotations.len()).sum(),
        docs.iter().map(|d| d.relations.len()).sum(),
    ]
}

/// Annotations whose written location does not hold their mention: what `bioc.validate`
/// reports (the writer locates exact spans only at their text).
fn inexact(docs: &[Document]) -> usize {
    docs.iter()
        .map(|d| d.annotations.iter().filter(|a| !exact_span(d, a)).count())
        .sum()
}

#[test]
fn exports_load_in_the_python_bioc_package() {
    let test = "exports_load_in_the_python_bioc_package";
    let Some(python) = python_with_bioc(test) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    // (file, counts, inexact annotations) written by the library...
    let mut expected: Vec<(PathBuf, [usize; 4], usize)> = Vec::new();
    let mut sources = fixture_files();
    sources.extend(biored_files(test));
    for (i, path) in sources.iter().enumerate() {
        let docs = pubtator_docs(path);
        for (ext, bytes) in [("xml", to_xml(&docs)), ("json", to_json(&docs))] {
            let out = dir.path().join(format!("{i}.{ext}"));
            std::fs::write(&out, bytes).unwrap();
            expected.push((out, counts(&docs), inexact(&docs)));
        }
    }
    // ... and by `ptsearch export`.
    let (_keep, exported, docs) = export_all(&clean_fixtures());
    for p in exported {
        expected.push((p, counts(&docs), inexact(&docs)));
    }

    let script = root().join("scripts/check-bioc-exports.py");
    let out = std::process::Command::new(python)
        .arg(&script)
        .arg("--validate")
        .args(expected.iter().map(|(p, _, _)| p))
        .output()
        .expect("python runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "bioc failed to load an export:\n{stdout}\n{stderr}"
    );
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), expected.len(), "{stdout}");
    for (line, (path, want, bad)) in lines.iter().zip(&expected) {
        let fields: BTreeMap<&str, &str> = line
            .split('\t')
            .skip(1)
            .filter_map(|f| f.split_once('='))
            .collect();
        assert!(line.starts_with(&*path.to_string_lossy()), "{line}");
        let n = |k: &str| fields.get(k).and_then(|v| v.parse::<usize>().ok());
        let got = [
            n("documents"),
            n("passages"),
            n("annotations"),
            n("relations"),
        ];
        assert_eq!(got, want.map(Some), "{line}");
        assert_eq!(n("validation_problems"), Some(*bad), "{line}\n{stderr}");
    }
    eprintln!("{stdout}");
}
