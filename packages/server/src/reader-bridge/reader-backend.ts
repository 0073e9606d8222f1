// The port the reader bridge drives: which readers exist, card events, and a connected card. The PC/SC
// adapter is pcsc-backend.ts; tests of the WebSocket side pass a fake. Failures are MrtdErrors
// (ERR_PCSCD_NOT_RUNNING, ERR_NO_READER, ERR_NO_CARD, ERR_TRANSPORT), as the mrtd transports raise them.
import type { CardTransport } from '@tillid/mrtd';
import type { ReaderEventKind, ReaderSummary } from '@tillid/mrtd/bridge-protocol';

export interface ReaderEvent {
  readonly kind: ReaderEventKind;
  readonly reader: string;
}

export interface ConnectedCard extends CardTransport {
  readonly readerName: string;
  readonly atr: Uint8Array;
  readonly maxResponseLength: number;
  close(): Promise<void>;
}

export interface ReaderBackend {
  /** The readers the bridge exposes (already filtered by `--reader`), in a stable order. */
  readers(): readonly ReaderSummary[];
  /** Returns the unsubscribe function. */
  subscribe(listener: (event: ReaderEvent) => void): () => void;
  /** Connects exclusively to the card in the named reader (an exact name from `readers()`). */
  connect(reader: string): Promise<ConnectedCard>;
  close(): Promise<void>;
}
