// pino loggers that always carry a registered message code (see log-codes.ts).
import { type Logger, pino } from 'pino';
import type { LogEvent } from './log-codes.ts';

export type { Logger };

export function createLogger(options: { level: string; destination?: pino.DestinationStream }): Logger {
  return pino(
    {
      level: options.level,
      base: { service: 'tillid' },
      timestamp: pino.stdTimeFunctions.isoTime,
      // Secrets and PII never reach the logs, whatever a handler passes.
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers.cookie',
          '*.password',
          '*.pin',
          '*.cpr',
          '*.secret',
        ],
        censor: '[redacted]',
      },
    },
    options.destination,
  );
}

type Level = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';

export function logEvent(
  logger: Logger,
  level: Level,
  event: LogEvent,
  fields: Record<string, unknown> = {},
): void {
  logger[level]({ code: event.code, ...fields }, event.msg);
}
