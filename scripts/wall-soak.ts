/**
 * Endurance run of a wall screen: opens the wall of a running Command Hall in headless Chromium
 * and, every interval, forces a garbage collection and reads the page's JS heap over CDP. Prints
 * one line per sample and, at the end, how much the heap grew after the warm-up.
 *
 *   SIM_SPEED=20 npm start                       # in one terminal: a busy district
 *   node --import tsx scripts/wall-soak.ts http://127.0.0.1:8080 --minutes 30 --interval 60
 *
 * A compressed day of a hall: the simulator at raised speed, and the hall's themes rotating every
 * N seconds (its playlist is set through the API, hence the administrator's password); samples
 * are then taken at the same point of every rotation, so each one sees the same screen:
 *
 *   SIM_SPEED=30 ADMIN_PASSWORD=… npm start
 *   node --import tsx scripts/wall-soak.ts http://127.0.0.1:8080 --hall district:440310 \
 *     --theme-seconds 20 --admin-password … --minutes 60 --warmup 10
 *
 * Options: --minutes (default 30), --interval seconds between samples (60), --warmup minutes
 * excluded from the growth figure (5), --path (default /, the district wall), --width/--height of
 * the window (1920×1080), --max-growth percent above which the exit code is 1 (off by default),
 * --js-flags passed to V8 in the page, --breakdown to take a heap snapshot at the end of the warm-up
 * and at the end, and print what grew by kind: compiled code, the app's data, the browser's objects.
 *
 * The heap includes the code V8 compiles as it goes. A wall keeps tiering functions up (Maglev,
 * then TurboFan) for half an hour or more after it starts, which shows here as growth that
 * flattens out. `--js-flags=--jitless` runs the page on the interpreter alone: what still grows
 * then is data the app keeps.
 */
import { chromium, type CDPSession } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { takeBreakdown, type HeapBreakdown } from './heap-breakdown.ts';

interface Options {
  url: string;
  minutes: number;
  interval: number;
  warmup: number;
  path: string;
  width: number;
  height: number;
  maxGrowth: number | null;
  jsFlags: string | null;
  hall: string | null;
  themeSeconds: number | null;
  adminPassword: string | null;
  breakdown: boolean;
}

function parseArgs(argv: string[]): Options {
  const o: Options = {
    url: '',
    minutes: 30,
    interval: 60,
    warmup: 5,
    path: '/',
    width: 1920,
    height: 1080,
    maxGrowth: null,
    jsFlags: null,
    hall: null,
    themeSeconds: null,
    adminPassword: process.env.ADMIN_PASSWORD ?? null,
    breakdown: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    const num = () => {
      const v = Number(next());
      if (!Number.isFinite(v) || v < 0) throw new Error(`${a} needs a non-negative number`);
      return v;
    };
    if (a === '--minutes') o.minutes = num();
    else if (a === '--interval') o.interval = num();
    else if (a === '--warmup') o.warmup = num();
    else if (a === '--path') o.path = next();
    else if (a === '--width') o.width = num();
    else if (a === '--height') o.height = num();
    else if (a === '--max-growth') o.maxGrowth = num();
    else if (a === '--js-flags') o.jsFlags = next();
    else if (a === '--hall') o.hall = next();
    else if (a === '--theme-seconds') o.themeSeconds = num();
    else if (a === '--admin-password') o.adminPassword = next();
    else if (a === '--breakdown') o.breakdown = true;
    else if (a.startsWith('--js-flags=')) o.jsFlags = a.slice('--js-flags='.length);
    else if (a === '--help' || a === '-h') {
      console.log(
        'usage: wall-soak.ts <server-url> [--minutes 30] [--interval 60] [--warmup 5] [--path /] [--hall SCOPE [--theme-seconds 20 --admin-password P]] [--width 1920] [--height 1080] [--max-growth 5] [--js-flags=--jitless] [--breakdown]',
      );
      process.exit(0);
    } else if (!o.url && /^https?:\/\//.test(a)) o.url = a;
    else throw new Error(`unknown argument "${a}"`);
  }
  if (!o.url) throw new Error('give the URL of a running Command Hall server, e.g. http://127.0.0.1:8080');
  if (o.interval < 1) throw new Error('--interval must be at least 1 second');
  if (o.hall) o.path = `/hall/${o.hall}`;
  if (o.themeSeconds !== null && (!o.hall || !o.adminPassword))
    throw new Error('--theme-seconds needs --hall and the administrator password (--admin-password or ADMIN_PASSWORD)');
  if (o.themeSeconds !== null && o.themeSeconds < 10) throw new Error('--theme-seconds must be at least 10');
  return o;
}

/** Sets the hall's playlist to what it shows by default, `seconds` each; returns the cycle, ms. */
async function compressRotation(o: Options): Promise<number> {
  const login = await fetch(new URL('/api/v1/auth/login', o.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: o.adminPassword }),
  });
  if (!login.ok) throw new Error(`the administrator could not sign in: ${login.status}`);
  const cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  const hall = encodeURIComponent(o.hall!);
  const current = (await (await fetch(new URL(`/api/v1/halls/${hall}/playlist`, o.url), { headers: { cookie } })).json()) as {
    entries: { themeId: string }[];
  };
  const entries = current.entries.map((e) => ({ themeId: e.themeId, seconds: o.themeSeconds! }));
  const res = await fetch(new URL(`/api/v1/halls/${hall}/playlist`, o.url), {
    method: 'PUT',
    headers: { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json', origin: o.url },
    body: JSON.stringify({ entries }),
  });
  if (!res.ok) throw new Error(`could not set the playlist: ${res.status} ${await res.text()}`);
  console.log(`playlist of ${o.hall}: ${entries.map((e) => e.themeId).join(', ')}, ${o.themeSeconds} s each`);
  return entries.length * o.themeSeconds! * 1000;
}

