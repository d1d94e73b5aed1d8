//! The import graph stays one-way (ARCHITECTURE.md): no circle between the
//! top-level modules of `src`, none between the files of `src/tui`, and no
//! top-level module importing one of a higher layer. And the pure layers name
//! no IO (files, network, processes, the database, the terminal, async runtime).
//!
//! Imports are read from the source the way `modcycles.py` (the team's checker)
//! reads them: every `crate::NAME` path (and, inside `src/tui`, every
//! `crate::tui::NAME` and `super::NAME`) outside `#[cfg(test)] mod … { … }`
//! blocks, skipping test files; `main.rs` and `lib.rs` only declare modules.

// Test code: a failed unwrap is a failed test, and helpers need no API docs.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Module -> the modules it imports.
type Graph = BTreeMap<String, BTreeSet<String>>;

/// The layers, lowest first: a module may import modules of lower layers, and
/// its siblings in its own layer as long as that makes no circle (the circle test
/// checks that), never a module of a higher layer. A module missing here (a new
/// one) is checked for circles only; give it its layer here when it settles.
const LAYERS: &[&[&str]] = &[
    &["text", "paths"],
    &["core", "logging", "config_file"],
    &["feed", "config", "html", "query", "fuzzing"],
    &["store"],
    &["fetch"],
    &["fulltext", "sync"],
    &["refresh"],
    &["tui"],
    &["cli"],
];

fn src_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

fn is_word(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// `text` without its `#[cfg(test)] (pub) mod NAME { … }` blocks (braces
/// counted plainly, as the checker script does).
fn strip_test_modules(text: &str) -> String {
    const MARK: &str = "#[cfg(test)]";
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut search = 0;
    while let Some(found) = text[search..].find(MARK) {
        let start = search + found;
        search = start + MARK.len();
        let Some(open) = test_module_body(text, search) else {
            continue;
        };
        out.push_str(&text[copied..start]);
        let (mut depth, mut at) = (1usize, open + 1);
        while at < bytes.len() && depth > 0 {
            match bytes[at] {
                b'{' => depth += 1,
                b'}' => depth -= 1,
                _ => {}
            }
            at += 1;
        }
        copied = at;
        search = at;
    }
    out.push_str(&text[copied..]);
    out
}

/// After `#[cfg(test)]` at `at`: the index of the `{` of `(pub) mod NAME {`, if
/// that is what follows.
fn test_module_body(text: &str, at: usize) -> Option<usize> {
    let mut rest = text[at..].trim_start();
    if let Some(after) = rest.strip_prefix("pub") {
        if !after.starts_with(char::is_whitespace) {
            return None;
        }
        rest = after.trim_start();
    }
    let after = rest.strip_prefix("mod")?;
    if !after.starts_with(char::is_whitespace) {
        return None;
    }
    let after = after.trim_start();
    let name_len = after.bytes().take_while(|c| is_word(*c)).count();
    if name_len == 0 {
        return None;
    }
    let after = after[name_len..].trim_start();
    after.starts_with('{').then(|| text.len() - after.len())
}

/// The word after each `prefix` in `text` that starts at a word boundary.
fn names_after<'t>(text: &'t str, prefix: &str) -> Vec<&'t str> {
    let bytes = text.as_bytes();
    let mut names = Vec::new();
    let mut search = 0;
    while let Some(found) = text[search..].find(prefix) {
        let start = search + found;
        search = start + prefix.len();
        if start > 0 && is_word(bytes[start - 1]) {
            continue;
        }
        let name_len = bytes[search..].iter().take_while(|c| is_word(**c)).count();
        if name_len > 0 {
            names.push(&text[search..search + name_len]);
            search += name_len;
        }
    }
    names
}

/// The first component of `path` below `root`, without `.rs`.
fn unit_of(root: &Path, path: &Path) -> (String, PathBuf) {
    let rel = path.strip_prefix(root).unwrap().to_path_buf();
    let first = rel
        .components()
        .next()
        .unwrap()
        .as_os_str()
        .to_string_lossy();
    (first.trim_end_matches(".rs").to_string(), rel)
}

