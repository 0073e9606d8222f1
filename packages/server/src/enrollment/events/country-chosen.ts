// Seed step 8: where the document is from; the country policy says which document types it accepts.
import { z } from 'zod';
import { ServerError } from '../../errors.ts';
import { required, step } from '../enrollment-context.ts';

export const countryChosen = step({
  event: 'country-chosen',
  from: ['terms-accepted', 'country-chosen'],
  to: ['country-chosen'],
  input: z.object({
    country: z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^[A-Z]{1,3}$/),
  }),
  apply: async (data, input, env) => {
    const type = required(data.documentType, 'documentType');
    if (!env.deps.countryPolicy.accepts(input.country, type)) {
      throw new ServerError(
        'ERR_COUNTRY_NOT_ACCEPTED',
        `documents of type ${type} from ${input.country} are not accepted`,
        {
          status: 422,
          messageId: 'error.country.notAccepted',
          details: { country: input.country, documentType: type },
        },
      );
    }
    return {
      state: 'country-chosen',
      data: { ...data, country: input.country },
      output: { country: input.country },
    };
  },
});
