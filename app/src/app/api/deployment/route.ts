// Serves the deployment file (addresses + block) read at request time, so one build works against
// any deployment: GAVEL_DEPLOYMENTS_FILE, or ../deployments/<chainId>.json relative to app/.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { NextResponse } from 'next/server';
import { parseDeployment, type DeploymentResponse } from '../../../lib/deployment';
import { CHAIN_ID } from '../../../lib/env';

export const dynamic = 'force-dynamic';

function deploymentPath(): string {
  return process.env.GAVEL_DEPLOYMENTS_FILE ?? path.join('..', 'deployments', `${CHAIN_ID}.json`);
}

export async function GET(): Promise<NextResponse<DeploymentResponse>> {
  const file = deploymentPath();
  const full = path.resolve(/* turbopackIgnore: true */ process.cwd(), file);
  let text: string;
  try {
    text = await readFile(/* turbopackIgnore: true */ full, 'utf8');
  } catch {
    return NextResponse.json({ status: 'missing', path: file }, { status: 404, headers: { 'cache-control': 'no-store' } });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return NextResponse.json({ status: 'invalid', path: file, message: `not JSON (${(e as Error).message})` }, { status: 500 });
  }
  const parsed = parseDeployment(raw);
  if (!parsed.ok) return NextResponse.json({ status: 'invalid', path: file, message: parsed.message }, { status: 500 });
  return NextResponse.json({ status: 'ok', deployment: raw }, { headers: { 'cache-control': 'no-store' } });
}
