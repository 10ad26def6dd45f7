#!/usr/bin/env node
// The two commands a newcomer needs (`npm start`, `npm test`) go through here: it bootstraps
// pnpm through npx (no global install, no corepack), installs the workspace when the lockfile or
// package manifests are newer than the install, builds the web app when its sources changed,
// then runs the requested task. Only Node and npm are assumed.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync, readdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const PNPM = ['-y', 'pnpm@12.4.2'];
const task = process.argv[2] ?? 'start';
const rest = process.argv.slice(3);

function run(cmd, args, extraEnv = {}) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...extraEnv } });
  if (r.error) throw r.error;
  return r.status ?? 1;
}
const pnpm = (args, env) => run('npx', [...PNPM, ...args], env);
const mtime = (p) => (existsSync(p) ? statSync(p).mtimeMs : 0);

/** Newest modification time of any file below `dir` (skipping node_modules and dist). */
function newest(dir) {
  let t = mtime(dir);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return t;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name === 'dist') continue;
    t = Math.max(t, e.isDirectory() ? newest(join(dir, e.name)) : mtime(join(dir, e.name)));
  }
  return t;
}

function ensureInstalled() {
  const marker = join(root, 'node_modules', '.modules.yaml');
  const inputs = [
    'pnpm-lock.yaml',
    'pnpm-workspace.yaml',
    'package.json',
    'shared/package.json',
    'server/package.json',
    'web/package.json',
  ];
  const stale = !existsSync(marker) || inputs.some((f) => mtime(join(root, f)) > mtime(marker));
  if (!stale) return;
  console.log('» Installing the workspace with pnpm 12.4.2 (first run compiles SQLite: about two minutes)…');
  // better-sqlite3's prebuilt download is unreachable on closed networks: go straight to compiling it.
  const code = pnpm(['install', '--frozen-lockfile'], { npm_config_build_from_source: 'true' });
  if (code !== 0) process.exit(code);
}

function ensureWebBuilt() {
  const built = join(root, 'web', 'dist', 'index.html');
  const src = Math.max(newest(join(root, 'web')), newest(join(root, 'shared', 'src')), newest(join(root, 'public')));
  if (existsSync(built) && mtime(built) >= src) return;
  console.log('» Building the web app…');
  const code = pnpm(['--filter', '@commandhall/web', 'build']);
  if (code !== 0) process.exit(code);
}

ensureInstalled();
const tasks = {
  start: () => {
    ensureWebBuilt();
    // a young generation of 64 MiB a half: ingest and the replay on start allocate an object or more
    // per event, and V8's default (16) spends a sixth of their time collecting them
    return run('node', ['--max-semi-space-size=64', '--import', 'tsx', 'server/src/server.ts', ...rest]);
  },
  dev: () => pnpm(['--parallel', '--filter', '@commandhall/server', '--filter', '@commandhall/web', 'dev']),
  test: () => {
    ensureWebBuilt();
    return pnpm(['exec', 'vitest', 'run', ...rest]);
  },
  bench: () => run('node', ['--import', 'tsx', 'server/bench/run.ts', ...rest]),
};
if (!tasks[task]) {
  console.error(`unknown task "${task}": use ${Object.keys(tasks).join(', ')}`);
  process.exit(2);
}
process.exit(tasks[task]());
