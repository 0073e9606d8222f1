// The versioned terms and privacy texts the person helped accepts (da, en, kl). Acceptance is recorded
// with the version and time; a new version of either text makes old acceptances stale.
export const TERMS_VERSION = '2026-11-01';
export const PRIVACY_VERSION = '2026-11-01';

export type Locale = 'da' | 'en' | 'kl';

interface Texts {
  readonly terms: string;
  readonly privacy: string;
}

const TEXTS: Record<Locale, Texts> = {
  da: {
    terms:
      'Vilkår og betingelser for Tillid. Du bruger Tillid til at bevise, hvem du er, når du logger på digitale tjenester. Du skal holde dit bruger-ID, din PIN-kode og dine adgangskoder hemmelige, og du må ikke lade andre bruge din identitet. Den, der hjælper dig, må ikke kende dit bruger-ID.',
    privacy:
      'Privatlivspolitik. Vi behandler oplysningerne fra dit pas eller ID-kort (navn, fødselsdato, nationalitet, dokumentnummer og foto), dit CPR-nummer eller din P-kode og dit mobilnummer for at udstede og beskytte din identitet. Fotoet og ansigtsscanningen slettes, så snart kontrollen er afsluttet; vi gemmer kun resultatet.',
  },
  en: {
    terms:
      'Terms and conditions of Tillid. You use Tillid to prove who you are when you log in to digital services. Keep your user-ID, PIN and passwords secret, and do not let anyone else use your identity. The person helping you must not know your user-ID.',
    privacy:
      'Privacy policy. We process the data from your passport or ID card (name, date of birth, nationality, document number and photo), your CPR number or P-code and your mobile number to issue and protect your identity. The photo and the face scan are deleted as soon as the check is finished; we keep only the result.',
  },
  kl: {
    terms:
      'Tillid-mi atugassarititaasut. Tillid atorlugu kinaassutsit uppernarsartarpat digitalimik sullissinernut iserniarussi. Atuisutut ID-it, PIN-koodit isertuussinerillu isertortarlugit, allanillu kinaassutsinnik atuisitsinngisaannassaatit. Ikiortit atuisutut ID-it ilisimassanngilaa.',
    privacy:
      'Paasissutissat namminermut tunngasut illersorneqarnerat. Pasimit imaluunniit ID-kortimit paasissutissat (ateq, inunngorfik, nunaqavissutaa, normu assilisaalu), CPR-normut imaluunniit P-koodit mobilillu normua atorpavut kinaassutsit pilersinniarlugu illersorniarlugulu. Assit kiinnallu misissorneqarnera peerneqartarpoq misissuinerup naammassineratigut; angusaq kisiat toqqortarparput.',
  },
};

export function termsTexts(locale: Locale): Texts & { termsVersion: string; privacyVersion: string } {
  return { ...TEXTS[locale], termsVersion: TERMS_VERSION, privacyVersion: PRIVACY_VERSION };
}
