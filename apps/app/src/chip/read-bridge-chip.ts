// Reads a passport lying on a USB NFC reader through the local reader bridge (`tillid reader`): open the
// bridge, wait for the card, connect, then the app's one reading path (read-chip.ts). Loaded lazily.
import { MrtdError } from '@tillid/mrtd';
import type { MrzKeys } from '../api/enrollment-api.ts';
import type { en } from '../locales/reader/en.ts';
import { type ChipRead, readChip } from './read-chip.ts';
import {
  type CreateWebSocket,
  isReaderBridgeError,
  ReaderBridgeClient,
  type ReaderBridgeErrorCode,
  ReaderBridgeTransport,
} from './reader-bridge.ts';

type ReaderTextKey = keyof typeof en;

const PROBLEM_TEXT: Partial<Record<ReaderBridgeErrorCode, ReaderTextKey>> = {
  ERR_BRIDGE_NOT_RUNNING: 'reader.error.notRunning',
  ERR_BUSY: 'reader.error.busy',
  ERR_PCSCD_NOT_RUNNING: 'reader.error.pcscd',
  ERR_NO_READER: 'reader.error.noReader',
  ERR_NO_CARD: 'reader.error.noCard',
  ERR_CARD_REMOVED: 'reader.error.cardRemoved',
  ERR_PROTOCOL_VERSION: 'reader.error.version',
};

/**
 * The text for a failure of the reader or the bridge (what the person fixes at the computer), or undefined
 * for a failure of the chip itself (wrong MRZ keys and the like), which the chip screen handles as usual.
 */
export function readerProblemText(e: unknown): ReaderTextKey | undefined {
  // mrtd keeps a transport's own error as the `cause` of its ERR_TRANSPORT / ERR_NO_CARD.
  for (let c: unknown = e, depth = 0; c instanceof Error && depth < 5; c = c.cause, depth++) {
    if (isReaderBridgeError(c)) return PROBLEM_TEXT[c.code] ?? 'reader.error.failed';
  }
  if (e instanceof MrtdError && e.code === 'ERR_NO_CARD') return 'reader.error.cardRemoved';
  // The link kept failing after the reader's resumes.
  if (e instanceof MrtdError && e.code === 'ERR_TRANSPORT') return 'reader.error.failed';
  return undefined;
}

/** How long the app waits for the passport to be put on the reader. */
export const CARD_WAIT_MS = 60_000;

export async function readChipThroughBridge(input: {
  mrz: MrzKeys;
  aaChallenge: string;
  onProgress: (fraction: number) => void;
  /** Called when the reader is empty and the app waits for the passport. */
  onWaitingForCard?: () => void;
  /** Called once the card is connected and reading starts. */
  onReading?: () => void;
  url?: string;
  createWebSocket?: CreateWebSocket;
  cardWaitMs?: number;
  /** Cancels (while waiting for the passport, or mid-read): the bridge connection is closed. */
  signal?: AbortSignal;
}): Promise<ChipRead> {
  const client = await ReaderBridgeClient.open({
    ...(input.url !== undefined ? { url: input.url } : {}),
    ...(input.createWebSocket ? { createWebSocket: input.createWebSocket } : {}),
  });
  const cancel = () => client.close();
  input.signal?.addEventListener('abort', cancel, { once: true });
  try {
    if (input.signal?.aborted) cancel();
    await client.waitForCard({
      timeoutMs: input.cardWaitMs ?? CARD_WAIT_MS,
      ...(input.onWaitingForCard ? { onWaiting: input.onWaitingForCard } : {}),
    });
    const connected = await client.connect();
    input.onReading?.();
    const transport = new ReaderBridgeTransport(client, connected);
    try {
      const { mrz, aaChallenge, onProgress } = input;
      return await readChip({ transport, mrz, aaChallenge, onProgress });
    } finally {
      await transport.close();
    }
  } finally {
    input.signal?.removeEventListener('abort', cancel);
    client.close();
  }
}
