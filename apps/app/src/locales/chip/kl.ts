// Registering the chip (a FIDO2 security key) right after journey A: Greenlandic (Kalaallisut).
import type { en } from './en.ts';

export const kl: Record<keyof typeof en, string> = {
  'chipKey.lookAway.body':
    'Ikiortat maanna chip-imut isissutissamik pilersitsissaaq. Allanneqartillugu qiviarunnaarit, oqarasuaallu tunniutiguk.',
  'chipKey.password.body':
    'Atuisutut ID-it, isissutissaq una chip-illu (isertuussinermut atortoq) atorlugit iserajuassaatit. Isissutissaq marloriarlugu allaguk.',
  'chipKey.key.title': 'Isertuussinermut atortut nalunaarsoruk',
  'chipKey.key.body':
    'Isertuussinermut atortoq oqarasuaammut qarasaasiamulluunniit ikkuguk (oqarasuaammulluunniit tuttsillugu), qaamaleraangatalu attorlugu.',
  'chipKey.key.register': 'Isertuussinermut atortoq nalunaarsoruk',
  'chipKey.key.touch': 'Isertuussinermut atortut ikkuguk attorlugulu …',
  'webauthn.cancelled':
    'Isertuussinermut atortoq nalunaarsorneqanngilaq: piffissaq naallugu attorneqanngilaq, unitsinneqarpoluunniit.',
  'webauthn.unsupported':
    'Browseri una isertuussinermut atortunik atuisinnaanngilaq. Browseri allaq atoruk, atortorluunniit allaq toqqaruk.',
  'chipKey.key.changePassword': 'Isissutissaq allaq toqqaruk',
  'chipKey.registered.title': 'Chip-it nalunaarsorneqarpoq',
  'chipKey.registered.body':
    'Maannangaaniit atuisutut ID-it, isissutissat isertuussinermullu atortut atorlugit iserajuassaatit. Atortoq mianersorfigiuk.',
  'chip.limit': 'Kinaassuseq una chip-eqareerpoq. Nutaamik nalunaarsuinnginnerni pisoqaaq peeruk.',
  'webauthn.invalid': 'Isertuussinermut atortup akissutaa uppernarsarneqarsinnaanngilaq.',
};
