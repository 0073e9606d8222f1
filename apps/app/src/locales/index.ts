// All the app's texts by language: the journey texts (en.ts, da.ts, kl.ts) merged with one module per area
// (each area keeps its own en/da/kl files). English is the reference: the parity test holds the others to it.
import { da } from './da.ts';
import { en } from './en.ts';
import { kl } from './kl.ts';

export const TEXTS = {
  en: { ...en },
  da: { ...da },
  kl: { ...kl },
};

export type TextKey = keyof typeof TEXTS.en;
