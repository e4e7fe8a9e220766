// Writes tests/eval/stores/home.json: the retrieval eval's second store, "Hearth & Haven", a home & kitchen shop,
// in Shopify's `/products.json` product shape (the fields server/src/storefront/feed.rs reads, plus Shopify's
// usual extras). Deterministic (a seeded PRNG, fixed dates): running it twice gives the same file, so the diff of a
// change to this script is the diff of the catalog. No dependencies. Usage: node scripts/gen-home-catalog.mjs
//
// tests/eval/cases.json is written by reading this catalog: change a product and re-check the cases that name it.
// Products have no images (the widget draws a placeholder): the eval reads titles only.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";

const OUT = fileURLToPath(new URL("../tests/eval/stores/home.json", import.meta.url));

// mulberry32: small and seeded, so sold-out variants come out the same on every run.
let seed = 20260517;
function random() {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

// The designer colour names the store uses, by the family a shopper would ask for (for whoever writes cases; the
// feed carries only the names). Midnight, Mist, Slate, Teal, Terracotta, Clay and Oat sit between families.
//   blue: Cobalt, Navy, Denim, Sky, Indigo        (Midnight, Mist, Slate: blue-grey or near black)
//   green: Sage, Emerald, Olive, Moss, Forest       (Teal: blue-green)
//   red: Cherry, Crimson, Brick                     (Terracotta, Rust, Clay: red-brown / orange)
//   pink: Blush, Rose        yellow: Mustard, Saffron        purple: Plum
//   grey: Graphite, Pewter, Stone, Charcoal         white: White, Ivory, Chalk     black: Black, Matte Black, Onyx
//   beige/natural: Oat, Sand, Linen, Natural        metal: Brass, Gold, Copper, Stainless, Silver, Chrome
//   wood: Oak, Walnut, Ash                          brown: Cognac, Chestnut

// Option rows shared by many products.
const BED = ["Twin", "Full", "Queen", "King", "California King"];
const BED4 = ["Twin", "Full", "Queen", "King"];
const DUVET = ["Twin", "Full/Queen", "King"];
const PILLOW = ["Standard", "Queen", "King"];
const RUG = ["2' x 3'", "3' x 5'", "5' x 8'", "8' x 10'", "9' x 12'"];
const ROBE = ["S/M", "L/XL"];
const CANDLE = ["8 oz", "14 oz"];

// Each product: [title, product_type, vendor, base price, extra].
// extra: options [[name, values]], prices {value: absolute price} (the first option value listed wins), compare
// (the compare-at price of the base, scaled with each variant), salePct (all variants reduced by that share),
// saleOn [values] (only variants with one of these values are reduced), soldOut (every variant), sold [variant
// titles that are sold out], tags, body (HTML).
const P = [];
const add = (title, type, vendor, price, extra = {}) => P.push({ title, type, vendor, price, ...extra });

const H = "Hearth & Haven";

// ---------------------------------------------------------------------------------------------------- Cookware
add("Castellan Pre-Seasoned Cast Iron Skillet 10\"", "Cookware", "Castellan", "39.00", {
  tags: ["cast iron", "skillet", "frying pan", "oven safe", "induction"],
  body: "<p>A 10-inch cast iron skillet, pre-seasoned with flaxseed oil and ready to cook. Sears steak, bakes cornbread, goes from stovetop to oven to campfire.</p><p>Hand wash only: cast iron is <strong>not dishwasher safe</strong>.</p>",
});
add("Castellan Pre-Seasoned Cast Iron Skillet 12\"", "Cookware", "Castellan", "54.00", {
  tags: ["cast iron", "skillet", "frying pan", "oven safe", "induction"],
  body: "<p>Our big 12-inch skillet with a helper handle, for family-sized frittatas and four chicken thighs at once. Pre-seasoned. Not dishwasher safe.</p>",
});
add("Castellan Cast Iron Skillet 8\"", "Cookware", "Castellan", "24.00", {
  tags: ["cast iron", "skillet", "egg pan"],
  body: "<p>Small enough for two eggs, heavy enough to hold heat. Pre-seasoned; hand wash and dry.</p>",
});
add("Castellan Cast Iron Grill Pan", "Cookware", "Castellan", "49.00", {
  compare: "64.00",
  tags: ["cast iron", "grill pan", "indoor grilling"],
  body: "<p>Raised ribs give char marks on the stovetop, no barbecue needed. 10.5-inch square, pre-seasoned.</p>",
});
add("Castellan Cast Iron Pizza Pan 14\"", "Cookware", "Castellan", "44.00", {
  tags: ["cast iron", "pizza", "baking"],
  body: "<p>A 14-inch round cast iron pan for crisp-bottomed pizza at home. Also a great griddle.</p>",
});
for (const [size, price, qt] of [["3.5 qt", "189.00", "Small"], ["5.5 qt", "259.00", "Classic"], ["7.25 qt", "319.00", "Large"]]) {
  add(`Aurelia Enameled Cast Iron Dutch Oven ${size}`, "Cookware", "Aurelia", price, {
    options: [["Color", ["Terracotta", "Sage", "Cobalt", "Ivory", "Midnight", "Mustard"]]],
    compare: size === "5.5 qt" ? "329.00" : null,
    saleOn: size === "5.5 qt" ? ["Terracotta", "Mustard"] : null,
    tags: ["dutch oven", "enameled cast iron", "braising", "bread", "oven safe"],
    body: `<p>The ${qt.toLowerCase()} size of our enameled cast iron Dutch oven: ${size}. For braises, stews, soups and no-knead bread. Oven safe to 500&nbsp;°F.</p><p>The enamel needs no seasoning. Dishwasher safe, though hand washing keeps the colour bright longer.</p>`,
  });
}
add("Aurelia Enameled Braiser 3.5 qt", "Cookware", "Aurelia", "229.00", {
  options: [["Color", ["Sage", "Terracotta", "Ivory"]]],
  tags: ["braiser", "enameled cast iron", "shallow", "oven safe"],
  body: "<p>Wide and shallow with a domed lid: brown, then braise, in one pan. 3.5 quarts.</p>",
});
add("Castellan Cast Iron Dutch Oven 5 qt", "Cookware", "Castellan", "69.00", {
  tags: ["dutch oven", "cast iron", "camping", "bread"],
  body: "<p>Bare, pre-seasoned cast iron Dutch oven with a lid that doubles as a skillet. Not enameled, not dishwasher safe.</p>",
});
const STEEL = [
  ["Steelcraft Tri-Ply Stainless Skillet 10\"", "79.00", "skillet", "A fully clad 10-inch fry pan that browns evenly and deglazes beautifully."],
  ["Steelcraft Tri-Ply Stainless Skillet 12\"", "99.00", "skillet", "The 12-inch fry pan, with a helper handle."],
  ["Steelcraft Tri-Ply Saucepan 2 qt", "69.00", "saucepan", "A 2-quart saucepan with lid for sauces, grains and reheating soup."],
  ["Steelcraft Tri-Ply Saucepan 3 qt", "85.00", "saucepan", "A 3-quart saucepan with lid and pour spouts."],
  ["Steelcraft Tri-Ply Sauté Pan 4 qt", "129.00", "saute pan", "Straight sides and a tight lid: sear, then simmer. 4 quarts."],
  ["Steelcraft Stainless Stockpot 8 qt", "119.00", "stockpot", "An 8-quart stockpot for stock, pasta for a crowd and corn on the cob."],
  ["Steelcraft Stainless Stockpot 12 qt", "149.00", "stockpot", "A tall 12-quart stockpot for canning, big batches of chili and lobster."],
];
for (const [title, price, kind, text] of STEEL) {
  add(title, "Cookware", "Steelcraft", price, {
    compare: title.includes("Saucepan 3 qt") ? "105.00" : null,
    tags: ["stainless steel", kind, "tri-ply", "induction", "dishwasher safe"],
    body: `<p>${text}</p><p>Tri-ply stainless steel (aluminium core), induction ready, oven safe to 600&nbsp;°F and dishwasher safe.</p>`,
  });
}
add("Steelcraft 10-Piece Stainless Cookware Set", "Cookware", "Steelcraft", "449.00", {
  compare: "599.00",
  tags: ["cookware set", "stainless steel", "tri-ply", "induction", "dishwasher safe"],
  body: "<p>Everything a kitchen needs: 8\" and 10\" skillets, 2 qt and 3 qt saucepans with lids, a 3.5 qt sauté pan with lid and an 8 qt stockpot with lid. Dishwasher safe.</p>",
});
add("Steelcraft 5-Piece Starter Cookware Set", "Cookware", "Steelcraft", "229.00", {
  tags: ["cookware set", "stainless steel", "starter", "dishwasher safe"],
  body: "<p>A 10\" skillet, a 2 qt saucepan with lid and a 6 qt stockpot with lid: a first kitchen, done.</p>",
});
for (const [size, price] of [["8\"", "35.00"], ["10\"", "45.00"], ["12\"", "55.00"]]) {
  add(`Glide Ceramic Nonstick Frying Pan ${size}`, "Cookware", "Glide", price, {
    options: [["Color", ["Sage", "Oat", "Blush", "Graphite"]]],
    tags: ["nonstick", "ceramic", "frying pan", "PFAS-free", "eggs"],
    body: `<p>A ${size.replace("\"", "-inch")} ceramic nonstick pan, free of PTFE and PFAS. Eggs slide right off with a little butter.</p><p>Hand wash recommended; not for use with metal utensils.</p>`,
  });
}
add("Glide Ceramic Nonstick 8-Piece Cookware Set", "Cookware", "Glide", "299.00", {
  options: [["Color", ["Sage", "Oat", "Blush", "Graphite", "Navy"]]],
  salePct: 0.2,
  tags: ["cookware set", "nonstick", "ceramic", "PFAS-free"],
  body: "<p>Fry pan, sauté pan, saucepan and Dutch oven, each with its lid, plus a magnetic pan rack. Ceramic nonstick, PFAS-free, oven safe to 550&nbsp;°F.</p>",
});
add("Glide Nonstick Saucepan 2 qt", "Cookware", "Glide", "49.00", {
  options: [["Color", ["Sage", "Oat", "Graphite"]]],
  tags: ["nonstick", "saucepan", "ceramic"],
  body: "<p>A small nonstick saucepan with a glass lid: porridge, rice, custards.</p>",
});
add("Carbon Steel Wok 14\"", "Cookware", H, "59.00", {
  tags: ["wok", "carbon steel", "stir fry", "induction"],
  body: "<p>Flat-bottomed 14-inch carbon steel wok that builds a natural nonstick patina. Not dishwasher safe: rinse, dry on the burner, wipe with oil.</p>",
});
add("Carbon Steel Crêpe Pan 11\"", "Cookware", H, "39.00", {
  tags: ["crepe pan", "carbon steel", "pancakes"],
  body: "<p>Low sides for flipping crêpes and pancakes. Season before first use.</p>",
});
add("Copper Core Saucier 3 qt", "Cookware", "Aurelia", "179.00", {
  tags: ["saucier", "copper", "stainless steel"],
  body: "<p>A rounded saucier for risotto and sauces; copper core for fast, even heat, stainless interior.</p>",
});
add("Hard-Anodized Nonstick Griddle 11\"", "Cookware", "Glide", "42.00", {
  soldOut: true,
  tags: ["griddle", "nonstick", "pancakes"],
  body: "<p>A square griddle for pancakes, grilled cheese and quesadillas. Back in stock soon.</p>",
});
add("Universal Tempered Glass Lid", "Cookware", H, "19.00", {
  tags: ["lid", "glass", "accessory"],
  body: "<p>Fits 8\" to 12\" pans with its stepped silicone rim.</p>",
});

// ------------------------------------------------------------------------------------------------------ Knives
const KNIVES = [
  ["Chef's Knife 8\"", "the all-purpose 8-inch blade for chopping, slicing and mincing"],
  ["Santoku Knife 7\"", "a Japanese-style 7-inch santoku with a granton edge that keeps slices from sticking"],
  ["Paring Knife 3.5\"", "a nimble paring knife for peeling and trimming"],
  ["Bread Knife 9\"", "a serrated bread knife that glides through crusty loaves and ripe tomatoes"],
  ["Utility Knife 6\"", "the in-between 6-inch knife for sandwiches and small produce"],
];
for (const [name, text] of KNIVES) {
  const base = { "Chef's Knife 8\"": 129, "Santoku Knife 7\"": 119, "Paring Knife 3.5\"": 59, "Bread Knife 9\"": 99, "Utility Knife 6\"": 79 }[name];
  add(`Kiso Damascus ${name}`, "Knives", "Kiso", `${base}.00`, {
    compare: name.startsWith("Santoku") ? "149.00" : null,
    tags: ["knife", "damascus", "japanese", "VG-10"],
    body: `<p>Kiso's ${text}. 67 layers of Damascus steel around a VG-10 core, hardened to 60 HRC, with a pakkawood handle.</p><p>Hand wash only; not dishwasher safe.</p>`,
  });
  add(`Forge German Steel ${name}`, "Knives", "Forge", `${Math.round(base * 0.55)}.00`, {
    tags: ["knife", "german steel", "forged"],
    body: `<p>${text[0].toUpperCase()}${text.slice(1)}, forged from one piece of German stainless steel with a full tang. Dishwasher safe, though hand washing keeps the edge longer.</p>`,
  });
}
add("Kiso Nakiri Vegetable Knife 6.5\"", "Knives", "Kiso", "109.00", {
  tags: ["knife", "nakiri", "vegetables", "japanese"],
  body: "<p>A flat, rectangular blade made for chopping vegetables with a straight up-and-down cut.</p>",
});
add("Forge Meat Cleaver 7\"", "Knives", "Forge", "69.00", {
  tags: ["knife", "cleaver", "butchery"],
  body: "<p>A heavy cleaver for breaking down chicken and chopping through small bones.</p>",
});
add("Forge Boning Knife 6\"", "Knives", "Forge", "49.00", {
  tags: ["knife", "boning", "fish", "butchery"],
  body: "<p>Flexible, narrow blade for deboning chicken and filleting fish.</p>",
});
add("Kiso 6-Piece Knife Block Set", "Knives", "Kiso", "449.00", {
  compare: "549.00",
  tags: ["knife set", "knife block", "damascus", "gift"],
  body: "<p>Chef's, santoku, utility, paring and bread knives in a walnut block. Damascus steel; hand wash only.</p>",
});
add("Forge 14-Piece Knife Block Set", "Knives", "Forge", "199.00", {
  options: [["Color", ["Natural", "Black"]]],
  tags: ["knife set", "knife block", "steak knives", "german steel"],
  body: "<p>Eight kitchen knives, six steak knives, sharpening steel and shears in an acacia block.</p>",
});
add("Forge Steak Knives, Set of 4", "Knives", "Forge", "59.00", {
  tags: ["steak knives", "set of 4", "serrated"],
  body: "<p>Four serrated steak knives with riveted handles.</p>",
});
add("Forge Steak Knives, Set of 8", "Knives", "Forge", "99.00", {
  tags: ["steak knives", "set of 8", "serrated"],
  body: "<p>Eight serrated steak knives in a storage case: a table for eight, covered.</p>",
});
add("Whetstone Sharpening Kit 1000/6000", "Knives", "Kiso", "45.00", {
  tags: ["sharpener", "whetstone", "knife care"],
  body: "<p>A two-sided water stone (1000 grit to sharpen, 6000 grit to polish) with a bamboo base and angle guide.</p>",
});
add("Pull-Through Knife Sharpener", "Knives", "Forge", "25.00", {
  tags: ["sharpener", "knife care"],
  body: "<p>Two stages, coarse and fine, for quick touch-ups on Western knives. Not for serrated or Japanese blades.</p>",
});
add("Magnetic Walnut Knife Strip 16\"", "Knives", H, "49.00", {
  tags: ["knife storage", "magnetic", "walnut"],
  body: "<p>Solid walnut with hidden magnets: holds six knives on the wall.</p>",
});
add("End-Grain Walnut Cutting Board", "Cutting Boards", H, "129.00", {
  options: [["Size", ["Medium", "Large"]]],
  prices: { Large: "169.00" },
  tags: ["cutting board", "walnut", "end grain", "butcher block"],
  body: "<p>End-grain walnut is kind to knife edges. Medium 16 x 12 in, large 20 x 15 in. Hand wash and oil monthly; not dishwasher safe.</p>",
});
add("Maple Edge-Grain Cutting Board", "Cutting Boards", H, "69.00", {
  tags: ["cutting board", "maple", "juice groove"],
  body: "<p>18 x 12 in hard maple with a juice groove on one side.</p>",
});
add("Bamboo Cutting Boards, Set of 3", "Cutting Boards", H, "34.00", {
  salePct: 0.25,
  tags: ["cutting board", "bamboo", "set of 3"],
  body: "<p>Small, medium and large bamboo boards with hanging holes.</p>",
});
add("Dishwasher-Safe Prep Boards, Set of 4", "Cutting Boards", H, "29.00", {
  options: [["Color", ["Multicolor", "Graphite"]]],
  tags: ["cutting board", "plastic", "color coded", "dishwasher safe"],
  body: "<p>Colour-coded boards for meat, fish, vegetables and bread. Dishwasher safe.</p>",
});

// ----------------------------------------------------------------------------------------------------- Bakeware
const BAKE = [
  ["Aluminum Half Sheet Pan", "19.00", ["sheet pan", "baking sheet"], "18 x 13 in heavy-gauge aluminium that won't warp. Not dishwasher safe: hand wash to keep it bright."],
  ["Aluminum Quarter Sheet Pans, Set of 2", "22.00", ["sheet pan", "baking sheet", "set of 2"], "13 x 9 in, for roasting vegetables and toaster-oven baking."],
  ["Nonstick 12-Cup Muffin Pan", "24.00", ["muffin pan", "cupcakes", "nonstick"], "Twelve standard muffin cups with a nonstick coating; also for cupcakes."],
  ["Nonstick Loaf Pan 9 x 5", "16.00", ["loaf pan", "bread", "nonstick"], "For banana bread, sandwich loaves and meatloaf."],
  ["Round Cake Pans 9\", Set of 2", "28.00", ["cake pan", "layer cake", "set of 2"], "Two straight-sided 9-inch pans for layer cakes."],
  ["Springform Pan 9\"", "26.00", ["springform", "cheesecake"], "Leakproof latch and removable base for cheesecakes and tortes."],
  ["Fluted Bundt Pan 10-Cup", "32.00", ["bundt pan", "cake"], "Heavy cast aluminium with sharp flutes; holds 10 cups of batter."],
  ["Wire Cooling Rack", "15.00", ["cooling rack", "baking"], "Fits inside a half sheet pan; oven safe for crisping bacon."],
  ["Silicone Baking Mats, Set of 2", "21.00", ["baking mat", "silicone", "reusable"], "Replace parchment for cookies and roasting. Dishwasher safe."],
  ["French Rolling Pin", "18.00", ["rolling pin", "maple", "pastry"], "A tapered maple pin for pie crust and pasta."],
  ["Pastry Tools Set", "29.00", ["pastry", "piping tips", "bench scraper"], "Bench scraper, pastry cutter, 12 piping tips and two bags."],
];
for (const [title, price, tags, text] of BAKE) add(title, "Bakeware", H, price, { tags, body: `<p>${text}</p>` });
add("Stoneware Pie Dish 9.5\"", "Bakeware", "Terra Studio", "36.00", {
  options: [["Color", ["Terracotta", "Ivory", "Sage"]]],
  tags: ["pie dish", "stoneware"],
  body: "<p>A deep-dish pie plate with a fluted rim. Oven, microwave and dishwasher safe.</p>",
});
add("Ceramic Baking Dish 9 x 13", "Bakeware", "Terra Studio", "48.00", {
  options: [["Color", ["Ivory", "Cobalt", "Terracotta", "Sage"]]],
  compare: "60.00",
  tags: ["baking dish", "casserole", "lasagna", "ceramic"],
  body: "<p>The lasagna dish: 9 x 13 in, 3 quarts, with easy-grip handles. Oven to table.</p>",
});
add("Glass Baking Dishes, Set of 3", "Bakeware", H, "34.00", {
  tags: ["baking dish", "glass", "casserole", "set of 3"],
  body: "<p>8 x 8, 7 x 11 and 9 x 13 inch tempered glass dishes with snap-on lids.</p>",
});
add("Stainless Mixing Bowls, Set of 5", "Bakeware", H, "39.00", {
  tags: ["mixing bowls", "stainless steel", "nesting", "set of 5"],
  body: "<p>Nesting bowls from 1 to 5 quarts with non-slip bases and lids.</p>",
});
add("Ceramic Mixing Bowls, Set of 3", "Bakeware", "Terra Studio", "54.00", {
  options: [["Color", ["Sage", "Blush", "Oat"]]],
  tags: ["mixing bowls", "ceramic", "set of 3"],
  body: "<p>Heavy stoneware bowls that stay put while you whisk. 1, 2.5 and 4 quarts.</p>",
});
add("Measuring Cups and Spoons Set", "Bakeware", H, "24.00", {
  options: [["Color", ["Stainless", "Gold"]]],
  tags: ["measuring cups", "measuring spoons", "baking"],
  body: "<p>Six cups and six spoons, engraved markings that never wear off.</p>",
});
add("Pizza Stone 15\"", "Bakeware", H, "42.00", {
  tags: ["pizza stone", "cordierite", "bread"],
  body: "<p>Cordierite stone for crisp pizza and bread. Never wash with soap.</p>",
});

// -------------------------------------------------------------------------------------------- Small appliances
add("Brightline 5-Cup Compact Coffee Maker", "Coffee Makers", "Brightline", "39.00", {
  options: [["Color", ["Black", "White"]]],
  tags: ["coffee maker", "drip coffee", "compact", "5-cup"],
  body: "<p>A small drip coffee maker for one or two people: brews up to 5 cups with auto shut-off.</p>",
});
add("Brightline 12-Cup Programmable Coffee Maker", "Coffee Makers", "Brightline", "79.00", {
  options: [["Color", ["Black", "Stainless", "Ivory", "Cobalt"]]],
  tags: ["coffee maker", "drip coffee", "programmable", "12-cup", "glass carafe"],
  body: "<p>Set it the night before and wake up to coffee. 12-cup glass carafe, brew-strength control, 24-hour programming and a keep-warm plate.</p>",
});
add("Lumen 10-Cup Thermal Coffee Maker", "Coffee Makers", "Lumen", "119.00", {
  options: [["Color", ["Matte Black", "Stainless"]]],
  tags: ["coffee maker", "drip coffee", "thermal carafe", "10-cup"],
  body: "<p>A double-walled stainless carafe keeps 10 cups hot for hours without a hot plate, so nothing tastes burnt.</p>",
});
add("Morning Ritual Drip Coffee Maker", "Coffee Makers", "Lumen", "149.00", {
  compare: "179.00",
  options: [["Color", ["Matte Black", "Chalk", "Sage"]]],
  tags: ["coffee maker", "drip coffee", "SCA certified", "glass carafe"],
  body: "<p>SCA-certified brewing at the ideal 92 to 96&nbsp;°C, with a showerhead that saturates the grounds evenly. Brews anything from 4 up to 12 cups into its glass carafe.</p>",
});
add("Aroma Pro 14-Cup Coffee Maker", "Coffee Makers", "Brightline", "99.00", {
  tags: ["coffee maker", "drip coffee", "programmable", "14-cup", "large"],
  body: "<p>For big households and offices: 14 cups, programmable, with a bold setting and a removable water tank.</p>",
});
add("Single-Serve Pod Coffee Maker", "Coffee Makers", "Brightline", "89.00", {
  options: [["Color", ["Black", "Cherry", "White"]]],
  tags: ["coffee maker", "single serve", "pods", "k-cup compatible"],
  body: "<p>One cup at a time from pods or your own grounds (reusable filter included). Three cup sizes: 6, 8 and 10 oz.</p>",
});
add("Barista Pro Espresso Machine", "Espresso Machines", "Lumen", "599.00", {
  compare: "699.00",
  options: [["Color", ["Stainless", "Matte Black"]]],
  tags: ["espresso machine", "espresso", "milk frother", "grinder"],
  body: "<p>Built-in conical burr grinder, 15-bar pump and steam wand for lattes. From beans to espresso in under a minute.</p>",
});
add("Compact Espresso Machine", "Espresso Machines", "Brightline", "229.00", {
  options: [["Color", ["Cherry", "Ivory", "Black"]]],
  tags: ["espresso machine", "espresso", "steam wand", "compact"],
  body: "<p>A narrow 15-bar espresso machine with a manual steam wand. No grinder: use pre-ground coffee or pair it with our burr grinder.</p>",
});
add("Glass Pour-Over Coffee Maker 8-Cup", "Coffee Makers", H, "45.00", {
  tags: ["pour over", "coffee", "glass", "manual"],
  body: "<p>An hourglass borosilicate pour-over with a wood collar. Makes up to 8 cups; needs paper filters and a kettle.</p>",
});
add("Stainless French Press 3-Cup", "Coffee Makers", H, "29.00", {
  tags: ["french press", "coffee", "manual", "small"],
  body: "<p>Double-walled stainless press for 3 small cups (12 oz). Nothing to break.</p>",
});
add("Glass French Press 8-Cup", "Coffee Makers", H, "35.00", {
  options: [["Color", ["Copper", "Chrome", "Matte Black"]]],
  tags: ["french press", "coffee", "manual", "glass"],
  body: "<p>A classic 34 oz (8-cup) glass French press with a four-level filter.</p>",
});
add("Cold Brew Coffee Maker 2 qt", "Coffee Makers", H, "32.00", {
  tags: ["cold brew", "coffee", "iced coffee", "pitcher"],
  body: "<p>Steep overnight in the fridge for smooth cold brew concentrate. Fine-mesh stainless filter.</p>",
});
add("Conical Burr Coffee Grinder", "Coffee Makers", "Lumen", "129.00", {
  options: [["Color", ["Matte Black", "Stainless"]]],
  tags: ["coffee grinder", "burr grinder", "espresso"],
  body: "<p>40 grind settings, from espresso to French press. Low-speed burrs keep beans cool.</p>",
});
add("Replacement Glass Carafe 12-Cup", "Coffee Makers", "Brightline", "22.00", {
  tags: ["carafe", "replacement part", "12-cup"],
  body: "<p>A spare carafe for the Brightline 12-Cup Programmable Coffee Maker. The carafe only, not a coffee maker.</p>",
});
add("Milk Frother", "Coffee Makers", "Lumen", "69.00", {
  options: [["Color", ["Stainless", "Matte Black"]]],
  tags: ["milk frother", "latte", "cappuccino"],
  body: "<p>Hot or cold foam and hot chocolate at the press of a button. Dishwasher-safe jug.</p>",
});
add("Gooseneck Electric Kettle 0.9 L", "Kettles", "Lumen", "89.00", {
  options: [["Color", ["Matte Black", "White", "Copper"]]],
  tags: ["kettle", "electric kettle", "gooseneck", "pour over", "temperature control"],
  body: "<p>Precise pour and variable temperature (40 to 100&nbsp;°C) with a one-hour hold. 0.9 litres.</p>",
});
add("Glass Electric Kettle 1.7 L", "Kettles", "Brightline", "39.00", {
  tags: ["kettle", "electric kettle", "glass", "tea"],
  body: "<p>Boils 1.7 litres in about four minutes, with a blue LED and boil-dry protection.</p>",
});
add("Stainless Electric Kettle 1.7 L", "Kettles", "Brightline", "49.00", {
  options: [["Color", ["Stainless", "Cherry", "Cobalt", "Cream"]]],
  compare: "59.00",
  tags: ["kettle", "electric kettle", "stainless steel", "tea"],
  body: "<p>Retro-styled stainless kettle with a water window and 360° base. 1.7 litres.</p>",
});
add("Whistling Stovetop Kettle 2.5 qt", "Kettles", "Aurelia", "59.00", {
  options: [["Color", ["Cobalt", "Terracotta", "Ivory", "Matte Black"]]],
  tags: ["kettle", "stovetop kettle", "whistling", "enamel", "induction"],
  body: "<p>An enamel-on-steel kettle that whistles when it boils. Works on gas, electric and induction. Not electric.</p>",
});
add("Travel Electric Kettle 0.5 L", "Kettles", "Brightline", "29.00", {
  tags: ["kettle", "electric kettle", "travel", "dual voltage"],
  body: "<p>A foldable silicone kettle for hotel rooms, dual voltage.</p>",
});
add("Brightline High-Speed Blender 64 oz", "Blenders", "Brightline", "179.00", {
  options: [["Color", ["Black", "Graphite", "Cherry"]]],
  tags: ["blender", "smoothies", "high speed", "64 oz"],
  body: "<p>1,400-watt blender with a 64 oz jar: crushes ice, blends smoothies and nut butters, heats soup by friction.</p>",
});
add("Lumen Pro Blender 72 oz", "Blenders", "Lumen", "399.00", {
  compare: "449.00",
  tags: ["blender", "high speed", "professional", "72 oz"],
  body: "<p>A 2.2 hp professional blender with variable speed and a 10-year warranty on the motor base.</p>",
});
add("Personal Blender 20 oz", "Blenders", "Brightline", "49.00", {
  options: [["Color", ["Sage", "Blush", "Ivory", "Black"]]],
  tags: ["blender", "personal blender", "smoothies", "to-go"],
  body: "<p>Blend right in the 20 oz to-go cup. Two cups and lids included. Not for crushing ice.</p>",
});
add("Immersion Hand Blender", "Blenders", "Lumen", "59.00", {
  options: [["Color", ["Stainless", "Matte Black"]]],
  tags: ["immersion blender", "hand blender", "soup"],
  body: "<p>Blend soups in the pot. Whisk and chopper attachments included.</p>",
});
add("Retro 2-Slice Toaster", "Toasters", "Brightline", "49.00", {
  options: [["Color", ["Cream", "Cherry", "Cobalt", "Sage", "Matte Black"]]],
  tags: ["toaster", "2-slice", "retro"],
  body: "<p>Two extra-wide slots for bagels and thick bread, six browning levels and a crumb tray.</p>",
});
add("Retro 4-Slice Toaster", "Toasters", "Brightline", "69.00", {
  options: [["Color", ["Cream", "Cherry", "Cobalt", "Matte Black"]]],
  tags: ["toaster", "4-slice", "retro"],
  body: "<p>Four wide slots with independent controls, so two people can toast to taste.</p>",
});
add("Lumen Long-Slot 4-Slice Toaster", "Toasters", "Lumen", "89.00", {
  options: [["Color", ["Stainless", "Matte Black", "Chalk"]]],
  compare: "109.00",
  tags: ["toaster", "4-slice", "long slot", "stainless steel"],
  body: "<p>Two long slots fit four slices of sandwich bread or two slices of sourdough. Lift-and-look lever.</p>",
});
add("Brightline Wide-Slot 2-Slice Toaster", "Toasters", "Brightline", "29.00", {
  options: [["Color", ["White", "Black"]]],
  tags: ["toaster", "2-slice", "budget"],
  body: "<p>A simple two-slice toaster with a bagel setting and defrost.</p>",
});
add("Lumen Smart 2-Slice Toaster", "Toasters", "Lumen", "129.00", {
  soldOut: true,
  options: [["Color", ["Stainless", "Matte Black"]]],
  tags: ["toaster", "2-slice", "smart", "motorised"],
  body: "<p>A motorised toaster that lowers and lifts the bread itself and shows a countdown.</p>",
});
add("Countertop Toaster Oven", "Toaster Ovens", "Brightline", "119.00", {
  tags: ["toaster oven", "countertop oven", "convection", "6-slice"],
  body: "<p>A convection toaster oven that fits six slices of bread or a 12-inch pizza. Bake, broil, toast and keep warm.</p>",
});
add("Air Fryer Toaster Oven", "Toaster Ovens", "Lumen", "199.00", {
  compare: "249.00",
  tags: ["toaster oven", "air fryer", "convection", "6-slice"],
  body: "<p>Air fry, roast, bake, toast (six slices) and dehydrate in one 26-quart oven.</p>",
});
add("Brightline Air Fryer 4 qt", "Air Fryers", "Brightline", "79.00", {
  options: [["Color", ["Black", "White", "Sage"]]],
  tags: ["air fryer", "4 qt", "compact"],
  body: "<p>A compact 4-quart basket air fryer for one to three people.</p>",
});
add("Lumen Dual-Basket Air Fryer 8 qt", "Air Fryers", "Lumen", "159.00", {
  tags: ["air fryer", "8 qt", "dual basket", "family"],
  body: "<p>Two 4-quart baskets cook two foods two ways and finish together. Feeds a family of four to six.</p>",
});
add("Stand Mixer 5 qt", "Mixers", "Aurelia", "379.00", {
  options: [["Color", ["Cherry", "Cobalt", "Emerald", "Blush", "Ivory", "Graphite", "Mustard"]]],
  saleOn: ["Graphite", "Mustard"],
  compare: "449.00",
  tags: ["stand mixer", "baking", "5 qt", "dough hook"],
  body: "<p>A tilt-head stand mixer with a 5-quart stainless bowl, flat beater, dough hook and wire whip. Ten speeds.</p>",
});
add("Compact Stand Mixer 3.5 qt", "Mixers", "Brightline", "199.00", {
  options: [["Color", ["Ivory", "Sage", "Sky"]]],
  tags: ["stand mixer", "baking", "3.5 qt", "small"],
  body: "<p>Our smaller stand mixer for small kitchens: 3.5 quarts, 20% lighter.</p>",
});
add("Hand Mixer 6-Speed", "Mixers", "Brightline", "39.00", {
  options: [["Color", ["White", "Cherry", "Graphite"]]],
  tags: ["hand mixer", "baking", "whisk"],
  body: "<p>Six speeds plus boost, with beaters, dough hooks and a snap-on storage case.</p>",
});
add("Lumen 12-Cup Food Processor", "Food Processors", "Lumen", "199.00", {
  tags: ["food processor", "12-cup", "slicing", "dough"],
  body: "<p>A 12-cup work bowl with a slicing disc, shredding disc and dough blade. Chops a whole onion in seconds.</p>",
});
add("Brightline 8-Cup Food Processor", "Food Processors", "Brightline", "89.00", {
  tags: ["food processor", "8-cup", "chopping"],
  body: "<p>An 8-cup processor for salsa, pesto and pie dough.</p>",
});
add("Mini Chopper 3-Cup", "Food Processors", "Brightline", "34.00", {
  options: [["Color", ["White", "Sage"]]],
  tags: ["chopper", "mini food processor", "3-cup"],
  body: "<p>A 3-cup chopper for herbs, garlic and baby food.</p>",
});
add("Programmable Slow Cooker 6 qt", "Slow Cookers", "Brightline", "59.00", {
  options: [["Color", ["Stainless", "Black"]]],
  tags: ["slow cooker", "6 qt", "programmable", "crock pot"],
  body: "<p>Set it in the morning; it switches to warm when the timer ends. The 6-quart crock serves 7 or more.</p>",
});
add("Lumen 8-in-1 Pressure Cooker 6 qt", "Multi-Cookers", "Lumen", "99.00", {
  compare: "129.00",
  tags: ["pressure cooker", "multi-cooker", "slow cooker", "rice cooker", "6 qt"],
  body: "<p>Pressure cook, slow cook, steam, sauté, make rice and yogurt, sous vide and keep warm. 6 quarts.</p>",
});
add("Lumen 8-in-1 Pressure Cooker 8 qt", "Multi-Cookers", "Lumen", "129.00", {
  tags: ["pressure cooker", "multi-cooker", "8 qt", "large"],
  body: "<p>The 8-quart size for big batches and families of six or more.</p>",
});
add("Fuzzy Logic Rice Cooker 6-Cup", "Rice Cookers", "Brightline", "129.00", {
  tags: ["rice cooker", "6-cup", "fuzzy logic", "steamer"],
  body: "<p>Cooks up to 6 cups of uncooked rice (12 cooked) perfectly, from sushi rice to brown rice and porridge.</p>",
});
add("Mini Rice Cooker 3-Cup", "Rice Cookers", "Brightline", "39.00", {
  options: [["Color", ["White", "Blush", "Sage"]]],
  tags: ["rice cooker", "3-cup", "small"],
  body: "<p>A one-switch 3-cup rice cooker for one or two people.</p>",
});
add("Belgian Waffle Maker", "Small Appliances", "Brightline", "59.00", {
  tags: ["waffle maker", "belgian waffles", "breakfast"],
  body: "<p>A rotating waffle maker for thick, deep-pocket Belgian waffles.</p>",
});
add("Slow Masticating Juicer", "Small Appliances", "Lumen", "249.00", {
  tags: ["juicer", "cold press", "masticating"],
  body: "<p>Cold-press juicer that squeezes greens, carrots and oranges at 60 rpm.</p>",
});
add("Electric Citrus Juicer", "Small Appliances", "Brightline", "35.00", {
  tags: ["juicer", "citrus", "orange juice"],
  body: "<p>Fresh orange and lemon juice, with adjustable pulp.</p>",
});
add("Countertop Ice Cream Maker 1.5 qt", "Small Appliances", "Brightline", "69.00", {
  tags: ["ice cream maker", "frozen yogurt", "sorbet"],
  body: "<p>Freeze the bowl overnight, then churn 1.5 quarts of ice cream in 20 minutes.</p>",
});
add("Electric Griddle 20\"", "Small Appliances", "Brightline", "49.00", {
  tags: ["electric griddle", "pancakes", "nonstick"],
  body: "<p>A 20 x 10.5 in nonstick griddle for pancakes for a crowd.</p>",
});
add("Sous Vide Precision Cooker", "Small Appliances", "Lumen", "149.00", {
  tags: ["sous vide", "immersion circulator", "wifi"],
  body: "<p>Clips to any pot and holds water within 0.1&nbsp;°C. Wi-Fi app with guided recipes.</p>",
});
add("Countertop Dehydrator", "Small Appliances", "Brightline", "89.00", {
  tags: ["dehydrator", "jerky", "dried fruit"],
  body: "<p>Six stainless trays for jerky, fruit leather and dried herbs.</p>",
});

// -------------------------------------------------------------------------------------------------- Dinnerware
const GLAZES = ["Sage", "Oat", "Slate", "Clay", "Midnight"];
add("Terra Stoneware 16-Piece Dinnerware Set", "Dinnerware", "Terra Studio", "149.00", {
  options: [["Color", GLAZES]],
  tags: ["dinnerware set", "stoneware", "service for 4", "16-piece", "dishwasher safe"],
  body: "<p>Service for 4: four dinner plates, salad plates, bowls and mugs in reactive-glaze stoneware. Each piece is slightly different. Microwave and dishwasher safe.</p>",
});
add("Terra Stoneware 32-Piece Dinnerware Set", "Dinnerware", "Terra Studio", "279.00", {
  options: [["Color", GLAZES]],
  compare: "329.00",
  tags: ["dinnerware set", "stoneware", "service for 8", "32-piece", "dishwasher safe"],
  body: "<p>Service for 8: eight each of dinner plates, salad plates, bowls and mugs. Reactive glaze, microwave and dishwasher safe.</p>",
});
add("Classic White Porcelain 12-Piece Dinnerware Set", "Dinnerware", H, "79.00", {
  tags: ["dinnerware set", "porcelain", "white", "service for 4", "12-piece"],
  body: "<p>Service for 4 in bright white porcelain: dinner plates, salad plates and bowls. Chip-resistant, dishwasher, microwave and oven safe.</p>",
});
add("Coupe Porcelain 24-Piece Dinnerware Set", "Dinnerware", H, "169.00", {
  options: [["Color", ["White", "Chalk", "Graphite"]]],
  tags: ["dinnerware set", "porcelain", "coupe", "24-piece"],
  body: "<p>Rimless coupe shapes, service for 8: eight dinner plates, eight salad plates and eight bowls.</p>",
});
add("Hand-Painted Talavera 16-Piece Dinnerware Set", "Dinnerware", "Terra Studio", "229.00", {
  tags: ["dinnerware set", "hand-painted", "talavera", "earthenware", "service for 4"],
  body: "<p>Hand-painted in Puebla, Mexico: service for 4 in cobalt and yellow patterns. Lead-free earthenware. <strong>Not dishwasher or microwave safe</strong>: hand wash only.</p>",
});
add("Melamine Picnic Dinnerware, 12 Pieces", "Dinnerware", H, "49.00", {
  options: [["Color", ["Sky", "Mustard", "Sage"]]],
  tags: ["dinnerware set", "melamine", "outdoor", "picnic", "unbreakable"],
  body: "<p>Service for 4 that won't break by the pool: plates, bowls and tumblers. Dishwasher safe, not microwave safe.</p>",
});
add("Stoneware Dinner Plates, Set of 4", "Dinnerware", "Terra Studio", "64.00", {
  options: [["Color", GLAZES]],
  tags: ["plates", "dinner plates", "stoneware", "set of 4"],
  body: "<p>Four 11-inch dinner plates in reactive-glaze stoneware.</p>",
});
add("Stoneware Salad Plates, Set of 4", "Dinnerware", "Terra Studio", "48.00", {
  options: [["Color", GLAZES]],
  tags: ["plates", "salad plates", "stoneware", "set of 4"],
  body: "<p>Four 8.5-inch salad and dessert plates.</p>",
});
add("Stoneware Pasta Bowls, Set of 4", "Dinnerware", "Terra Studio", "56.00", {
  options: [["Color", GLAZES]],
  salePct: 0.15,
  tags: ["bowls", "pasta bowls", "stoneware", "set of 4"],
  body: "<p>Wide, shallow 9-inch bowls for pasta, salads and grain bowls.</p>",
});
add("Porcelain Cereal Bowls, Set of 6", "Dinnerware", H, "36.00", {
  tags: ["bowls", "cereal bowls", "porcelain", "white", "set of 6"],
  body: "<p>Six white 6-inch bowls for cereal, soup and ice cream.</p>",
});
add("Stoneware Mugs, Set of 4", "Dinnerware", "Terra Studio", "44.00", {
  options: [["Color", ["Sage", "Oat", "Slate", "Clay", "Midnight", "Blush"]]],
  tags: ["mugs", "coffee mugs", "stoneware", "set of 4"],
  body: "<p>Four 14 oz mugs with a generous handle.</p>",
});
add("Double-Wall Glass Mugs, Set of 2", "Dinnerware", H, "28.00", {
  tags: ["mugs", "glass", "double wall", "set of 2"],
  body: "<p>Insulated glass mugs that keep coffee hot and hands cool. Not for the microwave.</p>",
});
add("Serving Platter 16\"", "Serveware", "Terra Studio", "58.00", {
  options: [["Color", ["Ivory", "Sage", "Slate"]]],
  tags: ["platter", "serving", "stoneware"],
  body: "<p>An oval 16-inch platter for roasts and holiday birds.</p>",
});
add("Acacia Wood Serving Board", "Serveware", H, "42.00", {
  tags: ["serving board", "charcuterie", "acacia", "cheese board"],
  body: "<p>A 20-inch acacia board with a handle for charcuterie and cheese. Not dishwasher safe.</p>",
});
add("Gold Flatware 20-Piece Set", "Flatware", H, "89.00", {
  options: [["Color", ["Gold", "Matte Black", "Silver"]]],
  tags: ["flatware", "cutlery", "silverware", "service for 4", "20-piece"],
  body: "<p>Service for 4: dinner forks, salad forks, knives, soup spoons and teaspoons in 18/10 stainless with a PVD finish. Dishwasher safe.</p>",
});
add("Classic Stainless Flatware 40-Piece Set", "Flatware", H, "119.00", {
  tags: ["flatware", "cutlery", "silverware", "service for 8", "40-piece"],
  body: "<p>Service for 8 in mirror-polished 18/10 stainless steel. Dishwasher safe.</p>",
});
add("Kids' Bamboo Dinnerware Set", "Dinnerware", H, "32.00", {
  options: [["Color", ["Sky", "Blush", "Sage"]]],
  tags: ["kids", "children", "bamboo", "plate", "bowl", "cup"],
  body: "<p>Divided plate, bowl, cup, spoon and fork for toddlers. Bamboo fibre; not microwave safe.</p>",
});

// -------------------------------------------------------------------------------------------------- Glassware
const GLASS = [
  ["Crystal Red Wine Glasses, Set of 4", "64.00", ["wine glasses", "red wine", "crystal", "set of 4"], "Large bowls let bold reds breathe. Lead-free crystal, dishwasher safe."],
  ["Crystal White Wine Glasses, Set of 4", "58.00", ["wine glasses", "white wine", "crystal", "set of 4"], "A narrower bowl keeps whites cool and aromatic."],
  ["Stemless Wine Glasses, Set of 4", "36.00", ["wine glasses", "stemless", "set of 4"], "Sturdy stemless glasses for everyday wine or water."],
  ["Champagne Flutes, Set of 4", "48.00", ["champagne flutes", "sparkling wine", "set of 4"], "Tall flutes that keep the bubbles going."],
  ["Vintage Coupe Glasses, Set of 2", "38.00", ["coupe", "cocktail glasses", "set of 2"], "Art-deco coupes for cocktails and champagne towers."],
  ["Whiskey Rocks Glasses, Set of 4", "42.00", ["whiskey glasses", "rocks glasses", "old fashioned", "set of 4"], "Heavy-bottomed 10 oz glasses for whiskey and old fashioneds."],
  ["Ribbed Highball Glasses, Set of 6", "39.00", ["highball", "tumblers", "drinking glasses", "set of 6"], "Fluted 14 oz glasses for water, iced coffee and mojitos."],
  ["Everyday Drinking Glasses, Set of 8", "29.00", ["drinking glasses", "tumblers", "set of 8"], "Stackable 12 oz tumblers tough enough for the dishwasher every day."],
  ["Glass Water Carafe 1 L", "26.00", ["carafe", "water pitcher", "glass"], "A bedside or dinner-table carafe with a cup that doubles as its lid."],
  ["Hammered Glass Pitcher 2 qt", "34.00", ["pitcher", "lemonade", "glass"], "Hand-blown hammered glass for lemonade and sangria."],
  ["Beer Glasses, Set of 4", "32.00", ["beer glasses", "pint", "set of 4"], "Tulip-shaped glasses for craft beer."],
  ["Recycled Glass Tumblers, Set of 6", "45.00", ["tumblers", "recycled glass", "set of 6"], "Hand-blown in Spain from recycled glass; each tinted a little differently."],
];
for (const [title, price, tags, text] of GLASS) {
  add(title, "Glassware", H, price, {
    options: title.startsWith("Recycled") ? [["Color", ["Sky", "Emerald", "Clear"]]] : undefined,
    compare: title.startsWith("Champagne") ? "60.00" : null,
    tags,
    body: `<p>${text}</p>`,
  });
}

// ----------------------------------------------------------------------------------------------------- Bedding
const sized = (list, prices) => Object.fromEntries(list.map((s, i) => [s, prices[i]]));
add("Percale Cotton Sheet Set, 300 Thread Count", "Sheets", "Norrland Textiles", "89.00", {
  options: [["Size", BED], ["Color", ["White", "Ivory", "Sage", "Mist", "Navy"]]],
  prices: sized(BED, ["89.00", "109.00", "119.00", "139.00", "139.00"]),
  tags: ["sheets", "sheet set", "percale", "cotton", "300 thread count", "cool", "crisp"],
  body: "<p>Crisp, cool, matte percale woven from long-staple cotton: 300 thread count. Fitted sheet, flat sheet and two pillowcases (one for Twin). Fits mattresses up to 16 in deep.</p>",
});
add("Sateen Sheet Set, 400 Thread Count", "Sheets", "Norrland Textiles", "99.00", {
  options: [["Size", BED], ["Color", ["White", "Ivory", "Graphite", "Blush", "Cobalt"]]],
  prices: sized(BED, ["99.00", "119.00", "129.00", "149.00", "149.00"]),
  salePct: 0.2,
  tags: ["sheets", "sheet set", "sateen", "cotton", "400 thread count", "silky"],
  body: "<p>Silky, lustrous 400 thread count cotton sateen with a subtle sheen. Fitted sheet, flat sheet and two pillowcases.</p>",
});
add("Egyptian Cotton Sheet Set, 600 Thread Count", "Sheets", "Norrland Textiles", "159.00", {
  options: [["Size", ["Queen", "King", "California King"]], ["Color", ["White", "Ivory", "Pewter"]]],
  prices: { Queen: "179.00", King: "199.00", "California King": "199.00" },
  tags: ["sheets", "sheet set", "egyptian cotton", "600 thread count", "luxury", "sateen"],
  body: "<p>Our most luxurious sheets: 600 thread count Egyptian cotton sateen. Queen, King and California King only.</p>",
});
add("Washed Linen Sheet Set", "Sheets", "Norrland Textiles", "199.00", {
  options: [["Size", BED4], ["Color", ["Oat", "Terracotta", "Sage", "Slate", "Mist", "White"]]],
  prices: sized(BED4, ["199.00", "229.00", "259.00", "289.00"]),
  tags: ["sheets", "sheet set", "linen", "flax", "breathable", "hot sleepers"],
  body: "<p>Stonewashed French flax linen that gets softer with every wash. Breathable for hot sleepers. Linen has no thread count; it is 170 g/m².</p>",
});
add("Brushed Flannel Sheet Set", "Sheets", "Norrland Textiles", "79.00", {
  options: [["Size", BED4], ["Color", ["Graphite", "Crimson Plaid", "Navy", "Oat"]]],
  prices: sized(BED4, ["79.00", "89.00", "99.00", "109.00"]),
  compare: "99.00",
  tags: ["sheets", "sheet set", "flannel", "warm", "winter", "cotton"],
  body: "<p>Portuguese cotton flannel, brushed on both sides: the warmest sheets we make, for cold winter nights.</p>",
});
add("Jersey Knit Sheet Set", "Sheets", H, "49.00", {
  options: [["Size", ["Twin", "Full", "Queen"]], ["Color", ["Heather Grey", "Navy", "Blush"]]],
  prices: { Twin: "49.00", Full: "59.00", Queen: "69.00" },
  tags: ["sheets", "sheet set", "jersey", "t-shirt soft", "dorm"],
  body: "<p>Soft and stretchy like your favourite T-shirt. A dorm-room favourite. No King size.</p>",
});
add("Bamboo Lyocell Sheet Set", "Sheets", H, "129.00", {
  options: [["Size", BED4], ["Color", ["White", "Stone", "Sage", "Midnight"]]],
  prices: sized(BED4, ["129.00", "139.00", "149.00", "169.00"]),
  tags: ["sheets", "sheet set", "bamboo", "lyocell", "cooling", "hot sleepers"],
  body: "<p>Cooling, moisture-wicking bamboo lyocell for people who sleep hot.</p>",
});
add("Kids' Printed Cotton Sheet Set", "Sheets", H, "45.00", {
  options: [["Size", ["Twin", "Full"]], ["Pattern", ["Stars", "Dinosaurs", "Rainbows"]]],
  prices: { Twin: "45.00", Full: "55.00" },
  tags: ["sheets", "kids", "children", "printed", "cotton"],
  body: "<p>Playful prints on soft 200 thread count cotton, for kids' twin and full beds.</p>",
});
add("Washed Linen Duvet Cover", "Duvet Covers", "Norrland Textiles", "219.00", {
  options: [["Size", DUVET], ["Color", ["Oat", "Terracotta", "Sage", "Slate", "White"]]],
  prices: sized(DUVET, ["219.00", "269.00", "299.00"]),
  tags: ["duvet cover", "linen", "bedding"],
  body: "<p>Stonewashed linen duvet cover with coconut-shell buttons and inside corner ties. Shams sold separately.</p>",
});
add("Sateen Duvet Cover Set", "Duvet Covers", "Norrland Textiles", "149.00", {
  options: [["Size", DUVET], ["Color", ["White", "Ivory", "Graphite", "Cobalt"]]],
  prices: sized(DUVET, ["149.00", "179.00", "199.00"]),
  tags: ["duvet cover", "sateen", "cotton", "shams included"],
  body: "<p>400 thread count sateen duvet cover with two matching shams (one for Twin).</p>",
});
add("Waffle Weave Duvet Cover", "Duvet Covers", H, "129.00", {
  options: [["Size", ["Full/Queen", "King"]], ["Color", ["White", "Oat", "Blush", "Sky"]]],
  prices: { "Full/Queen": "129.00", King: "149.00" },
  compare: "159.00",
  tags: ["duvet cover", "waffle", "cotton", "textured"],
  body: "<p>Airy waffle-weave cotton with a hidden zip. No Twin size.</p>",
});
add("All-Season Down Alternative Comforter", "Comforters", "Norrland Textiles", "99.00", {
  options: [["Size", DUVET]],
  prices: sized(DUVET, ["99.00", "129.00", "149.00"]),
  tags: ["comforter", "duvet insert", "down alternative", "hypoallergenic", "all season"],
  body: "<p>Medium warmth for year-round use, filled with hypoallergenic down-alternative fibre. Machine washable.</p>",
});
add("Lightweight Down Comforter", "Comforters", "Norrland Textiles", "189.00", {
  options: [["Size", DUVET]],
  prices: sized(DUVET, ["189.00", "229.00", "269.00"]),
  tags: ["comforter", "duvet insert", "down", "lightweight", "summer"],
  body: "<p>A light layer of 650-fill white duck down for summer and warm sleepers.</p>",
});
add("Heavyweight Winter Down Comforter", "Comforters", "Norrland Textiles", "299.00", {
  options: [["Size", DUVET]],
  prices: sized(DUVET, ["299.00", "349.00", "399.00"]),
  tags: ["comforter", "duvet insert", "down", "winter", "extra warm"],
  body: "<p>Our warmest comforter: 750-fill goose down, baffle-box stitched so the fill stays put. For cold bedrooms and people who are always cold.</p>",
});
add("Stonewashed Cotton Quilt", "Quilts", H, "139.00", {
  options: [["Size", DUVET], ["Color", ["Sage", "Ivory", "Indigo", "Terracotta"]]],
  prices: sized(DUVET, ["139.00", "169.00", "189.00"]),
  tags: ["quilt", "coverlet", "cotton", "lightweight"],
  body: "<p>A hand-stitched-look cotton quilt, light enough on its own in summer.</p>",
});
add("Matelassé Coverlet", "Quilts", H, "119.00", {
  options: [["Size", ["Full/Queen", "King"]], ["Color", ["White", "Ivory", "Pewter"]]],
  prices: { "Full/Queen": "119.00", King: "139.00" },
  tags: ["coverlet", "matelasse", "cotton", "bedspread"],
  body: "<p>A woven matelassé coverlet with a raised diamond pattern.</p>",
});
add("Down Alternative Pillow", "Pillows", "Norrland Textiles", "39.00", {
  options: [["Size", PILLOW], ["Firmness", ["Soft", "Medium", "Firm"]]],
  prices: sized(PILLOW, ["39.00", "45.00", "49.00"]),
  tags: ["pillow", "down alternative", "hypoallergenic"],
  body: "<p>Hypoallergenic microfibre fill; choose soft for stomach sleepers, medium for back sleepers, firm for side sleepers.</p>",
});
add("Goose Down Pillow", "Pillows", "Norrland Textiles", "89.00", {
  options: [["Size", PILLOW], ["Firmness", ["Medium", "Firm"]]],
  prices: sized(PILLOW, ["89.00", "99.00", "109.00"]),
  tags: ["pillow", "down", "goose down", "luxury"],
  body: "<p>700-fill goose down in a cotton sateen shell.</p>",
});
add("Contour Memory Foam Pillow", "Pillows", H, "59.00", {
  options: [["Size", ["Standard", "Queen"]]],
  prices: { Standard: "59.00", Queen: "69.00" },
  compare: "79.00",
  tags: ["pillow", "memory foam", "neck support", "contour"],
  body: "<p>A contoured memory foam pillow that supports the neck for back and side sleepers.</p>",
});
add("Waterproof Mattress Protector", "Bedding", H, "49.00", {
  options: [["Size", BED]],
  prices: sized(BED, ["49.00", "59.00", "64.00", "74.00", "74.00"]),
  tags: ["mattress protector", "waterproof", "bedding", "fitted"],
  body: "<p>A quiet, breathable waterproof mattress protector that fits like a fitted sheet. Protects your mattress from spills; it is not a mattress or a mattress topper.</p>",
});
add("Weighted Blanket 15 lb", "Blankets", H, "129.00", {
  options: [["Color", ["Graphite", "Sage", "Oat"]]],
  tags: ["weighted blanket", "sleep", "calming", "15 lb"],
  body: "<p>15 lb of glass beads in quilted pockets, for adults of about 130 to 170 lb. Removable cover.</p>",
});
add("Weighted Blanket 20 lb", "Blankets", H, "149.00", {
  options: [["Color", ["Graphite", "Sage", "Oat"]]],
  tags: ["weighted blanket", "sleep", "calming", "20 lb"],
  body: "<p>20 lb for adults of about 170 to 220 lb. Removable cover.</p>",
});
add("Chunky Knit Throw Blanket", "Blankets", H, "89.00", {
  options: [["Color", ["Ivory", "Blush", "Sage", "Charcoal"]]],
  tags: ["throw", "blanket", "chunky knit", "cozy"],
  body: "<p>An oversized chunky-knit throw for the sofa. Hand wash cold.</p>",
});
add("Faux Fur Throw Blanket", "Blankets", H, "69.00", {
  options: [["Color", ["Ivory", "Mist", "Cognac"]]],
  salePct: 0.3,
  tags: ["throw", "blanket", "faux fur", "warm", "cozy"],
  body: "<p>Plush faux fur on one side, sherpa on the other. 50 x 60 in.</p>",
});
add("Wool Herringbone Throw", "Blankets", "Norrland Textiles", "119.00", {
  options: [["Color", ["Navy", "Mustard", "Stone"]]],
  tags: ["throw", "blanket", "wool", "herringbone", "warm"],
  body: "<p>Woven in Wales from pure new wool, with fringed edges. Dry clean only.</p>",
});
add("Heated Electric Throw", "Blankets", "Brightline", "79.00", {
  options: [["Color", ["Oat", "Graphite"]]],
  tags: ["electric blanket", "heated throw", "warm", "winter"],
  body: "<p>Six heat settings and a 4-hour auto shut-off. Machine washable once the controller is unplugged.</p>",
});

// ------------------------------------------------------------------------------------------------------ Towels
add("Turkish Cotton Bath Towel", "Towels", "Norrland Textiles", "32.00", {
  options: [["Color", ["White", "Sage", "Navy", "Blush", "Graphite", "Terracotta"]]],
  tags: ["bath towel", "turkish cotton", "towels"],
  body: "<p>A plush, absorbent 30 x 58 in bath towel of long-staple Turkish cotton.</p>",
});
add("Turkish Cotton 6-Piece Towel Set", "Towels", "Norrland Textiles", "99.00", {
  options: [["Color", ["White", "Sage", "Navy", "Blush", "Graphite"]]],
  salePct: 0.25,
  tags: ["towel set", "bath towels", "hand towels", "washcloths", "turkish cotton"],
  body: "<p>Two bath towels, two hand towels and two washcloths.</p>",
});
add("Waffle Weave Bath Towel", "Towels", H, "28.00", {
  options: [["Color", ["White", "Oat", "Sky", "Clay"]]],
  tags: ["bath towel", "waffle", "quick dry"],
  body: "<p>Light, fast-drying waffle weave that gets more absorbent with every wash.</p>",
});
add("Organic Cotton Bath Sheet", "Towels", "Norrland Textiles", "44.00", {
  options: [["Color", ["White", "Stone", "Emerald"]]],
  tags: ["bath sheet", "oversized towel", "organic cotton"],
  body: "<p>An oversized 40 x 70 in bath sheet that wraps all the way around.</p>",
});
add("Hand Towels, Set of 2", "Towels", H, "24.00", {
  options: [["Color", ["White", "Sage", "Navy", "Blush"]]],
  tags: ["hand towels", "set of 2", "bathroom"],
  body: "<p>Two 16 x 30 in hand towels.</p>",
});
add("Striped Beach Towel", "Towels", H, "36.00", {
  options: [["Color", ["Cobalt Stripe", "Mustard Stripe", "Coral Stripe"]]],
  tags: ["beach towel", "pool", "oversized", "striped"],
  body: "<p>An oversized 36 x 70 in jacquard beach towel.</p>",
});
add("Linen Tea Towels, Set of 3", "Kitchen Linens", "Norrland Textiles", "29.00", {
  options: [["Color", ["Oat", "Sage", "Terracotta"]]],
  tags: ["tea towels", "dish towels", "kitchen towels", "linen", "set of 3"],
  body: "<p>Absorbent, lint-free linen dish towels.</p>",
});
add("Plush Memory Foam Bath Mat", "Bath", H, "29.00", {
  options: [["Color", ["White", "Graphite", "Sage", "Navy"]]],
  tags: ["bath mat", "memory foam", "non-slip"],
  body: "<p>Soft memory foam with a non-slip backing. Machine washable.</p>",
});
add("Teak Shower Bench", "Bath", H, "119.00", {
  tags: ["shower bench", "teak", "bathroom"],
  body: "<p>A solid teak bench for the shower or as a stool; water-resistant, oil yearly.</p>",
});
add("Waffle Bathrobe", "Bath", H, "69.00", {
  options: [["Size", ROBE], ["Color", ["White", "Sage", "Navy"]]],
  tags: ["bathrobe", "robe", "waffle", "lightweight"],
  body: "<p>A light, unisex waffle robe for after the shower. Size S/M fits US 2 to 10, L/XL fits 12 to 20.</p>",
});
add("Plush Fleece Bathrobe", "Bath", H, "79.00", {
  options: [["Size", ROBE], ["Color", ["Ivory", "Graphite", "Blush"]]],
  tags: ["bathrobe", "robe", "fleece", "warm"],
  body: "<p>A heavy, warm fleece robe with a shawl collar.</p>",
});

// ---------------------------------------------------------------------------------------------------- Lighting
add("Arc Floor Lamp", "Lighting", "Lumen Home", "249.00", {
  options: [["Color", ["Brass", "Matte Black"]]],
  tags: ["floor lamp", "arc lamp", "living room", "marble base"],
  body: "<p>An arching floor lamp that reaches over the sofa, on a marble base. 80 in tall.</p>",
});
add("Tripod Floor Lamp", "Lighting", "Lumen Home", "149.00", {
  options: [["Color", ["Walnut", "Ash"]]],
  compare: "189.00",
  tags: ["floor lamp", "tripod", "linen shade"],
  body: "<p>Wood tripod legs and a linen drum shade. 60 in tall.</p>",
});
add("Reading Floor Lamp with Adjustable Arm", "Lighting", "Lumen Home", "119.00", {
  options: [["Color", ["Matte Black", "Brass", "White"]]],
  tags: ["floor lamp", "reading lamp", "adjustable", "LED"],
  body: "<p>A swing-arm floor lamp that puts light right on the page, with a dimmable LED.</p>",
});
add("Ceramic Table Lamp", "Lighting", "Lumen Home", "129.00", {
  options: [["Color", ["Sage", "Terracotta", "Ivory", "Cobalt"]]],
  tags: ["table lamp", "ceramic", "bedside", "living room"],
  body: "<p>A glazed ceramic gourd base with a linen shade. 24 in tall.</p>",
});
add("Mushroom Table Lamp", "Lighting", "Lumen Home", "89.00", {
  options: [["Color", ["White", "Mustard", "Blush", "Sage"]]],
  tags: ["table lamp", "mushroom lamp", "opal glass", "bedside"],
  body: "<p>A glowing opal-glass mushroom lamp: soft light for a bedside or shelf.</p>",
});
add("Rechargeable Cordless Table Lamp", "Lighting", "Lumen Home", "69.00", {
  options: [["Color", ["Brass", "Matte Black", "Sage"]]],
  tags: ["table lamp", "cordless", "rechargeable", "dimmable", "outdoor"],
  body: "<p>No cord: 12 hours of dimmable light per USB-C charge. Indoors or out on the patio table.</p>",
});
add("Brass Bedside Reading Lamp", "Lighting", "Lumen Home", "79.00", {
  tags: ["table lamp", "reading lamp", "bedside", "brass", "adjustable"],
  body: "<p>A compact brass lamp with a pivoting shade that aims light at your book, not your partner.</p>",
});
add("LED Desk Lamp with USB Port", "Lighting", "Lumen Home", "45.00", {
  options: [["Color", ["White", "Matte Black"]]],
  tags: ["desk lamp", "LED", "task lighting", "office", "dimmable"],
  body: "<p>Five colour temperatures, seven brightness levels and a USB port for your phone.</p>",
});
add("Glass Globe Pendant Light", "Lighting", "Lumen Home", "159.00", {
  options: [["Color", ["Brass", "Matte Black", "Chrome"]]],
  tags: ["pendant light", "ceiling light", "glass globe", "kitchen island"],
  body: "<p>A 10-inch clear glass globe on an adjustable cord. Hardwired installation.</p>",
});
add("Woven Rattan Pendant Light", "Lighting", "Lumen Home", "139.00", {
  tags: ["pendant light", "ceiling light", "rattan", "boho"],
  body: "<p>A hand-woven rattan dome that throws patterned light. Hardwired or plug-in with the swag kit.</p>",
});
add("Linen Drum Chandelier", "Lighting", "Lumen Home", "299.00", {
  soldOut: true,
  tags: ["chandelier", "ceiling light", "dining room", "linen"],
  body: "<p>A 24-inch linen drum chandelier with five lights, for the dining room.</p>",
});
add("Brass Swing-Arm Wall Sconce", "Lighting", "Lumen Home", "99.00", {
  options: [["Color", ["Brass", "Matte Black"]]],
  tags: ["wall sconce", "wall light", "plug-in", "bedside"],
  body: "<p>Plug-in sconce with a cord cover: no electrician needed.</p>",
});
add("Edison LED Bulbs, 4-Pack", "Lighting", "Lumen Home", "19.00", {
  tags: ["light bulbs", "LED", "edison", "dimmable", "4-pack"],
  body: "<p>Warm 2700 K filament LED bulbs, E26 base, dimmable.</p>",
});
add("Warm White String Lights 33 ft", "Lighting", "Lumen Home", "24.00", {
  tags: ["string lights", "fairy lights", "LED", "plug-in"],
  body: "<p>100 warm white LEDs on copper wire with a remote and timer.</p>",
});
add("Smart Color LED Bulb", "Lighting", "Lumen Home", "29.00", {
  tags: ["light bulbs", "smart bulb", "wifi", "color changing"],
  body: "<p>16 million colours and tunable white, controlled from your phone or voice assistant.</p>",
});

// -------------------------------------------------------------------------------------------------------- Rugs
add("Hand-Knotted Wool Rug", "Rugs", "Terra Studio", "179.00", {
  options: [["Size", RUG], ["Color", ["Ivory", "Navy", "Terracotta"]]],
  prices: sized(RUG, ["179.00", "399.00", "899.00", "1499.00", "1999.00"]),
  tags: ["rug", "area rug", "wool", "hand-knotted"],
  body: "<p>Hand-knotted in India from New Zealand wool in a worn, traditional pattern. Professional cleaning recommended.</p>",
});
add("Machine Washable Low-Pile Rug", "Rugs", H, "69.00", {
  options: [["Size", ["2' x 3'", "3' x 5'", "5' x 8'", "8' x 10'"]], ["Color", ["Slate", "Blush", "Sage", "Cobalt"]]],
  prices: sized(["2' x 3'", "3' x 5'", "5' x 8'", "8' x 10'"], ["69.00", "129.00", "249.00", "399.00"]),
  tags: ["rug", "area rug", "washable", "kids", "pets", "low pile"],
  body: "<p>A thin rug that goes in the washing machine (sizes up to 5 x 8). Non-slip backing. Great with pets and kids.</p>",
});
add("Braided Jute Rug", "Rugs", H, "59.00", {
  options: [["Size", ["2' x 3'", "3' x 5'", "5' x 8'", "8' x 10'"]]],
  prices: sized(["2' x 3'", "3' x 5'", "5' x 8'", "8' x 10'"], ["59.00", "99.00", "229.00", "389.00"]),
  salePct: 0.2,
  tags: ["rug", "area rug", "jute", "natural", "braided"],
  body: "<p>Chunky braided jute in its natural colour. Not for damp spaces or outdoors.</p>",
});
add("Moroccan Shag Rug", "Rugs", "Terra Studio", "149.00", {
  options: [["Size", ["3' x 5'", "5' x 8'", "8' x 10'"]], ["Color", ["Ivory", "Charcoal"]]],
  prices: sized(["3' x 5'", "5' x 8'", "8' x 10'"], ["149.00", "329.00", "549.00"]),
  tags: ["rug", "area rug", "shag", "moroccan", "plush"],
  body: "<p>Deep, cushy pile with a hand-drawn diamond lattice.</p>",
});
add("Vintage Distressed Area Rug", "Rugs", H, "79.00", {
  options: [["Size", RUG], ["Color", ["Rust", "Navy", "Sage", "Blush"]]],
  prices: sized(RUG, ["49.00", "89.00", "189.00", "299.00", "399.00"]),
  tags: ["rug", "area rug", "vintage", "distressed", "low pile"],
  body: "<p>A faded Persian-style pattern printed on a low, durable pile. Stain-resistant.</p>",
});
add("Indoor/Outdoor Stripe Rug", "Rugs", H, "49.00", {
  options: [["Size", ["3' x 5'", "5' x 8'", "8' x 10'"]], ["Color", ["Navy Stripe", "Sage Stripe", "Charcoal Stripe"]]],
  prices: sized(["3' x 5'", "5' x 8'", "8' x 10'"], ["49.00", "119.00", "189.00"]),
  tags: ["rug", "outdoor rug", "indoor outdoor", "polypropylene", "striped"],
  body: "<p>Polypropylene flatweave that shrugs off rain and sun: patio, porch or kitchen.</p>",
});
add("Flatweave Kilim Rug", "Rugs", "Terra Studio", "129.00", {
  options: [["Size", ["3' x 5'", "5' x 8'", "8' x 10'"]]],
  prices: sized(["3' x 5'", "5' x 8'", "8' x 10'"], ["129.00", "349.00", "599.00"]),
  soldOut: false,
  tags: ["rug", "area rug", "kilim", "flatweave", "wool", "reversible"],
  body: "<p>A reversible wool kilim in terracotta, mustard and indigo.</p>",
});
add("Round Jute Rug", "Rugs", H, "79.00", {
  options: [["Size", ["4' Round", "6' Round", "8' Round"]]],
  prices: sized(["4' Round", "6' Round", "8' Round"], ["79.00", "159.00", "259.00"]),
  tags: ["rug", "round rug", "jute", "natural"],
  body: "<p>A round braided jute rug for under a round dining table or in an entryway.</p>",
});
add("Sheepskin Rug", "Rugs", "Norrland Textiles", "99.00", {
  options: [["Size", ["2' x 3'", "2' x 6'"]], ["Color", ["Ivory", "Graphite"]]],
  prices: { "2' x 3'": "99.00", "2' x 6'": "179.00" },
  tags: ["rug", "sheepskin", "natural", "bedside"],
  body: "<p>Genuine Icelandic sheepskin. Spot clean only.</p>",
});
add("Wool Hallway Runner", "Rugs", "Terra Studio", "149.00", {
  options: [["Size", ["2.5' x 8'", "2.5' x 12'"]], ["Color", ["Navy", "Rust", "Ivory"]]],
  prices: { "2.5' x 8'": "149.00", "2.5' x 12'": "219.00" },
  tags: ["rug", "runner", "hallway", "wool"],
  body: "<p>A long, narrow wool runner for halls and beside the bed.</p>",
});
add("Rug Pad", "Rugs", H, "29.00", {
  options: [["Size", ["3' x 5'", "5' x 8'", "8' x 10'", "9' x 12'"]]],
  prices: sized(["3' x 5'", "5' x 8'", "8' x 10'", "9' x 12'"], ["29.00", "49.00", "69.00", "89.00"]),
  tags: ["rug pad", "non-slip", "felt"],
  body: "<p>Felt and rubber pad that stops rugs sliding and protects floors. A pad, not a rug.</p>",
});

// --------------------------------------------------------------------------------------------------- Furniture
add("Halden Round Dining Table 42\"", "Dining Tables", "Oakridge", "549.00", {
  options: [["Color", ["Oak", "Walnut", "Black"]]],
  tags: ["dining table", "round", "small space", "pedestal"],
  body: "<p>A 42-inch round pedestal table that seats 4. Solid oak or walnut veneer.</p>",
});
add("Bistro Marble Café Table", "Dining Tables", "Oakridge", "299.00", {
  tags: ["bistro table", "marble", "small space", "breakfast nook"],
  body: "<p>A 28-inch round marble top on a cast-iron base: coffee for two, seats 2.</p>",
});
add("Lindgren Oak Dining Table 72\"", "Dining Tables", "Oakridge", "1199.00", {
  options: [["Color", ["Oak", "Walnut"]]],
  compare: "1399.00",
  tags: ["dining table", "rectangular", "solid oak", "seats 6"],
  body: "<p>Solid white oak, 72 x 38 in. Seats 6 comfortably. Assembly: screw on the four legs.</p>",
});
add("Farmhouse Trestle Dining Table 84\"", "Dining Tables", "Oakridge", "1499.00", {
  tags: ["dining table", "farmhouse", "trestle", "reclaimed pine", "large"],
  body: "<p>Reclaimed pine, 84 inches long: seats 8 people, 10 at a squeeze.</p>",
});
add("Arlo Extendable Dining Table", "Dining Tables", "Oakridge", "999.00", {
  options: [["Color", ["Oak", "Walnut", "Black"]]],
  tags: ["dining table", "extendable", "expandable", "leaf"],
  body: "<p>Seats 6 at 70 inches; pull out the butterfly leaf to 90 inches and it seats 8.</p>",
});
add("Sable Walnut Dining Table 64\"", "Dining Tables", "Oakridge", "1099.00", {
  tags: ["dining table", "walnut", "mid-century", "rectangular"],
  body: "<p>A mid-century walnut table with tapered legs, 64 x 36 in, for six diners.</p>",
});
add("Counter-Height Pub Table", "Dining Tables", "Oakridge", "449.00", {
  soldOut: true,
  tags: ["counter height", "pub table", "bar table", "small space"],
  body: "<p>A 36-inch-tall square table that seats 4 on counter stools.</p>",
});
add("Bentwood Dining Chairs, Set of 2", "Dining Chairs", "Oakridge", "299.00", {
  options: [["Color", ["Oak", "Black", "Walnut"]]],
  tags: ["dining chairs", "set of 2", "bentwood", "cafe chairs"],
  body: "<p>Two steam-bent beech chairs with woven cane seats.</p>",
});
add("Upholstered Dining Chairs, Set of 2", "Dining Chairs", "Oakridge", "349.00", {
  options: [["Color", ["Oat", "Emerald", "Navy", "Blush"]]],
  salePct: 0.2,
  tags: ["dining chairs", "set of 2", "upholstered", "velvet"],
  body: "<p>Two performance-velvet chairs with black metal legs.</p>",
});
add("Woven Counter Stools, Set of 2", "Dining Chairs", "Oakridge", "279.00", {
  options: [["Color", ["Natural", "Black"]]],
  tags: ["bar stools", "counter stools", "set of 2", "rattan"],
  body: "<p>Rattan counter stools, 26-inch seat height, for kitchen islands.</p>",
});
add("Marlow 3-Seater Sofa", "Sofas", "Oakridge", "1299.00", {
  options: [["Color", ["Oat", "Slate", "Emerald", "Terracotta"]]],
  tags: ["sofa", "couch", "3-seater", "living room"],
  body: "<p>A deep three-seat sofa, 84 in wide, with feather-wrapped cushions and performance fabric.</p>",
});
add("Ellis Loveseat", "Sofas", "Oakridge", "899.00", {
  options: [["Color", ["Oat", "Navy", "Blush"]]],
  tags: ["loveseat", "sofa", "2-seater", "small space"],
  body: "<p>A 62-inch loveseat for two, sized for apartments.</p>",
});
add("Bodhi Sleeper Sofa", "Sofas", "Oakridge", "1599.00", {
  options: [["Color", ["Graphite", "Oat"]]],
  compare: "1899.00",
  tags: ["sleeper sofa", "sofa bed", "queen", "guest room"],
  body: "<p>Seats three; a queen-size memory foam mattress pulls out for guests.</p>",
});
add("Juno Apartment Sofa 72\"", "Sofas", "Oakridge", "999.00", {
  options: [["Color", ["Mist", "Mustard", "Sage", "Charcoal"]]],
  tags: ["sofa", "couch", "apartment", "small space", "velvet"],
  body: "<p>A compact velvet sofa, 72 inches wide, that still seats three people.</p>",
});
add("Corin Modular Sectional", "Sofas", "Oakridge", "2499.00", {
  options: [["Color", ["Oat", "Graphite", "Sage"]]],
  tags: ["sectional", "sofa", "modular", "L-shaped", "family"],
  body: "<p>An L-shaped modular sectional that seats 5; rearrange the chaise left or right.</p>",
});
add("Velvet Accent Armchair", "Chairs", "Oakridge", "449.00", {
  options: [["Color", ["Emerald", "Mustard", "Blush", "Navy"]]],
  tags: ["armchair", "accent chair", "velvet", "living room"],
  body: "<p>A curvy channel-tufted armchair in performance velvet.</p>",
});
add("Leather Lounge Chair", "Chairs", "Oakridge", "899.00", {
  options: [["Color", ["Cognac", "Black"]]],
  tags: ["lounge chair", "leather", "armchair", "reading chair"],
  body: "<p>Full-grain leather sling on a solid oak frame: the reading chair.</p>",
});
add("Round Storage Ottoman", "Chairs", "Oakridge", "149.00", {
  options: [["Color", ["Oat", "Cognac", "Emerald"]]],
  tags: ["ottoman", "footstool", "storage", "pouf"],
  body: "<p>A footrest with hidden storage under the lid.</p>",
});
add("Oval Oak Coffee Table", "Living Room Tables", "Oakridge", "499.00", {
  options: [["Color", ["Oak", "Walnut"]]],
  tags: ["coffee table", "oval", "oak", "living room"],
  body: "<p>A low oval coffee table, 48 x 24 in, with rounded edges kind to shins.</p>",
});
add("Marble Round Side Table", "Living Room Tables", "Oakridge", "199.00", {
  options: [["Color", ["White Marble", "Green Marble"]]],
  tags: ["side table", "end table", "marble"],
  body: "<p>A small 16-inch marble-top side table on a brass base.</p>",
});
add("Nesting Side Tables, Set of 2", "Living Room Tables", "Oakridge", "179.00", {
  tags: ["side table", "nesting tables", "set of 2", "walnut"],
  body: "<p>Two walnut-veneer tables that tuck one under the other.</p>",
});
add("Media Console 60\"", "Storage Furniture", "Oakridge", "649.00", {
  options: [["Color", ["Oak", "Walnut", "White"]]],
  tags: ["tv stand", "media console", "sideboard", "cane doors"],
  body: "<p>A 60-inch media console with cane doors and cord management. Holds TVs up to 65 inches (TV not included).</p>",
});
add("5-Tier Oak Bookshelf", "Storage Furniture", "Oakridge", "299.00", {
  options: [["Color", ["Oak", "Black"]]],
  tags: ["bookshelf", "bookcase", "shelving", "ladder"],
  body: "<p>A leaning ladder-style bookshelf, 72 in tall, with five graduated shelves.</p>",
});
add("Six-Drawer Dresser", "Storage Furniture", "Oakridge", "999.00", {
  options: [["Color", ["Oak", "Walnut", "White"]]],
  compare: "1199.00",
  tags: ["dresser", "chest of drawers", "bedroom", "6-drawer"],
  body: "<p>A wide six-drawer dresser with soft-close runners. Arrives fully assembled.</p>",
});
add("Two-Drawer Nightstand", "Storage Furniture", "Oakridge", "249.00", {
  options: [["Color", ["Oak", "Walnut", "White"]]],
  tags: ["nightstand", "bedside table", "bedroom"],
  body: "<p>Two drawers and a cord cut-out for charging.</p>",
});
add("Solid Wood Platform Bed", "Beds", "Oakridge", "899.00", {
  options: [["Size", ["Full", "Queen", "King"]], ["Color", ["Oak", "Walnut"]]],
  prices: { Full: "899.00", Queen: "999.00", King: "1199.00" },
  tags: ["bed frame", "platform bed", "no box spring", "solid wood"],
  body: "<p>A low solid-wood platform bed: no box spring needed. Mattress not included.</p>",
});
add("Upholstered Channel Bed", "Beds", "Oakridge", "1099.00", {
  options: [["Size", ["Queen", "King"]], ["Color", ["Oat", "Emerald", "Navy", "Blush"]]],
  prices: { Queen: "1099.00", King: "1299.00" },
  tags: ["bed frame", "upholstered bed", "headboard", "velvet"],
  body: "<p>A channel-tufted velvet headboard and frame. Mattress not included.</p>",
});
add("Writing Desk with Drawer", "Office", "Oakridge", "399.00", {
  options: [["Color", ["Oak", "Walnut", "White"]]],
  tags: ["desk", "writing desk", "home office"],
  body: "<p>A 48-inch desk with one slim drawer for small home offices.</p>",
});
add("Standing Desk Frame with Oak Top", "Office", "Oakridge", "649.00", {
  soldOut: true,
  tags: ["standing desk", "desk", "adjustable", "home office"],
  body: "<p>Electric height adjustment from 25 to 50 inches with four memory presets.</p>",
});
add("Entryway Bench with Shoe Storage", "Storage Furniture", "Oakridge", "229.00", {
  options: [["Color", ["Oak", "Black"]]],
  tags: ["bench", "entryway", "shoe storage"],
  body: "<p>A bench with a slatted shelf for six pairs of shoes.</p>",
});
add("Ergonomic Task Chair", "Office", "Oakridge", "349.00", {
  options: [["Color", ["Graphite", "Oat"]]],
  tags: ["office chair", "desk chair", "ergonomic", "lumbar support"],
  body: "<p>Adjustable lumbar support, seat depth and 4D arms.</p>",
});

// ----------------------------------------------------------------------------------------------------- Storage
const STORE = [
  ["Glass Meal Prep Containers, 10-Piece", "39.00", ["food storage", "glass containers", "meal prep", "leakproof"], "Five borosilicate containers with locking lids; oven, microwave and dishwasher safe (lids: top rack)."],
  ["Airtight Pantry Canisters, Set of 4", "49.00", ["pantry", "canisters", "airtight", "flour", "set of 4"], "Glass canisters with bamboo lids for flour, sugar, coffee and pasta."],
  ["Clear Fridge Organizer Bins, Set of 6", "34.00", ["fridge organizer", "bins", "refrigerator", "clear"], "Stackable clear bins that keep a refrigerator tidy. Bins only: we don't sell fridges."],
  ["Rotating Spice Rack", "29.00", ["spice rack", "lazy susan", "spices"], "A two-tier turntable with 20 glass jars and labels."],
  ["Bamboo Drawer Organizer", "25.00", ["drawer organizer", "bamboo", "utensils", "expandable"], "Expands from 13 to 22 in to fit cutlery drawers."],
  ["Over-the-Door Pantry Organizer", "59.00", ["pantry", "over the door", "shelving"], "Eight adjustable baskets that hang on any door. No tools."],
  ["Stackable Shoe Rack", "39.00", ["shoe rack", "shoe storage", "entryway"], "Three tiers, nine pairs; stack two for more."],
  ["Under-Bed Storage Bags, Set of 2", "29.00", ["under bed storage", "bags", "set of 2", "blankets"], "Zippered bags with windows for off-season bedding."],
  ["Wall-Mounted Coat Rack", "45.00", ["coat rack", "hooks", "entryway", "wall"], "An oak rail with five brass hooks and a shelf."],
  ["Lidded Laundry Hamper", "69.00", ["laundry hamper", "laundry basket", "lid", "rattan"], "A woven hamper with a removable cotton liner."],
  ["Stainless Compost Bin 1.3 gal", "34.00", ["compost bin", "kitchen", "charcoal filter"], "Countertop compost pail with a charcoal filter in the lid."],
];
for (const [title, price, tags, text] of STORE) add(title, "Storage", "Tidy Co.", price, { tags, body: `<p>${text}</p>` });
add("Woven Seagrass Baskets, Set of 3", "Storage", "Tidy Co.", "59.00", {
  options: [["Color", ["Natural", "Black"]]],
  salePct: 0.25,
  tags: ["baskets", "storage baskets", "seagrass", "set of 3"],
  body: "<p>Three nesting seagrass baskets with handles, for blankets, toys and plants.</p>",
});
add("Fabric Storage Cubes, Set of 6", "Storage", "Tidy Co.", "36.00", {
  options: [["Color", ["Oat", "Graphite", "Navy", "Blush"]]],
  tags: ["storage cubes", "bins", "closet", "set of 6"],
  body: "<p>Collapsible 11-inch cubes that fit standard cube shelves.</p>",
});
add("Velvet Hangers, 50-Pack", "Storage", "Tidy Co.", "29.00", {
  options: [["Color", ["Black", "Blush", "Ivory"]]],
  tags: ["hangers", "closet", "non-slip", "50-pack"],
  body: "<p>Slim non-slip hangers that double closet space.</p>",
});
add("Stackable Wine Rack", "Storage", "Tidy Co.", "49.00", {
  soldOut: true,
  tags: ["wine rack", "bottles", "bamboo"],
  body: "<p>Holds 12 bottles; stack for more.</p>",
});

// ---------------------------------------------------------------------------------------------------- Cleaning
add("Cordless Stick Vacuum", "Vacuums", "Brightline", "299.00", {
  options: [["Color", ["Graphite", "Sage"]]],
  compare: "349.00",
  tags: ["vacuum", "stick vacuum", "cordless", "pet hair"],
  body: "<p>A light cordless vacuum with 50 minutes of run time and a motorised pet-hair brush. Converts to a handheld.</p>",
});
add("Robot Vacuum with Self-Empty Base", "Vacuums", "Brightline", "449.00", {
  tags: ["vacuum", "robot vacuum", "self-emptying", "app"],
  body: "<p>Maps your home, vacuums on a schedule and empties itself for up to 60 days.</p>",
});
add("Handheld Cordless Vacuum", "Vacuums", "Brightline", "79.00", {
  tags: ["vacuum", "handheld vacuum", "cordless", "car"],
  body: "<p>For crumbs, stairs and the car.</p>",
});
add("Steam Mop", "Cleaning", "Brightline", "99.00", {
  tags: ["steam mop", "mop", "floors", "chemical-free"],
  body: "<p>Cleans sealed hard floors with steam alone. Not for unsealed wood or carpet.</p>",
});
add("Spray Mop with Refillable Bottle", "Cleaning", "Tidy Co.", "34.00", {
  tags: ["spray mop", "mop", "microfiber", "floors"],
  body: "<p>A flat microfibre mop with a trigger spray; two washable pads.</p>",
});
add("Microfiber Cleaning Cloths, 12-Pack", "Cleaning", "Tidy Co.", "18.00", {
  tags: ["microfiber cloths", "cleaning cloths", "dusting", "12-pack"],
  body: "<p>Lint-free cloths for glass, counters and dusting. Machine washable.</p>",
});
add("Broom and Dustpan Set", "Cleaning", "Tidy Co.", "32.00", {
  options: [["Color", ["Natural", "Black"]]],
  tags: ["broom", "dustpan", "sweeping"],
  body: "<p>A beechwood broom with a rubber-edged dustpan that clips on.</p>",
});
add("Wooden Dish Brush Set", "Cleaning", "Tidy Co.", "22.00", {
  tags: ["dish brush", "scrubber", "plastic-free", "kitchen"],
  body: "<p>Beechwood dish brush, pot scrubber and bottle brush with replaceable heads.</p>",
});
add("All-Purpose Cleaner Concentrate", "Cleaning", "Tidy Co.", "12.00", {
  options: [["Scent", ["Lemon Verbena", "Lavender", "Unscented"]]],
  tags: ["cleaner", "all-purpose", "plant-based", "refill"],
  body: "<p>One bottle of plant-based concentrate makes eight 16 oz refills.</p>",
});
add("Wool Dryer Balls, 6-Pack", "Laundry", "Tidy Co.", "19.00", {
  tags: ["dryer balls", "wool", "laundry", "fabric softener alternative"],
  body: "<p>Shorten drying time and soften laundry without dryer sheets.</p>",
});
add("Folding Laundry Drying Rack", "Laundry", "Tidy Co.", "49.00", {
  tags: ["drying rack", "laundry", "clothes airer", "folding"],
  body: "<p>An accordion rack of bamboo and steel that folds flat.</p>",
});
add("Handheld Garment Steamer", "Laundry", "Brightline", "39.00", {
  tags: ["garment steamer", "steamer", "wrinkles", "travel"],
  body: "<p>Heats in 30 seconds; removes wrinkles without an ironing board.</p>",
});

// ----------------------------------------------------------------------------------------------------- Candles
const SCENTS = [
  ["Fig & Cedar", "ripe fig, cedarwood and a little smoke"],
  ["Sea Salt & Sage", "sea air, sage and driftwood"],
  ["Lavender Fields", "French lavender and chamomile, for winding down"],
  ["Vanilla Bean", "warm Madagascar vanilla and tonka"],
  ["Amber Woods", "amber, sandalwood and vetiver"],
  ["Citrus Grove", "grapefruit, bergamot and neroli"],
  ["Fresh Linen", "clean cotton and white tea"],
  ["Balsam Fir", "Christmas-tree needles and clove"],
  ["Tobacco & Leather", "pipe tobacco, leather and oud"],
  ["Rose & Peony", "garden rose, peony and pink pepper"],
];
for (const [i, [scent, notes]] of SCENTS.entries()) {
  add(`${scent} Soy Candle`, "Candles", "Wick & Ember", "28.00", {
    options: [["Size", CANDLE]],
    prices: { "8 oz": "28.00", "14 oz": "42.00" },
    salePct: scent === "Balsam Fir" || scent === "Vanilla Bean" ? 0.3 : null,
    soldOut: scent === "Tobacco & Leather",
    tags: ["candle", "scented candle", "soy", scent.toLowerCase()],
    body: `<p>Hand-poured soy wax candle scented with ${notes}. Cotton wick; 8 oz burns about 45 hours, 14 oz about 80.</p>`,
  });
}
add("Three-Wick Amber Woods Candle", "Candles", "Wick & Ember", "58.00", {
  tags: ["candle", "3-wick", "scented candle", "large"],
  body: "<p>A big three-wick candle in a ribbed amber jar; fills a living room with amber and sandalwood.</p>",
});
add("Unscented Pillar Candles, Set of 3", "Candles", "Wick & Ember", "26.00", {
  options: [["Color", ["Ivory", "Sage", "Terracotta"]]],
  tags: ["candles", "pillar candles", "unscented", "set of 3"],
  body: "<p>Dripless, unscented pillar candles in 4, 6 and 8 inch heights.</p>",
});
add("Taper Candles, Set of 6", "Candles", "Wick & Ember", "18.00", {
  options: [["Color", ["Ivory", "Sage", "Terracotta", "Blush", "Midnight", "Mustard"]]],
  tags: ["candles", "taper candles", "dinner candles", "unscented", "set of 6"],
  body: "<p>Ten-inch dripless, unscented dinner candles.</p>",
});
add("Flameless LED Candles, Set of 3", "Candles", "Lumen Home", "34.00", {
  tags: ["candles", "LED candles", "flameless", "battery", "timer"],
  body: "<p>Real-wax LED pillars with a flickering flame effect and a 6-hour timer. No flame, no scent.</p>",
});
add("Reed Diffuser", "Home Fragrance", "Wick & Ember", "38.00", {
  options: [["Scent", ["Fig & Cedar", "Sea Salt & Sage", "Lavender Fields", "Fresh Linen"]]],
  tags: ["reed diffuser", "home fragrance", "flameless"],
  body: "<p>Rattan reeds in a 100 ml glass bottle scent a room for about three months, with no flame.</p>",
});
add("Safety Matches in Glass Jar", "Candles", "Wick & Ember", "14.00", {
  tags: ["matches", "candle accessory", "striker"],
  body: "<p>Long cotton-tip matches in an apothecary jar with a striker on the base.</p>",
});
add("Candle Care Kit", "Candles", "Wick & Ember", "24.00", {
  options: [["Color", ["Brass", "Matte Black"]]],
  tags: ["wick trimmer", "candle snuffer", "candle accessory"],
  body: "<p>Wick trimmer, snuffer and wick dipper on a tray.</p>",
});

// ------------------------------------------------------------------------------------------------------- Decor
add("Ceramic Bud Vase Trio", "Decor", "Terra Studio", "34.00", {
  options: [["Color", ["Sage", "Terracotta", "Ivory"]]],
  tags: ["vase", "bud vase", "ceramic", "set of 3"],
  body: "<p>Three small ceramic vases for single stems.</p>",
});
add("Handmade Stoneware Vase", "Decor", "Terra Studio", "58.00", {
  options: [["Size", ["Small", "Large"]], ["Color", ["Ivory", "Cobalt", "Terracotta", "Slate"]]],
  prices: { Small: "58.00", Large: "88.00" },
  tags: ["vase", "stoneware", "handmade", "flowers"],
  body: "<p>Thrown by hand, so each one differs. Small is 8 in tall, large 14 in. Watertight.</p>",
});
add("Recycled Glass Vase", "Decor", H, "42.00", {
  options: [["Color", ["Emerald", "Sky", "Clear"]]],
  tags: ["vase", "glass", "recycled glass", "flowers"],
  body: "<p>Chunky hand-blown vase of recycled glass with tiny bubbles.</p>",
});
add("Round Brass Wall Mirror 30\"", "Mirrors", H, "189.00", {
  options: [["Color", ["Brass", "Matte Black"]]],
  compare: "229.00",
  tags: ["mirror", "wall mirror", "round", "entryway", "bathroom"],
  body: "<p>A 30-inch round mirror with a slim metal frame.</p>",
});
add("Arched Floor Mirror", "Mirrors", H, "349.00", {
  options: [["Color", ["Brass", "Matte Black", "Oak"]]],
  tags: ["mirror", "floor mirror", "full length", "arched"],
  body: "<p>A 65-inch full-length arched mirror that leans or hangs.</p>",
});
add("Rattan Sunburst Mirror", "Mirrors", H, "129.00", {
  tags: ["mirror", "wall mirror", "rattan", "boho"],
  body: "<p>A 28-inch hand-woven rattan sunburst mirror.</p>",
});
add("Linen Throw Pillow Cover 20\" x 20\"", "Pillows & Throws", "Norrland Textiles", "34.00", {
  options: [["Color", ["Oat", "Terracotta", "Sage", "Navy", "Mustard", "Blush"]]],
  tags: ["throw pillow", "pillow cover", "cushion cover", "linen"],
  body: "<p>A stonewashed linen cover with a hidden zip. Insert sold separately.</p>",
});
add("Velvet Throw Pillow 18\" x 18\"", "Pillows & Throws", H, "39.00", {
  options: [["Color", ["Emerald", "Mustard", "Blush", "Cobalt", "Rust"]]],
  salePct: 0.25,
  tags: ["throw pillow", "cushion", "velvet", "decorative pillow"],
  body: "<p>Plush cotton velvet with a feather-down insert included.</p>",
});
add("Outdoor Lumbar Pillow", "Pillows & Throws", H, "36.00", {
  options: [["Color", ["Navy Stripe", "Mustard", "Sage"]]],
  tags: ["throw pillow", "lumbar pillow", "outdoor", "water-resistant"],
  body: "<p>A 14 x 24 in lumbar pillow in fade- and water-resistant fabric.</p>",
});
add("Down-Alternative Pillow Insert", "Pillows & Throws", H, "16.00", {
  options: [["Size", ["18\" x 18\"", "20\" x 20\"", "14\" x 24\""]]],
  prices: { "18\" x 18\"": "16.00", "20\" x 20\"": "19.00", "14\" x 24\"": "18.00" },
  tags: ["pillow insert", "cushion insert"],
  body: "<p>A plump insert for our pillow covers.</p>",
});
add("Gallery Picture Frames, Set of 3", "Decor", H, "49.00", {
  options: [["Size", ["5 x 7", "8 x 10", "11 x 14"]], ["Color", ["Black", "Oak", "Brass"]]],
  prices: { "5 x 7": "49.00", "8 x 10": "59.00", "11 x 14": "79.00" },
  tags: ["picture frames", "photo frames", "gallery wall", "set of 3"],
  body: "<p>Three matching frames with white mats and glass fronts.</p>",
});
add("Abstract Canvas Wall Art 24\" x 36\"", "Wall Art", "Terra Studio", "149.00", {
  options: [["Color", ["Terracotta", "Sage", "Midnight"]]],
  tags: ["wall art", "canvas", "abstract", "print"],
  body: "<p>A gallery-wrapped canvas print of an original abstract painting.</p>",
});
add("Botanical Prints, Set of 4", "Wall Art", H, "79.00", {
  tags: ["wall art", "prints", "botanical", "framed", "set of 4"],
  body: "<p>Four framed vintage botanical illustrations, 11 x 14 in each.</p>",
});
add("Faux Olive Tree 6 ft", "Plants & Planters", H, "179.00", {
  compare: "219.00",
  tags: ["faux plant", "artificial tree", "olive tree"],
  body: "<p>A realistic artificial olive tree in a black pot. No watering.</p>",
});
add("Faux Eucalyptus Stems, Set of 6", "Plants & Planters", H, "29.00", {
  tags: ["faux plant", "eucalyptus", "stems", "artificial"],
  body: "<p>Silvery-green faux eucalyptus for vases.</p>",
});
add("Ceramic Planter with Saucer", "Plants & Planters", "Terra Studio", "29.00", {
  options: [["Size", ["6\"", "8\"", "10\""]], ["Color", ["Ivory", "Terracotta", "Sage", "Charcoal"]]],
  prices: { "6\"": "29.00", "8\"": "39.00", "10\"": "54.00" },
  tags: ["planter", "plant pot", "indoor", "ceramic", "drainage hole"],
  body: "<p>A matte ceramic pot with a drainage hole and matching saucer.</p>",
});
add("Hanging Macramé Planter", "Plants & Planters", H, "24.00", {
  tags: ["planter", "hanging planter", "macrame", "boho"],
  body: "<p>Hand-knotted cotton hanger with a 6-inch pot.</p>",
});
add("Minimalist Wall Clock 12\"", "Decor", H, "49.00", {
  options: [["Color", ["Oak", "Matte Black", "White"]]],
  tags: ["wall clock", "clock", "silent"],
  body: "<p>A silent, non-ticking sweep movement on a plain face.</p>",
});
add("Marble Bookends, Pair", "Decor", H, "45.00", {
  options: [["Color", ["White Marble", "Green Marble"]]],
  tags: ["bookends", "marble", "shelf decor"],
  body: "<p>Heavy polished marble blocks that hold a shelf of hardcovers.</p>",
});
add("Decorative Brass Tray", "Decor", H, "39.00", {
  tags: ["tray", "decorative tray", "brass", "catchall"],
  body: "<p>A round brass tray for keys, perfume or coffee-table styling.</p>",
});
add("Woven Table Runner", "Table Linens", "Norrland Textiles", "34.00", {
  options: [["Color", ["Oat", "Terracotta", "Sage", "Navy"]]],
  tags: ["table runner", "table linen", "woven", "dining"],
  body: "<p>A 90-inch woven cotton runner with fringed ends.</p>",
});
add("Linen Tablecloth", "Table Linens", "Norrland Textiles", "69.00", {
  options: [["Size", ["60\" x 90\"", "60\" x 120\""]], ["Color", ["White", "Oat", "Sage", "Blush"]]],
  prices: { "60\" x 90\"": "69.00", "60\" x 120\"": "89.00" },
  tags: ["tablecloth", "table linen", "linen", "dining"],
  body: "<p>Stonewashed linen tablecloth: 60 x 90 in fits tables seating 6, 60 x 120 in tables seating 8 to 10.</p>",
});
add("Linen Napkins, Set of 4", "Table Linens", "Norrland Textiles", "32.00", {
  options: [["Color", ["White", "Oat", "Sage", "Terracotta", "Navy"]]],
  tags: ["napkins", "cloth napkins", "linen", "set of 4"],
  body: "<p>Four 20-inch stonewashed linen napkins.</p>",
});

// ------------------------------------------------------------------------------------------------- Kitchen tools
const TOOLS = [
  ["Olive Wood Spoon Set", "32.00", ["wooden spoons", "utensils", "olive wood"], "Three hand-carved spoons and a spatula. Hand wash only."],
  ["Silicone Spatula Set", "19.00", ["spatula", "silicone", "utensils", "heat resistant"], "Four one-piece silicone spatulas, heat resistant to 600 °F."],
  ["Stainless Steel Tongs, Set of 2", "16.00", ["tongs", "utensils", "grilling"], "Locking 9 and 12 inch tongs with silicone tips."],
  ["Salad Spinner", "34.00", ["salad spinner", "colander", "greens"], "A pump-action spinner whose bowl doubles as a serving bowl."],
  ["Digital Kitchen Scale", "25.00", ["kitchen scale", "baking", "digital"], "Weighs to 11 lb in 1 g steps; tare button."],
  ["Instant-Read Meat Thermometer", "29.00", ["thermometer", "meat thermometer", "grilling"], "Reads in 2 seconds; waterproof and backlit."],
  ["Microplane Zester Grater", "16.00", ["grater", "zester", "cheese"], "Razor-sharp for citrus zest, parmesan and nutmeg."],
  ["Box Grater", "22.00", ["grater", "cheese", "stainless steel"], "Four sides: coarse, medium, fine and slicing."],
  ["Stainless Colander 5 qt", "28.00", ["colander", "strainer", "pasta"], "A footed colander for pasta and washing produce."],
  ["Pepper Mill", "36.00", ["pepper mill", "grinder", "salt"], "A ceramic-burr mill with adjustable coarseness."],
  ["Garlic Press", "18.00", ["garlic press", "utensils"], "Crushes unpeeled cloves; dishwasher safe."],
  ["Can Opener", "16.00", ["can opener", "utensils"], "A smooth-edge side-cut opener."],
  ["Stainless Utensil Crock", "24.00", ["utensil holder", "crock", "countertop"], "Holds a dozen spoons and spatulas by the stove."],
  ["Pasta Maker Machine", "69.00", ["pasta maker", "pasta roller", "fresh pasta"], "A hand-cranked roller and cutter for fettuccine and lasagna sheets."],
  ["Mortar and Pestle", "39.00", ["mortar and pestle", "granite", "spices"], "Solid granite for pesto, curry pastes and spices."],
];
for (const [title, price, tags, text] of TOOLS) add(title, "Kitchen Tools", H, price, { tags, body: `<p>${text.replace("°F", "&deg;F")}</p>` });
add("Linen Apron", "Kitchen Linens", "Norrland Textiles", "39.00", {
  options: [["Color", ["Oat", "Terracotta", "Navy", "Sage"]]],
  tags: ["apron", "linen", "cooking", "gift"],
  body: "<p>A cross-back linen apron with two deep pockets. One size.</p>",
});
add("Quilted Oven Mitts, Pair", "Kitchen Linens", "Norrland Textiles", "24.00", {
  options: [["Color", ["Oat", "Terracotta", "Navy", "Cherry"]]],
  tags: ["oven mitts", "pot holders", "heat resistant"],
  body: "<p>Quilted cotton mitts with a silicone grip, heat resistant to 450 &deg;F.</p>",
});

// --------------------------------------------------------------------------------------------------- Gift cards
add("Hearth & Haven Gift Card", "Gift Cards", H, "25.00", {
  options: [["Amount", ["$25", "$50", "$100", "$250"]]],
  prices: { $25: "25.00", $50: "50.00", $100: "100.00", $250: "250.00" },
  tags: ["gift card", "gift", "e-gift card"],
  body: "<p>An e-gift card delivered by email, for anything in the store.</p>",
});

// ------------------------------------------------------------------------------------------------------- Output
const slug = (title) =>
  title
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/&/g, " and ")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");

