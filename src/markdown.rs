//! Safe, dependency-free markdown for chat answers.
//!
//! Untrusted text is parsed into a small tree of [`Block`]s and [`Inline`]s, which the UI turns into DOM
//! elements and text nodes (never `innerHTML`). There is no HTML node type: raw HTML, entities and anything
//! unrecognised stay literal text, and every link target passes through [`safe_href`]. The parser never
//! panics, runs in roughly linear time, and accepts incomplete input (it is re-run on every streamed delta):
//! unfinished syntax such as `**bol` or `[a](http://exa` simply shows as text.

use std::mem::take;

/// A block-level element.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A paragraph of inline content.
    Paragraph(Vec<Inline>),
    /// A flat list (nested items are flattened into it).
    List {
        /// `true` for `1.` / `1)` markers, `false` for `-`, `*`, `+` bullets.
        ordered: bool,
        /// The inline content of each item.
        items: Vec<Vec<Inline>>,
    },
    /// The literal content of a fenced code block (the language tag is dropped).
    CodeBlock(String),
    /// An ATX heading (`#` to `######`); the level is not kept.
    Heading(Vec<Inline>),
}

/// An inline element.
#[derive(Debug, Clone, PartialEq)]
pub enum Inline {
    /// Literal text.
    Text(String),
    /// `**strong**` or `__strong__`.
    Strong(Vec<Inline>),
    /// `*emphasis*` or `_emphasis_`.
    Emphasis(Vec<Inline>),
    /// `` `code` ``, taken literally.
    Code(String),
    /// A link whose target was accepted by [`safe_href`].
    Link {
        /// The filtered target.
        href: String,
        /// The link text.
        children: Vec<Inline>,
    },
    /// A line break (a single newline inside a paragraph or list item).
    LineBreak,
}

/// Parses markdown `text` into blocks. Never panics; unfinished or unknown syntax stays literal text.
pub fn parse(text: &str) -> Vec<Block> {
    parse_split(text).0
}

/// Parses `text` as [`parse`] does, and also finds its last *stable boundary*: `(blocks, n, at, m)` where the
/// first `n` blocks are those of `text[..at]`, the others (with the list below) those of `text[at..]`, and no text
/// appended to `text` can change them or move the boundary back.
///
/// A boundary is the start of a line, after a `\n`, where the parser's state is as good as fresh: no paragraph or
/// list pending and no code fence open (`m` is 0), or a list of `m` complete items pending and the line is a
/// complete next item of that list (then block `n` is that list, and the first block of `text[at..]` is a list
/// whose items follow those `m`). So a streamed answer can keep the DOM before the boundary and re-render only
/// what follows it (normally the last block or list item) on each delta.
pub fn parse_split(text: &str) -> (Vec<Block>, usize, usize, usize) {
    // The pending paragraph (`kind` 0, one entry) or list (`kind` 1 bullets, 2 ordered; one entry per item).
    let (mut out, mut items, mut kind, mut blank) = (Vec::new(), Vec::new(), 0, false);
    let mut lines = Lines(text);
    let mut split = (0, 0, 0);
    loop {
        // `kind` and `blank` may be left over from a flushed block, but they only matter while `items` is not
        // empty (see the unit tests), so an empty `items` here is a fresh start.
        let at = text.len() - lines.0.len();
        if items.is_empty() && (at == 0 || text.as_bytes().get(at - 1) == Some(&b'\n')) {
            split = (out.len(), at, 0);
        }
        let Some(line) = lines.next() else { break };
        let t = line.trim_ascii_start();
        let sp = |x: &u8| *x == b' ' || *x == b'\t';
        let (b, ind) = (t.as_bytes(), line.bytes().take_while(sp).count());
        let (ticks, hashes) = (lead(t, b'`'), lead(t, b'#'));
        if ticks >= 3 && b.iter().filter(|&&x| x == b'`').count() == ticks {
            flush(&mut out, &mut items, kind);
            let (mut code, mut closed) = (String::new(), false);
            for l in lines.by_ref() {
                let e = l.trim_ascii();
                if e.len() >= ticks && lead(e, b'`') == e.len() {
                    closed = true;
                    break;
                }
                code.push_str(from(l, l.bytes().take(ind).take_while(sp).count()));
                code.push('\n');
            }
            code.pop();
            out.push(Block::CodeBlock(code));
            // Unclosed, it ran to the end, and it would take in more text: no boundary after it.
            if !closed {
                break;
            }
        } else if t.is_empty() {
            // A blank line ends a paragraph; a list goes on if its next item or indented text follows.
            if kind == 0 {
                flush(&mut out, &mut items, kind);
            }
            blank = true;
        } else if (1..=6).contains(&hashes) && matches!(b.get(hashes), None | Some(b' ' | b'\t')) {
            flush(&mut out, &mut items, kind);
            let s = from(t, hashes).trim_ascii();
            let u = sub(s, 0, s.bytes().rposition(|x| x != b'#').map_or(0, |k| k + 1));
            let closing = matches!(u.bytes().last(), None | Some(b' ' | b'\t'));
            out.push(Block::Heading(inline(if closing { u.trim_ascii_end() } else { s })));
        } else {
            let (k, rest) = item(t).unwrap_or((0, t.trim_ascii_end()));
            // The next item of the pending list, on a complete line: the items so far are final.
            let end = text.len() - lines.0.len();
            if k != 0 && k == kind && !items.is_empty() && text.as_bytes().get(end.wrapping_sub(1)) == Some(&b'\n') {
                split = (out.len(), at, items.len());
            }
            match items.last_mut() {
                // Lazy or indented continuation of the paragraph or last list item.
                Some(last) if k == 0 && (!blank || ind >= 2) => {
                    last.push('\n');
                    last.push_str(rest);
                }
                _ => {
                    if k != kind || k == 0 {
                        flush(&mut out, &mut items, kind);
                    }
                    kind = k;
                    items.push(rest.to_string());
                }
            }
            blank = false;
        }
    }
    flush(&mut out, &mut items, kind);
    (out, split.0, split.1, split.2)
}

