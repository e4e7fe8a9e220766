// Writes www/shop/catalog.json: the demo store's products in Shopify's `/products.json` shape.
// Deterministic (a seeded PRNG, fixed dates): running it twice gives the same file, so the diff of a change to
// this script is the diff of the catalog. No dependencies. Usage: node scripts/gen-catalog.mjs
//
// Images are root-relative `/shop/images/<kind>-<rrggbb>.svg` paths, drawn by the server (server/src/shop/images.rs)
// and made absolute on the request's host when the feed is served.
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const OUT = fileURLToPath(new URL("../www/shop/catalog.json", import.meta.url));
const VENDOR = "Northwind Outfitters";

// mulberry32: small, seeded, good enough to pick sold-out variants reproducibly.
let seed = 20260301;
function random() {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

const COLORS = {
  Navy: "1e3a8a", Black: "1c1917", "Forest Green": "166534", Red: "b91c1c", Slate: "475569", Ochre: "b45309",
  Teal: "0f766e", Plum: "7e22ce", Sand: "a8a29e", Sky: "0284c7", Olive: "4d7c0f", Charcoal: "374151",
  Rust: "c2410c", Heather: "9ca3af", Berry: "be185d", Glacier: "67e8f9", Moss: "65a30d", Cream: "d6d3d1",
};
const SIZES = {
  apparel: ["XS", "S", "M", "L", "XL"],
  apparelWide: ["S", "M", "L", "XL", "XXL"],
  kids: ["4", "6", "8", "10", "12"],
  boots: ["7", "8", "9", "10", "11", "12"],
  socks: ["S", "M", "L"],
  packs: ["S/M", "M/L"],
  gloves: ["S", "M", "L", "XL"],
};

// [title, product_type, kind (image silhouette, or null for no images), price, compare_at or null,
//  sizes key or null, colours, tags, description HTML, flags]
// Flags: soldOut (every variant), partialSale (only the first colour is reduced), options (custom option rows).
const PRODUCTS = [
  ["Stormline 3L Jacket", "Rain Jackets", "jacket", "289.00", null, "apparelWide", ["Navy", "Black", "Red"], ["waterproof", "rain", "3-layer", "hiking", "men"], "<p>Our most protective shell: a <strong>3-layer</strong> membrane rated 20,000&nbsp;mm waterproof and 20,000&nbsp;g breathable, with fully taped seams.</p><ul><li>Helmet-compatible storm hood</li><li>Pit zips</li><li>Two chest pockets</li></ul>"],
  ["Drizzle Packable Rain Jacket", "Rain Jackets", "jacket", "129.00", null, "apparel", ["Sky", "Ochre", "Black"], ["waterproof", "rain", "packable", "travel", "unisex"], "<p>A 2.5-layer, 10,000&nbsp;mm rain jacket that packs into its own pocket. Made for showers &amp; city days.</p>"],
  ["Cloudburst 2.5L Jacket", "Rain Jackets", "jacket", "149.00", null, "apparel", ["Teal", "Charcoal"], ["waterproof", "rain", "hiking", "women"], "<p>Light, waterproof and breathable, with an adjustable hood and <em>stretch</em> cuffs. Fully seam-taped.</p>"],
  ["Tempest Pro Shell", "Rain Jackets", "jacket", "349.00", "399.00", "apparelWide", ["Red", "Slate"], ["waterproof", "rain", "alpine", "3-layer", "sale"], "<p>Alpine-grade 3-layer shell for all-day downpours and wind. 28,000&nbsp;mm waterproof.</p><ul><li>Two-way front zip</li><li>Harness-compatible pockets</li></ul>"],
  ["Squall Lightweight Rain Jacket", "Rain Jackets", "jacket", "99.00", "129.00", "apparel", ["Olive", "Navy", "Berry"], ["waterproof", "rain", "lightweight", "sale", "unisex"], "<p>Just 210&nbsp;g: a featherweight waterproof jacket for running and fast hiking.</p>"],
  ["Monsoon Trench", "Rain Jackets", "jacket", "219.00", null, "apparel", ["Sand", "Black"], ["waterproof", "rain", "city", "women"], "<p>A longer, lined waterproof trench with a detachable hood. Seam-sealed &amp; breathable.</p>"],
  ["Skagen Rain Anorak", "Rain Jackets", "jacket", "139.00", null, "apparel", ["Ochre", "Forest Green"], ["waterproof", "rain", "anorak", "unisex"], "<p>Half-zip waterproof anorak with a big kangaroo pocket. 15,000&nbsp;mm.</p>"],
  ["Mistral Women's Rain Jacket", "Rain Jackets", "jacket", "159.00", null, "apparel", ["Plum", "Glacier", "Black"], ["waterproof", "rain", "hiking", "women"], "<p>Tailored fit, 20,000&nbsp;mm waterproof, with pit zips and a stowable hood.</p>"],
  ["Fjordline Insulated Rain Jacket", "Rain Jackets", "jacket", "259.00", null, "apparelWide", ["Navy", "Rust"], ["waterproof", "rain", "insulated", "winter", "men"], "<p>Waterproof outside, synthetic insulation inside: for cold rain and wet snow.</p>"],
  ["Kids' Puddle Jumper Rain Jacket", "Rain Jackets", "jacket", "69.00", null, "kids", ["Red", "Sky"], ["waterproof", "rain", "kids"], "<p>Waterproof, reflective and tough enough for every puddle. Grows with them: extendable sleeves.</p>"],
  ["Windrunner Wind Shell", "Jackets", "jacket", "119.00", null, "apparel", ["Glacier", "Black"], ["wind", "running", "lightweight", "unisex"], "<p>Wind-resistant, water-repellent (not waterproof) shell weighing 150&nbsp;g.</p>"],
  ["Guide Softshell Jacket", "Jackets", "jacket", "199.00", null, "apparelWide", ["Charcoal", "Forest Green"], ["softshell", "climbing", "stretch", "men"], "<p>Four-way stretch softshell for climbing and ski touring. Breathes when you work hard.</p>"],
  ["Alder Grid Fleece", "Fleece", "fleece", "89.00", null, "apparel", ["Heather", "Navy", "Moss"], ["fleece", "midlayer", "hiking", "unisex"], "<p>Grid fleece that traps warmth and vents sweat: the midlayer you will live in.</p>"],
  ["Cascade 200 Fleece Jacket", "Fleece", "fleece", "109.00", "129.00", "apparelWide", ["Forest Green", "Black", "Rust"], ["fleece", "midlayer", "sale", "men"], "<p>Classic 200-weight fleece made from <strong>recycled</strong> bottles.</p>", { partialSale: true }],
  ["Timberline Sherpa Pullover", "Fleece", "fleece", "119.00", null, "apparel", ["Cream", "Ochre"], ["fleece", "sherpa", "casual", "women"], "<p>Cosy high-pile sherpa with a snap placket and chest pocket.</p>"],
  ["Basecamp Quarter-Zip Fleece", "Fleece", "fleece", "69.00", null, "apparel", ["Slate", "Teal", "Berry"], ["fleece", "midlayer", "value", "unisex"], "<p>Light microfleece quarter-zip. Layer it under any shell.</p>"],
  ["Høgfjell Pile Jacket", "Fleece", "fleece", "139.00", null, "apparelWide", ["Cream", "Charcoal"], ["fleece", "pile", "winter", "men"], "<p>Deep-pile jacket inspired by Norwegian mountain huts. Windproof chest panel.</p>"],
  ["Kids' Trail Fleece Hoodie", "Fleece", "fleece", "49.00", null, "kids", ["Berry", "Sky", "Moss"], ["fleece", "kids", "hoodie"], "<p>Soft, warm and machine-washable. Thumb loops keep sleeves in place.</p>"],
  ["Jökull Down Parka", "Down Jackets", "parka", "449.00", null, "apparelWide", ["Black", "Glacier", "Red"], ["down", "winter", "parka", "800-fill", "waterproof"], "<p>Our warmest parka: <strong>800-fill</strong> RDS-certified down under a waterproof 2-layer shell. Rated to &minus;30&nbsp;°C.</p><ul><li>Faux-fur ruff</li><li>Two-way zip</li><li>Fleece-lined hand pockets</li></ul>"],
  ["Ridge Down Hoodie", "Down Jackets", "jacket", "229.00", null, "apparel", ["Navy", "Plum", "Olive"], ["down", "800-fill", "packable", "hiking"], "<p>800-fill RDS down in a packable hoodie. Water-resistant shell fabric.</p>"],
  ["Summit 800 Down Jacket", "Down Jackets", "jacket", "279.00", "329.00", "apparelWide", ["Red", "Black"], ["down", "800-fill", "alpine", "sale"], "<p>Box-baffled 800-fill down jacket for belays and cold summits.</p>"],
  ["Featherline Down Vest", "Down Jackets", "vest", "149.00", null, "apparel", ["Navy", "Ochre"], ["down", "vest", "layering"], "<p>A warm core with free arms. 700-fill down.</p>"],
  ["Polar Expedition Parka", "Down Jackets", "parka", "549.00", null, "apparelWide", ["Red", "Black"], ["down", "expedition", "winter", "waterproof"], "<p>Expedition parka with 900-fill down. Back next winter.</p>", { soldOut: true }],
  ["Ember Synthetic Insulated Jacket", "Insulated Jackets", "jacket", "189.00", null, "apparel", ["Rust", "Teal"], ["insulated", "synthetic", "wet weather", "vegan"], "<p>Synthetic insulation that stays warm when wet. Animal-free.</p>"],
  ["Trailhead Mid Waterproof Boot", "Hiking Boots", "boot", "179.00", null, "boots", ["Charcoal", "Ochre"], ["boots", "waterproof", "hiking", "men"], "<p>Waterproof membrane, grippy lugged sole and a supportive mid cut. Broken in out of the box.</p>"],
  ["Granite Peak Leather Boot", "Hiking Boots", "boot", "229.00", null, "boots", ["Rust"], ["boots", "leather", "backpacking", "resoleable"], "<p>Full-grain leather backpacking boot with a resoleable Vibram-style sole.</p>"],
  ["Switchback Low Hiker", "Hiking Boots", "boot", "139.00", "159.00", "boots", ["Slate", "Olive"], ["shoes", "hiking", "lightweight", "sale"], "<p>A light, breathable low hiker for dry trails.</p>"],
  ["Scree Approach Shoe", "Hiking Boots", "boot", "129.00", null, "boots", ["Black", "Sky"], ["shoes", "approach", "climbing"], "<p>Sticky rubber toe and a climbing zone for scrambles.</p>"],
  ["Kestrel Women's Hiking Boot", "Hiking Boots", "boot", "169.00", null, "boots", ["Plum", "Sand"], ["boots", "waterproof", "hiking", "women"], "<p>Women's-specific last, waterproof, with a cushioned midsole.</p>"],
  ["Névé Winter Boot", "Winter Boots", "boot", "249.00", null, "boots", ["Black"], ["boots", "winter", "insulated", "waterproof"], "<p>Insulated to &minus;40&nbsp;°C with a removable felt liner. Crampon-compatible heel welt.</p>"],
  ["Åre Merino Base Layer Crew", "Base Layers", "base-layer", "89.00", null, "apparel", ["Black", "Heather", "Berry"], ["merino", "base layer", "wool", "skiing"], "<p>200&nbsp;g/m² merino wool crew. Warm, soft and odour-resistant for days.</p>"],
  ["Åre Merino Base Layer Bottoms", "Base Layers", "pants", "79.00", null, "apparel", ["Black", "Heather"], ["merino", "base layer", "wool", "skiing"], "<p>Matching 200&nbsp;g/m² merino leggings with a flat-seam waistband.</p>"],
  ["Lofoten Midweight Zip Neck", "Base Layers", "base-layer", "99.00", null, "apparelWide", ["Navy", "Forest Green"], ["merino", "base layer", "zip neck"], "<p>Midweight merino-blend zip neck for cold-weather activity.</p>"],
  ["Thermal Grid Long Sleeve", "Base Layers", "base-layer", "59.00", "75.00", "apparel", ["Teal", "Charcoal", "Rust"], ["synthetic", "base layer", "running", "sale"], "<p>Quick-drying synthetic grid fabric. Great for running in the cold.</p>"],
  ["Kids' Merino Base Layer Set", "Base Layers", "base-layer", "65.00", null, "kids", ["Sky", "Berry"], ["merino", "base layer", "kids"], "<p>Top &amp; bottoms in soft 150&nbsp;g/m² merino.</p>"],
  ["Traverse Trail Pants", "Pants", "pants", "99.00", null, null, ["Charcoal", "Sand"], ["pants", "hiking", "stretch", "men"], "<p>Stretch trail pants in short, regular and long inseams. DWR-treated.</p>", { options: [["Waist", ["30", "32", "34", "36"]], ["Inseam", ["Short", "Regular", "Long"]]] }],
  ["Cairn Convertible Pants", "Pants", "pants", "89.00", null, "apparel", ["Sand", "Olive"], ["pants", "convertible", "travel", "women"], "<p>Zip-off legs turn them into shorts. UPF 50.</p>"],
  ["Stormline Rain Pants", "Pants", "pants", "149.00", null, "apparelWide", ["Black"], ["waterproof", "rain", "pants", "3-layer"], "<p>3-layer waterproof pants with full-length side zips.</p>"],
  ["Bouldering Canvas Pants", "Pants", "pants", "85.00", null, "apparel", ["Ochre", "Charcoal"], ["pants", "climbing", "organic cotton"], "<p>Organic cotton canvas with a gusseted crotch and a chalk-bag loop.</p>"],
  ["Fjällvik Classic Pack", "Backpacks", "pack", "89.00", null, null, ["Ochre", "Forest Green", "Navy", "Berry"], ["backpack", "daypack", "city", "classic"], "<p>A boxy 16-litre classic made of waxed canvas, with a laptop sleeve. Sits square on the back.</p>"],
  ["Ridgeback 28L Daypack", "Backpacks", "pack", "129.00", null, null, ["Slate", "Teal"], ["backpack", "daypack", "hiking"], "<p>Ventilated back panel, hip-belt pockets and a rain cover in the lid.</p>"],
  ["Alpine Attack 40", "Backpacks", "pack", "189.00", null, "packs", ["Red", "Black"], ["backpack", "alpine", "climbing"], "<p>A stripped-down climbing pack with ice-tool and rope attachments.</p>"],
  ["Long Trail 65L Backpack", "Backpacks", "pack", "279.00", "319.00", "packs", ["Forest Green", "Charcoal"], ["backpack", "backpacking", "sale", "thru-hike"], "<p>Adjustable torso, load lifters and a hip belt that carries 20&nbsp;kg in comfort.</p>"],
  ["Summit Sling 8L", "Backpacks", "pack", "49.00", null, null, ["Black", "Glacier"], ["sling", "travel", "city"], "<p>Everyday sling with a quick-access phone pocket.</p>"],
  ["Hydration Vest 12L", "Backpacks", "pack", "119.00", null, "socks", ["Sky"], ["running", "hydration", "trail running"], "<p>Two 500&nbsp;ml soft flasks included. Bounce-free fit.</p>"],
  ["Roll-Top Dry Bag 20L", "Accessories", null, "39.00", null, null, ["Ochre", "Sky"], ["dry bag", "waterproof", "paddling"], "<p>Welded seams, roll-top closure: fully waterproof.</p>"],
  ["Ribbed Merino Beanie", "Hats", "beanie", "35.00", null, null, ["Charcoal", "Rust", "Cream"], ["beanie", "merino", "winter"], "<p>Double-layer ribbed merino. One size.</p>"],
  ["Fair Isle Pom Beanie", "Hats", "beanie", "39.00", "45.00", null, ["Navy", "Red"], ["beanie", "wool", "winter", "sale"], "<p>Knitted Fair Isle pattern with a faux-fur pom &amp; fleece lining.</p>"],
  ["Trail Cap", "Hats", "cap", "29.00", null, null, ["Olive", "Black", "Sand"], ["cap", "sun", "hiking"], "<p>Quick-dry five-panel cap with a sweat-wicking band.</p>"],
  ["Sunshade Wide Brim Hat", "Hats", null, "45.00", null, "socks", ["Sand"], ["hat", "sun", "UPF 50"], "<p>UPF 50 wide brim hat with a chin strap. It floats.</p>"],
  ["Trail Crew Merino Socks", "Socks", "socks", "24.00", null, "socks", ["Charcoal", "Moss", "Berry"], ["socks", "merino", "hiking"], "<p>Cushioned merino crew socks. Lifetime guarantee.</p>"],
  ["Expedition Heavyweight Socks", "Socks", "socks", "29.00", null, "socks", ["Heather", "Red"], ["socks", "merino", "winter", "mountaineering"], "<p>Full-cushion heavyweight socks for boots in the cold.</p>"],
  ["Ultralight Running Socks 3-Pack", "Socks", "socks", "36.00", null, "socks", ["Black"], ["socks", "running", "3-pack"], "<p>Thin, fast-drying, blister-resistant.</p>", { soldOut: true }],
  ["Liner Socks", "Socks", "socks", "16.00", null, "socks", ["Black", "Cream"], ["socks", "liner", "hiking"], "<p>Thin liners that wick sweat away under hiking socks.</p>"],
  ["Summit Softshell Gloves", "Gloves", "gloves", "49.00", null, "gloves", ["Black", "Charcoal"], ["gloves", "softshell", "touchscreen"], "<p>Touchscreen-friendly softshell gloves with a grippy palm.</p>"],
  ["Blizzard Mittens", "Gloves", "gloves", "69.00", null, "gloves", ["Red", "Navy"], ["mittens", "waterproof", "insulated", "winter"], "<p>Waterproof, insulated mittens with removable liners.</p>"],
  ["Scree Gaiters", "Accessories", "socks", "45.00", null, "socks", ["Black"], ["gaiters", "waterproof", "hiking"], "<p>Keep grit and snow out of your boots. Waterproof uppers.</p>"],
  ["Meadow 2 Tent", "Tents", "tent", "349.00", null, null, ["Forest Green"], ["tent", "sleeps-2", "backpacking", "3-season"], "<p>Freestanding 3-season tent for two: 1.9&nbsp;kg, two doors, two vestibules.</p>"],
  ["Ridgeline 3 Ultralight Tent", "Tents", "tent", "499.00", "549.00", null, ["Ochre"], ["tent", "sleeps-3", "ultralight", "sale"], "<p>A 1.6&nbsp;kg tent that sleeps three. Pitches fly-first in the rain.</p>"],
  ["Basecamp 4 Family Tent", "Tents", "tent", "429.00", null, null, ["Teal", "Sand"], ["tent", "sleeps-4", "camping", "family"], "<p>Stand-up headroom, two rooms and a big porch for muddy boots.</p>"],
  ["Bivy Solo Shelter", "Tents", "tent", "219.00", null, null, ["Olive"], ["bivy", "solo", "ultralight"], "<p>A waterproof, breathable bivy with a hoop for headroom.</p>", { soldOut: true }],
  ["Nordlys 20°F Down Sleeping Bag", "Sleeping Bags", "sleeping-bag", "329.00", null, null, ["Navy", "Red"], ["sleeping bag", "down", "3-season"], "<p>Rated to 20&nbsp;°F (&minus;7&nbsp;°C) with 800-fill down.</p>", { options: [["Length", ["Regular", "Long"]], ["Color", null]] }],
  ["Summer Breeze 40°F Sleeping Bag", "Sleeping Bags", "sleeping-bag", "149.00", null, null, ["Sky"], ["sleeping bag", "synthetic", "summer"], "<p>A light synthetic bag for warm nights. Unzips into a quilt.</p>"],
  ["Trail Pillow", "Accessories", null, "29.00", null, null, [], ["pillow", "camping", "inflatable"], "<p>Inflatable pillow with a soft brushed top. 80&nbsp;g.</p>"],
  ["Insulated Trail Bottle 750 ml", "Accessories", "bottle", "34.00", null, null, ["Teal", "Black", "Rust"], ["bottle", "insulated", "stainless steel"], "<p>Keeps drinks cold for 24 hours and hot for 12.</p>"],
  ["Titanium Camp Mug", "Accessories", null, "39.00", null, null, [], ["mug", "titanium", "camping"], "<p>450&nbsp;ml titanium mug with folding handles. 68&nbsp;g.</p>"],
  ["Beacon 400 Headlamp", "Accessories", null, "49.00", null, null, ["Black"], ["headlamp", "rechargeable", "camping"], "<p>400 lumens, USB-C rechargeable, red-light mode.</p>"],
  ["Trekking Poles Carbon Pair", "Accessories", null, "119.00", "139.00", null, [], ["trekking poles", "carbon", "hiking", "sale"], "<p>Three-section carbon poles with cork grips. 420&nbsp;g the pair.</p>"],
];

const slug = (title) =>
  title
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/ø/g, "o")
    .replace(/æ/g, "ae")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");

