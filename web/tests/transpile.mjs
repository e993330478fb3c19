// Loads a module of src/ for a test: its TypeScript transpiled here, as Vite
// would, and imported. Only modules without imports of their own load this way.
import { readFileSync } from "node:fs";
import ts from "typescript";

export async function load(name) {
  const source = readFileSync(new URL(`../src/${name}`, import.meta.url), "utf8");
  const js = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
  }).outputText;
  return import(`data:text/javascript,${encodeURIComponent(js)}`);
}