/// The lines of a text, without their `\n` or `\r\n` endings (as [`str::lines`]).
struct Lines<'a>(&'a str);

impl<'a> Iterator for Lines<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let s = self.0;
        let b = s.as_bytes();
        let k = b.iter().position(|&x| x == b'\n').unwrap_or(b.len());
        self.0 = from(s, k + 1);
        let cr = k < b.len() && b.get(k.wrapping_sub(1)) == Some(&b'\r');
        (!s.is_empty()).then(|| sub(s, 0, k - cr as usize))
    }
}

/// The number of `c` bytes that `s` starts with.
fn lead(s: &str, c: u8) -> usize {
    let mut k = 0;
    while s.as_bytes().get(k) == Some(&c) {
        k += 1;
    }
    k
}

/// `s[a..e]`, or `""` if that is not a valid range (indices here are always next to ASCII bytes).
fn sub(s: &str, a: usize, e: usize) -> &str {
    s.get(a..e).unwrap_or_default()
}

/// `s[i..]`, or `""` if `i` is past the end.
fn from(s: &str, i: usize) -> &str {
    sub(s, i, s.len())
}

/// Emits the pending paragraph or list, if any.
fn flush(out: &mut Vec<Block>, items: &mut Vec<String>, kind: u8) {
    let mut v: Vec<_> = items.iter().map(|s| inline(s)).collect();
    items.clear();
    if kind > 0 && !v.is_empty() {
        out.push(Block::List { ordered: kind == 2, items: v });
    } else if let Some(p) = v.pop() {
        out.push(Block::Paragraph(p));
    }
}

/// Recognises a list item marker (`- `, `* `, `+ `, `1. `, `1) `): returns the kind (1 bullet, 2 ordered) and
/// the content.
fn item(t: &str) -> Option<(u8, &str)> {
    let b = t.as_bytes();
    let mut d = 0;
    while b.get(d).is_some_and(u8::is_ascii_digit) {
        d += 1;
    }
    let m = *b.get(d)?;
    let r = from(t, d + 1);
    let ok = if d > 0 { d < 10 && matches!(m, b'.' | b')') } else { matches!(m, b'-' | b'*' | b'+') };
    (ok && matches!(r.bytes().next(), None | Some(b' ' | b'\t'))).then(|| (1 + (d > 0) as u8, r.trim_ascii()))
}

/// Copies `s`, replacing every byte for which `hit` is true by `with`.
fn replace(s: &str, hit: fn(u8) -> bool, with: &str) -> String {
    let mut out = String::new();
    let mut seg = 0;
    for (k, x) in s.bytes().enumerate() {
        if hit(x) {
            out.push_str(sub(s, seg, k));
            out.push_str(with);
            seg = k + 1;
        }
    }
    out.push_str(from(s, seg));
    out
}

/// Returns the href to use for a link target, or `None` unless it is an `http:`, `https:`, `mailto:` or `tel:`
/// URL (scheme compared case-insensitively). As browsers do, ASCII control characters (tab, newline, ...) are
/// removed anywhere and surrounding spaces trimmed first, so `"java\tscript:"` and `" JAVASCRIPT:"` cannot
/// slip through. Everything else (relative, protocol-relative, `javascript:`, `data:`, ...) is refused.
pub fn safe_href(raw: &str) -> Option<String> {
    let s = replace(raw, |x| x.is_ascii_control(), "");
    // Only spaces are left of the ASCII whitespace.
    let s = s.trim_ascii();
    ["http:", "https:", "mailto:", "tel:"]
        .iter()
        .any(|p| s.get(..p.len()).is_some_and(|h| h.eq_ignore_ascii_case(p)))
        .then(|| s.to_string())
}

/// Returns the text content of `blocks`: blocks separated by a blank line, list items and line breaks by a
/// newline, links by their text.
pub fn to_plain_text(blocks: &[Block]) -> String {
    fn text(out: &mut String, v: &[Inline]) {
        for n in v {
            match n {
                Inline::Text(t) | Inline::Code(t) => out.push_str(t),
                Inline::Strong(k) | Inline::Emphasis(k) | Inline::Link { children: k, .. } => text(out, k),
                Inline::LineBreak => out.push('\n'),
            }
        }
    }
    let mut out = String::new();
    for (i, b) in blocks.iter().enumerate() {
        if i > 0 {
            out.push_str("\n\n");
        }
        match b {
            Block::Paragraph(v) | Block::Heading(v) => text(&mut out, v),
            Block::CodeBlock(c) => out.push_str(c),
            Block::List { items, .. } => {
                for (j, v) in items.iter().enumerate() {
                    if j > 0 {
                        out.push('\n');
                    }
                    text(&mut out, v);
                }
            }
        }
    }
    out
}

