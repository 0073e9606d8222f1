// Seed step 6: the person helped accepts the terms (and may read the privacy policy); recorded with both
// versions and the time. Accepting an outdated version is refused.
import { z } from 'zod';
import { ServerError } from '../../errors.ts';
import { step } from '../enrollment-context.ts';
import { PRIVACY_VERSION, TERMS_VERSION } from '../terms.ts';

export const termsAccepted = step({
  event: 'terms-accepted',
  from: ['document-type-chosen'],
  to: ['terms-accepted'],
  input: z.object({
    termsVersion: z.string().max(40),
    privacyVersion: z.string().max(40),
    locale: z.enum(['da', 'en', 'kl']).optional(),
  }),
  apply: async (data, input, env) => {
    if (input.termsVersion !== TERMS_VERSION || input.privacyVersion !== PRIVACY_VERSION) {
      throw new ServerError(
        'ERR_TERMS_VERSION',
        'the terms have changed; read and accept the current version',
        {
          status: 409,
          messageId: 'error.terms.outdated',
          details: { termsVersion: TERMS_VERSION, privacyVersion: PRIVACY_VERSION },
        },
      );
    }
    return {
      state: 'terms-accepted',
      data: {
        ...data,
        locale: input.locale ?? data.locale,
        consent: { termsVersion: TERMS_VERSION, privacyVersion: PRIVACY_VERSION, at: env.now },
      },
      output: { termsVersion: TERMS_VERSION, privacyVersion: PRIVACY_VERSION },
    };
  },
});
