// Seed (DESIGN §1 A.8): the mobile number, proven by a code sent by SMS (8 digits, 15 minutes, 3 tries).
// Wrong tries are counted outside the flow record, so a refused answer still counts.
import {
  decideTemporaryPinAttempt,
  generateTemporaryPin,
  parseMobileNumber,
  parseTemporaryPin,
  toCoreError,
} from '@tillid/core';
import { z } from 'zod';
import { keyedHash, verifyKeyedHash } from '../../crypto/keyed-hash.ts';
import { ServerError } from '../../errors.ts';
import { required, step } from '../enrollment-context.ts';

const SMS_TEXT: Record<'da' | 'en' | 'kl', (code: string) => string> = {
  da: (c) => `Din Tillid-kode er ${c}. Giv den ikke til andre.`,
  en: (c) => `Your Tillid code is ${c}. Do not share it.`,
  kl: (c) => `Tillid-koodit ${c}. Allanut tunniussinngisaruk.`,
};

export const phoneGiven = step({
  event: 'phone-given',
  from: ['user-id-chosen', 'phone-given'],
  to: ['phone-given'],
  input: z.object({ phone: z.string().max(30) }),
  apply: async (data, input, env) => {
    const phone = parseMobileNumber(input.phone);
    if (!phone.ok) throw toCoreError(phone.error);
    const sends = await env.deps.store.rateLimits.hit(`sms-send:${env.flowId}`, {
      windowMs: 24 * 3600_000,
      now: env.now,
    });
    if (sends.count > 5) {
      throw new ServerError('ERR_RATE_LIMITED', 'too many codes sent in this activation', {
        status: 429,
        messageId: 'error.rateLimited',
      });
    }
    const code = generateTemporaryPin();
    await env.deps.sms.send({ to: phone.value.e164, text: SMS_TEXT[data.locale](code) });
    await env.deps.store.rateLimits.reset(`sms-wrong:${env.flowId}`);
    return {
      state: 'phone-given',
      data: {
        ...data,
        phone: {
          e164: phone.value.e164,
          codeHash: keyedHash(env.deps.hmacKey, 'sms-code', code),
          sentAt: env.now,
        },
      },
      output: {
        sent: true,
        to: `${phone.value.e164.slice(0, -4).replace(/\d/g, '•')}${phone.value.e164.slice(-4)}`,
      },
    };
  },
});

export const phoneVerified = step({
  event: 'phone-verified',
  from: ['phone-given'],
  to: ['phone-verified'],
  input: z.object({ code: z.string().max(20) }),
  apply: async (data, input, env) => {
    const phone = required(data.phone, 'phone');
    const key = `sms-wrong:${env.flowId}`;
    const parsed = parseTemporaryPin(input.code);
    const failedAttempts = await env.deps.store.rateLimits.peek(key, env.now);
    const matches = parsed.ok && verifyKeyedHash(env.deps.hmacKey, 'sms-code', parsed.value, phone.codeHash);
    const decision = decideTemporaryPinAttempt(
      { issuedAt: new Date(phone.sentAt), usedAt: null, failedAttempts },
      { matches, now: new Date(env.now) },
    );
    if (decision.outcome !== 'ok') {
      if (decision.next) await env.deps.store.rateLimits.hit(key, { windowMs: 24 * 3600_000, now: env.now });
      const codes = {
        wrong: 'ERR_SMS_CODE_WRONG',
        exhausted: 'ERR_SMS_CODE_EXHAUSTED',
        expired: 'ERR_SMS_CODE_EXPIRED',
        used: 'ERR_SMS_CODE_EXPIRED',
      } as const;
      throw new ServerError(codes[decision.outcome], 'the SMS code is not right', {
        status: decision.outcome === 'wrong' ? 422 : 410,
        messageId: decision.error.messageId,
        details: { attemptsLeft: decision.attemptsLeft },
      });
    }
    return { state: 'phone-verified', data: { ...data, phoneVerified: true }, output: { verified: true } };
  },
});
