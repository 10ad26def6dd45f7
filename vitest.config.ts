import { defineConfig } from 'vitest/config';
import { existsSync } from 'node:fs';

// Browser tests need Debian's Chromium; `npm test` runs them whenever it is installed (CI installs it).
const hasChromium = existsSync(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium');

export default defineConfig({
  test: {
    projects: [
      { test: { name: 'shared', include: ['shared/test/**/*.test.ts'] } },
      { test: { name: 'server', include: ['server/test/**/*.test.ts'], testTimeout: 30_000, hookTimeout: 60_000 } },
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
