// Registered log message codes: every log line the server writes names one, so operators can
// alert and search on codes instead of prose. Append only; never reuse a code.
export const LOG = {
  SERVER_LISTENING: { code: 'TLD-0001', msg: 'server listening' },
  SERVER_DRAINING: { code: 'TLD-0002', msg: 'shutdown requested: draining in-flight requests' },
  SERVER_STOPPED: { code: 'TLD-0003', msg: 'server stopped' },
  SHUTDOWN_TIMEOUT: { code: 'TLD-0004', msg: 'shutdown grace period over: closing anyway' },
  STORE_OPENED: { code: 'TLD-0010', msg: 'store opened' },
  STORE_MIGRATED: { code: 'TLD-0011', msg: 'migrations applied' },
  STORE_CLOSED: { code: 'TLD-0012', msg: 'store closed' },
  STORE_CHECKPOINT_FAILED: { code: 'TLD-0013', msg: 'a background WAL checkpoint failed' },
  DEVELOPMENT_MODE: {
    code: 'TLD-0020',
    msg: 'development mode: test trust anchors, SMS outbox and generated secrets allowed',
  },
  REQUEST_FAILED: { code: 'TLD-0100', msg: 'request failed with an unexpected error' },
  REQUEST_REJECTED: { code: 'TLD-0101', msg: 'request rejected' },
  READINESS_FAILED: { code: 'TLD-0110', msg: 'readiness check failed' },
} as const satisfies Record<string, { code: string; msg: string }>;

export type LogEvent = (typeof LOG)[keyof typeof LOG];
