// A deliberately small Liquid interpreter for testing shopify/extensions/quincer-chat/blocks/*.liquid without Shopify.
// It knows only what the block uses and throws on any other tag, filter or operator, so a test can never pass by
// silently ignoring Liquid it does not understand:
//   tags     {% comment %}…{% endcomment %}, {% schema %}…{% endschema %} (both output nothing),
//            {% assign x = expr %}, {% if %} / {% elsif %} / {% else %} / {% endif %}
//   output   {{ expr }}, with whitespace control ({{- -}}, {%- -%}) everywhere
//   filters  strip, default, slice, remove_last, escape
//   tests    ==, !=, contains, joined by `and` / `or` (right to left, as Liquid does; no parentheses)
// Semantics follow Shopify's Liquid for these pieces: nil prints as "", only nil and false are falsy, `default`
// also replaces "", `slice` counts a negative offset from the end, `escape` is Ruby's CGI.escapeHTML.

const RAW_BLOCKS = new Set(["comment", "schema"]);

/** Renders `source` with `context` (nested plain objects, e.g. `{ block: { settings }, template }`). */
export function render(source, context) {
  const tokens = tokenize(source);
  const [body] = parseUntil(tokens, 0, []);
  return run(body, { ...context });
}

/** The JSON inside `{% schema %}…{% endschema %}`, parsed. */
export function schemaOf(source) {
  const found = source.match(/\{%-?\s*schema\s*-?%\}([\s\S]*?)\{%-?\s*endschema\s*-?%\}/);
  if (!found) throw new Error("mini-liquid: no {% schema %} block");
  return JSON.parse(found[1]);
}

// ---- tokens: text, {{ output }}, {% tag %}; whitespace control is applied here, to the neighbouring text ----

function tokenize(source) {
  const tokens = [];
  const markup = /\{\{(-?)([\s\S]*?)(-?)\}\}|\{%(-?)([\s\S]*?)(-?)%\}/g;
  let at = 0;
  let match;
  while ((match = markup.exec(source))) {
    tokens.push({ kind: "text", text: source.slice(at, match.index) });
    const isOutput = match[2] !== undefined;
    const [trimLeft, body, trimRight] = isOutput ? match.slice(1, 4) : match.slice(4, 7);
    const kind = isOutput ? "output" : "tag";
    const token = { kind, body: body.trim(), trimLeft: !!trimLeft, trimRight: !!trimRight };
    at = markup.lastIndex;
    const name = token.body.split(/\s+/)[0];
    if (token.kind === "tag" && RAW_BLOCKS.has(name)) {
      // Raw blocks are skipped whole: their content (schema JSON, prose) is not Liquid.
      const end = new RegExp(`\\{%(-?)\\s*end${name}\\s*(-?)%\\}`, "g");
      end.lastIndex = at;
      const closing = end.exec(source);
      if (!closing) throw new Error(`mini-liquid: {% ${name} %} without {% end${name} %}`);
      token.kind = "raw";
      token.trimRight = !!closing[2];
      at = end.lastIndex;
      markup.lastIndex = at;
    }
    tokens.push(token);
  }
  tokens.push({ kind: "text", text: source.slice(at) });
  tokens.forEach((token, i) => {
    if (token.kind === "text") return;
    if (token.trimLeft) tokens[i - 1].text = tokens[i - 1].text.trimEnd();
    if (token.trimRight) tokens[i + 1].text = tokens[i + 1].text.trimStart();
  });
  return tokens;
}

// ---- parse: a flat list of nodes; `if` nodes hold their branches ----

/** Parses from `i` until a tag named in `stops`; returns [nodes, index of that tag (or the end)]. */
function parseUntil(tokens, i, stops) {
  const nodes = [];
  while (i < tokens.length) {
    const token = tokens[i];
    if (token.kind === "text") nodes.push({ text: token.text });
    else if (token.kind === "output") nodes.push({ output: token.body });
    else if (token.kind === "tag") {
      const [name] = token.body.split(/\s+/);
      if (stops.includes(name)) return [nodes, i];
      if (name === "assign") {
        const assign = token.body.match(/^assign\s+([\w]+)\s*=\s*(.+)$/s);
        if (!assign) throw new Error(`mini-liquid: bad assign: ${token.body}`);
        nodes.push({ assign: assign[1], expr: assign[2] });
      } else if (name === "if") {
        const [node, end] = parseIf(tokens, i);
        nodes.push(node);
        i = end;
      } else {
        throw new Error(`mini-liquid: unsupported tag {% ${name} %}`);
      }
    }
    i += 1;
  }
  if (stops.length) throw new Error(`mini-liquid: missing {% ${stops.at(-1)} %}`);
  return [nodes, i];
}