/// Imports between the top-level modules of `src`.
fn top_level_graph(src: &Path) -> Graph {
    let mut graph = Graph::new();
    for path in rust_files(src) {
        let (module, rel) = unit_of(src, &path);
        let file_name = rel.file_name().unwrap().to_string_lossy().to_string();
        if module == "main" || module == "lib" || file_name.contains("test") {
            continue;
        }
        let text = strip_test_modules(&std::fs::read_to_string(&path).unwrap());
        for name in names_after(&text, "crate::") {
            if name != module {
                graph
                    .entry(module.clone())
                    .or_default()
                    .insert(name.to_string());
            }
        }
    }
    graph
}

/// Imports between the files (and sub-folders) of `src/<folder>`.
fn folder_graph(src: &Path, folder: &str) -> Graph {
    let root = src.join(folder);
    let files = rust_files(&root);
    let names: BTreeSet<String> = files.iter().map(|p| unit_of(&root, p).0).collect();
    let mut graph = Graph::new();
    for path in &files {
        let (me, rel) = unit_of(&root, path);
        if me == "mod" || rel.to_string_lossy().contains("test") {
            continue;
        }
        let text = strip_test_modules(&std::fs::read_to_string(path).unwrap());
        let own = format!("crate::{folder}::");
        for name in names_after(&text, &own)
            .into_iter()
            .chain(names_after(&text, "super::"))
        {
            if names.contains(name) && name != me && name != "mod" {
                graph
                    .entry(me.clone())
                    .or_default()
                    .insert(name.to_string());
            }
        }
    }
    graph
}

/// Every circle, each once, as `a -> b -> … -> a`.
fn cycles(graph: &Graph) -> Vec<String> {
    fn visit(
        graph: &Graph,
        path: &mut Vec<String>,
        seen: &mut BTreeSet<BTreeSet<String>>,
        found: &mut Vec<String>,
    ) {
        let Some(node) = path.last().cloned() else {
            return;
        };
        for next in graph.get(&node).into_iter().flatten() {
            if let Some(at) = path.iter().position(|p| p == next) {
                let circle: Vec<String> = path[at..].to_vec();
                if seen.insert(circle.iter().cloned().collect()) {
                    found.push(format!("{} -> {next}", circle.join(" -> ")));
                }
            } else if path.len() < 12 {
                path.push(next.clone());
                visit(graph, path, seen, found);
                path.pop();
            }
        }
    }
    let mut seen = BTreeSet::new();
    let mut found = Vec::new();
    for node in graph.keys() {
        visit(graph, &mut vec![node.clone()], &mut seen, &mut found);
    }
    found
}

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|layer| layer.contains(&module))
}

/// Imports of a module of a higher layer.
fn upward_imports(graph: &Graph) -> Vec<String> {
    let mut found = Vec::new();
    for (module, imports) in graph {
        for import in imports {
            if let (Some(from), Some(to)) = (layer_of(module), layer_of(import))
                && to > from
            {
                found.push(format!(
                    "{module} (layer {from}) imports {import} (layer {to})"
                ));
            }
        }
    }
    found
}

#[test]
fn top_level_modules_import_each_other_without_circles() {
    let graph = top_level_graph(&src_dir());
    assert!(graph.contains_key("cli") && graph.contains_key("refresh"));
    let found = cycles(&graph);
    assert!(
        found.is_empty(),
        "import circles between top-level modules:\n{}",
        found.join("\n")
    );
}

#[test]
fn tui_files_import_each_other_without_circles() {
    let graph = folder_graph(&src_dir(), "tui");
    assert!(!graph.is_empty());
    let found = cycles(&graph);
    assert!(
        found.is_empty(),
        "import circles between the files of src/tui:\n{}",
        found.join("\n")
    );
}

#[test]
fn top_level_modules_import_only_lower_layers() {
    let found = upward_imports(&top_level_graph(&src_dir()));
    assert!(
        found.is_empty(),
        "imports against the layers (see ARCHITECTURE.md):\n{}",
        found.join("\n")
    );
}

/// Paths that mean IO, which the pure layers must not name outside tests.
const IO_PATHS: &[&str] = &[
    "std::fs",
    "std::net",
    "std::process",
    "std::env",
    "std::io::stdin",
    "std::io::stdout",
    "rusqlite",
    "reqwest",
    "tokio",
    "crossterm::terminal",
    "crossterm::execute",
    "crossterm::event::read",
    "crossterm::event::poll",
];

