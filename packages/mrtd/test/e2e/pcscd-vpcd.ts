// The real PC/SC stack for end-to-end tests: Debian's pcscd with the vsmartcard vpcd driver, and a virtual
// chip behind vpcd's first reader. Shared by the mrtd PC/SC test and the app's reader-bridge test.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { VirtualChip } from '../../src/chip/virtual-chip.ts';
import { connectVpcd, type VpcdConnection } from '../../src/transport/connect-vpcd.ts';
import { checkPcscdRunning } from '../../src/transport/pcsc-transport.ts';

const PCSCD = ['/usr/sbin/pcscd', '/usr/bin/pcscd'].find((p) => existsSync(p));
const VPCD_DRIVER = '/usr/lib/pcsc/drivers/serial/libifdvpcd.so';
const VPCD_PORT = 35963;

/** The reader vpcd's first slot appears as in pcscd. */
export const VPCD_READER = 'Virtual PCD 00 00';

/** Why these tests cannot run here (skip them with it), or undefined. */
export const PCSC_VPCD_MISSING =
  PCSCD === undefined
    ? 'pcscd is not installed'
    : !existsSync(VPCD_DRIVER)
      ? 'vsmartcard-vpcd is not installed'
      : undefined;

/**
 * One card stays in vpcd's first reader for a whole suite; each test swaps the chip behind it. (Pulling
 * the card and inserting another races pcscd's polling of the reader state.)
 */
export class SwappableCard {
  chip: VirtualChip | undefined;
  handle(apdu: Uint8Array): Uint8Array {
    return this.chip?.handle(apdu) ?? Uint8Array.of(0x6f, 0x00);
  }
  reset(): void {
    this.chip?.reset();
  }
}

async function waitForPcscd(): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      await checkPcscdRunning(undefined, 500);
      return;
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** vpcd has one port and pcscd one per machine: test files that run at once take turns. */
const LOCK = join(tmpdir(), 'tillid-pcscd-vpcd.lock');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function takeLock(): Promise<void> {
  const deadline = Date.now() + 10 * 60_000;
  for (;;) {
    try {
      mkdirSync(LOCK);
      writeFileSync(join(LOCK, 'pid'), String(process.pid));
      return;
    } catch {
      // Held by another test process; a holder that died without releasing it leaves a stale lock.
      const holder = Number(readFileSafe(join(LOCK, 'pid')));
      if (holder > 0 && !alive(holder)) rmSync(LOCK, { recursive: true, force: true });
      else if (Date.now() > deadline) throw new Error(`${LOCK} is held by process ${holder}`);
      else await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

function readFileSafe(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/**
 * Starts pcscd unless one answers already (only one per machine), and puts the card in vpcd's reader
 * (`connection`: closing it pulls the card out mid-read).
 */
export async function insertVpcdCard(
  card: SwappableCard,
): Promise<{ connection: VpcdConnection; remove(): Promise<void> }> {
  await takeLock();
  let pcscd: ChildProcess | undefined;
  try {
    await checkPcscdRunning(undefined, 500);
  } catch {
    pcscd = spawn(PCSCD ?? 'pcscd', ['--foreground'], { stdio: 'ignore' });
    await waitForPcscd();
  }
  const connection = await connectVpcd({ card, port: VPCD_PORT });
  return {
    connection,
    async remove() {
      await connection.close();
      if (pcscd && pcscd.exitCode === null) {
        const exited = new Promise((resolve) => pcscd?.once('exit', resolve));
        pcscd.kill('SIGTERM');
        await exited;
      }
      rmSync(LOCK, { recursive: true, force: true });
    },
  };
}
