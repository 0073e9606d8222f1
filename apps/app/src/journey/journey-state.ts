// Journeys A and C on the helper's phone as a reducer: which screen is shown, the flow it drives, and what the
// server answered so far. Screens follow the seed's order (DESIGN §1 A); the server decides every step.
import type { ApiErrorShape } from '../api/api-error.ts';
import type { ApprovalState, TransferJoinState, TransferShowState } from '../api/app-api.ts';
import type { ChipRegistrationStart } from '../api/chip-api.ts';
import type { MrzKeys, TermsTexts } from '../api/enrollment-api.ts';

export const SCREENS = [
  'home',
  'menu',
  'activate',
  'intro',
  'docType',
  'terms',
  'privacy',
  'stepDone',
  'country',
  'reference',
  'cpr',
  'pcode',
  'verify',
  'mrzScan',
  'mrzManual',
  'chip',
  'makePassport',
  'face',
  'lookAway',
  'userId',
  'phone',
  'sms',
  'authenticator',
  'device',
  'done',
  // Journey C: the code display or code reader chosen at 'device'.
  'haveDevice',
  'order',
  'ordered',
  'tokenLookAway',
  'password',
  'serial',
  'otp',
  'activated',
  'error',
  // Journey B on the showing phone (helper's or old app), on the new phone, and journey D (approvals).
  'transferPin',
  'transferShow',
  'transferScan',
  'transferDone',
  'copyIntro',
  'copyScan',
  'copyProximity',
  'copyLookAway',
  'copyUserId',
  'copyTempPin',
  'copyPinIntro',
  'copyPin',
  'copyBiometrics',
  'copyNotifications',
  'copyActivated',
  'approveMatch',
  'approveReview',
  'approveDone',
  // Journey C: the chip (a FIDO2 security key) chosen at 'device'.
  'chipKeyLookAway',
  'chipKeyPassword',
  'chipKeyTouch',
  'chipKeyRegistered',
] as const;
export type Screen = (typeof SCREENS)[number];

export type DocumentType = 'passport' | 'id-card';
export type Authenticator = 'app' | 'code-display' | 'code-reader' | 'chip';

/** The seed's three parts: 1 terms, 2 the person's identity, 3 user-ID, phone and authenticator. */
export const PART_OF: Partial<Record<Screen, 1 | 2 | 3>> = {
  docType: 1,
  terms: 1,
  privacy: 1,
  stepDone: 1,
  country: 2,
  reference: 2,
  cpr: 2,
  pcode: 2,
  verify: 2,
  mrzScan: 2,
  mrzManual: 2,
  chip: 2,
  makePassport: 2,
  face: 2,
  lookAway: 3,
  userId: 3,
  phone: 3,
  sms: 3,
  authenticator: 3,
  device: 3,
};

export interface JourneyState {
  readonly screen: Screen;
  readonly history: readonly Screen[];
  readonly flowId?: string;
  readonly documentType?: DocumentType;
  readonly terms?: TermsTexts;
  readonly country?: string;
  readonly referenceKind?: 'cpr' | 'pcode';
  readonly mrz?: MrzKeys;
  readonly aaChallenge?: string;
  readonly verifiedName?: string;
  readonly smsTo?: string;
  readonly authenticator?: Authenticator;
  /** Journey C: the activation flow, the server's password strength (0-4), the serial, the order. */
  readonly activationId?: string;
  readonly passwordStrength?: number;
  readonly serial?: string;
  readonly order?: { readonly feeRequired: boolean };
  /** Journey B: the QR this phone shows, or the transfer this (new) phone joined. Journey D: the approval. */
  readonly transferShow?: TransferShowState;
  readonly transferJoin?: TransferJoinState;
  readonly approval?: ApprovalState;
  /** Journey C, chip: the server's registration, the new password until the key is registered, its strength. */
  readonly chipKey?: {
    readonly registration?: ChipRegistrationStart & { readonly startedAt: number };
    readonly password?: string;
    readonly strength?: number;
  };
  /** The failure shown on the error screen, and the screen it happened on. */
  readonly failure?: { readonly error: ApiErrorShape; readonly on: Screen };
}

export type JourneyData = Omit<JourneyState, 'screen' | 'history' | 'failure'>;

export type JourneyAction =
  | { readonly type: 'go'; readonly screen: Screen; readonly data?: Partial<JourneyData> }
  | { readonly type: 'back' }
  | { readonly type: 'fail'; readonly error: ApiErrorShape }
  | { readonly type: 'recover'; readonly to: Screen }
  | { readonly type: 'restart' };

export const initialJourney: JourneyState = { screen: 'home', history: [] };

/** Screens after which "back" would undo a step the server has already taken: back is not offered. */
const NO_BACK_FROM: ReadonlySet<Screen> = new Set([
  'home',
  'done',
  'error',
  'face',
  'lookAway',
  'phone',
  'authenticator',
  // Journey C: the password is set and the device bound on the server; going back would repeat a step.
  'serial',
  'ordered',
  'activated',
  // Journey B/D: the server has moved on (proximity proven, PIN set, activated, decided).
  'transferDone',
  'copyProximity',
  'copyLookAway',
  'copyTempPin',
  'copyPinIntro',
  'copyBiometrics',
  'copyNotifications',
  'copyActivated',
  'approveReview',
  'approveDone',
  // The chip: registered, nothing to go back to.
  'chipKeyRegistered',
]);

export function canGoBack(state: JourneyState): boolean {
  return state.history.length > 0 && !NO_BACK_FROM.has(state.screen);
}

export function journeyReducer(state: JourneyState, action: JourneyAction): JourneyState {
  switch (action.type) {
    case 'go':
      return {
        ...state,
        ...(action.data ?? {}),
        screen: action.screen,
        history: [...state.history, state.screen],
        failure: undefined,
      };
    case 'back': {
      if (!canGoBack(state)) return state;
      const history = state.history.slice(0, -1);
      return { ...state, screen: state.history.at(-1) ?? 'home', history };
    }
    case 'fail':
      return {
        ...state,
        screen: 'error',
        history: [...state.history, state.screen],
        failure: { error: action.error, on: state.screen },
      };
    case 'recover': {
      // Back to a screen already visited: drop the history after it, so "back" keeps making sense.
      const at = state.history.lastIndexOf(action.to);
      return {
        ...state,
        screen: action.to,
        history: at >= 0 ? state.history.slice(0, at) : state.history.filter((s) => s !== 'error'),
        failure: undefined,
      };
    }
    case 'restart':
      return { screen: 'activate', history: ['home', 'menu'] };
  }
}