/// Whether `text` names `path` as a whole path (`std::fs` in `use std::fs;` or
/// `std::fs::read`, not in `std::fsx` or `my_tokio`).
fn mentions(text: &str, path: &str) -> bool {
    let bytes = text.as_bytes();
    text.match_indices(path).any(|(at, _)| {
        let before = at.checked_sub(1).map(|i| bytes[i]);
        let after = bytes.get(at + path.len()).copied();
        !before.is_some_and(is_word) && !after.is_some_and(is_word)
    })
}

/// The IO paths named in the non-test code of `src/<module>`, as `file: path`.
fn io_in(src: &Path, module: &str, allowed: &[(&str, &str)]) -> Vec<String> {
    let root = src.join(module);
    let files = if root.is_dir() {
        rust_files(&root)
    } else {
        vec![src.join(format!("{module}.rs"))]
    };
    let mut found = Vec::new();
    for path in files {
        let rel = path
            .strip_prefix(src)
            .unwrap()
            .to_string_lossy()
            .to_string();
        if rel.rsplit('/').next().unwrap_or("").contains("test") {
            continue;
        }
        let text = strip_test_modules(&std::fs::read_to_string(&path).unwrap());
        for io in IO_PATHS {
            if allowed.contains(&(rel.as_str(), *io)) {
                continue;
            }
            if mentions(&text, io) {
                found.push(format!("{rel}: {io}"));
            }
        }
    }
    found
}

#[test]
fn pure_layers_name_no_io() {
    let src = src_dir();
    let mut found = Vec::new();
    for module in ["text", "core", "feed", "html", "query"] {
        found.extend(io_in(&src, module, &[]));
    }
    // Reading the config file is the one IO of `config` (`Config::load_file`).
    found.extend(io_in(&src, "config", &[("config/load.rs", "std::fs")]));
    assert!(
        found.is_empty(),
        "IO in a pure layer:\n{}",
        found.join("\n")
    );
}

/// The checker itself finds what it must and ignores what it must.
#[test]
fn the_checker_sees_planted_circles_and_skips_test_code() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path();
    std::fs::create_dir_all(src.join("store")).unwrap();
    std::fs::create_dir_all(src.join("tui")).unwrap();
    let write = |path: &str, text: &str| std::fs::write(src.join(path), text).unwrap();
    write(
        "lib.rs",
        "pub mod feed; pub mod store; pub mod text; pub mod tui;",
    );
    write("text.rs", "//! Pure.\n");
    write(
        "feed.rs",
        "use crate::store::FeedSpec;\nuse crate::text::Direction;\n",
    );
    write("store/mod.rs", "use crate::feed::ParsedFeed;\n");
    // Test-only imports do not count, in a test module or a test file.
    write(
        "store/query.rs",
        "fn f() {}\n#[cfg(test)]\nmod tests {\n    use crate::tui::Model;\n    fn g() { if true { } }\n}\n",
    );
    write("store/update_tests.rs", "use crate::tui::Model;\n");
    write("tui/mod.rs", "pub mod model; pub mod list;");
    write(
        "tui/model.rs",
        "use super::list::HeadlineList;\nuse crate::feed::X;\n",
    );
    write("tui/list.rs", "use crate::tui::model::Model;\n");
    write(
        "tui/view.rs",
        "use super::super::list::X;\nuse mycrate::model::Y;\n",
    );

    let top = top_level_graph(src);
    assert_eq!(cycles(&top), ["feed -> store -> feed"]);
    assert!(!top["store"].contains("tui"), "{top:?}");
    // tui -> feed goes down, feed -> html stays in its layer; feed -> store goes up.
    assert_eq!(
        upward_imports(&top),
        ["feed (layer 2) imports store (layer 3)"]
    );
    let tui = folder_graph(src, "tui");
    assert_eq!(cycles(&tui), ["list -> model -> list"]);
    assert!(!tui.contains_key("view"), "{tui:?}");

    write(
        "html.rs",
        "use std::fs::read;\nfn f() { tokio::spawn(async {}); }\n#[cfg(test)]\nmod tests { use std::net::TcpListener; }\n",
    );
    assert_eq!(
        io_in(src, "html", &[]),
        ["html.rs: std::fs", "html.rs: tokio"]
    );
    assert!(io_in(src, "html", &[("html.rs", "std::fs"), ("html.rs", "tokio")]).is_empty());
}
