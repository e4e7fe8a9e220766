// Shortens the names the wasm module and wasm-bindgen's glue link each other by, in both files alike.
// Usage: node scripts/shorten-imports.mjs <module.wasm> <glue.js>   (both rewritten in place)
//
// wasm-bindgen names every import `__wbg_<function>_<16 hex digits>` under the module `./<crate>_bg.js`: about 60
// bytes per import, repeated for each of ~150 imports, in the wasm (and again as keys in the glue); closures are
// exported as `wasm_bindgen__convert__closures_____invoke__<hash>`. Renaming imports `a`, `b`, … `ab`, … under the
// module `q`, and exports `$a`, `$b`, …, is a minifier's job: only the glue refers to these names. Every import
// must be found exactly once as a key of the glue's import object, or the build stops (a wasm-bindgen upgrade that
// changes the glue's shape must be looked at, not silently mis-linked); an export the glue never names as
// `wasm.<name>` keeps its name.
import { readFileSync, writeFileSync } from "node:fs";

const [wasmPath, gluePath] = process.argv.slice(2);
if (!wasmPath || !gluePath) {
  console.error("usage: node scripts/shorten-imports.mjs <module.wasm> <glue.js>");
  process.exit(2);
}
const bytes = readFileSync(wasmPath);
let glue = readFileSync(gluePath, "utf8");

function leb(buf, pos) {
  let result = 0, shift = 0, byte;
  do {
    byte = buf[pos++];
    result += (byte & 0x7f) * 2 ** shift;
    shift += 7;
  } while (byte & 0x80);
  return [result, pos];
}
function encodeLeb(n) {
  const out = [];
  do {
    let byte = n % 128;
    n = Math.floor(n / 128);
    if (n) byte |= 0x80;
    out.push(byte);
  } while (n);
  return Buffer.from(out);
}
const name = (s) => Buffer.concat([encodeLeb(Buffer.byteLength(s)), Buffer.from(s)]);
const ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
function shortName(i) {
  let s = "";
  do {
    s = ALPHABET[i % ALPHABET.length] + s;
    i = Math.floor(i / ALPHABET.length) - 1;
  } while (i >= 0);
  return s;
}
/** Skips a `limits` structure (flag, min, [max]). */
function skipLimits(buf, p) {
  const flag = buf[p++];
  [, p] = leb(buf, p);
  if (flag & 1) [, p] = leb(buf, p);
  return p;
}

const MODULE = "q";
const parts = [bytes.subarray(0, 8)];
const renames = new Map();
const exportRenames = new Map();
let oldModule = null;
let pos = 8;
while (pos < bytes.length) {
  const id = bytes[pos];
  const [size, bodyStart] = leb(bytes, pos + 1);
  const end = bodyStart + size;
  if (id === 7) {
    let [count, p] = leb(bytes, bodyStart);
    const entries = [encodeLeb(count)];
    for (let i = 0; i < count; i++) {
      const [len, nameStart] = leb(bytes, p);
      const field = bytes.subarray(nameStart, nameStart + len).toString("utf8");
      const [, next] = leb(bytes, nameStart + len + 1);
      const uses = glue.match(new RegExp(`\\bwasm\\.${field.replace(/\$/g, "\\$")}\\b`, "g"))?.length ?? 0;
      let kept = field;
      if (uses > 0) {
        kept = "$" + shortName(exportRenames.size);
        exportRenames.set(field, kept);
      }
      entries.push(name(kept), bytes.subarray(nameStart + len, next));
      p = next;
    }
    const body = Buffer.concat(entries);
    parts.push(Buffer.from([7]), encodeLeb(body.length), body);
    pos = end;
    continue;
  }
  if (id !== 2) {
    parts.push(bytes.subarray(pos, end));
    pos = end;
    continue;
  }
  let [count, p] = leb(bytes, bodyStart);
  const entries = [encodeLeb(count)];
  for (let i = 0; i < count; i++) {
    const [modLen, modStart] = leb(bytes, p);
    const mod = bytes.subarray(modStart, modStart + modLen).toString("utf8");
    const [fieldLen, fieldStart] = leb(bytes, modStart + modLen);
    const field = bytes.subarray(fieldStart, fieldStart + fieldLen).toString("utf8");
    let q = fieldStart + fieldLen;
    const kind = bytes[q++];
    const descStart = q;
    if (kind === 0) [, q] = leb(bytes, q); // function: type index
    else if (kind === 1) q = skipLimits(bytes, q + 1); // table: reftype, limits
    else if (kind === 2) q = skipLimits(bytes, q); // memory: limits
    else if (kind === 3) q += 2; // global: valtype, mutability
    else throw new Error(`shorten-imports: unknown import kind ${kind} for ${mod}.${field}`);
    if (oldModule === null) oldModule = mod;
    if (mod !== oldModule) throw new Error(`shorten-imports: imports from two modules (${oldModule}, ${mod})`);
    const short = shortName(renames.size);
    renames.set(field, short);
    entries.push(name(MODULE), name(short), Buffer.from([kind]), bytes.subarray(descStart, q));
    p = q;
  }
  const body = Buffer.concat(entries);
  parts.push(Buffer.from([2]), encodeLeb(body.length), body);
  pos = end;
}
if (oldModule === null) throw new Error("shorten-imports: the module has no imports");

// The glue: the import object's keys, then the module name it is registered under.
for (const [field, short] of renames) {
  const pattern = new RegExp(`(\\n\\s+)${field.replace(/\$/g, "\\$")}(: )`, "g");
  const found = glue.match(pattern)?.length ?? 0;
  if (found !== 1) throw new Error(`shorten-imports: import ${field} appears ${found} times as a glue key`);
  glue = glue.replace(pattern, `$1${short}$2`);
}
for (const [field, short] of exportRenames) {
  glue = glue.replace(new RegExp(`\\bwasm\\.${field.replace(/\$/g, "\\$")}\\b`, "g"), `wasm.${short}`);
}
const moduleKey = JSON.stringify(oldModule);
if (glue.split(moduleKey + ":").length !== 2) throw new Error(`shorten-imports: module key ${moduleKey} not found once`);
glue = glue.replace(moduleKey + ":", JSON.stringify(MODULE) + ":");

writeFileSync(wasmPath, Buffer.concat(parts));
writeFileSync(gluePath, glue);
console.log(
  `shorten-imports: ${renames.size} imports and ${exportRenames.size} exports renamed, module ${moduleKey} → "${MODULE}"`,
);
