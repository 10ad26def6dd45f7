// scratch: start a server with the simulator, take screenshots (not a test; removed before commit)
import { startServer } from '../helpers/server.ts';
import { launch, waitForMap } from '../helpers/browser.ts';

const server = await startServer({ env: { SIMULATOR: 'on', SIM_BACKFILL_DAYS: '2', SIM_SPEED: '20', DEMO_MODE: 'on' }, readyTimeoutMs: 300_000 });
console.log('server', server.url);
const shots = process.argv.slice(2);
for (const spec of shots) {
  const [path, size, name, layers] = spec.split('|');
  const [w, h] = size.split('x').map(Number);
  const b = await launch({ width: w, height: h });
  if (layers) {
    await b.page.goto(server.url + '/signin');
  }
  await b.page.goto(server.url + path);
  try {
    await waitForMap(b.page, 60_000);
  } catch (e) {
    console.log('no map', path);
  }
  if (layers) {
    for (const l of layers.split(',')) {
      await b.page.click('[data-testid="layer-panel-toggle"]').catch(() => {});
      await b.page.click(`[data-testid="layer-${l}"]`).catch((e) => console.log('no layer', l, e.message));
      await b.page.click('[data-testid="layer-panel-toggle"]').catch(() => {});
    }
    await new Promise((r) => setTimeout(r, 3000));
    try { await waitForMap(b.page, 30_000); } catch {}
  }
  await new Promise((r) => setTimeout(r, 1500));
  await b.page.screenshot({ path: `/tmp/shot-${name}.png` });
  console.log('shot', name, b.errors.slice(0, 5), b.external.slice(0, 3));
  await b.close();
}
await server.dispose();
