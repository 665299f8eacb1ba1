export interface SuiteCounts {
  passed: number;
  failed: number;
  skipped: number;
  problem: string | undefined;
}
export function parseForgeSummary(out: string, code: number): SuiteCounts;
export function parseVitestJson(json: string | undefined, code: number): SuiteCounts;
