// Greenlandic (kalaallisut) texts for the message IDs of @tillid/core. Written by non-native
// developers in short, plain sentences: have them reviewed by a native speaker before release.

import type { CoreMessageId } from '../errors.ts';

export const kl: Readonly<Record<CoreMessageId, string>> = {
  'error.input.invalid': 'Allakkat eqqunngillat.',
  'error.notFound': 'Nassaarineqanngilaq.',
  'error.conflict': 'Ajornartorsiuteqarpoq. Misileeqqigit.',
  'error.gone': 'Atorsinnaajunnaarpoq.',
  'error.locked': 'Parnaarsimavoq. Kingusinnerusukkut misileeqqigit.',
  'error.rateLimited': 'Misiliinerit amerlavallaarput. Kingusinnerusukkut misileeqqigit.',
  'error.internal': 'Kukkuneqarpoq. Kingusinnerusukkut misileeqqigit.',
  'error.cpr.format': 'CPR-normu ima allassaaq: DDMMÅÅ-XXXX.',
  'error.cpr.invalidDate': 'CPR-normumi ulloq eqqunngilaq.',
  'error.cpr.futureDate': 'CPR-normumi inunngorfik suli tikinngilaq.',
  'error.pcode.format': 'P-kode kisitsisinik 8-nik ilaqassaaq.',
  'error.pcode.wrong': 'P-kode eqqunngilaq.',
  'error.pcode.expired': 'P-kodep piffissaa qaangiuppoq.',
  'error.pcode.exhausted': 'P-kode parnaarsimavoq, kukkusumik amerlavallaamik allanneqarmat.',
  'error.pcode.used': 'P-kode atorneqareerpoq.',
  'error.temporaryPin.format': 'SMS-imi kode kisitsisinik 8-nik ilaqassaaq.',
  'error.temporaryPin.wrong': 'SMS-imi kode eqqunngilaq.',
  'error.temporaryPin.expired': 'SMS-imi kodep piffissaa qaangiuppoq.',
  'error.temporaryPin.exhausted': 'SMS-imi kode parnaarsimavoq, kukkusumik amerlavallaamik allanneqarmat.',
  'error.temporaryPin.used': 'SMS-imi kode atorneqareerpoq.',
  'error.temporaryPin.phoneRecentlyChanged':
    'Mobilip normua ullut 5 kingulliit iluanni allanngortinneqarpoq. Kingusinnerusukkut misileeqqigit.',
  'error.activationCode.wrong': 'Atulersitsinermut kode eqqunngilaq.',
  'error.activationCode.expired': 'Atulersitsinermut kodep piffissaa qaangiuppoq.',
  'error.activationCode.blocked':
    'Atulersitsinermut kode parnaarsimavoq, 3-riarluni kukkusumik allanneqarmat.',
  'error.activationCode.used': 'Atulersitsinermut kode atorneqareerpoq.',
  'error.userId.tooShort': 'Atuisup ID-ia minnerpaamik naqinnernik 5-inik ilaqassaaq.',
  'error.userId.tooLong': 'Atuisup ID-ia annerpaamik naqinnernik 48-nik ilaqarsinnaavoq.',
  'error.userId.invalidCharacters': 'Atuisup ID-iani naqinnerit atorneqarsinnaanngitsut ilaapput.',
  'error.userId.edgeSpace': 'Atuisup ID-iata aallartinnerani naggataanilu ini atorneqassanngilaq.',
  'error.userId.isCpr': 'Atuisup ID-ia CPR-normuusinnaanngilaq.',
  'error.userId.tenDigits': 'Atuisup ID-iani kisitsisit 10 tulleriiaat ilaasinnaanngillat.',
  'error.pin.format': 'PIN-kode kisitsisinik 6-inik ilaqassaaq.',
  'error.pin.trivial': 'PIN-kode paasiuminarpallaarpoq. Allamik toqqaagit.',
  'error.pin.mismatch': 'PIN-kodet assigiinngillat.',
  'error.password.tooShort': 'Isissutissaq minnerpaamik naqinnernik 8-nik ilaqassaaq.',
  'error.password.tooLong': 'Isissutissaq annerpaamik naqinnernik 64-nik ilaqarsinnaavoq.',
  'error.password.invalidCharacters': 'Isissutissami naqinnerit atorneqarsinnaanngitsut ilaapput.',
  'error.password.containsUserId': 'Isissutissami atuisup ID-ia ilaasinnaanngilaq.',
  'error.password.tenDigits': 'Isissutissami kisitsisit 10 tulleriiaat ilaasinnaanngillat.',
  'error.password.forbiddenWord': 'Isissutissami oqaatsit »password« aamma »adgangskode« ilaasinnaanngillat.',
  'error.password.keyboardSequence':
    'Isissutissami naqinnerit tulleriiaat, soorlu qwertyui imaluunniit abc12345, ilaasinnaanngillat.',
  'error.password.mismatch': 'Isissutissat assigiinngillat.',
  'error.phone.format': 'Oqarasuaatip normua eqqunngilaq.',
  'error.phone.notMobile': 'Normu mobilip normuanngilaq.',
};
