/**
 * Starts Command Hall: reads the configuration, builds the app, listens, and shuts down cleanly on
 * SIGINT/SIGTERM (the live channel closes, the event log is closed after in-flight batches).
 */
import { buildApp } from './app.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';

let config: Config;
try {
  config = loadConfig();
} catch (e) {
  if (e instanceof ConfigError) {
    console.error(`Command Hall cannot start: ${e.message}`);
    process.exit(2);
  }
  throw e;
}

/**
 * Exits with the reason when the start cannot go on (a store that cannot be opened or read): a
 * supervisor restarts the process, an operator reads why. A process that never listens must not
 * stay alive looking healthy to `ps`.
 */
function cannotStart(e: unknown): never {
  console.error(`Command Hall cannot start: ${e instanceof Error ? e.message : String(e)}`);
  if (e instanceof Error && e.cause instanceof Error && e.cause.stack) console.error(e.cause.stack);
  process.exit(1);
}

let app: Awaited<ReturnType<typeof buildApp>>;
try {
  app = await buildApp({ config });
  await app.ready();
} catch (e) {
  cannotStart(e);
}
let closing = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, async () => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    await app.close();
    process.exit(0);
  });
}

try {
  const address = await app.listen({ port: config.PORT, host: config.HOST });
  const url = address;
  // a plain line on stdout that people and test harnesses can wait for
  console.log(`Command Hall listening on ${url}`);
  console.log(`  district wall: ${url}/   director console: ${url}/console   API docs: ${url}/docs`);
  // first-start accounts (and, once, a generated admin password): to the console, not the log
  for (const line of app.authBootstrap.notices) console.log(`  ${line}`);
} catch (e) {
  app.log.error(e);
  cannotStart(e);
}
