//! The house rules of ARCHITECTURE.md, checked on the source tree: no module imports a higher
//! layer, the write side and the read side never import each other, no import circle between
//! top-level modules, every module opens with a `//!` line, and no file reaches 600 lines.

use crate::util::root;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Layer of each top-level module of `src/` (lower numbers sit lower in the flow). `ingest`
/// and `search` share a layer and must not import each other.
fn layer(module: &str) -> Option<u8> {
    Some(match module {
        "error" | "test_support" => 0,
        "names" => 1,
        "pubtator" => 2,
        "interop" | "vocab" => 3,
        "index" => 4,
        "ingest" | "search" => 5,
        "output" | "watch" => 6,
        "serve" => 7,
        "cli" => 8,
        "lib" | "main" => 9,
        _ => return None,
    })
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir)
        .expect("readable source dir")
        .flatten()
    {
        let p = entry.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// The top-level module a file of `src/` belongs to (`src/search/query/parse.rs` → `search`).
fn module_of(src: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(src).expect("file under src");
    let first = rel.components().next().expect("non-empty path");
    let name = first.as_os_str().to_string_lossy();
    name.trim_end_matches(".rs").to_string()
}

/// `text` without the items under `#[cfg(test)]` (each test item up to its matching closing
/// brace, wherever it sits in the file): test code may use anything.
fn without_test_items(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("#[cfg(test)]") {
        out.push_str(&rest[..at]);
        let item = &rest[at..];
        // The item ends at the `;` of a one-line item or the brace closing its block.
        let (mut depth, mut end) = (0usize, item.len());
        for (i, c) in item.char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        end = i + 1;
                        break;
                    }
                }
                ';' if depth == 0 => {
                    end = i + 1;
                    break;
                }
                _ => {}
            }
        }
        rest = &item[end..];
    }
    out.push_str(rest);
    out
}

/// Top-level modules named by `prefix` (`crate::`, `ptsearch::`) in the non-test code of
/// `text`, read whole.
fn imports_with(text: &str, prefix: &str) -> BTreeSet<String> {
    let code = without_test_items(text);
    let mut found = BTreeSet::new();
    for (i, _) in code.match_indices(prefix) {
        let before = code[..i].chars().last();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue; // e.g. `ptsearch_crate::`
        }
        let name: String = code[i + prefix.len()..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if !name.is_empty() {
            found.insert(name);
        }
    }
    found
}

fn imports(text: &str) -> BTreeSet<String> {
    imports_with(text, "crate::")
}

#[test]
fn python_uses_the_library_only_never_the_cli_or_the_server() {
    let mut files = Vec::new();
    rust_files(&root().join("python/src"), &mut files);
    assert!(!files.is_empty());
    let mut bad = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).expect("utf-8 source");
        for m in imports_with(&text, "ptsearch::") {
            if m == "cli" || m == "serve" {
                bad.push(format!("{}: imports ptsearch::{m}", f.display()));
            }
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
    // The test can fail: an import of the CLI is seen, also after a test module.
    let sample = "#[cfg(test)]\nmod tests { use ptsearch::cli; }\nuse ptsearch::cli::progress;\n";
    assert!(imports_with(sample, "ptsearch::").contains("cli"));
}

fn sources() -> (PathBuf, Vec<PathBuf>) {
    let src = root().join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    (src, files)
}

#[test]
fn no_module_imports_a_higher_layer_or_the_other_side() {
    let (src, files) = sources();
    let mut bad = Vec::new();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for f in &files {
        let from = module_of(&src, f);
        let text = std::fs::read_to_string(f).expect("utf-8 source");
        let Some(from_layer) = layer(&from) else {
            bad.push(format!("{}: module '{from}' has no layer", f.display()));
            continue;
        };
        for to in imports(&text) {
            if to == from {
                continue;
            }
            graph.entry(from.clone()).or_default().insert(to.clone());
            match layer(&to) {
                Some(l) if l < from_layer => {}
                Some(l) => bad.push(format!(
                    "{}: {from} (layer {from_layer}) imports {to} (layer {l})",
                    f.strip_prefix(&src).unwrap_or(f).display()
                )),
                None => {} // a re-export or an item of lib.rs such as `crate::Result`
            }
        }
    }
    assert!(bad.is_empty(), "layering violations:\n{}", bad.join("\n"));
    // With strictly decreasing layers there can be no circle; check it anyway, independently.
    for start in graph.keys() {
        let mut stack = vec![start.clone()];
        let mut seen = BTreeSet::new();
        while let Some(m) = stack.pop() {
            for next in graph.get(&m).into_iter().flatten() {
                assert_ne!(next, start, "import circle through {start}");
                if seen.insert(next.clone()) {
                    stack.push(next.clone());
                }
            }
        }
    }
}

#[test]
fn every_source_file_is_under_600_lines_and_opens_with_a_module_doc() {
    let (src, mut files) = sources();
    let tests = root().join("tests");
    rust_files(&tests, &mut files);
    let python = root().join("python/src");
    rust_files(&python, &mut files);
    let mut bad = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).expect("utf-8 source");
        let lines = text.lines().count();
        if lines >= 600 {
            bad.push(format!("{}: {lines} lines", f.display()));
        }
        let in_src = f.starts_with(&src) || f.starts_with(&python);
        if in_src && !text.trim_start().starts_with("//!") {
            bad.push(format!("{}: no //! module doc", f.display()));
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

#[test]
fn the_import_scanner_sees_crate_paths_and_skips_test_modules() {
    let text = "use crate::index::PtIndex;\nfn f() { crate::error::caret(\"\", 0); }\n\
                #[cfg(test)]\nmod tests { use crate::cli; }";
    let found: Vec<String> = imports(text).into_iter().collect();
    assert_eq!(found, ["error", "index"]);
}
