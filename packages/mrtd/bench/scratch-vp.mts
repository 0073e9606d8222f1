import { connectVpcd } from '../src/transport/connect-vpcd.ts';
import { openPcscTransport } from '../src/transport/pcsc-transport.ts';
const t0 = performance.now();
try { await openPcscTransport({ timeoutMs: 1000 }); } catch (e) { console.log('expected', (e as any).code, (e as any).message); }
console.log('t', performance.now() - t0);
