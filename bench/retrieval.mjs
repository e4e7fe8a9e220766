// Part 8, retrieval (docs/RETRIEVAL.md): what the hybrid search costs with the embedding model loaded, on the demo
// store (68 products) and on a 5,000-product store imported through the developer API from a loopback storefront.
// - import: from the import call until every product has its vector (`vectors_pending` of GET /api/v1/models);
// - search: one query embedding + hybrid search per question (bench/load `retrieval`, the server's own
//   catalog::find), every question distinct so none is a cached vector;
// - memory: the server's peak resident set with the model loaded, through the import and the searches.
import { execFile } from "node:child_process";
import { createServer } from "node:http";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { root, startServer } from "./lib/server.mjs";

const MODEL = join(root, "target/models/all-MiniLM-L6-v2");
const PRODUCTS = 5000;
const SEARCH_P99_BUDGET_MS = 30;
const IMPORT_BUDGET_S = 120;
const RSS_BUDGET_MB = 300;

/** `count` products made from the two eval stores' products, each a new line of a different maker and price. */
function bigCatalog(count) {
  const base = [
    ...JSON.parse(readFileSync(join(root, "tests/eval/stores/home.json"), "utf8")).products,
    ...JSON.parse(readFileSync(join(root, "www/shop/catalog.json"), "utf8")).products,
  ];
  const makers = ["Alder", "Birch", "Cedar", "Dune", "Elm", "Fjord", "Grove", "Harbor", "Iris", "Juniper", "Kestrel",
    "Linden", "Maple", "Nordic", "Orchard"];
  const products = [];
  for (let i = 0; i < count; i++) {
    const b = base[i % base.length];
    const line = Math.floor(i / base.length);
    const maker = makers[line % makers.length];
    const factor = 0.8 + ((i * 37) % 41) / 100;
    products.push({
      ...b,
      id: 9000000 + i,
      handle: `${b.handle}-${line}`,
      title: line ? `${maker} ${b.title}` : b.title,
      vendor: line ? `${maker} & Co` : b.vendor,
      variants: b.variants.map((v, k) => ({ ...v, id: 90000000 + i * 20 + k,
        price: (Number(v.price) * factor).toFixed(2),
        compare_at_price: v.compare_at_price ? (Number(v.compare_at_price) * factor).toFixed(2) : null })),
      images: [],
    });
  }
  return products;
}

/** Distinct shopper questions built from the catalog's own words and the eval's questions. */
function questions() {
  const cases = JSON.parse(readFileSync(join(root, "tests/eval/cases.json"), "utf8"));
  const asked = (Array.isArray(cases) ? cases : cases.cases).map((c) => c.turns[0]);
  const kinds = ["jacket", "kettle", "rug", "tent", "towels", "boots", "lamp", "sheets", "backpack", "mug", "sofa",
    "knife", "fleece", "candle", "pan", "gloves", "table", "blanket", "socks", "toaster"];
  const wants = ["", "blue ", "warm ", "cheap ", "red ", "waterproof ", "large ", "linen ", "steel ", "kids "];
  const limits = ["", " under $50", " under $120", " over $200", " on sale", " in size M", " for 4 people"];
  const out = new Set(asked);
  for (const k of kinds) for (const w of wants) for (const l of limits) out.add(`do you have a ${w}${k}${l}?`);
  return [...out];
}

async function json(url, options = {}) {
  const r = await fetch(url, options);
  if (!r.ok) throw new Error(`${options.method || "GET"} ${url}: ${r.status} ${await r.text()}`);
  return r.json();
}

async function pending(server) {
  const list = await json(`${server.url}/api/v1/models`, { headers: { authorization: `Bearer ${server.devKey}` } });
  const model = list.data.find((m) => m.purpose === "embedding");
  if (!model) throw new Error("the server lists no embedding model");
  return model.vectors_pending;
}

async function untilEmbedded(server, timeoutS) {
  const started = Date.now();
  while ((await pending(server)) > 0) {
    if (Date.now() - started > timeoutS * 1000) throw new Error(`vectors still pending after ${timeoutS} s`);
    await new Promise((ok) => setTimeout(ok, 250));
  }
  return (Date.now() - started) / 1000;
}

/** A loopback store serving `products` as Shopify's paged /products.json. */
async function store(products) {
  const server = createServer((req, res) => {
    const u = new URL(req.url, "http://x");
    if (u.pathname !== "/products.json") return res.writeHead(404).end();
    const limit = Number(u.searchParams.get("limit") || 30);
    const page = Number(u.searchParams.get("page") || 1);
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ products: products.slice((page - 1) * limit, page * limit) }));
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  return { url: `http://127.0.0.1:${server.address().port}`, close: () => server.close() };
}

async function search(server, widgetId, file) {
  const args = ["retrieval", "--data", server.data, "--model", MODEL, "--widget-id", widgetId, "--questions", file];
  const { stdout } = await promisify(execFile)(join(root, "target/release/quincer-bench-load"), args,
    { maxBuffer: 1 << 20 });
  return JSON.parse(stdout);
}

function rssMb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (name) => Number(new RegExp(`^${name}:\\s+(\\d+)`, "m").exec(status)[1]);
  return { rss: kb("VmRSS") / 1024, peak: kb("VmHWM") / 1024 };
}

/** @returns {Promise<import("./lib/table.mjs").Row[]>} */
export async function run() {
  const server = await startServer({ replyPaceMs: 0, args: ["--embedding-model", MODEL] });
  const part = "8 retrieval";
  const file = join(root, "target/bench-questions.txt");
  writeFileSync(file, questions().join("\n") + "\n");
  let shop;
  try {
    await untilEmbedded(server, 120);
    const demo = await search(server, server.widgetId, file);
    const auth = { authorization: `Bearer ${server.devKey}`, "content-type": "application/json" };
    const widget = await json(`${server.url}/api/v1/widgets`, { method: "POST", headers: auth,
      body: JSON.stringify({ brand: "Bench" }) });
    shop = await store(bigCatalog(PRODUCTS));
    const started = Date.now();
    await json(`${server.url}/api/v1/widgets/${widget.id}/import-storefront`, { method: "POST", headers: auth,
      body: JSON.stringify({ url: shop.url }) });
    const imported = (Date.now() - started) / 1000;
    const embedded = imported + (await untilEmbedded(server, 600));
    const big = await search(server, widget.id, file);
    const memory = rssMb(server.pid);
    return [
      { part, figure: "demo store: search p50", value: demo.p50_ms, unit: "ms",
        note: `${demo.questions} distinct questions, ${demo.products} products; query embedding + hybrid search` },
      { part, figure: "demo store: search p99", value: demo.p99_ms, unit: "ms" },
      { part, figure: `${PRODUCTS.toLocaleString("en")} products: search p50`, value: big.p50_ms, unit: "ms",
        note: `catalog snapshot built once in ${big.snapshot_ms.toFixed(0)} ms; ${big.with_vectors} vectors` },
      { part, figure: `${PRODUCTS.toLocaleString("en")} products: search p99`, value: big.p99_ms, unit: "ms",
        limit: SEARCH_P99_BUDGET_MS },
      { part, figure: `${PRODUCTS.toLocaleString("en")}-product import, embedded`, value: embedded, unit: "s",
        limit: IMPORT_BUDGET_S, note: `import call ${imported.toFixed(1)} s, then vectors in the background` },
      { part, figure: "server peak RSS with the model", value: memory.peak, unit: "MB", limit: RSS_BUDGET_MB,
        note: `through the import and the searches; ${memory.rss.toFixed(0)} MB after them` },
    ];
  } finally {
    shop?.close();
    await server.stop();
  }
}
