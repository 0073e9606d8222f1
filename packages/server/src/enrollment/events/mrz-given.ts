// Seed step 11, first part: the MRZ, typed (document number, birth date, expiry) or read from a camera frame
// by the server's OCR. The answer carries the Active Authentication challenge this server chose for the flow.
import { parseMrz, toHex } from '@tillid/mrtd';
import { isVisionError } from '@tillid/vision';
import { z } from 'zod';
import { ServerError } from '../../errors.ts';
import { step } from '../enrollment-context.ts';

const yymmdd = z.string().regex(/^\d{6}$/, 'YYMMDD');

const typed = z.object({
  kind: z.literal('typed'),
  documentNumber: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z0-9<]{1,22}$/),
  dateOfBirth: yymmdd,
  dateOfExpiry: yymmdd,
});
const lines = z.object({ kind: z.literal('lines'), lines: z.array(z.string().max(60)).min(2).max(3) });
const frame = z.object({ kind: z.literal('frame'), image: z.base64().max(6_000_000) });

function fromMrzLines(text: string[]) {
  try {
    const mrz = parseMrz(text);
    return {
      documentNumber: mrz.documentNumber,
      dateOfBirth: mrz.dateOfBirth,
      dateOfExpiry: mrz.dateOfExpiry,
    };
  } catch (e) {
    throw new ServerError('ERR_VALIDATION', 'the MRZ is not valid', {
      status: 422,
      messageId: 'error.mrz.invalid',
      details: { reason: (e as { code?: string }).code, ...((e as { details?: object }).details ?? {}) },
    });
  }
}

export const mrzGiven = step({
  event: 'mrz-given',
  from: ['person-referenced', 'mrz-given'],
  to: ['mrz-given'],
  input: z.discriminatedUnion('kind', [typed, lines, frame]),
  apply: async (data, input, env) => {
    let mrz: { documentNumber: string; dateOfBirth: string; dateOfExpiry: string };
    if (input.kind === 'typed') mrz = input;
    else if (input.kind === 'lines') mrz = fromMrzLines(input.lines);
    else {
      const reader = env.deps.vision?.mrz;
      if (!reader) {
        throw new ServerError(
          'ERR_VISION_UNAVAILABLE',
          'MRZ reading from images is not available here; type it',
          {
            status: 503,
            messageId: 'error.vision.unavailable',
          },
        );
      }
      try {
        const reading = await reader.read(Buffer.from(input.image, 'base64'));
        mrz = fromMrzLines(reading.lines);
      } catch (e) {
        if (!isVisionError(e)) throw e;
        if (e.status === 503) {
          throw new ServerError(
            'ERR_UNAVAILABLE',
            'reading pictures is busy; try again in a moment, or type the MRZ',
            {
              status: 503,
              messageId: 'error.busy',
              details: { retryAfterSeconds: 2 },
            },
          );
        }
        throw new ServerError('ERR_VALIDATION', 'no MRZ found in the picture; try again or type it', {
          status: 422,
          messageId: 'error.mrz.notFound',
          details: { reason: e.code },
        });
      }
    }
    const aaChallenge = toHex(env.deps.random(8));
    return {
      state: 'mrz-given',
      data: { ...data, mrz, aaChallenge },
      // The phone derives the BAC/PACE key from these, and signs the challenge with the chip (ICAO 9303-11 §6.1).
      output: { mrz, aaChallenge },
    };
  },
});
