// The step runner of the app authenticator screens (journeys B and D), where a few codes mean something else
// than in journey A: `inlineCodes` are shown on this form whatever the shared advice says.
import { type StepRunner, useStep } from '../journey/journey-context.tsx';

export type AppStep = Pick<StepRunner, 'busy' | 'inlineError' | 'clearError' | 'guard'>;

export function useAppStep(inlineCodes: readonly string[] = []): AppStep {
  return useStep(inlineCodes);
}
