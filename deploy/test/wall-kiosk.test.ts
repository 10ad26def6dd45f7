/**
 * deploy/wall-kiosk.sh with a stand-in for Chromium (a script that writes down how it was started
 * and exits): the flags a wall needs, the window, a crashed profile cleaned before each start,
 * restarts after every exit, a clean stop, and clear refusals of bad arguments.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const SCRIPT = resolve(import.meta.dirname, '../wall-kiosk.sh');
const URL = 'http://10.0.0.5:8080/hall/district:440310?tiles=2x1&tile=1,0';

let dir: string;
let fake: string;
let calls: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kiosk-'));
  calls = join(dir, 'calls.txt');
  fake = join(dir, 'chromium');
  // one line per start: the arguments, then what the profile's Preferences said at that moment
  writeFileSync(
    fake,
    `#!/usr/bin/env bash
prefs=""
for a in "$@"; do case "$a" in --user-data-dir=*) prefs="\${a#--user-data-dir=}/Default/Preferences" ;; esac; done
printf '%s\\t' "$@" >> "${calls}"
[ -f "$prefs" ] && tr -d '\\n' < "$prefs" >> "${calls}"
echo >> "${calls}"
exit \${FAKE_EXIT:-3}
`,
  );
  chmodSync(fake, 0o755);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const run = (args: string[], env: Record<string, string> = {}) =>
  spawnSync('bash', [SCRIPT, ...args], { env: { ...process.env, CHROMIUM: fake, HOME: dir, ...env }, encoding: 'utf8' });
const starts = () => (existsSync(calls) ? readFileSync(calls, 'utf8').trim().split('\n').filter(Boolean) : []);

describe('wall-kiosk.sh', () => {
  it('starts Chromium in kiosk mode on the URL with a lasting profile and the wall flags, once', () => {
    const r = run([URL, '--name', 'right', '--window', '3840,0,3840,2160', '--once']);
    expect(r.status, r.stderr).toBe(3); // Chromium's own exit status
    const [line] = starts();
    const args = line.split('\t');
    expect(args).toContain('--kiosk');
    expect(args).toContain(`--user-data-dir=${join(dir, '.local/share/command-hall/right')}`);
    expect(args).toContain('--window-position=3840,0');
    expect(args).toContain('--window-size=3840,2160');
    expect(args).toContain('--autoplay-policy=no-user-gesture-required');
    expect(args).toContain('--disable-background-timer-throttling');
    expect(args).toContain('--js-flags=--flush-baseline-code');
    expect(args.filter((a) => a.startsWith('http'))).toEqual([URL]);
    expect(existsSync(join(dir, '.local/share/command-hall/right'))).toBe(true);
  });

  it('clears a crash from the profile before starting, so no "restore pages" bubble covers the wall', () => {
    const profile = join(dir, 'profile');
    mkdirSync(join(profile, 'Default'), { recursive: true });
    writeFileSync(join(profile, 'Default/Preferences'), '{"profile":{"exit_type":"Crashed","exited_cleanly":false}}');
    run([URL, '--profile', profile, '--once']);
    const seen = starts()[0].split('\t').at(-1);
    expect(seen).toBe('{"profile":{"exit_type":"Normal","exited_cleanly":true}}');
  });

  it('starts Chromium again whenever it exits, and stops cleanly on SIGTERM', async () => {
    const child = spawn('bash', [SCRIPT, URL, '--restart-delay', '0.05'], {
      env: { ...process.env, CHROMIUM: fake, HOME: dir, FAKE_EXIT: '137' },
    });
    let out = '';
    child.stdout.on('data', (b) => (out += b));
    for (let i = 0; i < 200 && starts().length < 3; i++) await new Promise((r) => setTimeout(r, 50));
    expect(starts().length).toBeGreaterThanOrEqual(3);
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(out).toMatch(/Chromium exited with status 137 after \d+ s/);
    expect(out).toMatch(/starting again in 0\.\d+ s/);
    expect(out).toContain('stopping');
  });

  it('refuses bad arguments, saying what is wrong', () => {
    expect(run([]).stderr).toMatch(/give the hall's URL/);
    expect(run(['ftp://x']).stderr).toMatch(/unknown argument "ftp:\/\/x"/);
    expect(run([URL, '--window', '10x20']).stderr).toMatch(/--window needs X,Y,W,H/);
    expect(run([URL, '--name', '../etc']).stderr).toMatch(/--name may hold/);
    const none = run([URL, '--once'], { CHROMIUM: join(dir, 'missing') });
    expect(none.status).toBe(2);
    expect(none.stderr).toMatch(/no Chromium found/);
    expect(starts()).toEqual([]);
  });
});
