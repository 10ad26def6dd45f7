import { startServer } from '../helpers/server.ts';
import { launch, waitForMap } from '../helpers/browser.ts';

const server = await startServer({ env: { SIMULATOR: 'on', SIM_BACKFILL_DAYS: '2', SIM_SPEED: '20', DEMO_MODE: 'on' }, readyTimeoutMs: 300_000 });
console.log('server', server.url);
async function shot(path: string, w: number, h: number, name: string, act?: (p: any) => Promise<void>, login?: [string, string]) {
  const b = await launch({ width: w, height: h });
  if (login) {
    await b.page.goto(server.url + '/signin');
    await b.page.fill('input[autocomplete="username"]', login[0]).catch(async () => { const i = await b.page.$$('input'); await i[0].fill(login[0]); });
    const inputs = await b.page.$$('input');
    await inputs[1].fill(login[1]);
    await b.page.keyboard.press('Enter');
    await b.page.waitForURL(/console/, { timeout: 20000 });
  }
  await b.page.goto(server.url + path);
  if (!name.startsWith("scan")) await waitForMap(b.page, 60_000).catch(() => console.log("no map", name));
  if (act) await act(b.page);
  await new Promise((r) => setTimeout(r, 2500));
  await b.page.screenshot({ path: `/tmp/shot-${name}.png` });
  console.log('shot', name, b.errors.slice(0, 5), b.external.slice(0, 3));
  await b.close();
}
const layers = (ls: string[]) => async (p: any) => {
  await p.click('[data-testid="layer-panel-toggle"]');
  for (const l of ls) await p.click(`[data-testid="layer-${l}"]`);
  await new Promise((r) => setTimeout(r, 3000));
  await waitForMap(p, 30_000).catch(() => {});
};
const which = process.argv[2] ?? 'all';
if (which === 'all' || which === 'district') await shot('/hall/district:440310?theme=overview', 1920, 1080, 'district', layers(['components', 'heat']));
if (which === 'all' || which === 'console') await shot('/console/community:440310001001', 1440, 900, 'console', layers(['components']), ['district', 'demo-district-2026']);
if (which === 'all' || which === 'comps') await shot('/console/community:440310001001/components', 1440, 900, 'comps', async (p) => { await p.click('[data-testid^="component-4403"]'); }, ['district', 'demo-district-2026']);
if (which === 'all' || which === 'grid') await shot('/console/community:440310001001/grid', 1440, 900, 'gridtab', undefined, ['community', 'demo-community-2026']);
if (which === 'all' || which === 'scan') await shot('/code/44031003000001', 360, 780, 'scan');
if (which === 'all' || which === 'scan404') await shot('/code/44031099999999', 360, 780, 'scan404');
await server.dispose();
