// Module loader hook: transpiles .ts files (type stripping only, no type check) with the
// workspace's TypeScript. Used for @gavel/sdk's TypeScript sources and the source fallback.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

let ts;

export async function load(url, context, nextLoad) {
  if (url.startsWith('file:') && url.endsWith('.ts') && !url.endsWith('.d.ts')) {
    ts ??= (await import('typescript')).default;
    const fileName = fileURLToPath(url);
    const source = await readFile(fileName, 'utf8');
    const out = ts.transpileModule(source, {
      fileName,
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true, sourceMap: false },
    });
    return { format: 'module', source: out.outputText, shortCircuit: true };
  }
  return nextLoad(url, context);
}
