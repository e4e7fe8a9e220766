//! Minifies the widget's stylesheet into `OUT_DIR` (every byte of it ships inside the wasm).
//!
//! Deliberately simple: drops comments, collapses whitespace, and removes spaces next to `{ } ; , :` outside
//! quoted strings. The stylesheet is ours, so it avoids the constructs that would need a real CSS parser
//! (a descendant combinator before a pseudo-class, such as `.a :hover`).

use std::{env, fs, path::Path};

fn main() {
    let source = "src/ui/styles.css";
    println!("cargo:rerun-if-changed={source}");
    let css = fs::read_to_string(source).expect("read styles.css");
    let out = Path::new(&env::var("OUT_DIR").expect("OUT_DIR")).join("styles.min.css");
    fs::write(out, minify(&css)).expect("write minified css");
}

fn minify(css: &str) -> String {
    // Comments out first.
    let mut plain = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(start) = rest.find("/*") {
        plain.push_str(&rest[..start]);
        rest = rest[start + 2..].find("*/").map_or("", |end| &rest[start + 2 + end + 2..]);
    }
    plain.push_str(rest);

    let mut out = String::with_capacity(plain.len());
    let mut quote = None;
    let mut pending_space = false;
    for c in plain.chars() {
        if let Some(q) = quote {
            out.push(c);
            if c == q {
                quote = None;
            }
            continue;
        }
        if c.is_whitespace() {
            pending_space = true;
            continue;
        }
        let tight = |x: char| matches!(x, '{' | '}' | ';' | ',' | ':');
        if pending_space && !out.is_empty() && !tight(c) && !out.ends_with(tight) {
            out.push(' ');
        }
        pending_space = false;
        if c == '"' || c == '\'' {
            quote = Some(c);
        }
        out.push(c);
    }
    out.replace(";}", "}")
}
