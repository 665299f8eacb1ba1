// The toolchain the whole repository stands on: the solc-js wrapper forge compiles with, the
// launcher that passes the real forge exit code through, and the summary parsers `npm test` sums.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parseForgeSummary, parseVitestJson } from '../../scripts/lib/summaries.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const solcWrapper = path.join(here, 'solc.mjs');
const launcher = path.join(here, 'foundry.mjs');
const pinned = '0.8.30';

const temps: string[] = [];
afterAll(() => {
  for (const t of temps) rmSync(t, { recursive: true, force: true });
});

/** A throwaway forge project using our wrapper as its compiler. */
function project(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'gavel-forge-'));
  temps.push(dir);
  writeFileSync(
    path.join(dir, 'foundry.toml'),
    `[profile.default]\nsrc = "src"\ntest = "test"\nsolc = "${solcWrapper}"\noffline = true\nauto_detect_solc = false\n`,
  );
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

function forge(dir: string, ...args: string[]) {
  const r = spawnSync('node', [launcher, 'forge', ...args, '--root', dir], { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

describe('solc-js wrapper', () => {
  it('prints the pinned version the way forge parses it', () => {
    const out = execFileSync('node', [solcWrapper, '--version'], { encoding: 'utf8' });
    expect(out).toMatch(new RegExp(`^Version: ${pinned.replaceAll('.', '\\.')}\\+commit\\.[0-9a-f]+`, 'm'));
  });

  it('compiles standard JSON from stdin', () => {
    const input = JSON.stringify({
      language: 'Solidity',
      sources: { 'A.sol': { content: 'pragma solidity 0.8.30; contract A { function f() external pure returns (uint256) { return 7; } }' } },
      settings: { outputSelection: { '*': { '*': ['evm.bytecode.object'] } } },
    });
    const out = JSON.parse(execFileSync('node', [solcWrapper, '--standard-json'], { input, encoding: 'utf8' })) as {
      errors?: { severity: string }[];
      contracts: Record<string, Record<string, { evm: { bytecode: { object: string } } }>>;
    };
    expect(out.errors?.filter((e) => e.severity === 'error') ?? []).toEqual([]);
    expect(out.contracts['A.sol']?.A?.evm.bytecode.object.length).toBeGreaterThan(10);
  });

  it('rejects an unsupported invocation with a non-zero exit', () => {
    const r = spawnSync('node', [solcWrapper, 'A.sol'], { encoding: 'utf8' });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('only --version and --standard-json');
  });
});

describe('forge through the launcher', () => {
  it('surfaces a compile error as forge failure with the file and line', () => {
    const dir = project({
      'src/Bad.sol': 'pragma solidity 0.8.30;\n\ncontract Bad {\n    function f() external pure returns (uint256) {\n        return undefinedThing;\n    }\n}\n',
    });
    const r = forge(dir, 'build');
    expect(r.code).not.toBe(0);
    expect(r.out).toContain('Undeclared identifier');
    expect(r.out).toMatch(/src\/Bad\.sol:5/);
  });

  it('fails when a forge test fails, and the summary counts it', () => {
    const dir = project({
      'src/C.sol': 'pragma solidity 0.8.30;\ncontract C { function one() external pure returns (uint256) { return 1; } }\n',
      'test/C.t.sol':
        'pragma solidity 0.8.30;\nimport {C} from "../src/C.sol";\ncontract CTest {\n  function test_One() public { require(new C().one() == 1, "one"); }\n  function test_Fails() public { require(new C().one() == 2, "expected failure"); }\n}\n',
    });
    const r = forge(dir, 'test');
    expect(r.code).not.toBe(0);
    expect(parseForgeSummary(r.out, r.code ?? 1)).toMatchObject({ passed: 1, failed: 1 });
  });
});

describe('summary parsers', () => {
  it('reads forge counts and treats a missing summary as a failure', () => {
    expect(parseForgeSummary('Ran 2 test suites in 5ms (3ms CPU time): 10 tests passed, 0 failed, 2 skipped (12 total tests)', 0)).toEqual({
      passed: 10,
      failed: 0,
      skipped: 2,
      problem: undefined,
    });
    expect(parseForgeSummary('Error: Compiler run failed', 1)).toMatchObject({ passed: 0, failed: 1 });
    expect(parseForgeSummary('1 test passed, 0 failed, 0 skipped', 1)).toMatchObject({ failed: 1 });
  });

  it('flags a run of zero tests and files that failed to load', () => {
    expect(parseVitestJson(JSON.stringify({ numPassedTests: 0, numFailedTests: 0, testResults: [] }), 0).problem).toBe('ran zero tests');
    const broken = JSON.stringify({ numPassedTests: 3, numFailedTests: 0, testResults: [{ status: 'failed', assertionResults: [] }] });
    expect(parseVitestJson(broken, 1)).toMatchObject({ passed: 3, failed: 1 });
    expect(parseVitestJson(undefined, 1)).toMatchObject({ failed: 1 });
  });

  it('names each failed test with the first line of its message', () => {
    const report = JSON.stringify({
      numPassedTests: 1,
      numFailedTests: 1,
      testResults: [
        {
          name: '/w/main/auction-keeper/test/relay.test.ts',
          status: 'failed',
          assertionResults: [
            { status: 'passed', fullName: 'relay sends' },
            { status: 'failed', fullName: 'relay counts', failureMessages: ['\nAssertionError: expected 0 to be 1\n    at x'] },
          ],
        },
        { name: '/w/main/app/src/broken.test.ts', status: 'failed', message: 'Failed to load url ./nope', assertionResults: [] },
      ],
    });
    expect(parseVitestJson(report, 1).failures).toEqual([
      'auction-keeper/test/relay.test.ts > relay counts: AssertionError: expected 0 to be 1',
      'app/src/broken.test.ts: Failed to load url ./nope',
    ]);
  });
});