interface Sample {
  t: number; // seconds since start
  theme: string | null;
  heap: number; // bytes
  nodes: number;
  listeners: number;
  state: string;
  today: string | null;
  /** Live points the map keeps (capped by the points store): shows that the cap holds. */
  points: number | null;
}

async function sample(cdp: CDPSession, page: import('playwright-core').Page, t0: number): Promise<Sample> {
  await cdp.send('HeapProfiler.collectGarbage');
  const { metrics } = await cdp.send('Performance.getMetrics');
  const m = Object.fromEntries(metrics.map((x) => [x.name, x.value]));
  const dom = await page.evaluate(() => {
    const store = (window as { __commandHall?: { points?: { points?: unknown[] } } }).__commandHall?.points;
    return {
      theme: document.querySelector('[data-layout]')?.getAttribute('data-layout') ?? null,
      state: document.querySelector('[data-testid="connection"]')?.getAttribute('data-state') ?? '?',
      today: document.querySelector('[data-testid="kpi-appeals.today"]')?.getAttribute('data-raw') ?? null,
      points: Array.isArray(store?.points) ? store.points.length : null,
    };
  });
  return { t: (Date.now() - t0) / 1000, heap: m.JSHeapUsedSize, nodes: m.Nodes, listeners: m.JSEventListeners, ...dom };
}

const mb = (b: number) => (b / 1048576).toFixed(2);
const clock = (s: number) => `${String(Math.floor(s / 60)).padStart(3, ' ')}:${String(Math.floor(s % 60)).padStart(2, '0')}`;