function parseIf(tokens, i) {
  const branches = [];
  let condition = tokens[i].body.replace(/^if\s+/, "");
  for (;;) {
    const [body, end] = parseUntil(tokens, i + 1, ["elsif", "else", "endif"]);
    branches.push({ condition, body });
    const tag = tokens[end].body;
    if (tag === "endif") return [{ branches }, end];
    condition = tag === "else" ? null : tag.replace(/^elsif\s+/, "");
    i = end;
  }
}

// ---- evaluate ----

function run(nodes, scope) {
  let out = "";
  for (const node of nodes) {
    if ("text" in node) out += node.text;
    else if ("output" in node) out += printable(evaluate(node.output, scope));
    else if ("assign" in node) scope[node.assign] = evaluate(node.expr, scope);
    else {
      const taken = node.branches.find((b) => b.condition === null || truthy(test(b.condition, scope)));
      if (taken) out += run(taken.body, scope);
    }
  }
  return out;
}

/** `a == b and c != d`: Liquid groups from the right, without precedence between `and` and `or`. */
function test(condition, scope) {
  const joined = condition.match(/^(.*?)\s+(and|or)\s+(.*)$/s);
  if (joined) {
    const [, left, op, right] = joined;
    const l = truthy(test(left, scope));
    const r = truthy(test(right, scope));
    return op === "and" ? l && r : l || r;
  }
  const compare = condition.match(/^(.+?)\s+(==|!=|contains|<>|<=|>=|<|>)\s+(.+)$/s);
  if (!compare) return evaluate(condition, scope);
  const [, leftExpr, op, rightExpr] = compare;
  const left = evaluate(leftExpr, scope);
  const right = evaluate(rightExpr, scope);
  if (op === "==") return left === right;
  if (op === "!=") return left !== right;
  if (op === "contains") return typeof left === "string" && left.includes(String(right));
  throw new Error(`mini-liquid: unsupported operator ${op}`);
}

/** `value | filter: arg, arg | filter`. */
function evaluate(expr, scope) {
  const [head, ...filters] = splitOutsideQuotes(expr, "|");
  let value = literalOrLookup(head, scope);
  for (const filter of filters) {
    const [, name, args = ""] = filter.match(/^\s*(\w+)\s*(?::(.*))?$/s) || [];
    if (!name) throw new Error(`mini-liquid: bad filter: ${filter}`);
    const values = args.trim() ? splitOutsideQuotes(args, ",").map((arg) => literalOrLookup(arg, scope)) : [];
    value = applyFilter(name, value, values);
  }
  return value;
}

function applyFilter(name, value, args) {
  const text = value == null ? "" : String(value);
  switch (name) {
    case "strip":
      return text.trim();
    case "default":
      return value == null || value === false || value === "" ? args[0] : value;
    case "slice": {
      let [offset, length = 1] = args;
      if (offset < 0) offset += text.length;
      return offset < 0 || offset > text.length ? "" : text.substr(offset, length);
    }
    case "remove_last": {
      const at = text.lastIndexOf(args[0]);
      return at < 0 ? text : text.slice(0, at) + text.slice(at + args[0].length);
    }
    case "escape":
      if (value == null) return value;
      return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
    default:
      throw new Error(`mini-liquid: unsupported filter ${name}`);
  }
}

function literalOrLookup(term, scope) {
  const t = term.trim();
  const quoted = t.match(/^'([^']*)'$|^"([^"]*)"$/);
  if (quoted) return quoted[1] ?? quoted[2];
  if (/^-?\d+$/.test(t)) return Number(t);
  if (t === "nil" || t === "null") return null;
  if (t === "true" || t === "false") return t === "true";
  if (!/^[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)*$/.test(t)) throw new Error(`mini-liquid: unsupported expression: ${t}`);
  return t.split(".").reduce((object, key) => (object == null ? null : object[key] ?? null), scope);
}

function splitOutsideQuotes(text, separator) {
  const parts = [""];
  let quote = null;
  for (const c of text) {
    if (quote) quote = c === quote ? null : quote;
    else if (c === "'" || c === '"') quote = c;
    else if (c === separator) {
      parts.push("");
      continue;
    }
    parts[parts.length - 1] += c;
  }
  return parts;
}

const HTML_ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
const truthy = (value) => value !== null && value !== undefined && value !== false;
const printable = (value) => (value == null ? "" : String(value));
