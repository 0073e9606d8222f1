// The message catalog of @tillid/core: every message ID in Danish, English and Greenlandic. UIs load
// these into i18next; the server only ever sends message IDs (core's and its own, server-message-ids.ts).

import { da } from './da.ts';
import { en } from './en.ts';
import { kl } from './kl.ts';
import type { MessageId } from './server-message-ids.ts';

export type Locale = 'da' | 'en' | 'kl';

export const LOCALES: readonly Locale[] = ['da', 'en', 'kl'];

export const CORE_MESSAGES: Readonly<Record<Locale, Readonly<Record<MessageId, string>>>> = Object.freeze({
  da,
  en,
  kl,
});

/** The text of a message ID in a locale. */
export function coreMessage(locale: Locale, id: MessageId): string {
  return CORE_MESSAGES[locale][id];
}
