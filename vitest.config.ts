import { defineConfig } from 'vitest/config';
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

// Browser tests need Debian's Chromium; `npm test` runs them whenever it is installed (CI installs it).
const hasChromium = existsSync(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium');

// The server suite runs a second time with every app's event log in PostgreSQL (`server-pg`),
// where PostgreSQL answers; elsewhere it says so and why, and CI (which starts it) fails instead.
const postgresUrl = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
function postgresAnswers(): string | null {
  const { hostname, port } = new URL(postgresUrl);
  const probe = `require('net').connect(${Number(port || 5432)}, ${JSON.stringify(hostname)}).on('connect', () => process.exit(0)).on('error', () => process.exit(1))`;
  const r = spawnSync(process.execPath, ['-e', probe], { timeout: 3000 });
  return r.status === 0 ? null : `PostgreSQL does not answer at ${hostname}:${port || 5432}`;
}
const postgresMissing = postgresAnswers();
if (postgresMissing) {
  if (process.env.COMMANDHALL_REQUIRE_SERVICES === '1')
    throw new Error(`the server suite on PostgreSQL cannot run, and CI requires it: ${postgresMissing}`);
  console.warn(`skipped: the server suite on PostgreSQL (server-pg): ${postgresMissing}; set TEST_POSTGRES_URL or start it`);
}

export default defineConfig({
  test: {
    projects: [
      { test: { name: 'shared', include: ['shared/test/**/*.test.ts'] } },
      { test: { name: 'server', include: ['server/test/**/*.test.ts'], testTimeout: 30_000, hookTimeout: 60_000 } },
      ...(postgresMissing
        ? []
        : [
            {
              test: {
                name: 'server-pg',
                include: ['server/test/**/*.test.ts'],
                // PostgreSQL's own tests run once already; these read or write SQLite files by hand
                exclude: [
                  'server/test/scale-out/**',
                  'server/test/*-contract.test.ts',
                  'server/test/**/*-contract.test.ts',
                  'server/test/quarantine.test.ts',
                  'server/test/open-sqlite.test.ts',
                  'server/test/replay/**',
                  'server/test/architecture.test.ts',
                ],
                env: { TEST_STORE: 'postgres' },
                setupFiles: ['server/test/postgres-setup.ts'],
                testTimeout: 30_000,
                hookTimeout: 60_000,
              },
            },
          ]),
      { test: { name: 'deploy', include: ['deploy/test/**/*.test.ts'] } },
      {
        extends: './web/vite.config.ts',
        test: { name: 'web', include: ['web/test/**/*.test.ts'], environment: 'happy-dom', setupFiles: ['web/test/deployment-setup.ts'] },
      },
      ...(hasChromium
        ? [
            {
              test: {
                name: 'browser',
                include: ['test/browser/**/*.test.ts'],
                testTimeout: 120_000,
                hookTimeout: 180_000,
                fileParallelism: false,
              },
            },
          ]
        : []),
    ],
  },
});
