// Parsers for test runners' summaries, used by scripts/test-all.mjs (tested in
// contracts/tools/toolchain.test.ts). A suite that reports nothing counts as one failure.

/**
 * forge test's closing line: "Ran 3 test suites in 5ms (...): 10 tests passed, 1 failed, 0 skipped (11 total tests)".
 * @param {string} out combined output
 * @param {number} code exit code of the real forge binary
 */
export function parseForgeSummary(out, code) {
  const m = /(\d+) tests? passed, (\d+) failed, (\d+) skipped/.exec(out);
  if (!m) {
    return { passed: 0, failed: 1, skipped: 0, problem: `forge reported no test summary (exit ${code}): compile error?` };
  }
  const [passed, failed, skipped] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (code !== 0 && failed === 0) return { passed, failed: 1, skipped, problem: `forge exited ${code}` };
  return { passed, failed, skipped, problem: passed === 0 ? 'ran zero tests' : undefined };
}

/**
 * vitest's JSON reporter output.
 * @param {string | undefined} json
 * @param {number} code
 */
export function parseVitestJson(json, code) {
  if (!json) return { passed: 0, failed: 1, skipped: 0, problem: `vitest wrote no report (exit ${code})` };
  const r = JSON.parse(json);
  const passed = r.numPassedTests ?? 0;
  let failed = r.numFailedTests ?? 0;
  const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  // A file that fails to load (syntax error, failed import) fails its suite without failing a test.
  const brokenFiles = (r.testResults ?? []).filter((f) => f.status === 'failed' && (f.assertionResults ?? []).length === 0).length;
  failed += brokenFiles;
  if (code !== 0 && failed === 0) failed = 1;
  return {
    passed,
    failed,
    skipped,
    problem: passed === 0 ? 'ran zero tests' : code !== 0 ? `vitest exited ${code}` : undefined,
    failures: vitestFailures(r),
  };
}

/**
 * One line per failed test or broken file ("file > test: first line of the message"), so the
 * closing summary of a long CI log says what broke without scrolling.
 * @param {{ testResults?: Array<{ name?: string, status?: string, message?: string, assertionResults?: Array<{ status?: string, fullName?: string, failureMessages?: string[] }> }> }} r
 * @returns {string[]}
 */
export function vitestFailures(r) {
  const lines = [];
  for (const f of r.testResults ?? []) {
    const file = (f.name ?? '?').split('/').slice(-3).join('/');
    const tests = f.assertionResults ?? [];
    if (f.status === 'failed' && tests.length === 0) lines.push(`${file}: ${firstLine(f.message)}`);
    for (const t of tests) {
      if (t.status === 'failed') lines.push(`${file} > ${t.fullName ?? '?'}: ${firstLine(t.failureMessages?.[0])}`);
    }
  }
  return lines;
}

/** @param {string | undefined} msg */
function firstLine(msg) {
  const line = (msg ?? '').split('\n').find((l) => l.trim() !== '') ?? '(no message)';
  return line.length > 240 ? `${line.slice(0, 240)}…` : line;
}
