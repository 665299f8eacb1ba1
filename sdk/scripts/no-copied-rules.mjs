#!/usr/bin/env node
// Lint: no second implementation of a protocol rule outside @gavel/sdk (issue 13). Every rule lives in
// sdk/src, named as on chain and differential-tested against the contracts; the keeper, the app, the demo
// and the cross-package tests import it. This scans their TypeScript/JavaScript for the shapes a copy
// takes and fails naming file, line and the SDK export to use instead. The patterns (sdk/README.md,
// "No copied rules"):
//   - a fixed-point helper defined again (mulDiv, mulDivUp, mulWad, mulWadUp, divUp, rmul, rpow, ...);
//   - a protocol rule defined again under its SDK name (debtOf, health, liquidationPrice, tierPrice,
//     quoteTake, takeoverPrice, redoIncentive, medianOf, clampChange, convertToShares, decodeRevert, ...);
//   - the RAY literal (`10n ** 27n`): import RAY, or use radToWad / debtOf for RAD and rate arithmetic;
//   - a breaker level compared with a bare 0-3 (use BreakerLevel.* or kickAllowed/redoAllowed/takeAllowed);
//   - a second error-ABI union (`const ...ErrorsAbi =`, `parseAbi(['error ...`): use gavelErrorsAbi/decodeGavelError.
// A line that must keep such a shape says why with `sdk-rule-copy-ok: <reason>` in a comment on that line.
// Usage: node sdk/scripts/no-copied-rules.mjs [root]   (exit 1 on a finding; `--self-test` checks the patterns).
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(process.argv.find((a, i) => i > 1 && !a.startsWith('--')) ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..'));
/** Where consumers of the SDK live (sdk/ itself is the one home of the rules). */
const SCAN = ['auction-keeper', 'app', 'demo', 'indexer', 'lab', 'test', 'scripts', 'contracts/ts', 'contracts/tools'];
const SKIP_DIRS = new Set(['node_modules', '.ponder', 'generated', '.next', '.next-demo', 'dist', 'pack', 'out', 'cache', 'coverage', 'bench-results', '.turbo', 'playwright-report', 'test-results']);
const EXT = /\.(?:ts|tsx|mts|mjs|js|cjs)$/;

const HELPERS = ['mulDiv', 'mulDivUp', 'mulWad', 'mulWadUp', 'divUp', 'divWad', 'rmul', 'rmulDown', 'rpow', 'rpowHalfUp', 'fullMulDiv', 'fullMulDivUp'];
const RULES = [
  'debtOf', 'health', 'isSafe', 'liquidationPrice', 'liquidationSpot', 'liquidationTab', 'liquidationMinTab', 'liquidationIncentive', 'planLiquidation', 'room',
  'tierPrice', 'tierCurve', 'curvePrice', 'curveOf', 'linearDecreasePrice', 'stairstepExponentialDecreasePrice', 'exponentialDecreasePrice',
  'quoteTake', 'quoteAuction', 'quoteTakeover', 'takeoverPrice', 'takeoverDue', 'needsRedo', 'redoAt', 'redoIncentive', 'startPrice', 'floorPrice',
  'medianOf', 'computeMedian', 'clampChange', 'convertToShares', 'convertToAssets', 'previewRedeem', 'previewWithdraw',
  'decodeRevert', 'decodeGavelError', 'breakerMove',
  'preLiquidationQuote', 'checkPreLiquidationParams', 'preLiquidationVaultAfter', 'topUpShortfall', 'topUpRescueAmount', 'previewTopUpRescue', 'checkTopUpReserve',
];
const defined = (names) => new RegExp(`(?:(?<![\'"\`])\\bfunction\\s+(${names.join('|')})\\b|\\b(?:const|let|var)\\s+(${names.join('|')})\\s*(?::[^=]+)?=\\s*(?:async\\s*)?(?:\\(|function\\b|[a-zA-Z_$][\\w$]*\\s*=>))`);
const LEVEL = '(?:breakerLevel|level)';
const CMP = '(?:===|!==|==|!=|>=|<=|>|<)';

export const PATTERNS = [
  { name: 'fixed-point helper defined outside the SDK', re: defined(HELPERS), fix: 'import it from @gavel/sdk (math.ts: solady semantics)' },
  { name: 'protocol rule defined outside the SDK', re: defined(RULES), fix: 'import the rule from @gavel/sdk' },
  { name: 'RAY literal outside the SDK', re: /\b10n\s*\*\*\s*27n\b|\b1_000_000_000_000_000_000_000_000_000n\b/, fix: 'import RAY (or radToWad / debtOf) from @gavel/sdk' },
  { name: 'bare breaker level', re: new RegExp(`\\b${LEVEL}\\s*${CMP}\\s*[0-3]n?\\b(?!\\s*[.*/+-])|\\b[0-3]n?\\s*${CMP}\\s*${LEVEL}\\b`), fix: 'compare with BreakerLevel.* or use kickAllowed / redoAllowed / takeAllowed / takeoverAllowed' },
  { name: 'second error-ABI union', re: /\b(?:const|let|var)\s+\w*[eE]rrors?Abi\s*(?::[^=]+)?=|parseAbi\(\s*\[\s*['"`]error\s/, fix: 'use gavelErrorsAbi / decodeGavelError / formatRevert from @gavel/sdk' },
];

function* files(dir) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    if (SKIP_DIRS.has(e.name)) continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) yield* files(p);
    else if (EXT.test(e.name) && !e.name.endsWith('.d.ts')) yield p;
  }
}

/** Findings in one file's text: `{ line, pattern, text }`. */
export function scan(text) {
  const out = [];
  text.split('\n').forEach((line, i) => {
    if (line.includes('sdk-rule-copy-ok:')) return;
    for (const p of PATTERNS) if (p.re.test(line)) out.push({ line: i + 1, pattern: p, text: line.trim() });
  });
  return out;
}

function selfTest() {
  const must = [
    ['export function mulDivUp(x: bigint, y: bigint, d: bigint) {', 0],
    ['const mulWad = (a: bigint, b: bigint) => (a * b) / WAD;', 0],
    ['function debtOf(art: bigint, rate: bigint): bigint {', 1],
    ['  function health(c: bigint) {', 1],
    ['export const quoteTake = (sale, amount) => {', 1],
    ['const RAY = 10n ** 27n;', 2],
    ['if (level >= 2) return;', 3],
    ['const paused = breakerLevel === 3;', 3],
    ['if (3 <= level) skip();', 3],
    ['export const allErrorsAbi = [...a, ...b];', 4],
    ["const abi = parseAbi(['error NoRoom(uint256 a, uint256 b)']);", 4],
  ];
  const mustNot = [
    "import { mulDivUp, debtOf } from '@gavel/sdk';",
    'const health = debt === 0n ? undefined : healthWad(v.collateral, v.normalizedDebt, v);',
    'const debt = debtOf(v.normalizedDebt, rate);',
    'if (level >= BreakerLevel.NoRedo) return;',
    "logger.level === 'debug'",
    'const ray = 10n ** 27n; // sdk-rule-copy-ok: test vector',
    'const WAD = 10n ** 18n;',
    "  'function isSafe(bytes32 ilk, address owner) view returns (bool)',",
  ];
  const bad = [];
  for (const [line, k] of must) if (!scan(line).some((f) => f.pattern === PATTERNS[k])) bad.push(`not caught: ${line}`);
  for (const line of mustNot) if (scan(line).length > 0) bad.push(`false positive: ${line}`);
  if (bad.length > 0) {
    console.error(bad.join('\n'));
    process.exit(1);
  }
  console.log(`no-copied-rules self-test: ${must.length} copies caught, ${mustNot.length} legitimate lines passed`);
}

if (process.argv.includes('--self-test')) selfTest();
else {
  const findings = [];
  let scanned = 0;
  for (const dir of SCAN) {
    const abs = path.join(root, dir);
    try {
      if (!statSync(abs).isDirectory()) continue;
    } catch {
      continue;
    }
    for (const f of files(abs)) {
      scanned++;
      for (const hit of scan(readFileSync(f, 'utf8'))) findings.push(`${path.relative(root, f)}:${hit.line}: ${hit.pattern.name}: ${hit.text}\n    -> ${hit.pattern.fix}`);
    }
  }
  if (findings.length > 0) {
    console.error(`no-copied-rules: ${findings.length} copied protocol rule(s) outside @gavel/sdk:\n${findings.join('\n')}`);
    process.exit(1);
  }
  console.log(`no-copied-rules: ${scanned} files outside sdk/ clean`);
}
