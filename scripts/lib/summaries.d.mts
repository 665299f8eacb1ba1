export interface SuiteCounts {
  passed: number;
  failed: number;
  skipped: number;
  problem: string | undefined;
  /** "file > test: first line of the message" per failure (vitest only). */
  failures?: string[];
}
export function parseForgeSummary(out: string, code: number): SuiteCounts;
export function parseVitestJson(json: string | undefined, code: number): SuiteCounts;
export function vitestFailures(report: unknown): string[];
