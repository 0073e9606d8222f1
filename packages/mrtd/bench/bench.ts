// Benchmark (issue #3): reader CPU for a full PACE read (DG1, a 20 KB DG2, DG14, DG15, SOD) plus
// verification on the in-memory chip; APDU round trips beside the minimum for the chip's maximum
// response size; passive-authentication verifications per second.
// Run: node --import tsx packages/mrtd/bench/bench.ts
import { createTestDocument } from '../src/chip/create-test-document.ts';
import { createVirtualChip } from '../src/chip/create-virtual-chip.ts';
import { placeholderFaceJpeg } from '../src/chip/placeholder-face.ts';
import type { TestDocument } from '../src/chip/test-document.ts';
import type { VirtualChip } from '../src/chip/virtual-chip.ts';
import type { LdsFileName } from '../src/lds/lds-file.ts';
import { verifyPassive } from '../src/pa/verify-passive.ts';
import { TrustStore } from '../src/pki/trust-store.ts';
import { readDocument } from '../src/reader/read-document.ts';
import { verifyDocument } from '../src/reader/verify-document.ts';
import { maxPlaintextResponseLength } from '../src/sm/secure-messaging.ts';
import { MemoryTransport } from '../src/transport/memory-transport.ts';

const FILES: LdsFileName[] = ['DG1', 'DG2', 'DG14', 'DG15'];
const READ: LdsFileName[] = ['COM', 'SOD', ...FILES];
const RUNS = 30;

/** Counts the chip's own time so it can be taken out of the reader's. */
function timedCard(chip: VirtualChip): {
  card: { handle(a: Uint8Array): Uint8Array; reset(): void };
  ms: () => number;
} {
  let ms = 0;
  return {
    card: {
      handle(apdu) {
        const t0 = performance.now();
        const r = chip.handle(apdu);
        ms += performance.now() - t0;
        return r;
      },
      reset: () => chip.reset(),
    },
    ms: () => ms,
  };
}

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** Fewest round trips possible: EF.CardAccess, PACE (MSE + 4 GA), SELECT, CA (MSE + GA), one READ BINARY per chunk. */
function minimumRoundTrips(doc: TestDocument, maxResponseLength: number): number {
  const chunk = maxPlaintextResponseLength('AES', maxResponseLength);
  const plainChunk = Math.min(256, maxResponseLength);
  let n = Math.ceil((doc.files.get('CardAccess')?.length ?? 0) / plainChunk) + 5 + 1 + 2;
  for (const name of READ) n += Math.ceil((doc.files.get(name)?.length ?? 0) / chunk);
  return n;
}

async function fullRead(doc: TestDocument, trustStore: TrustStore, maxResponseLength: number) {
  const chip = createVirtualChip(
    doc,
    maxResponseLength > 256 ? { maxResponseLength } : { maxResponseLength, extendedLength: false },
  );
  const timed = timedCard(chip);
  const transport = new MemoryTransport(timed.card, { maxResponseLength: Math.max(256, maxResponseLength) });
  const cpu0 = cpuMs();
  const result = await readDocument({
    transport,
    password: { kind: 'can', can: doc.chip.can },
    files: FILES,
  });
  const report = verifyDocument({ files: result.files, trustStore, now: new Date() });
  const cpu = cpuMs() - cpu0;
  if (!report.ok) throw new Error('benchmark document did not verify');
  return { cpu, chipMs: timed.ms(), apdus: result.apduCount };
}

const face = await placeholderFaceJpeg({ width: 330, height: 420, targetBytes: 21000 });
const doc = await createTestDocument({ pace: true, aa: 'ec', face });
const trustStore = new TrustStore();
trustStore.addCsca(doc.cscaCertificate);
const sizes = READ.map((n) => `${n} ${doc.files.get(n)?.length ?? 0} B`).join(', ');
process.stdout.write(`document: ${sizes}\n`);

for (let i = 0; i < 5; i++) await fullRead(doc, trustStore, 65536); // warm up the JIT
let cpuTotal = 0;
let readerTotal = 0;
let apdus = 0;
for (let i = 0; i < RUNS; i++) {
  const r = await fullRead(doc, trustStore, 65536);
  cpuTotal += r.cpu;
  readerTotal += r.cpu - r.chipMs;
  apdus = r.apdus;
}
const readerMs = readerTotal / RUNS;
process.stdout.write(
  `full PACE read + verify: reader ${readerMs.toFixed(2)} ms CPU (chip emulation excluded; ${(cpuTotal / RUNS).toFixed(2)} ms with it)` +
    ` — target ≤ 20 ms: ${readerMs <= 20 ? 'met' : 'MISSED'}\n`,
);

for (const max of [65536, 4096, 1024, 256]) {
  const r = max === 65536 ? { apdus } : await fullRead(doc, trustStore, max);
  const min = minimumRoundTrips(doc, max);
  process.stdout.write(
    `round trips, chip max response ${String(max).padStart(5)}: ${r.apdus} (minimum ${min}; target ≤ ${min + 3}: ${r.apdus <= min + 3 ? 'met' : 'MISSED'})\n`,
  );
}

const dataGroups = new Map<number, Uint8Array>();
for (const name of FILES) dataGroups.set(Number(name.slice(2)), doc.files.get(name) ?? new Uint8Array(0));
const sod = doc.files.get('SOD') ?? new Uint8Array(0);
const now = new Date();
for (let i = 0; i < 20; i++) verifyPassive({ sod, dataGroups, trustStore, now });
const t0 = performance.now();
let n = 0;
while (performance.now() - t0 < 1000) {
  verifyPassive({ sod, dataGroups, trustStore, now });
  n++;
}
process.stdout.write(
  `passive authentication: ${Math.round((n * 1000) / (performance.now() - t0))} verifications/s\n`,
);
