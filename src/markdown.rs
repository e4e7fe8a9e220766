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
    let (mut out, mut para, mut list, mut blank) = (Vec::new(), String::new(), None, false);
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        let t = line.trim_start();
        let ind = line.bytes().take_while(|b| *b == b' ' || *b == b'\t').count();
        let ticks = t.bytes().take_while(|b| *b == b'`').count();
        let hashes = t.bytes().take_while(|b| *b == b'#').count();
        if ticks >= 3 && !t[ticks..].contains('`') {
            flush(&mut out, &mut para, &mut list);
            let mut code = Vec::new();
            for l in lines.by_ref() {
                let e = l.trim();
                if e.len() >= ticks && e.bytes().all(|b| b == b'`') {
                    break;
                }
                code.push(&l[l.bytes().take(ind).take_while(|b| *b == b' ' || *b == b'\t').count()..]);
            }
            out.push(Block::CodeBlock(code.join("\n")));
        } else if t.is_empty() {
            flush(&mut out, &mut para, &mut None);
            blank = true;
        } else if (1..=6).contains(&hashes) && (t.len() == hashes || t[hashes..].starts_with([' ', '\t'])) {
            flush(&mut out, &mut para, &mut list);
            let s = t[hashes..].trim();
            let u = s.trim_end_matches('#');
            out.push(Block::Heading(inline(if u.is_empty() || u.ends_with([' ', '\t']) { u.trim_end() } else { s })));
        } else if let Some((ordered, rest)) = item(t) {
            flush(&mut out, &mut para, &mut None);
            match &mut list {
                Some((o, items)) if *o == ordered => items.push(rest.to_string()),
                _ => {
                    flush(&mut out, &mut para, &mut list);
                    list = Some((ordered, vec![rest.to_string()]));
                }
            }
            blank = false;
        } else {
            match list.as_mut().and_then(|(_, items)| items.last_mut()) {
                // Lazy or indented continuation of the last item.
                Some(last) if !blank || ind >= 2 => {
                    last.push('\n');
                    last.push_str(t.trim_end());
                }
                _ => {
                    flush(&mut out, &mut String::new(), &mut list);
                    if !para.is_empty() {
                        para.push('\n');
                    }
                    para.push_str(t.trim_end());
                }
            }
            blank = false;
        }
    }
    flush(&mut out, &mut para, &mut list);
    out
}

/// Emits the pending paragraph and list, if any.
fn flush(out: &mut Vec<Block>, para: &mut String, list: &mut Option<(bool, Vec<String>)>) {
    if !para.is_empty() {
        out.push(Block::Paragraph(inline(&take(para))));
    }
    if let Some((ordered, items)) = list.take() {
        out.push(Block::List { ordered, items: items.iter().map(|s| inline(s)).collect() });
    }
}

/// Recognises a list item marker (`- `, `* `, `+ `, `1. `, `1) `): returns (ordered, content).
fn item(t: &str) -> Option<(bool, &str)> {
    let d = t.bytes().take_while(u8::is_ascii_digit).count();
    let r = if (1..10).contains(&d) { t[d..].strip_prefix(['.', ')']) } else { t.strip_prefix(['-', '*', '+']) }?;
    (r.is_empty() || r.starts_with([' ', '\t'])).then(|| (d > 0, r.trim()))
}

/// Returns the href to use for a link target, or `None` unless it is an `http:`, `https:`, `mailto:` or `tel:`
/// URL (scheme compared case-insensitively). As browsers do, ASCII control characters (tab, newline, ...) are
/// removed anywhere and surrounding spaces trimmed first, so `"java\tscript:"` and `" JAVASCRIPT:"` cannot
/// slip through. Everything else (relative, protocol-relative, `javascript:`, `data:`, ...) is refused.
pub fn safe_href(raw: &str) -> Option<String> {
    let s: String = raw.chars().filter(|c| !c.is_ascii_control()).collect();
    let s = s.trim_matches(' ');
    let l = s.to_ascii_lowercase();
    ["http:", "https:", "mailto:", "tel:"].iter().any(|p| l.starts_with(p)).then(|| s.to_string())
}

/// Returns the text content of `blocks`: blocks separated by a blank line, list items and line breaks by a
/// newline, links by their text.
pub fn to_plain_text(blocks: &[Block]) -> String {
    fn text(v: &[Inline]) -> String {
        let f = |n: &Inline| match n {
            Inline::Text(t) | Inline::Code(t) => t.clone(),
            Inline::Strong(k) | Inline::Emphasis(k) | Inline::Link { children: k, .. } => text(k),
            Inline::LineBreak => "\n".into(),
        };
        v.iter().map(f).collect()
    }
    let f = |b: &Block| match b {
        Block::Paragraph(v) | Block::Heading(v) => text(v),
        Block::CodeBlock(c) => c.clone(),
        Block::List { items, .. } => items.iter().map(|i| text(i)).collect::<Vec<_>>().join("\n"),
    };
    blocks.iter().map(f).collect::<Vec<_>>().join("\n\n")
}

