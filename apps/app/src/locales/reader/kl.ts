// Kalaallisut texts of the chip screen's USB reader choice. Written without a native speaker: they need a
// native speaker's review before release (docs/app.md). Product words (Tillid, USB, NFC) stay as they are.
import type { en } from './en.ts';

export const kl: Record<keyof typeof en, string> = {
  'reader.option': 'Pasi USB-atuaatimmiittoq (tillid reader)',
  'reader.optionHint':
    'Pasi piviusoq qarasaasiami matumani USB-NFC-atuaatimmiittoq. Siullermik »tillid reader« aallartiguk.',
  'reader.waiting': 'Pasi atuaatimmut ilioruk',
  'reader.waitingBody':
    'Pasi ammallugu assiliartaata quppernerani (imaluunniit matullugu chip ammut sammillugu) atuaatimmut ilioruk. Atuarneq nammineerluni aallartissaaq.',
  'reader.hold': 'Pasi atuaatimmi qimaguk',
  'reader.holdBody': 'Pasi nuutinngilaruk atuarneq naammassinnagu.',
  'reader.error.notRunning':
    'Atuaatip attaveqaataa ingerlanngilaq. Qarasaasiami matumani »npx tillid reader« atorlugu aallartiguk, misilissaqqillutillu.',
  'reader.error.busy': 'Quppernerup allap kortimik atuaat atorpaa. Matuguk, misilissaqqillutillu.',
  'reader.error.pcscd':
    'Kortimik atuaammut sullissineq (pcscd) qarasaasiami matumani ingerlanngilaq. Aallartiguk, misilissaqqillutillu.',
  'reader.error.noReader':
    'Kortimik atuaat nassaarineqanngilaq. USB-NFC-atuaat atavissaruk, misilissaqqillutillu.',
  'reader.error.noCard':
    'Atuaatimmi pasi nassaarineqanngilaq. Pasi atuaatimmut ilioruk, misilissaqqillutillu.',
  'reader.error.cardRemoved':
    'Pasi atuarneqarnerani atuaammit nuuppoq. Uterteruk, aalaatinnagu, misilissaqqillutillu.',
  'reader.error.version':
    'Atuaatip attaveqaataa appip taassuma nutaanngorsarnera naapertuutinngilaa. Tillid nutarteruk, misilissaqqillutillu.',
  'reader.error.failed': 'Kortimik atuaatip chip atuarsinnaanngilaa. Misilissaqqigit.',
};