const date = (i) => new Date(Date.UTC(2026, 2, 1, 9, 0, 0) + i * 3600000 * 7).toISOString().replace(".000Z", "-06:00");
const money = (n) => n.toFixed(2);

const titles = new Set();
let variantId = 44100000000000;

const products = P.map((p, i) => {
  if (titles.has(p.title)) throw new Error(`duplicate title ${p.title}`);
  titles.add(p.title);
  const id = 8100000000000 + i * 104729 + 17;
  const created = date(i);
  const rows = p.options ?? [];
  let combos = [[]];
  for (const [, values] of rows) combos = combos.flatMap((c) => values.map((v) => [...c, v]));
  const base = Number(p.price);
  const variants = combos.map((values, position) => {
    const vid = variantId++;
    const priced = values.find((v) => p.prices && v in p.prices);
    const amount = priced ? Number(p.prices[priced]) : base;
    let compare = null;
    const onSale = !p.saleOn || values.some((v) => p.saleOn.includes(v));
    if (p.compare && onSale) compare = money(Math.round(Number(p.compare) * (amount / base)));
    if (p.salePct && onSale) {
      // The listed price is the compare-at price; the sale price ends in .00 as the store's prices do.
      compare = money(amount);
    }
    const price = p.salePct && onSale ? money(Math.round(amount * (1 - p.salePct))) : money(amount);
    const available = !p.soldOut && random() > 0.1;
    return {
      id: vid,
      product_id: id,
      title: values.length ? values.join(" / ") : "Default Title",
      option1: values[0] ?? "Default Title",
      option2: values[1] ?? null,
      option3: values[2] ?? null,
      sku: `HH-${String(i + 1).padStart(3, "0")}-${String(position + 1).padStart(2, "0")}`,
      requires_shipping: p.type !== "Gift Cards",
      taxable: p.type !== "Gift Cards",
      featured_image: null,
      available,
      price,
      grams: 300 + ((i * 211) % 4000),
      compare_at_price: compare,
      position: position + 1,
      created_at: created,
      updated_at: created,
    };
  });
  if (!p.soldOut && !variants.some((v) => v.available)) variants[0].available = true;
  return {
    id,
    title: p.title,
    handle: slug(p.title),
    body_html: p.body,
    published_at: created,
    created_at: created,
    updated_at: created,
    vendor: p.vendor,
    product_type: p.type,
    tags: p.tags,
    variants,
    images: [],
    options: (rows.length ? rows : [["Title", ["Default Title"]]]).map(([name, values], position) => ({
      name,
      position: position + 1,
      values,
    })),
  };
});

mkdirSync(dirname(OUT), { recursive: true });
writeFileSync(OUT, JSON.stringify({ products }, null, 1) + "\n");
console.log(`wrote ${products.length} products (${products.reduce((n, p) => n + p.variants.length, 0)} variants) to ${OUT}`);