/// Maximum number of open emphasis/bracket frames; bounds the tree depth (and so UI recursion) and the work of
/// each closing delimiter (which keeps parsing linear).
const MAX_OPEN: usize = 32;

/// An open emphasis delimiter run (`*`, `_`) or link bracket (`[`), with the content parsed since.
struct Frame<'a> {
    /// `*`, `_` or `[`.
    c: u8,
    /// The whole delimiter run as written (1 to 3 `*` or `_`, or `[`).
    run: &'a str,
    /// How many of its delimiters are still unmatched.
    n: usize,
    /// The run can both open and close (emphasis), or the bracket may still start a link.
    flag: bool,
    kids: Vec<Inline>,
}

/// Inline parser state: a stack of open frames over the root content (a CommonMark-style delimiter stack).
struct Inl<'a> {
    root: Vec<Inline>,
    st: Vec<Frame<'a>>,
}

impl<'a> Inl<'a> {
    fn top(&mut self) -> &mut Vec<Inline> {
        match self.st.last_mut() {
            Some(f) => &mut f.kids,
            None => &mut self.root,
        }
    }

    fn text(&mut self, s: &str) {
        let v = self.top();
        match v.last_mut() {
            _ if s.is_empty() => {}
            Some(Inline::Text(t)) => t.push_str(s),
            _ => v.push(Inline::Text(s.to_string())),
        }
    }

    fn add(&mut self, n: Inline) {
        match n {
            Inline::Text(s) => self.text(&s),
            n => self.top().push(n),
        }
    }

    /// Closes frames `k..` as literal text (their unmatched delimiters and content go into the frame below).
    fn cut(&mut self, k: usize) {
        while self.st.len() > k {
            let Some(f) = self.st.pop() else { break };
            self.text(sub(f.run, 0, f.n));
            f.kids.into_iter().for_each(|x| self.add(x));
        }
    }

    /// Handles a delimiter run (of `*` or `_`) that can open and/or close emphasis.
    fn delim(&mut self, c: u8, run: &'a str, open: bool, close: bool) {
        let (both, mut n) = (open && close, run.len());
        while close && n > 0 {
            // CommonMark's "rule of 3" (keeps `*a**b**c*` as em(a strong(b) c)): if either run can both open and
            // close, the lengths (at most 3 here) must not sum to 3.
            let found = self.st.iter().rposition(|f| f.c == c && (!(both || f.flag) || run.len() + f.run.len() != 3));
            let Some(k) = found else { break };
            self.cut(k + 1);
            let Some(f) = self.st.last_mut() else { break };
            let u = if n > 1 && f.n > 1 { 2 } else { 1 };
            (f.n, n) = (f.n - u, n - u);
            let kids = take(&mut f.kids);
            f.kids.push(if u == 2 { Inline::Strong(kids) } else { Inline::Emphasis(kids) });
            if f.n == 0 {
                self.cut(k);
            }
        }
        if n > 0 && open && self.st.len() < MAX_OPEN {
            self.st.push(Frame { c, run, n, flag: both, kids: Vec::new() });
        } else {
            self.text(sub(run, 0, n));
        }
    }
}

