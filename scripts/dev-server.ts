// The process `npm start` runs: the Tillid server (as `tillid start`) plus the phone app's static build and,
// in development, its test-passport routes. It lives at the repository root because packages never import
// apps; operators deploy apps/app/dist as static files (or beside the API) and run `tillid start`.
import { join } from 'node:path';
import { builtLoginPage, registerAppRoutes } from '@tillid/app/serve';
import { loadConfig, startServer } from '@tillid/server';

const config = loadConfig({ env: process.env });
const server = await startServer(config, {
  handleSignals: true,
  // The login pages (/login/<uid>) in the app's look when the app is built.
  loginPage: builtLoginPage(),
  extend: (app) =>
    registerAppRoutes(app, {
      development:
        config.mode === 'development'
          ? { passportsDir: join(config.dataDir, 'passports'), testCscaPath: config.testCscaPath }
          : undefined,
    }),
});
const where = config.publicUrl.startsWith('http://localhost') ? server.url : config.publicUrl;
process.stdout.write(
  `\nTillid is running (${config.mode} mode, ${config.database.kind} store).\n` +
    `  App:     ${where}/app/   (the phone app: "help another person activate")\n` +
    `  API:     ${where}/docs\n  Health:  ${where}/healthz\nStop with Ctrl+C.\n\n`,
);
