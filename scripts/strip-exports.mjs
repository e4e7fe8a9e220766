// Removes exports from a wasm module: node scripts/strip-exports.mjs <in.wasm> <out.wasm> <name-prefix>...
//
// Leptos always compiles in server_fn's browser client, which brings wasm-streams, whose `#[wasm_bindgen]` stream
// adapters (IntoUnderlyingSink, IntoUnderlyingSource, IntoUnderlyingByteSource) are exported from every Leptos
// module whether or not anything uses them. Exports are roots for wasm-opt's dead-code elimination; dropping the
// ones the widget never calls lets wasm-opt remove their code. The JS glue keeps classes for them that nothing
// constructs, so nothing ever calls a removed export.
import { readFileSync, writeFileSync } from "node:fs";

const [input, output, ...prefixes] = process.argv.slice(2);
if (!input || !output || prefixes.length === 0) {
  console.error("usage: node scripts/strip-exports.mjs <in.wasm> <out.wasm> <name-prefix>...");
  process.exit(2);
}
const bytes = readFileSync(input);

function leb(buf, pos) {
  let result = 0, shift = 0, byte;
  do {
    byte = buf[pos++];
    result |= (byte & 0x7f) << shift;
    shift += 7;
  } while (byte & 0x80);
  return [result >>> 0, pos];
}
function encodeLeb(n) {
  const out = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n) byte |= 0x80;
    out.push(byte);
  } while (n);
  return Buffer.from(out);
}

const parts = [bytes.subarray(0, 8)]; // magic + version
let pos = 8, removed = [];
while (pos < bytes.length) {
  const id = bytes[pos];
  const [size, bodyStart] = leb(bytes, pos + 1);
  const end = bodyStart + size;
  if (id !== 7) {
    parts.push(bytes.subarray(pos, end));
  } else {
    let [count, p] = leb(bytes, bodyStart);
    const kept = [];
    for (let i = 0; i < count; i++) {
      const [len, nameStart] = leb(bytes, p);
      const name = bytes.subarray(nameStart, nameStart + len).toString("utf8");
      const kind = bytes[nameStart + len];
      const [, next] = leb(bytes, nameStart + len + 1);
      if (prefixes.some((prefix) => name.startsWith(prefix))) removed.push(name);
      else kept.push(bytes.subarray(p, next));
      p = next;
    }
    const body = Buffer.concat([encodeLeb(kept.length), ...kept]);
    parts.push(Buffer.from([7]), encodeLeb(body.length), body);
  }
  pos = end;
}
writeFileSync(output, Buffer.concat(parts));
console.log(`strip-exports: removed ${removed.length} exports (${prefixes.join(", ")})`);