const date = (i) => new Date(Date.UTC(2026, 1, 1, 9, 0, 0) + i * 86400000 * 2).toISOString().replace(".000Z", "-05:00");
const money = (n) => n.toFixed(2);

let variantId = 41238170000000;
let imageId = 33510780000000;

const products = PRODUCTS.map(([title, type, kind, price, compare, sizesKey, colors, tags, body, flags = {}], i) => {
  const id = 7301245000000 + i * 7919 + 11;
  const handle = slug(title);
  const created = date(i);
  // Option rows: custom ones, else Size (if any) and Color (if any).
  let optionRows = flags.options
    ? flags.options.map(([name, values]) => [name, values ?? colors])
    : [
        ...(sizesKey ? [["Size", SIZES[sizesKey]]] : []),
        ...(colors.length > 1 || (colors.length === 1 && sizesKey) ? [["Color", colors]] : []),
      ];
  optionRows = optionRows.filter(([, values]) => values.length > 0);

  // Images: one per colour, showing that colour's variants; none for products without a silhouette.
  const images = kind
    ? (colors.length ? colors : ["Default"]).map((color, position) => ({
        id: imageId++,
        product_id: id,
        position: position + 1,
        created_at: created,
        updated_at: created,
        alt: null,
        width: 800,
        height: 1000,
        src: `/shop/images/${kind}-${COLORS[color] ?? "0f766e"}.svg`,
        variant_ids: [],
        color,
      }))
    : [];

  // Every combination of option values.
  let combos = [[]];
  for (const [, values] of optionRows) combos = combos.flatMap((c) => values.map((v) => [...c, v]));
  const colorIndex = optionRows.findIndex(([name]) => name === "Color");
  const variants = combos.map((values, position) => {
    const vid = variantId++;
    const color = colorIndex >= 0 ? values[colorIndex] : colors[0];
    const image = images.find((img) => img.color === color) ?? null;
    if (image) image.variant_ids.push(vid);
    // Bigger sizes and bigger gift cards cost more; the sale applies to all colours or (partialSale) the first.
    let amount = Number(price);
    if (values.includes("XXL")) amount += 10;
    if (values.includes("Long") && type === "Sleeping Bags") amount += 20;
    const denomination = values.find((v) => v.startsWith("$"));
    if (denomination) amount = Number(denomination.slice(1));
    const onSale = compare && (!flags.partialSale || color === colors[0]);
    const compareAt = onSale ? money(Number(compare) + (amount - Number(price))) : null;
    const available = !flags.soldOut && random() > 0.14;
    return {
      id: vid,
      title: values.length ? values.join(" / ") : "Default Title",
      option1: values[0] ?? "Default Title",
      option2: values[1] ?? null,
      option3: values[2] ?? null,
      sku: `NW-${String(i + 1).padStart(3, "0")}-${String(position + 1).padStart(2, "0")}`,
      requires_shipping: type !== "Gift Cards",
      taxable: type !== "Gift Cards",
      featured_image: image ? { ...image, color: undefined } : null,
      available,
      price: money(amount),
      grams: type === "Gift Cards" ? 0 : 200 + ((i * 137) % 1800),
      compare_at_price: compareAt,
      position: position + 1,
      product_id: id,
      created_at: created,
      updated_at: created,
    };
  });
  // At least one variant of every product not sold out is available.
  if (!flags.soldOut && !variants.some((v) => v.available)) variants[0].available = true;

  return {
    id,
    title,
    handle,
    body_html: body,
    published_at: created,
    created_at: created,
    updated_at: created,
    vendor: VENDOR,
    product_type: type,
    tags,
    variants,
    images: images.map(({ color, ...img }) => img),
    options: (optionRows.length ? optionRows : [["Title", ["Default Title"]]]).map(([name, values], position) => ({
      name,
      position: position + 1,
      values,
    })),
  };
});

writeFileSync(OUT, JSON.stringify({ products }, null, 1) + "\n");
console.log(`wrote ${products.length} products (${products.reduce((n, p) => n + p.variants.length, 0)} variants) to ${OUT}`);
