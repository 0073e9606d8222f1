import { openPcscTransport } from '../src/transport/pcsc-transport.ts';
for (const reader of [undefined, 'Nope']) {
  const t0 = performance.now();
  try { await openPcscTransport({ timeoutMs: 1000, reader }); } catch (e) { console.log('err', (e as any).code, (e as any).message, (e as any).details, performance.now() - t0); }
}