/** Least-squares slope in bytes per second. */
function slope(xs: Sample[]): number {
  const n = xs.length;
  if (n < 2) return 0;
  const mx = xs.reduce((s, x) => s + x.t, 0) / n;
  const my = xs.reduce((s, x) => s + x.heap, 0) / n;
  const num = xs.reduce((s, x) => s + (x.t - mx) * (x.heap - my), 0);
  const den = xs.reduce((s, x) => s + (x.t - mx) ** 2, 0);
  return den ? num / den : 0;
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  const profile = mkdtempSync(join(tmpdir(), 'ch-soak-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    viewport: { width: o.width, height: o.height },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--enable-unsafe-swiftshader',
      ...(o.jsFlags ? [`--js-flags=${o.jsFlags}`] : []),
    ],
  });
  const stop = async () => {
    await context.close().catch(() => {});
    rmSync(profile, { recursive: true, force: true });
  };
  process.once('SIGINT', () => void stop().then(() => process.exit(130)));
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    let pageErrors = 0;
    page.on('pageerror', (e) => {
      pageErrors++;
      console.error(`page error: ${e.message}`);
    });
    const cycle = o.themeSeconds !== null ? await compressRotation(o) : 0;
    const target = new URL(o.path, o.url).toString();
    await page.goto(target);
    await page.waitForSelector('[data-testid="connection"][data-state="live"]', { timeout: 60_000 });
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');

    console.log(
      `wall soak: ${target} at ${o.width}×${o.height}, ${o.minutes} min, a sample every ${o.interval} s, warm-up ${o.warmup} min` +
        (o.jsFlags ? `, V8 flags ${o.jsFlags}` : ''),
    );
    console.log(' elapsed   heap MB   DOM nodes  listeners  channel  points  appeals today  theme');
    /** With a compressed rotation: wait for the first theme of the playlist, 5 s in, so samples compare like with like. */
    const sameScreen = async () => {
      if (!cycle) return;
      await page.waitForSelector('[data-testid="rotation"]:not([data-index="0"])', { timeout: cycle + 60_000 });
      await page.waitForSelector('[data-testid="rotation"][data-index="0"]', { timeout: cycle + 60_000 });
      await page.waitForTimeout(5000);
    };
    await sameScreen();
    const t0 = Date.now();
    const samples: Sample[] = [];
    const end = t0 + o.minutes * 60_000;
    let atWarm: HeapBreakdown | null = null;
    for (;;) {
      const s = await sample(cdp, page, t0);
      samples.push(s);
      if (o.breakdown && !atWarm && s.t >= o.warmup * 60) atWarm = await takeBreakdown(cdp);
      console.log(
        `${clock(s.t)}   ${mb(s.heap).padStart(7)}   ${String(s.nodes).padStart(9)}  ${String(s.listeners).padStart(9)}  ${s.state.padEnd(7)}  ${String(s.points ?? '—').padStart(6)}  ${(s.today ?? '—').padStart(13)}  ${s.theme ?? '—'}`,
      );
      // with a rotation, the next sample is at the start of the first cycle after the interval
      const wait = Math.min(o.interval * 1000 - (cycle ? cycle : 0), end - Date.now());
      if (end - Date.now() <= 0) break;
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      else if (!cycle) break;
      await sameScreen();
    }

    const after = samples.filter((s) => s.t >= o.warmup * 60);
    if (after.length < 2) {
      console.log(`\nnot enough samples after the ${o.warmup}-minute warm-up to compute growth`);
      return;
    }
    // Average a few samples at each end so one collection's timing does not decide the figure.
    const k = Math.min(3, Math.floor(after.length / 2));
    const avg = (xs: Sample[]) => xs.reduce((a, x) => a + x.heap, 0) / xs.length;
    const first = avg(after.slice(0, k));
    const last = avg(after.slice(-k));
    const growth = ((last - first) / first) * 100;
    const perHour = slope(after) * 3600;
    const span = (after[after.length - 1].t - after[0].t) / 60;
    console.log(
      `\nheap after warm-up: ${mb(first)} MB → ${mb(last)} MB over ${span.toFixed(1)} min: growth ${growth >= 0 ? '+' : ''}${growth.toFixed(2)} %` +
        ` (trend ${perHour >= 0 ? '+' : ''}${mb(perHour)} MB/h); DOM nodes ${after[0].nodes} → ${after[after.length - 1].nodes}; page errors ${pageErrors}`,
    );
    if (atWarm) {
      const atEnd = await takeBreakdown(cdp);
      const row = (label: string, a: number, b: number) =>
        console.log(
          `  ${label.padEnd(34)} ${mb(a).padStart(7)} → ${mb(b).padStart(7)} MB  (${b >= a ? '+' : ''}${(((b - a) / a) * 100).toFixed(1)} %)`,
        );
      console.log('by kind (heap snapshots, own sizes), at the end of the warm-up → at the end:');
      row('compiled code, bytecode, feedback', atWarm.code, atEnd.code);
      row('data: objects, arrays, strings…', atWarm.data, atEnd.data);
      row('outside the JS heap: DOM, layout…', atWarm.outside, atEnd.outside);
    }
    if (o.maxGrowth !== null && growth > o.maxGrowth) {
      console.log(`growth above the limit of ${o.maxGrowth} %`);
      process.exitCode = 1;
    }
  } finally {
    await stop();
  }
}

main().catch((e) => {
  console.error(`wall-soak: ${e instanceof Error ? e.message : e}`);
  process.exit(2);
});
