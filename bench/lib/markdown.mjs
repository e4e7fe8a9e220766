// Deterministic assistant-style markdown: paragraphs, bold, lists, inline code and links, of any length.

const WORDS = ("the jacket keeps rain out while letting sweat escape so you stay dry on long climbs and our " +
  "lifetime warranty covers seams zips and fabric wash it cold with a technical cleaner then tumble dry low to " +
  "restore the water repellent finish most orders ship the same day and arrive within five business days").split(" ");

/** About `chars` characters of markdown; the same for the same arguments. */
export function markdown(chars, seed = 1) {
  let x = seed;
  const next = (n) => ((x = (x * 1103515245 + 12345) % 2147483648), x % n);
  const out = [];
  let size = 0;
  while (size < chars) {
    let block;
    switch (next(4)) {
      case 0:
        block = Array.from({ length: 3 }, () => `- **${WORDS[next(WORDS.length)]}** ${sentence(next, 6)}`).join("\n");
        break;
      case 1:
        block = `${sentence(next, 12)} Use \`${WORDS[next(WORDS.length)]}\` or see [our guide](https://example.com/${WORDS[next(WORDS.length)]}).`;
        break;
      default:
        block = `${sentence(next, 10)} **${sentence(next, 3)}** ${sentence(next, 14)}`;
    }
    out.push(block);
    size += block.length + 2;
  }
  return out.join("\n\n").slice(0, chars);
}

function sentence(next, n) {
  const words = Array.from({ length: n }, () => WORDS[next(WORDS.length)]);
  words[0] = words[0][0].toUpperCase() + words[0].slice(1);
  return words.join(" ") + ".";
}
