// The server half of bench/login.bench.ts, in its own process so the benchmark's clients do not share its event
// loop: a Tillid server with the OIDC provider, the login methods and the app routes on the given store.
// Argument: JSON { target, port, secrets }. Prints `READY <url>` when listening; stops on SIGTERM.
import { startAppTillid } from '../src/app-authenticator/testing/test-app.ts';

const options = JSON.parse(process.argv[2] ?? '{}');
const t = await startAppTillid({ ...options, poolSize: 20 });
process.stdout.write(`READY ${t.url}\n`);
process.once('SIGTERM', () => {
  t.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});