/// Parses inline content.
fn inline(s: &str) -> Vec<Inline> {
    let c = s.as_bytes();
    let at = |i: usize| c.get(i).copied().unwrap_or(b' ');
    let run = |i: usize| {
        let mut j = i;
        while j < c.len() && c.get(j) == c.get(i) {
            j += 1;
        }
        j - i
    };
    // Only ASCII is classified: anything else counts as a word character.
    let ws = |x: u8| x.is_ascii_whitespace();
    let pun = |x: u8| x.is_ascii_punctuation();
    let mut p = Inl { root: Vec::new(), st: Vec::new() };
    let mut i = 0;
    while i < c.len() {
        let (ch, b) = (c[i], at(i.wrapping_sub(1)));
        // The innermost bracket that may still start a link.
        let open = p.st.iter().rposition(|f| f.c == b'[' && f.flag);
        i = match ch {
            b'\\' if pun(at(i + 1)) => {
                p.text(sub(s, i + 1, i + 2));
                i + 2
            }
            b'\n' => {
                p.add(Inline::LineBreak);
                i + 1
            }
            b'`' => {
                let n = run(i);
                let mut j = i + n;
                // Runs longer than 16 stay literal, which bounds the failed searches (and keeps this linear).
                while n <= 16 && j < c.len() && (c[j] != b'`' || run(j) != n) {
                    j += run(j);
                }
                if n <= 16 && j < c.len() {
                    let (mut a, mut e) = (i + n, j);
                    let sp = |x: u8| x == b' ' || x == b'\n';
                    if sp(at(a)) && sp(at(e - 1)) && sub(s, a, e).bytes().any(|x| !sp(x)) {
                        (a, e) = (a + 1, e - 1);
                    }
                    p.add(Inline::Code(replace(sub(s, a, e), |x| x == b'\n', " ")));
                    j + n
                } else {
                    p.text(sub(s, i, i + n));
                    i + n
                }
            }
            b'*' | b'_' => {
                let n = run(i);
                let a = at(i + n);
                let l = !ws(a) && (!pun(a) || ws(b) || pun(b));
                let r = !ws(b) && (!pun(b) || ws(a) || pun(a));
                // `_` only opens/closes at word boundaries, so snake_case_words stay text.
                let (o, cl) = if ch == b'*' { (l, r) } else { (l && (!r || pun(b)), r && (!l || pun(a))) };
                // Runs longer than 3 stay literal, which bounds nesting.
                p.delim(ch, sub(s, i, i + n), o && n <= 3, cl && n <= 3);
                i + n
            }
            b'[' if p.st.len() < MAX_OPEN => {
                p.st.push(Frame { c: ch, run: "[", n: 1, flag: true, kids: Vec::new() });
                i + 1
            }
            b']' => match open.and_then(|k| Some((k, dest(s, i + 1)?))) {
                Some((k, (url, end))) => {
                    p.cut(k + 1);
                    // No links inside links: earlier brackets become literal.
                    p.st.iter_mut().for_each(|f| f.flag &= f.c != b'[');
                    // The bracket's content becomes the link's, or stays as it is if the target is refused.
                    if let Some(f) = p.st.last_mut() {
                        f.n = 0;
                        if let Some(href) = safe_href(&url) {
                            let children = take(&mut f.kids);
                            f.kids.push(Inline::Link { href, children });
                        }
                    }
                    p.cut(k);
                    end
                }
                None => {
                    if let Some(f) = open.and_then(|k| p.st.get_mut(k)) {
                        f.flag = false;
                    }
                    p.text("]");
                    i + 1
                }
            },
            // Bare URLs as in GFM (after a space, `(`, `*`, `_`, `~`), but not in an unfinished `[a](http://…`.
            _ => match (ch == b'h'
                && open.is_none()
                && (ws(b) || matches!(b, b'*' | b'_' | b'~' | b'('))
                && !(b == b'(' && at(i.wrapping_sub(2)) == b']'))
                .then(|| auto(c, i))
                .flatten()
                .and_then(|e| Some((e, safe_href(sub(s, i, e))?)))
            {
                Some((e, href)) => {
                    p.add(Inline::Link { href, children: vec![Inline::Text(sub(s, i, e).to_string())] });
                    e
                }
                None => {
                    // Plain text up to the next byte that may start syntax.
                    let mut e = i + 1;
                    while c
                        .get(e)
                        .is_some_and(|x| !matches!(x, b'\\' | b'\n' | b'`' | b'*' | b'_' | b'[' | b']' | b'h'))
                    {
                        e += 1;
                    }
                    p.text(sub(s, i, e));
                    e
                }
            },
        };
    }
    p.cut(0);
    p.root
}

/// Parses a link destination `(url "title")` starting at `s[i]`: returns the url and the index after `)`.
fn dest(s: &str, i: usize) -> Option<(String, usize)> {
    let c = s.as_bytes();
    let ws = |mut i: usize| {
        while c.get(i).is_some_and(u8::is_ascii_whitespace) {
            i += 1;
        }
        i
    };
    if c.get(i) != Some(&b'(') {
        return None;
    }
    let mut i = ws(i + 1);
    let angle = c.get(i) == Some(&b'<');
    i += angle as usize;
    let (mut u, mut seg, mut depth) = (String::new(), i, 0);
    loop {
        let x = *c.get(i)?;
        match x {
            b'>' if angle => break,
            b'<' | b'\n' if angle => return None,
            b'\\' if c.get(i + 1).is_some_and(u8::is_ascii_punctuation) => {
                // Drop the backslash; the escaped character is taken literally.
                u.push_str(sub(s, seg, i));
                seg = i + 1;
                i += 1;
            }
            _ if angle => {}
            b'(' if depth < 32 => depth += 1,
            b'(' => return None,
            b')' if depth == 0 => break,
            b')' => depth -= 1,
            _ if x <= b' ' || x == 0x7f => break,
            _ => {}
        }
        i += 1;
    }
    u.push_str(sub(s, seg, i));
    i = ws(i + angle as usize);
    if let Some(&q @ (b'"' | b'\'')) = c.get(i) {
        i += 1;
        loop {
            let x = *c.get(i)?;
            if x == q {
                break;
            }
            i += if x == b'\\' { 2 } else { 1 };
        }
        i = ws(i + 1);
    }
    (c.get(i) == Some(&b')')).then_some((u, i + 1))
}

/// Finds the end of a bare `http://` / `https://` URL starting at `c[i]` (trailing punctuation excluded).
fn auto(c: &[u8], i: usize) -> Option<usize> {
    let r = c.get(i..)?;
    let s = 7 + (r.get(4) == Some(&b's')) as usize;
    if !r.starts_with(b"http") || r.get(s - 3..s) != Some(b"://") {
        return None;
    }
    // The URL runs to a space or `<>[]"``; unbalanced closing parentheses and punctuation at its end are left out.
    let (mut e, mut extra) = (0, 0);
    while let Some(&x) = r.get(e) {
        if x <= b' ' || matches!(x, 0x7f | b'<' | b'>' | b'[' | b']' | b'"' | b'`') {
            break;
        }
        extra += (x == b')') as isize - (x == b'(') as isize;
        e += 1;
    }
    while e > s {
        match r.get(e - 1) {
            Some(b')') if extra > 0 => extra -= 1,
            Some(b'.' | b',' | b'!' | b'?' | b';' | b':' | b'*' | b'_' | b'~' | b'\'') => {}
            _ => break,
        }
        e -= 1;
    }
    (e > s).then_some(i + e)
}

