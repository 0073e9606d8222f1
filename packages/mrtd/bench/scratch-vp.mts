import { connectVpcd } from '../src/transport/connect-vpcd.ts';
import { openPcscTransport } from '../src/transport/pcsc-transport.ts';
const t0 = performance.now();
const conn = await connectVpcd({ card: { handle: (c) => { const r = new Uint8Array(c.length > 10 ? 60000 : c.length + 2); r.set(c); r[r.length-2]=0x90; r[r.length-1]=0; return r; }, reset: () => console.log('reset') } });
console.log('connected', performance.now() - t0);
try {
  const t = await openPcscTransport({ timeoutMs: 3000 });
  console.log('opened', t.readerName, t.atr, performance.now() - t0);
  for (let i = 0; i < 5; i++) { const r = await t.transmit(Uint8Array.of(0, 0xb0, 0, 0, 0x10)); console.log(r.length, performance.now() - t0); }
  const big = new Uint8Array(3000); big.set([0, 0xb0, 0, 0, 0, 0x0b, 0xb0 - 7 ]);
  const ext = Uint8Array.of(0, 0xb0, 0, 0, 0, 0, 0);
  const r = await t.transmit(ext); console.log('ext', r.length, performance.now() - t0);
  await t.close();
} catch (e) { console.log('err', (e as any).code, (e as any).message, (e as any).details); }
await conn.close();
console.log('done', performance.now() - t0, conn.apduCount);
