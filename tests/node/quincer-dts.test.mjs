// www/quincer.d.ts, proven both ways: the TypeScript compiler (a devDependency) type-checks
// tests/node/fixtures/quincer-usage.ts, which uses every command and event as documented and also holds
// `@ts-expect-error` lines for the mistakes the declarations must refuse. An unused `@ts-expect-error` is itself a
// compile error, so a declaration that is too loose fails the test as surely as one that is too strict.
import { test } from "node:test";
import assert from "node:assert/strict";
import { resolve } from "node:path";

const root = resolve(import.meta.dirname, "../..");
const ts = await import("typescript").then((m) => m.default, () => null);

function diagnosticsOf(files, options) {
  const program = ts.createProgram(files, options);
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const text = ts.flattenDiagnosticMessageText(d.messageText, "\n");
    if (!d.file) return text;
    const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
    return `${d.file.fileName.replace(`${root}/`, "")}:${line + 1}:${character + 1} TS${d.code}: ${text}`;
  });
}

const STRICT = {
  strict: true,
  noEmit: true,
  target: "ES2022",
  lib: ["es2022", "dom"],
  types: [],
  skipLibCheck: false, // quincer.d.ts is a declaration file: skipLibCheck would skip the very file under test
  skipDefaultLibCheck: true,
};

const needsTs = { skip: !ts && "typescript is not installed (npm ci)" };

test("quincer.d.ts accepts the documented usage and refuses the mistakes", needsTs, () => {
  const options = ts.convertCompilerOptionsFromJson(STRICT, root).options;
  const errors = diagnosticsOf([resolve(root, "tests/node/fixtures/quincer-usage.ts")], options);
  assert.ok(errors.length === 0, `the compiler disagrees with the fixture:\n${errors.join("\n")}`);
});

test("without quincer.d.ts the fixture does not compile (the check is live)", needsTs, () => {
  // Without the declarations every window.Quincer call is an error, so the fixture must fail to compile: this
  // guards against a configuration in which nothing is checked at all.
  const options = { ...ts.convertCompilerOptionsFromJson(STRICT, root).options, noResolve: true };
  const errors = diagnosticsOf([resolve(root, "tests/node/fixtures/quincer-usage.ts")], options);
  assert.ok(errors.some((e) => /Property 'Quincer' does not exist/.test(e)), errors.join("\n"));
});
