/**
 * The server serves web/dist: build it first when it is missing or older than its sources
 * (web/, shared/src, public/), as `npm start` does.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './paths.ts';

function newest(dir: string): number {
  if (!existsSync(dir)) return 0;
  let t = statSync(dir).mtimeMs;
  if (!statSync(dir).isDirectory()) return t;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name === 'dist' || e.name === 'test') continue;
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

export function ensureWebBuilt(): void {
  const index = join(ROOT, 'web', 'dist', 'index.html');
  const sources = Math.max(newest(join(ROOT, 'web')), newest(join(ROOT, 'shared', 'src')), newest(join(ROOT, 'public')));
  if (existsSync(index) && statSync(index).mtimeMs >= sources) return;
  const r = spawnSync('npx', ['-y', 'pnpm@12.4.2', '--filter', '@commandhall/web', 'build'], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`web build failed:\n${r.stdout}\n${r.stderr}`);
}
