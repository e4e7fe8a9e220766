// Part 1, bytes over the wire: every file a visitor downloads for the widget (raw, gzip 9, brotli 11), their
// total, and the same for the framework floor (bench/floor, built by the same pipeline in the same run).
import { readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import { root } from "./lib/server.mjs";
import { fmt } from "./lib/table.mjs";

/**
 * What the loader pulls in, in order: the loader (every page view; it carries what draws the launcher), then, when
 * the widget is needed, what loads it (start.js), the panel's stylesheet, the glue and the module.
 */
const WIDGET = ["www/dist/quincer.js", "www/dist/start.js", "www/dist/quincer.css", "www/dist/quincer_widget.js",
  "www/dist/quincer_widget_bg.wasm"];
const FLOOR = ["target/bench/floor/quincer_floor.js", "target/bench/floor/quincer_floor_bg.wasm"];
/** The loader is on every page of the host site. */
const LOADER_BROTLI_BUDGET = 2048;
/** The widget may cost at most this many times the bare framework. */
const FLOOR_RATIO_BUDGET = 2.0;
/** Everything a visitor downloads for the widget, brotli: at most 100 KB. */
const TOTAL_BROTLI_BUDGET = 100000;

function measure(path) {
  const raw = readFileSync(join(root, path));
  return {
    file: basename(path),
    raw: raw.length,
    gzip: gzipSync(raw, { level: 9 }).length,
    brotli: brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

function total(files) {
  const sum = (k) => files.reduce((n, f) => n + f[k], 0);
  return { raw: sum("raw"), gzip: sum("gzip"), brotli: sum("brotli") };
}

const show = (s) => `${fmt(s.raw)} / ${fmt(s.gzip)} / ${fmt(s.brotli)} B`;

/** @returns {import("./lib/table.mjs").Row[]} */
export function run() {
  const widget = WIDGET.map(measure);
  const floor = FLOOR.map(measure);
  const [wt, ft] = [total(widget), total(floor)];
  const part = "1 bytes";
  const rows = widget.map((f) => ({
    part, figure: `${f.file} raw/gz/br`, value: f.brotli, unit: "B", display: show(f),
    ...(f.file === "quincer.js" ? { limit: LOADER_BROTLI_BUDGET } : {}),
  }));
  rows.push({ part, figure: "widget total raw/gz/br", value: wt.brotli, unit: "B", display: show(wt),
    limit: TOTAL_BROTLI_BUDGET, note: "budget on the brotli total" });
  const page = total(widget.slice(0, 1));
  rows.push({ part, figure: "every page view raw/gz/br", value: page.brotli, unit: "B", display: show(page),
    note: "the loader, with what draws the launcher; the rest loads when the widget is needed" });
  rows.push({ part, figure: "floor total raw/gz/br", value: ft.brotli, unit: "B", display: show(ft),
    note: `Leptos 0.8 CSR hello (${floor.map((f) => f.file).join(" + ")})` });
  rows.push({ part, figure: "widget / floor (brotli)", value: wt.brotli / ft.brotli, unit: "x", limit: FLOOR_RATIO_BUDGET });
  rows.push({ part, figure: "widget / floor (raw)", value: wt.raw / ft.raw, unit: "x" });
  return rows;
}
