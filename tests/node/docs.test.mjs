// The documentation stays navigable and complete: every relative link of README.md, docs/*.md and the other
// READMEs leads to a file of the repository and every `#anchor` to a heading of its target (GitHub's slugs), every
// document of docs/ is one link away from the README, and every long flag that `quincer-server serve --help` prints
// is documented in docs/OPERATIONS.md. The flag test runs the debug server binary, which `./build.sh test` builds
// before the Node tests (or QUINCER_SERVER_BIN), and fails without it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

const root = resolve(import.meta.dirname, "../..");
const docs = [
  "README.md",
  ...readdirSync(join(root, "docs")).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`),
  // The other READMEs link into docs/ too.
  "fuzz/README.md",
  "i18n/README.md",
  "shopify/README.md",
];

/** The file's lines with fenced code blocks blanked out (line numbers kept). */
function prose(text) {
  let fence = null;
  return text.split("\n").map((line) => {
    const marker = /^\s{0,3}(`{3,}|~{3,})/.exec(line);
    if (fence) {
      if (marker && marker[1][0] === fence[0] && marker[1].length >= fence.length) fence = null;
      return "";
    }
    if (marker) {
      fence = marker[1];
      return "";
    }
    return line;
  });
}

/** GitHub's anchor for a heading's text: markup dropped, lowercased, punctuation removed, spaces to hyphens. */
function slug(heading) {
  const text = heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1") // links and images: their text
    .replace(/<[^>]+>/g, "") // inline HTML
    .replace(/[`*]/g, ""); // code and emphasis markers
  return text.toLowerCase().replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, "").replace(/ /g, "-");
}

const anchorCache = new Map();
/** Every anchor a Markdown file defines: its headings' slugs (repeats get -1, -2…) and explicit HTML ids. */
function anchors(file) {
  if (!anchorCache.has(file)) {
    const seen = new Map();
    const out = new Set();
    for (const line of prose(readFileSync(file, "utf8"))) {
      const heading = /^ {0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
      if (heading) {
        const base = slug(heading[1]);
        const n = seen.get(base) ?? 0;
        seen.set(base, n + 1);
        out.add(n === 0 ? base : `${base}-${n}`);
      }
      for (const m of line.matchAll(/<a\s[^>]*\b(?:id|name)="([^"]+)"/g)) out.add(m[1]);
    }
    anchorCache.set(file, out);
  }
  return anchorCache.get(file);
}

/** The links of a Markdown file, outside code: `{ target, line }` for each `[text](target)` and `![alt](target)`. */
function links(file) {
  const lines = prose(readFileSync(file, "utf8"));
  const text = lines.join("\n").replace(/(`+)(?:(?!\n\n)[\s\S])+?\1(?!`)/g, (code) => code.replace(/[^\n]/g, " "));
  const out = [];
  for (const m of text.matchAll(/!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
    out.push({ target: m[1], line: text.slice(0, m.index).split("\n").length });
  }
  for (const m of text.matchAll(/^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/gm)) {
    out.push({ target: m[1], line: text.slice(0, m.index).split("\n").length });
  }
  return out;
}

test("every relative link of the READMEs and docs/ leads to a file, and every anchor to a heading", () => {
  const broken = [];
  let checked = 0;
  for (const doc of docs) {
    const file = join(root, doc);
    for (const { target, line } of links(file)) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith("//")) continue; // absolute URLs
      checked++;
      const hash = target.indexOf("#");
      const path = decodeURIComponent(hash < 0 ? target : target.slice(0, hash));
      const anchor = hash < 0 ? null : decodeURIComponent(target.slice(hash + 1));
      const dest = path === "" ? file : resolve(dirname(file), path);
      const where = `${doc}:${line}: ${target}`;
      if (relative(root, dest).startsWith("..")) {
        broken.push(`${where} leaves the repository`);
      } else if (!existsSync(dest)) {
        broken.push(`${where}: no file ${relative(root, dest)}`);
      } else if (anchor !== null) {
        if (!dest.endsWith(".md") || statSync(dest).isDirectory()) {
          broken.push(`${where}: an anchor into a file that is not Markdown`);
        } else if (!anchors(dest).has(anchor)) {
          broken.push(`${where}: no heading #${anchor} in ${relative(root, dest)}`);
        }
      }
    }
  }
  assert.ok(checked > 50, `only ${checked} relative links found: is the link parser broken?`);
  assert.deepEqual(broken, [], "broken links");
});

test("every document of docs/ is linked from the README", () => {
  const targets = new Set(links(join(root, "README.md")).map(({ target }) => target.split("#")[0]));
  const unlinked = docs.filter((doc) => doc.startsWith("docs/") && !targets.has(doc));
  assert.deepEqual(unlinked, [], "documents a newcomer cannot reach from the README");
});

test("GitHub slugs, as the link check computes them", () => {
  assert.equal(slug("POST /api/widget/session"), "post-apiwidgetsession");
  assert.equal(slug("GET /api/widget/conversations/:id/events"), "get-apiwidgetconversationsidevents");
  assert.equal(slug("`quincer-server serve`"), "quincer-server-serve");
  assert.equal(slug("Product answers (`show_products`)"), "product-answers-show_products");
  assert.equal(slug("A visitor's message"), "a-visitors-message");
  assert.equal(slug("Personas: one per part of the site"), "personas-one-per-part-of-the-site");
});

test("every long flag of `quincer-server serve --help` is documented in docs/OPERATIONS.md", () => {
  const bin = process.env.QUINCER_SERVER_BIN || join(root, "target/debug/quincer-server");
  assert.ok(
    existsSync(bin),
    `${relative(root, bin)} is missing: run \`cargo build -p quincer-server\` first (./build.sh test does)`,
  );
  const help = execFileSync(bin, ["serve", "--help"], { encoding: "utf8", env: { ...process.env, RUST_LOG: "off" } });
  const flags = [...new Set(help.match(/(?<![\w-])--[a-z0-9][a-z0-9-]*/g))].sort();
  assert.ok(flags.includes("--addr") && flags.includes("--data"), `no flags found in:\n${help}`);

  const operations = readFileSync(join(root, "docs/OPERATIONS.md"), "utf8");
  const start = operations.indexOf("\n## `quincer-server serve`\n");
  assert.ok(start >= 0, "docs/OPERATIONS.md has no \"## `quincer-server serve`\" section");
  const end = operations.indexOf("\n## ", start + 1);
  const section = operations.slice(start, end < 0 ? undefined : end);
  const documented = new Set(section.match(/(?<![\w-])--[a-z0-9][a-z0-9-]*/g));
  const undocumented = flags.filter((flag) => !documented.has(flag));
  assert.deepEqual(undocumented, [], "flags of `serve --help` missing from docs/OPERATIONS.md, `quincer-server serve`");

  // And the other way: the table documents no flag the server does not have.
  const rows = section.split("\n").filter((l) => l.startsWith("| `--"));
  const stale = rows.map((l) => /^\| `(--[a-z0-9-]+)/.exec(l)[1]).filter((flag) => !flags.includes(flag));
  assert.deepEqual(stale, [], "flags in docs/OPERATIONS.md that `serve --help` does not print");
});
