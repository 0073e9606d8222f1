// Registering the chip (a FIDO2 security key) right after journey A: Danish.
import type { en } from './en.ts';

export const da: Record<keyof typeof en, string> = {
  'chipKey.lookAway.body':
    'Den, du hjælper, opretter nu en adgangskode til chippen. Kig væk, mens den skrives, og giv telefonen videre.',
  'chipKey.password.body':
    'Du logger på med dit bruger-ID, denne adgangskode og din chip (sikkerhedsnøgle). Skriv adgangskoden to gange.',
  'chipKey.key.title': 'Registrér din sikkerhedsnøgle',
  'chipKey.key.body':
    'Sæt sikkerhedsnøglen i telefonen eller computeren (eller hold den op mod telefonen), og rør ved den, når den blinker.',
  'chipKey.key.register': 'Registrér sikkerhedsnøglen',
  'chipKey.key.touch': 'Sæt sikkerhedsnøglen i, og rør ved den …',
  'webauthn.cancelled':
    'Sikkerhedsnøglen blev ikke registreret: den blev ikke rørt i tide, eller det blev afbrudt.',
  'webauthn.unsupported':
    'Denne browser kan ikke bruge sikkerhedsnøgler. Brug en anden browser, eller vælg en anden enhed.',
  'chipKey.key.changePassword': 'Vælg en anden adgangskode',
  'chipKey.registered.title': 'Din chip er registreret',
  'chipKey.registered.body':
    'Fremover logger du på med dit bruger-ID, din adgangskode og din sikkerhedsnøgle. Pas godt på nøglen.',
  'chip.limit': 'Denne identitet har allerede en chip. Fjern den gamle, før du registrerer en ny.',
  'webauthn.invalid': 'Sikkerhedsnøglens svar kunne ikke bekræftes.',
};
