// Long-running children of the demo (the keeper, the app server), each in its own process group
// with its output in a log file; stopped with SIGTERM (SIGKILL after a grace period) and, failing
// that, killed when the demo exits for any reason.

import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';

const live = new Set<ChildProcess>();
let installed = false;

function killAll(): void {
  for (const c of live) {
    try {
      if (c.pid !== undefined) process.kill(-c.pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
  live.clear();
}

export interface Managed {
  readonly name: string;
  readonly child: ChildProcess;
  /** Resolves with the exit code (or the signal) when the process ends. */
  readonly exited: Promise<number | NodeJS.Signals>;
  /** The last lines of its output. */
  tail(): string;
  /** SIGTERM to the group, SIGKILL after `graceMs`; resolves when it has exited. */
  stop(graceMs?: number): Promise<void>;
}

export function startManaged(name: string, cmd: string, args: readonly string[], o: { cwd: string; env: NodeJS.ProcessEnv; logFile: string }): Managed {
  if (!installed) {
    installed = true;
    process.once('exit', killAll);
  }
  const log = createWriteStream(o.logFile, { flags: 'a' });
  const child = spawn(cmd, args, { cwd: o.cwd, env: o.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  live.add(child);
  let tail = '';
  const keep = (b: Buffer): void => {
    log.write(b);
    tail = (tail + b.toString()).slice(-4000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise<number | NodeJS.Signals>((resolve) => {
    child.once('exit', (code, signal) => {
      live.delete(child);
      log.end();
      resolve(signal ?? code ?? 1);
    });
    child.once('error', (e) => {
      live.delete(child);
      keep(Buffer.from(`${name}: ${e.message}\n`));
      resolve(1);
    });
  });
  return {
    name,
    child,
    exited,
    tail: () => tail,
    stop: async (graceMs = 5000) => {
      if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
      const pid = child.pid;
      try {
        process.kill(-pid, 'SIGTERM');
      } catch {
        return;
      }
      const timer = setTimeout(() => {
        try {
          process.kill(-pid, 'SIGKILL');
        } catch {
          // gone
        }
      }, graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