#[cfg(test)]
mod tests {
    use super::*;
    use Inline::*;

    fn t(s: &str) -> Inline {
        Text(s.to_string())
    }

    /// The inlines of a single-paragraph document.
    fn para(s: &str) -> Vec<Inline> {
        match parse(s).as_slice() {
            [Block::Paragraph(v)] => v.clone(),
            other => panic!("not one paragraph: {other:?}"),
        }
    }

    /// Renders the tree as HTML-like text (text unescaped), for compact expectations.
    fn html(s: &str) -> String {
        fn inl(v: &[Inline]) -> String {
            v.iter()
                .map(|n| match n {
                    Text(t) => t.clone(),
                    Strong(k) => format!("<strong>{}</strong>", inl(k)),
                    Emphasis(k) => format!("<em>{}</em>", inl(k)),
                    Code(c) => format!("<code>{c}</code>"),
                    Link { href, children } => format!("<a href={href}>{}</a>", inl(children)),
                    LineBreak => "<br>".into(),
                })
                .collect()
        }
        parse(s)
            .iter()
            .map(|b| match b {
                Block::Paragraph(v) => format!("<p>{}</p>", inl(v)),
                Block::Heading(v) => format!("<h>{}</h>", inl(v)),
                Block::CodeBlock(c) => format!("<pre>{c}</pre>"),
                Block::List { ordered, items } => {
                    let li: String = items.iter().map(|i| format!("<li>{}</li>", inl(i))).collect();
                    if *ordered {
                        format!("<ol>{li}</ol>")
                    } else {
                        format!("<ul>{li}</ul>")
                    }
                }
            })
            .collect()
    }

    /// Calls `f` on every inline of the tree with its depth.
    fn visit<'a>(blocks: &'a [Block], f: &mut impl FnMut(&'a Inline, usize)) {
        fn walk<'a>(v: &'a [Inline], f: &mut impl FnMut(&'a Inline, usize), d: usize) {
            for n in v {
                f(n, d);
                if let Strong(k) | Emphasis(k) | Link { children: k, .. } = n {
                    walk(k, f, d + 1);
                }
            }
        }
        for b in blocks {
            match b {
                Block::Paragraph(v) | Block::Heading(v) => walk(v, f, 0),
                Block::List { items, .. } => items.iter().for_each(|v| walk(v, f, 0)),
                Block::CodeBlock(_) => {}
            }
        }
    }

    /// All link hrefs in the tree.
    fn hrefs(s: &str) -> Vec<String> {
        let mut out = vec![];
        visit(&parse(s), &mut |n, _| {
            if let Link { href, .. } = n {
                out.push(href.clone());
            }
        });
        out
    }

    #[test]
    fn script_tag_is_plain_text() {
        assert_eq!(para("<script>alert(1)</script>"), vec![t("<script>alert(1)</script>")]);
    }

    #[test]
    fn html_tags_and_entities_stay_text() {
        let iframe = "<iframe src=\"https://evil.example\"></iframe>";
        for s in ["<img src=x onerror=alert(1)>", iframe, "&lt;b&gt; &amp; &#106;", "<a href=\"javascript:x\">y</a>"] {
            assert_eq!(para(s), vec![t(s)], "{s}");
        }
    }

    #[test]
    fn dangerous_links_are_dropped_but_text_kept() {
        let bad =
            "[x](javascript:alert(1))|[x](JaVaScRiPt:alert(1))|[x]( javascript:alert(1))|[x](java\tscript:alert(1))\
            |[x](<java\tscript:alert(1)>)|[x](data:text/html,<script>alert(1)</script>)|[x](vbscript:msgbox(1))\
            |[x](file:///etc/passwd)|[x](//evil.example/)|[x](/relative)|[x](\u{1}javascript:alert(1))";
        for s in bad.split('|') {
            assert!(hrefs(s).is_empty(), "{s}");
            assert!(to_plain_text(&parse(s)).contains('x'), "{s}");
        }
        // Only the link text is rendered, never the URL.
        assert_eq!(para("[click *me*](javascript:alert(1))!"), vec![t("click "), Emphasis(vec![t("me")]), t("!")]);
    }

