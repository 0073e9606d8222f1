// Seed step 5: "Passport or ID card".
import { z } from 'zod';
import { step } from '../enrollment-context.ts';

export const documentTypeChosen = step({
  event: 'document-type-chosen',
  from: ['started', 'document-type-chosen'],
  to: ['document-type-chosen'],
  input: z.object({ documentType: z.enum(['passport', 'id-card']) }),
  apply: async (data, input) => ({
    state: 'document-type-chosen',
    data: { ...data, documentType: input.documentType },
    output: { documentType: input.documentType },
  }),
});
