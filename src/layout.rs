//! A test of the module graph: no module of `src/` may depend on itself through others (`a` uses `b`, `b` uses
//! `a`), so each can be read, tested and moved starting from the ones it uses.
//!
//! It reads the sources, not the compiler's view: every `crate::…` path, every `super::…` path and every path
//! through a module's own child (`child::…`) outside comments, strings and `#[cfg(test)]` modules is an edge to the
//! longest module it names. Methods (`chat.start_live()`) are not seen; keep `impl` blocks in the module of their
//! type or in one that the type's users import anyway.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The module path of a source file relative to `src/` (`ui/mod.rs` → `ui`, `lib.rs` → ``).
fn module_of(relative: &str) -> String {
    let path = relative.trim_end_matches(".rs");
    let path = path.strip_suffix("/mod").unwrap_or(path);
    if path == "lib" {
        String::new()
    } else {
        path.replace('/', "::")
    }
}

/// The source with comments, string and char literals blanked, and everything from a `#[cfg(test)]` module on
/// removed (tests may import whatever they check).
fn code(source: &str) -> String {
    let source = match source.find("#[cfg(test)]\nmod ") {
        Some(i) => &source[..i],
        None => source,
    };
    let bytes = source.as_bytes();
    let mut out = String::with_capacity(source.len());
    let mut i = 0;
    while i < bytes.len() {
        let rest = &source[i..];
        if rest.starts_with("//") {
            i += rest.find('\n').unwrap_or(rest.len());
        } else if rest.starts_with("/*") {
            i += rest.find("*/").map_or(rest.len(), |e| e + 2);
        } else if rest.starts_with("r#\"") || rest.starts_with("r\"") {
            let hashes = rest[1..].bytes().take_while(|&b| b == b'#').count();
            let close = format!("\"{}", "#".repeat(hashes));
            let body = 2 + hashes;
            i += body + rest[body..].find(&close).map_or(rest.len() - body, |e| e + close.len());
            out.push_str("\"\"");
        } else if bytes[i] == b'"' {
            i += 1;
            while i < bytes.len() && bytes[i] != b'"' {
                i += if bytes[i] == b'\\' { 2 } else { 1 };
            }
            i += 1;
            out.push_str("\"\"");
        } else if let Some(escaped) = rest.strip_prefix("'\\") {
            // A char literal with an escape (`'\''`, `'\n'`, `'\u{2028}'`): past the escaped character, to the quote.
            let after = escaped.get(1..).unwrap_or("");
            i += 3 + after.find('\'').map_or(after.len(), |e| e + 1);
        } else if rest.len() > 2 && bytes[i] == b'\'' && rest[1..].chars().nth(1) == Some('\'') {
            i += 1 + rest[1..].chars().next().map_or(0, char::len_utf8) + 1;
        } else {
            let c = rest.chars().next().unwrap_or(' ');
            out.push(c);
            i += c.len_utf8();
        }
    }
    out
}

/// The first path segments after each occurrence of `prefix` that starts a path (not `x::prefix`), with `{a, b}`
/// groups expanded one level: `crate::{a, b::c}` gives `a` and `b::c`.
fn paths_after(code: &str, prefix: &str) -> Vec<String> {
    let is_ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let mut found = Vec::new();
    for (at, _) in code.match_indices(prefix) {
        let before = code[..at].chars().next_back().unwrap_or(' ');
        if is_ident(before) || code[..at].ends_with("::") {
            continue;
        }
        let rest = &code[at + prefix.len()..];
        let path = |s: &str| -> String { s.chars().take_while(|&c| is_ident(c) || c == ':').collect() };
        if let Some(group) = rest.strip_prefix('{') {
            let group = &group[..group.find('}').unwrap_or(group.len())];
            found.extend(group.split(',').map(|p| path(p.trim())).filter(|p| !p.is_empty()));
        } else {
            found.push(path(rest));
        }
    }
    found
}

/// The longest known module that `path` (segments relative to the crate root, `super` allowed) names.
fn resolve(path: &str, modules: &BTreeSet<String>) -> Option<String> {
    let mut segments: Vec<&str> = Vec::new();
    for segment in path.split("::").filter(|s| !s.is_empty() && *s != "self") {
        if segment == "super" {
            segments.pop();
        } else {
            segments.push(segment);
        }
    }
    (1..=segments.len()).rev().map(|n| segments[..n].join("::")).find(|m| modules.contains(m))
}

