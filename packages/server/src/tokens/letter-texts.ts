// The instruction letter sent with a code display or code reader, in the person's language. The
// Greenlandic text was written by non-native developers: have it reviewed by a native speaker.
import type { OrderLanguage } from './order-repository.ts';
import type { TokenModel } from './token-repository.ts';

export interface LetterText {
  readonly title: Record<TokenModel, string>;
  readonly greeting: string;
  readonly intro: Record<TokenModel, string>;
  readonly serialLabel: string;
  readonly orderLabel: string;
  readonly stepsTitle: string;
  readonly steps: readonly string[];
  readonly codeHint: Record<TokenModel, string>;
  readonly safety: string;
  readonly closing: string;
}

export const LETTER_TEXTS: Readonly<Record<OrderLanguage, LetterText>> = {
  da: {
    title: { display: 'Din nye kodeviser', reader: 'Din nye kodeoplæser' },
    greeting: 'Kære',
    intro: {
      display:
        'Her er den kodeviser, du har bestilt til Tillid. Den viser en ny engangskode hvert 30. sekund.',
      reader:
        'Her er den kodeoplæser, du har bestilt til Tillid. Den læser en ny engangskode højt, når du trykker.',
    },
    serialLabel: 'Serienummer',
    orderLabel: 'Bestilling',
    stepsTitle: 'Sådan aktiverer du den',
    steps: [
      'Gå til Tillid og vælg "Kodeviser, kodeoplæser eller chip".',
      'Vælg enheden og "Ja, aktivér".',
      'Opret en adgangskode, og skriv den to gange.',
      'Skriv serienummeret fra bagsiden af enheden.',
      'Skriv den engangskode, enheden giver dig.',
    ],
    codeHint: {
      display: 'Tryk på knappen for at se en engangskode.',
      reader: 'Tryk på knappen og lyt: koden læses op ciffer for ciffer.',
    },
    safety:
      'Giv aldrig din adgangskode eller dine engangskoder til andre, heller ikke hvis de siger, de er fra Tillid.',
    closing: 'Venlig hilsen\nTillid',
  },
  en: {
    title: { display: 'Your new code display', reader: 'Your new code reader' },
    greeting: 'Dear',
    intro: {
      display:
        'Here is the code display you ordered for Tillid. It shows a new one-time code every 30 seconds.',
      reader:
        'Here is the code reader you ordered for Tillid. It reads a new one-time code aloud when you press it.',
    },
    serialLabel: 'Serial number',
    orderLabel: 'Order',
    stepsTitle: 'How to activate it',
    steps: [
      'Go to Tillid and choose "Code display, code reader or chip".',
      'Choose the device and "Yes, activate".',
      'Create a password and type it twice.',
      'Type the serial number from the back of the device.',
      'Type the one-time code the device gives you.',
    ],
    codeHint: {
      display: 'Press the button to see a one-time code.',
      reader: 'Press the button and listen: the code is read digit by digit.',
    },
    safety: 'Never give your password or one-time codes to anyone, even if they say they are from Tillid.',
    closing: 'Kind regards\nTillid',
  },
  kl: {
    title: { display: 'Kodeviserit nutaaq', reader: 'Kodeoplæserit nutaaq' },
    greeting: 'Inuulluaqqusillunga',
    intro: {
      display:
        'Una kodeviser Tillid-imut piniarisat. Sekundit 30-kkaarlugit kode ataasiarluni atugassaq nutaaq takutittarpaa.',
      reader:
        'Una kodeoplæser Tillid-imut piniarisat. Tooraguk kode ataasiarluni atugassaq nutaaq atuffassissutigisarpaa.',
    },
    serialLabel: 'Normu',
    orderLabel: 'Piniarneq',
    stepsTitle: 'Ima atulersissavat',
    steps: [
      'Tillid ammaruk "Kodeviser, kodeoplæser imaluunniit chip"-ilu toqqaruk.',
      'Atortoq toqqaruk "Aap, atulersinneqarli"-lu toqqaruk.',
      'Isissutissaq pilersiguk, marloriarlugulu allaguk.',
      'Atortup tunuani normu allaguk.',
      'Kode ataasiarluni atugassaq atortup tunniussaa allaguk.',
    ],
    codeHint: {
      display: 'Kode takuniarukku tooruk.',
      reader: 'Tooruk tusarnaarlutillu: kode kisitsisit ataasiakkaarlugit atuffassissutigineqassaaq.',
    },
    safety:
      'Isissutissat kodilluunniit allanut tunniussinnaanngilatit, Tillid-imiit suliaqartunik oqaraluarpata.',
    closing: 'Inuulluaritsi\nTillid',
  },
};
