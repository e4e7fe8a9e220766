// The widget's interface strings (i18n/*.json): every language has every key of English, with the same
// placeholders, and every text with a count has exactly the plural forms the language uses, as the JavaScript
// engine's own CLDR data says (`Intl.PluralRules`), which is what the widget picks a form with.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { resolve } from "node:path";

const dir = resolve(import.meta.dirname, "../../i18n");
const LANGUAGES = ["en", "fr", "de", "es", "pt", "it", "nl", "ja", "zh", "ko", "ar", "he"];
const load = (code) => JSON.parse(readFileSync(`${dir}/${code}.json`, "utf8"));
const placeholders = (value) =>
  [...new Set((typeof value === "string" ? [value] : Object.values(value)).flatMap((t) => t.match(/\{\w+\}/g) ?? []))].sort();

test("there is a file for each of the 12 languages and no other", () => {
  const files = readdirSync(dir).filter((f) => f.endsWith(".json")).map((f) => f.slice(0, -5)).sort();
  assert.deepEqual(files, [...LANGUAGES].sort());
});

const english = load("en");
const keys = Object.keys(english).filter((k) => !k.startsWith("$"));

for (const code of LANGUAGES) {
  test(`${code}.json: every string, placeholders, plural forms, direction`, () => {
    const strings = load(code);
    assert.equal(strings.$language, code);
    assert.equal(strings.$direction, code === "ar" || code === "he" ? "rtl" : "ltr");
    const own = Object.keys(strings).filter((k) => !k.startsWith("$"));
    assert.deepEqual(own.filter((k) => !keys.includes(k)), [], "keys English does not have");
    const categories = new Intl.PluralRules(code).resolvedOptions().pluralCategories.sort();
    for (const key of keys) {
      const value = strings[key];
      assert.ok(value !== undefined, `missing: ${key}`);
      assert.deepEqual(placeholders(value), placeholders(english[key]), `placeholders of ${key}`);
      if (typeof english[key] === "object") {
        assert.equal(typeof value, "object", `${key} needs plural forms`);
        assert.deepEqual(Object.keys(value).sort(), categories, `plural forms of ${key}`);
      } else {
        assert.equal(typeof value, "string", key);
      }
      for (const text of typeof value === "string" ? [value] : Object.values(value)) {
        assert.ok(text.trim().length > 0, `empty: ${key}`);
        assert.ok(!/[<>]/.test(text), `${key}: markup in a string (the widget shows it as text)`);
      }
    }
  });
}