/// Edges `module → modules it uses`, from the sources under `src`.
fn graph(sources: &BTreeMap<String, String>) -> BTreeMap<String, BTreeSet<String>> {
    let modules: BTreeSet<String> = sources.keys().cloned().collect();
    let mut edges = BTreeMap::new();
    for (module, source) in sources {
        let code = code(source);
        let parent = module.rsplit_once("::").map_or("", |(p, _)| p);
        let join = |base: &str, path: &str| if base.is_empty() { path.to_owned() } else { format!("{base}::{path}") };
        let mut targets: Vec<String> = paths_after(&code, "crate::");
        targets.extend(paths_after(&code, "super::").iter().map(|p| join(parent, p)));
        // Paths through the module's own children (`boot::Config` in lib.rs, `launcher::close` in ui/mod.rs).
        for child in modules.iter().filter(|m| m.rsplit_once("::").map_or("", |(p, _)| p) == module && !m.is_empty()) {
            let name = child.rsplit("::").next().unwrap_or(child);
            targets.extend(paths_after(&code, &format!("{name}::")).iter().map(|p| join(child, p)));
        }
        let uses: BTreeSet<String> =
            targets.iter().filter_map(|t| resolve(t, &modules)).filter(|t| t != module).collect();
        edges.insert(module.clone(), uses);
    }
    edges
}

/// A cycle of the graph, as `a → b → … → a`, if there is one.
fn cycle(edges: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        edges: &BTreeMap<String, BTreeSet<String>>,
        done: &mut BTreeSet<String>,
        stack: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        if let Some(start) = stack.iter().position(|n| n == node) {
            let mut found = stack[start..].to_vec();
            found.push(node.to_owned());
            return Some(found);
        }
        if !done.insert(node.to_owned()) {
            return None;
        }
        stack.push(node.to_owned());
        for next in edges.get(node).into_iter().flatten() {
            if let Some(found) = visit(next, edges, done, stack) {
                return Some(found);
            }
        }
        stack.pop();
        None
    }
    let mut done = BTreeSet::new();
    edges.keys().find_map(|node| visit(node, edges, &mut done, &mut Vec::new()))
}

fn read_sources(dir: &Path, root: &Path, into: &mut BTreeMap<String, String>) {
    for entry in std::fs::read_dir(dir).expect("src/ is readable") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            read_sources(&path, root, into);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let relative = path.strip_prefix(root).expect("under src/").to_string_lossy().replace('\\', "/");
            into.insert(module_of(&relative), std::fs::read_to_string(&path).expect("a readable source"));
        }
    }
}

fn name(module: &str) -> &str {
    if module.is_empty() {
        "crate"
    } else {
        module
    }
}

#[test]
fn no_module_depends_on_itself() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut sources = BTreeMap::new();
    read_sources(&root, &root, &mut sources);
    let edges = graph(&sources);
    assert!(edges.get("boot").is_some_and(|uses| uses.contains("chat")), "the parser finds no imports: {edges:?}");
    if let Some(found) = cycle(&edges) {
        let path: Vec<&str> = found.iter().map(|m| name(m)).collect();
        panic!("import circle in src/: {}", path.join(" → "));
    }
}

#[test]
fn finds_a_circle() {
    let sources: BTreeMap<String, String> = [
        ("", "pub mod a;\npub mod b;\npub mod ui;"),
        (
            "a",
            r#"use crate::b::thing; // crate::ui in a comment is no edge
fn f<'l>(x: &'l str) { let _ = ('"', '\'', "crate::ui", 'x', x); }"#,
        ),
        ("b", "use crate::{ui::view, c};"),
        ("c", ""),
        ("ui", "pub mod view;"),
        ("ui::view", "fn f() { super::super::a::g(); }"),
    ]
    .into_iter()
    .map(|(m, s)| (m.to_owned(), s.to_owned()))
    .collect();
    let edges = graph(&sources);
    assert_eq!(edges["a"], BTreeSet::from(["b".to_owned()]));
    assert_eq!(cycle(&edges).map(|c| c.join(" ")), Some("a b ui::view a".to_owned()));
}