    #[test]
    fn safe_href_filters_schemes() {
        for ok in ["https://a.example/x?y=1#z", "http://a.example", "HTTPS://A.EXAMPLE", "mailto:a@b.example", "tel:+1"]
        {
            assert_eq!(safe_href(ok).as_deref(), Some(ok));
        }
        assert_eq!(safe_href(" https://a.example ").as_deref(), Some("https://a.example"));
        let bad =
            "javascript:alert(1)| JAVASCRIPT:alert(1)|java\tscript:x|java\nscript:x|\0javascript:x|data:text/html,x\
            |vbscript:x|file:///x|//evil.example|/path|page.html||https|ht tp://x|java script:x|\u{a0}javascript:x";
        for bad in bad.split('|') {
            assert_eq!(safe_href(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn safe_links_survive() {
        let site = Link { href: "https://example.com/a?b=1".into(), children: vec![t("site")] };
        assert_eq!(para("[site](https://example.com/a?b=1)"), vec![site]);
        assert_eq!(hrefs("[m](mailto:a@b.example) [p](tel:+1555)"), ["mailto:a@b.example", "tel:+1555"]);
        assert_eq!(hrefs("[w](https://w.example/Rust_(language))"), ["https://w.example/Rust_(language)"]);
        assert_eq!(
            hrefs("[t](https://a.example \"title\") [u](<https://b.example/a b>)"),
            ["https://a.example", "https://b.example/a b"]
        );
        assert_eq!(html("[**b** c](https://a.example)"), "<p><a href=https://a.example><strong>b</strong> c</a></p>");
    }

    #[test]
    fn no_links_inside_links() {
        let s = "[a [b](https://b.example) c](https://c.example)";
        assert_eq!(html(s), "<p>[a <a href=https://b.example>b</a> c](https://c.example)</p>");
    }

    #[test]
    fn autolinks() {
        assert_eq!(html("see https://a.example/x."), "<p>see <a href=https://a.example/x>https://a.example/x</a>.</p>");
        assert_eq!(hrefs("(http://a.example/b), ok"), ["http://a.example/b"]);
        assert_eq!(hrefs("https://w.example/Foo_(bar)!"), ["https://w.example/Foo_(bar)"]);
        assert_eq!(hrefs("**https://a.example/x_y**"), ["https://a.example/x_y"]);
        assert!(hrefs("xhttp://a.example https:// http:// =\"https://a.example\"").is_empty());
    }

    #[test]
    fn emphasis_and_strong() {
        assert_eq!(html("*a* _b_ **c** __d__"), "<p><em>a</em> <em>b</em> <strong>c</strong> <strong>d</strong></p>");
        assert_eq!(para("snake_case_words and __init__x"), vec![t("snake_case_words and __init__x")]);
    }

    #[test]
    fn nested_emphasis() {
        assert_eq!(html("**bold *and em***"), "<p><strong>bold <em>and em</em></strong></p>");
        assert_eq!(html("***both***"), "<p><em><strong>both</strong></em></p>");
        assert_eq!(html("*a **b** c*"), "<p><em>a <strong>b</strong> c</em></p>");
        assert_eq!(html("*foo**bar**baz*"), "<p><em>foo<strong>bar</strong>baz</em></p>");
    }

    #[test]
    fn unmatched_delimiters_stay_literal() {
        for s in ["**bol", "a * b", "x*", "_x", "*[x](https://a.example", "****", "a ** b ** c", "[a] (b)"] {
            assert_eq!(to_plain_text(&parse(s)), s, "{s}");
        }
        assert_eq!(html("**a *b**"), "<p>*<em>a <em>b</em></em></p>");
    }

    #[test]
    fn inline_code_is_literal() {
        assert_eq!(
            html("`<b>*x*</b>` and `[l](javascript:x)`"),
            "<p><code><b>*x*</b></code> and <code>[l](javascript:x)</code></p>"
        );
        assert_eq!(para("`` a`b ``"), vec![Code("a`b".into())]);
        assert_eq!(html("`unclosed *em*"), "<p>`unclosed <em>em</em></p>");
    }

    #[test]
    fn escapes() {
        assert_eq!(para(r"\*not em\* \[x\](y) \_ a\b"), vec![t(r"*not em* [x](y) _ a\b")]);
        assert_eq!(html(r"\# not heading"), "<p># not heading</p>");
    }

    #[test]
    fn paragraphs_and_line_breaks() {
        assert_eq!(para("a\nb\r\n  c"), vec![t("a"), LineBreak, t("b"), LineBreak, t("c")]);
        assert_eq!(html("a\n\n\nb"), "<p>a</p><p>b</p>");
        assert_eq!(parse(""), vec![]);
        assert_eq!(parse("  \n\t\n"), vec![]);
    }

    #[test]
    fn unordered_lists() {
        let s = "Intro:\n- a\n* **b**\n+ c\n  continued\n    - nested\n\n- after blank\n\nafter";
        let want = "<p>Intro:</p><ul><li>a</li><li><strong>b</strong></li><li>c<br>continued</li><li>nested</li>\
            <li>after blank</li></ul><p>after</p>";
        assert_eq!(html(s), want);
    }

    #[test]
    fn ordered_lists() {
        let s = "1. one\n2) two\n\n3. three\n\n   more on three\n- bullet";
        assert_eq!(html(s), "<ol><li>one</li><li>two</li><li>three<br>more on three</li></ol><ul><li>bullet</li></ul>");
        assert_eq!(html("2024 was good\n1.5 too"), "<p>2024 was good<br>1.5 too</p>");
    }

    #[test]
    fn code_fences() {
        let s = "before\n```rust\nlet x = *y*;\n\n<b>hi</b>\n```\nafter";
        assert_eq!(html(s), "<p>before</p><pre>let x = *y*;\n\n<b>hi</b></pre><p>after</p>");
        assert_eq!(parse("  ````\n  a\n    b\n```\n````"), vec![Block::CodeBlock("a\n  b\n```".into())]);
    }

    #[test]
    fn unclosed_fence_runs_to_end() {
        assert_eq!(html("```py\nprint(1)\n# not a heading"), "<pre>print(1)\n# not a heading</pre>");
        assert_eq!(parse("```"), vec![Block::CodeBlock(String::new())]);
    }

    #[test]
    fn headings() {
        let s = "# Title *x*\n###### Six ##\n####### seven\n#hashtag";
        assert_eq!(html(s), "<h>Title <em>x</em></h><h>Six</h><p>####### seven<br>#hashtag</p>");
    }

    #[test]
    fn plain_text() {
        let b = parse("# H\n\nSome **bold** [link](https://a.example)\nnext\n\n- a\n- `b`\n\n```\ncode\n```");
        assert_eq!(to_plain_text(&b), "H\n\nSome bold link\nnext\n\na\nb\n\ncode");
    }

    #[test]
    fn incomplete_streaming_input_is_text() {
        for s in ["[text](http://exa", "[text](https://a.example \"ti", "see [te", "`co", "**bo", "[a](<http"] {
            assert_eq!(para(s), vec![t(s)]);
        }
    }

    const SAMPLE: &str = "# Résumé 🚀 of *naïve* ideas\n\nHere is **bold _and em_** with `code 🦀`, a \
        [link](https://example.com/ü?q=1 \"t\"), see https://exämple.org/päth. Snake_case_ok, 日本語のテキスト *強調*.\n\n\
        - item **one** 👍\n- item [two](mailto:a@b.example)\n  lazy ✓\n\n1. first\n2) second <script>alert('x')</script>\n\n\
        ```rust\nfn main() { println!(\"héllo 🌍\"); }\n```\n> quote \\* esc";

    #[test]
    fn every_streaming_prefix_parses() {
        assert!(SAMPLE.chars().count() > 250);
        for (i, _) in SAMPLE.char_indices().chain([(SAMPLE.len(), ' ')]) {
            let b = parse(&SAMPLE[..i]);
            let _ = to_plain_text(&b);
            assert!(hrefs(&SAMPLE[..i]).iter().all(|h| safe_href(h).as_deref() == Some(h.as_str())));
        }
        assert_eq!(hrefs(SAMPLE), ["https://example.com/ü?q=1", "https://exämple.org/päth", "mailto:a@b.example"]);
        assert!(to_plain_text(&parse(SAMPLE)).contains("<script>alert('x')</script>"));
    }

    #[test]
    fn pathological_inputs_are_fast() {
        let start = std::time::Instant::now();
        for unit in
            ["*[_", "[", "*", "_a ", "a* ", "[a](", "](", "`` `", "**a ", "*_", "[x](a \"", "http://a(", "- *\n"]
        {
            let s = unit.repeat(100_000 / unit.len());
            assert!(to_plain_text(&parse(&s)).len() >= s.len() / 4, "{unit}");
        }
        let elapsed = start.elapsed();
        assert!(elapsed.as_secs_f64() < 3.0, "{elapsed:?}");
    }

    #[test]
    fn nesting_depth_is_bounded() {
        for s in ["*_".repeat(5000) + "a" + &"_*".repeat(5000), "[".repeat(5000) + &"](https://a.example)".repeat(5000)]
        {
            let mut max = 0;
            visit(&parse(&s), &mut |_, d| max = max.max(d));
            assert!(max <= 2 * MAX_OPEN + 2, "{max}");
        }
    }

    #[test]
    fn mixed_document() {
        let s = "## Steps\n\n1. Run `cargo build`\n2. Open [docs](https://docs.rs)\n\nDone!";
        let want =
            "<h>Steps</h><ol><li>Run <code>cargo build</code></li><li>Open <a href=https://docs.rs>docs</a></li></ol>\
            <p>Done!</p>";
        assert_eq!(html(s), want);
    }

    #[test]
    fn task_list_brackets_stay_text() {
        assert_eq!(html("- [ ] todo\n- [x] done"), "<ul><li>[ ] todo</li><li>[x] done</li></ul>");
    }

    #[test]
    fn non_ascii_and_emoji() {
        assert_eq!(
            html("*é* **日本** _ü_ 🚀*x*🚀"),
            "<p><em>é</em> <strong>日本</strong> <em>ü</em> 🚀<em>x</em>🚀</p>"
        );
    }

    #[test]
    fn only_ascii_is_classified() {
        // Non-ASCII characters (letters, emoji, CJK punctuation, Unicode spaces) all count as word characters.
        assert_eq!(html("a_é_b 日_本_語 *日本*。"), "<p>a_é_b 日_本_語 <em>日本</em>。</p>");
        assert_eq!(parse("\u{a0}"), vec![Block::Paragraph(vec![t("\u{a0}")])]);
    }

    #[test]
    fn line_endings() {
        assert_eq!(html("# T\r\n\r\n- a\r\n- b\r\n"), "<h>T</h><ul><li>a</li><li>b</li></ul>");
        assert_eq!(parse("```\r\ncode\r\n"), vec![Block::CodeBlock("code".into())]);
        assert_eq!(parse("```\ncode\n\n"), vec![Block::CodeBlock("code\n".into())]);
    }

    #[test]
    fn code_span_spaces() {
        assert_eq!(
            para("`a\nb` ` c ` `  `"),
            vec![Code("a b".into()), t(" "), Code("c".into()), t(" "), Code("  ".into())]
        );
    }

    /// Documents with every construct that spans lines or blank lines: loose lists, fences with blank lines,
    /// headings, lazy continuations, indented continuations after a blank, CRLF, an unclosed fence.
    const SPLIT_DOCS: &[&str] = &[
        SAMPLE,
        "# Steps\n\n1. one\n\n2. two\n   more\n\n   after blank\n- bullet\n\npara\nlazy\n\n\n```\ncode\n\n# not\n```\n\nend",
        "a\r\n\r\n- x\r\n\r\n- y\r\n\r\ntext\r\n```\r\nfence\r\n\r\n",
        "para\n```\nunclosed\n\nstill code",
        "- a\n\n  indented\n\nb\n# h\n- c\n1. d\n\n\n  \n\te\n\n####### x\n## y ##\n",
    ];

    #[test]
    fn stable_boundaries() {
        let at = |s| parse_split(s).2;
        assert_eq!(parse_split(""), (vec![], 0, 0, 0));
        // A line is only stable once it ends: `# Head` could still grow.
        assert_eq!(parse_split("# Head").1, 0);
        assert_eq!(parse_split("# Head\n").1, 1);
        assert_eq!(at("# Head\n"), 7);
        // A paragraph ends at a blank line; an open fence does not end.
        assert_eq!(at("p\n\nq"), 3);
        assert_eq!(at("```\na\n\nb"), 0);
        assert_eq!(at("```\na\n```\nb"), 10);
        assert_eq!(at("- a\n\nafter\n\nc"), 12);
        // Inside a list: at its last complete item line, with the items before it final.
        assert_eq!(parse_split("- a\n\n- b"), (parse("- a\n\n- b"), 0, 0, 0));
        assert_eq!(parse_split("- a\n\n- b\n").3, 1);
        assert_eq!(parse_split("- a\n  more\n- b\n- c").2, 11);
        assert_eq!(parse_split("- a\n  more\n- b\n- c").3, 1);
    }

    /// Loose lists (items separated by blank lines), continuation lines, a change of marker kind.
    const LISTS: &str =
        "- **a** one\n- b two\n\n- c\n  cont\n\n1. x\n2. y\n\n- z\n\npara\n- after\n* star\n+ plus\n\n  in\n- last\n";

    /// For every streaming prefix: the split parse equals the whole parse, and the incremental renderer's loop
    /// (keep the final blocks and list items, re-parse from the last boundary, continue a kept list with the
    /// tail's first list) shows exactly the blocks of a one-shot parse, and never changes what it kept.
    #[test]
    fn streaming_splits_are_stable() {
        fn items(b: &mut Block) -> &mut Vec<Vec<Inline>> {
            match b {
                Block::List { items, .. } => items,
                other => panic!("not a list: {other:?}"),
            }
        }
        for doc in SPLIT_DOCS.iter().chain(&[LISTS]) {
            let whole = parse(doc);
            // Final blocks, the partly final list (holding only its final items), the boundary's source offset.
            let (mut fin, mut part, mut done): (Vec<Block>, Option<Block>, usize) = (vec![], None, 0);
            for (i, _) in doc.char_indices().skip(1).chain([(doc.len(), ' ')]) {
                let p = &doc[..i];
                assert_eq!(parse_split(p).0, parse(p), "{p:?}");
                let (tail, n, at, m) = parse_split(&p[done..]);
                let (base, mut shown) = (fin.len(), fin.clone());
                let li = part.as_mut().map_or(0, |l| items(l).len());
                shown.extend(part.take());
                for (j, mut b) in tail.into_iter().enumerate() {
                    if j == 0 && li > 0 {
                        let more = take(items(&mut b));
                        items(shown.last_mut().unwrap()).extend(more);
                    } else {
                        shown.push(b);
                    }
                }
                assert_eq!(shown, parse(p), "{p:?}");
                // What was kept is what the whole document has there.
                assert_eq!(shown[..base], whole[..base], "{p:?}");
                if li > 0 {
                    let (mut a, mut b) = (shown[base].clone(), whole[base].clone());
                    assert_eq!(items(&mut a)[..li], items(&mut b)[..li], "{p:?}");
                }
                fin = shown[..base + n].to_vec();
                // Still the same list (`n` 0): its final items grow by `m`; otherwise a new list, or none.
                let li = if n == 0 { li + m } else { m };
                if li > 0 {
                    let mut list = shown[base + n].clone();
                    items(&mut list).truncate(li);
                    part = Some(list);
                }
                done += at;
            }
        }
    }

    #[test]
    fn link_destination_escapes() {
        let s = r"[a](https://a.example/\(x\)) [b](<https://b.example/\>>) [c](https://c.example/\q)";
        assert_eq!(hrefs(s), ["https://a.example/(x)", "https://b.example/>", r"https://c.example/\q"]);
    }
}