/// Maximum number of open emphasis/bracket frames; bounds the tree depth (and so UI recursion).
const MAX_OPEN: usize = 32;

/// An open emphasis delimiter run (`*`, `_`) or link bracket (`[`), with the content parsed since.
struct Frame {
    c: char,
    n: usize,
    orig: usize,
    both: bool,
    kids: Vec<Inline>,
}

/// Inline parser state: a stack of open frames over the root content (a CommonMark-style delimiter stack).
struct Inl {
    root: Vec<Inline>,
    st: Vec<Frame>,
    /// Indices in `st` of the brackets that may still start a link.
    br: Vec<usize>,
    /// Per closer kind, the stack index below which no matching opener exists (keeps matching linear).
    bot: [usize; 12],
}

impl Inl {
    fn top(&mut self) -> &mut Vec<Inline> {
        match self.st.last_mut() {
            Some(f) => &mut f.kids,
            None => &mut self.root,
        }
    }

    fn text(&mut self, s: &str) {
        let v = self.top();
        match v.last_mut() {
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

    /// Closes frames `k..` as literal text (their delimiters and content go into the frame below).
    fn cut(&mut self, k: usize) {
        let rest = self.st.split_off(k.min(self.st.len()));
        let l = self.st.len();
        self.bot.iter_mut().for_each(|b| *b = (*b).min(l));
        while self.br.last() >= Some(&l) {
            self.br.pop();
        }
        for f in rest {
            self.text(&f.c.to_string().repeat(f.n));
            f.kids.into_iter().for_each(|x| self.add(x));
        }
    }

    /// Removes the top frame, returning its content.
    fn pop(&mut self) -> Vec<Inline> {
        let kids = self.st.pop().map(|f| f.kids).unwrap_or_default();
        self.cut(self.st.len());
        kids
    }

    /// Handles a delimiter run of `n` × `c` that can open and/or close emphasis.
    fn delim(&mut self, c: char, mut n: usize, open: bool, close: bool) {
        let (orig, both) = (n, open && close);
        let key = (c == '_') as usize * 6 + both as usize * 3 + n % 3;
        while close && n > 0 {
            let found = (self.bot[key]..self.st.len()).rev().find(|&k| {
                let f = &self.st[k];
                // CommonMark's "rule of 3" (keeps `*a**b**c*` as em(a strong(b) c)): if either run can both
                // open and close, the lengths must not sum to a multiple of 3 unless both are multiples of 3.
                f.c == c && (!(both || f.both) || orig % 3 + f.orig % 3 != 3)
            });
            let Some(k) = found else {
                self.bot[key] = self.st.len();
                break;
            };
            self.cut(k + 1);
            let f = &mut self.st[k];
            let u = if n > 1 && f.n > 1 { 2 } else { 1 };
            (f.n, n) = (f.n - u, n - u);
            let kids = take(&mut f.kids);
            let node = if u == 2 { Inline::Strong(kids) } else { Inline::Emphasis(kids) };
            if f.n > 0 {
                f.kids.push(node);
            } else {
                self.pop();
                self.add(node);
            }
        }
        if n > 0 && open && self.st.len() < MAX_OPEN {
            self.st.push(Frame { c, n, orig, both, kids: Vec::new() });
        } else if n > 0 {
            self.text(&c.to_string().repeat(n));
        }
    }
}

/// Parses inline content.
fn inline(s: &str) -> Vec<Inline> {
    let c: Vec<char> = s.chars().collect();
    let at = |i: usize| c.get(i).copied().unwrap_or(' ');
    let run = |i: usize| c[i..].iter().take_while(|&&x| x == c[i]).count();
    let pun = |x: char| !x.is_alphanumeric() && !x.is_whitespace();
    let mut p = Inl { root: Vec::new(), st: Vec::new(), br: Vec::new(), bot: [0; 12] };
    let mut i = 0;
    while i < c.len() {
        let (ch, b) = (c[i], at(i.wrapping_sub(1)));
        i = match ch {
            '\\' if at(i + 1).is_ascii_punctuation() => {
                p.text(&at(i + 1).to_string());
                i + 2
            }
            '\n' => {
                p.add(Inline::LineBreak);
                i + 1
            }
            '`' => {
                let n = run(i);
                let mut j = i + n;
                // Runs longer than 16 stay literal, which bounds the failed searches (and keeps this linear).
                while n <= 16 && j < c.len() && (c[j] != '`' || run(j) != n) {
                    j += if c[j] == '`' { run(j) } else { 1 };
                }
                if n <= 16 && j < c.len() {
                    let s: String = c[i + n..j].iter().map(|&x| if x == '\n' { ' ' } else { x }).collect();
                    let strip = s.starts_with(' ') && s.ends_with(' ') && !s.trim_matches(' ').is_empty();
                    p.add(Inline::Code(if strip { s[1..s.len() - 1].to_string() } else { s }));
                    j + n
                } else {
                    p.text(&"`".repeat(n));
                    i + n
                }
            }
            '*' | '_' => {
                let n = run(i);
                let a = at(i + n);
                let l = !a.is_whitespace() && (!pun(a) || b.is_whitespace() || pun(b));
                let r = !b.is_whitespace() && (!pun(b) || a.is_whitespace() || pun(a));
                // `_` only opens/closes at word boundaries, so snake_case_words stay text.
                let (o, cl) = if ch == '*' { (l, r) } else { (l && (!r || pun(b)), r && (!l || pun(a))) };
                // Runs longer than 3 stay literal, which bounds nesting.
                p.delim(ch, n, o && n <= 3, cl && n <= 3);
                i + n
            }
            '[' if p.st.len() < MAX_OPEN => {
                p.st.push(Frame { c: '[', n: 1, orig: 1, both: false, kids: Vec::new() });
                p.br.push(p.st.len() - 1);
                i + 1
            }
            ']' => match p.br.last().copied().and_then(|k| Some((k, dest(&c, i + 1)?))) {
                Some((k, (url, end))) => {
                    p.cut(k + 1);
                    let kids = p.pop();
                    p.br.clear(); // No links inside links: earlier brackets become literal.
                    match safe_href(&url) {
                        Some(href) => p.add(Inline::Link { href, children: kids }),
                        None => kids.into_iter().for_each(|x| p.add(x)),
                    }
                    end
                }
                None => {
                    p.br.pop();
                    p.text("]");
                    i + 1
                }
            },
            // Bare URLs as in GFM (after a space, `(`, `*`, `_`, `~`), but not in an unfinished `[a](http://…`.
            _ => match (ch == 'h' && p.br.is_empty() && (b.is_whitespace() || "*_~(".contains(b)))
                .then(|| auto(&c, i))
                .filter(|_| !(b == '(' && at(i.wrapping_sub(2)) == ']'))
                .flatten()
            {
                Some(e) => {
                    let u: String = c[i..e].iter().collect();
                    match safe_href(&u) {
                        Some(href) => p.add(Inline::Link { href, children: vec![Inline::Text(u)] }),
                        None => p.text(&u),
                    }
                    e
                }
                None => {
                    p.text(ch.encode_utf8(&mut [0; 4]));
                    i + 1
                }
            },
        };
    }
    p.cut(0);
    p.root
}

/// Parses a link destination `(url "title")` starting at `c[i]`: returns the url and the index after `)`.
fn dest(c: &[char], i: usize) -> Option<(String, usize)> {
    let ws = |mut i: usize| {
        while c.get(i).is_some_and(|x| x.is_whitespace()) {
            i += 1;
        }
        i
    };
    if c.get(i) != Some(&'(') {
        return None;
    }
    let (mut i, mut u, mut depth) = (ws(i + 1), String::new(), 0);
    let angle = c.get(i) == Some(&'<');
    i += angle as usize;
    loop {
        let x = *c.get(i)?;
        match x {
            '>' if angle => {
                i += 1;
                break;
            }
            '<' | '\n' if angle => return None,
            '\\' if c.get(i + 1).is_some_and(char::is_ascii_punctuation) => i += 1,
            _ if angle => {}
            '(' if depth < 32 => depth += 1,
            '(' => return None,
            ')' if depth == 0 => break,
            ')' => depth -= 1,
            _ if x.is_whitespace() || x.is_control() => break,
            _ => {}
        }
        u.push(c[i]);
        i += 1;
    }
    i = ws(i);
    if let Some(&q @ ('"' | '\'')) = c.get(i) {
        i += 1;
        while *c.get(i)? != q {
            i += if c[i] == '\\' { 2 } else { 1 };
        }
        i = ws(i + 1);
    }
    (c.get(i) == Some(&')')).then_some((u, i + 1))
}

/// Finds the end of a bare `http://` / `https://` URL starting at `c[i]` (trailing punctuation excluded).
fn auto(c: &[char], i: usize) -> Option<usize> {
    let head: String = c[i..].iter().take(8).collect();
    let s = i + if head.starts_with("https://") {
        8
    } else if head.starts_with("http://") {
        7
    } else {
        return None;
    };
    let len = c[i..].iter().position(|x| x.is_whitespace() || x.is_control() || "<>[]\"`".contains(*x));
    let mut e = i + len.unwrap_or(c.len() - i);
    let opens = c[i..e].iter().filter(|&&x| x == '(').count();
    let mut closes = c[i..e].iter().filter(|&&x| x == ')').count();
    while e > s {
        match c[e - 1] {
            ')' if closes > opens => closes -= 1,
            '.' | ',' | '!' | '?' | ';' | ':' | '*' | '_' | '~' | '\'' => {}
            _ => break,
        }
        e -= 1;
    }
    (e > s).then_some(e)
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
}
