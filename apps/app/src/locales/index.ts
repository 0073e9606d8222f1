// All the app's texts by language: the journey texts (en.ts, da.ts, kl.ts) merged with one module per area
// (each area keeps its own en/da/kl files). English is the reference: the parity test holds the others to it.

import { da as approveDa } from './approve/da.ts';
import { en as approveEn } from './approve/en.ts';
import { kl as approveKl } from './approve/kl.ts';
import { da as chipKeyDa } from './chip/da.ts';
import { en as chipKeyEn } from './chip/en.ts';
import { kl as chipKeyKl } from './chip/kl.ts';
import { da } from './da.ts';
import { en } from './en.ts';
import { kl } from './kl.ts';
import { da as loginDa } from './login/da.ts';
import { en as loginEn } from './login/en.ts';
import { kl as loginKl } from './login/kl.ts';
import { da as readerDa } from './reader/da.ts';
import { en as readerEn } from './reader/en.ts';
import { kl as readerKl } from './reader/kl.ts';
import { da as transferDa } from './transfer/da.ts';
import { en as transferEn } from './transfer/en.ts';
import { kl as transferKl } from './transfer/kl.ts';

export const TEXTS = {
  en: { ...en, ...loginEn, ...chipKeyEn, ...readerEn, ...transferEn, ...approveEn },
  da: { ...da, ...loginDa, ...chipKeyDa, ...readerDa, ...transferDa, ...approveDa },
  kl: { ...kl, ...loginKl, ...chipKeyKl, ...readerKl, ...transferKl, ...approveKl },
};

export type TextKey = keyof typeof TEXTS.en;
