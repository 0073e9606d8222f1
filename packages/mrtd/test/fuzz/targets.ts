// The parsers that face hostile input (MRZ, TLV, APDU, LDS files), each with seed inputs to mutate.
// A target may throw MrtdError; anything else is a bug.
import { readFileSync } from 'node:fs';
import {
  childrenOf,
  decodeCardAccess,
  decodeCom,
  decodeCommandApdu,
  decodeDg1,
  decodeDg2,
  decodeDg7,
  decodeDg11,
  decodeDg12,
  decodeDg14,
  decodeDg15,
  decodeIso19794FaceRecord,
  decodeIso39794FaceRecord,
  decodeResponseApdu,
  decodeSecurityInfos,
  decodeTlvSequence,
  encodeCom,
  encodeCommandApdu,
  encodeDg1,
  encodeDg7,
  encodeDg11,
  encodeDg12,
  encodeIso19794FaceRecord,
  encodeTlv,
  fromHex,
  parseMrz,
  type Tlv,
  utf8,
} from '../../src/index.ts';

export interface FuzzTarget {
  readonly name: string;
  readonly run: (input: Uint8Array) => void;
  readonly seeds: readonly Uint8Array[];
  /** Bytes mutations should favour (the MRZ alphabet for text parsers). */
  readonly alphabet?: readonly number[];
}

const fixture = (p: string): Uint8Array =>
  new Uint8Array(readFileSync(new URL(`../fixtures/${p}`, import.meta.url)));

interface VectorEntry {
  id: string;
  dg14?: string;
  dg15?: string;
  cardAccess?: string;
}
const vectors = JSON.parse(
  readFileSync(new URL('../fixtures/vectors/icao9303-11.json', import.meta.url), 'utf8'),
) as {
  entries: VectorEntry[];
};

const MRZS = [
  'P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10',
  'I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\nERIKSSON<<ANNA<MARIA<<<<<<<<<<',
  'I<UTOD23145890<7349<<<<<<<<<<<\n3407127M9507122UTO<<<<<<<<<<<2\nSTEVENSON<<PETER<JOHN<<<<<<<<<',
  'I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\nD231458907UTO7408122F1204159<<<<<<<6',
];
const MRZ_ALPHABET = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<<<<\n '].map((c) => c.charCodeAt(0));

const latin1 = (bytes: Uint8Array): string => {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return s;
};

/** Walks every constructed TLV without recursion, so deep nesting cannot overflow the stack. */
function walkTlv(bytes: Uint8Array): void {
  const stack: Tlv[] = decodeTlvSequence(bytes);
  let budget = 10_000;
  while (stack.length > 0 && budget-- > 0) {
    const t = stack.pop();
    if (t?.constructed) stack.push(...childrenOf(t));
  }
}

const dg14s = vectors.entries.flatMap((e) => (e.dg14 ? [fromHex(e.dg14)] : []));
const cardAccess = vectors.entries.flatMap((e) => (e.cardAccess ? [fromHex(e.cardAccess)] : []));
const dg15s = vectors.entries.flatMap((e) => (e.dg15 ? [fromHex(e.dg15)] : []));
const jpeg = fixture('iso19794/ISO19794_Test1_Face.jpg');
const dg1Seeds = MRZS.map((m) => encodeDg1({ mrz: parseMrz(m) }));

export const FUZZ_TARGETS: readonly FuzzTarget[] = [
  {
    name: 'mrz',
    run: (input) => {
      const text = latin1(input);
      parseMrz(text);
      parseMrz(text.split('\n'));
    },
    seeds: MRZS.map(utf8),
    alphabet: MRZ_ALPHABET,
  },
  {
    name: 'tlv',
    run: walkTlv,
    seeds: [...dg14s, ...dg1Seeds, encodeDg11({ fullName: 'A<<B', otherNames: ['C'] })],
  },
  {
    name: 'apdu-command',
    run: (input) => {
      const c = decodeCommandApdu(input);
      encodeCommandApdu(c);
    },
    seeds: [
      fromHex('00A4020C02011E'),
      fromHex('00B0000000'),
      fromHex('00B00000001000'),
      fromHex('0086000000000A7C088106AABBCCDDEEFF0000'),
    ],
  },
  {
    name: 'apdu-response',
    run: (input) => void decodeResponseApdu(input),
    seeds: [fromHex('9000'), fromHex('AABB6282')],
  },
  {
    name: 'com',
    run: (input) => void decodeCom(input),
    seeds: [encodeCom({ dataGroups: [1, 2, 11, 12, 14, 15] })],
  },
  { name: 'dg1', run: (input) => void decodeDg1(input), seeds: dg1Seeds, alphabet: MRZ_ALPHABET },
  {
    name: 'dg2',
    run: (input) => void decodeDg2(input),
    seeds: [
      fixture('iso39794/ICAO_39794_5_AP_DG2_MandFields.dat'),
      encodeTlv(0x75, encodeTlv(0x7f61, new Uint8Array(0))),
    ],
  },
  {
    name: 'iso19794-5',
    run: (input) => void decodeIso19794FaceRecord(input),
    seeds: [
      encodeIso19794FaceRecord([{ format: 'jpeg', image: jpeg.subarray(0, 40), width: 148, height: 70 }]),
      encodeIso19794FaceRecord([
        { format: 'jpeg', image: jpeg.subarray(0, 8) },
        { format: 'jpeg2000', image: fromHex('0000000C6A5020200D0A870A') },
      ]),
    ],
  },
  {
    name: 'iso39794-5',
    run: (input) => void decodeIso39794FaceRecord(input),
    seeds: [fixture('iso39794/ICAO_39794_5_AP_AllFields.dat')],
  },
  {
    name: 'dg7',
    run: (input) => void decodeDg7(input),
    seeds: [encodeDg7({ images: [{ image: jpeg.subarray(0, 64) }] })],
  },
  {
    name: 'dg11',
    run: (input) => void decodeDg11(input),
    seeds: [
      encodeDg11({
        fullName: 'ERIKSSON<<ANNA',
        otherNames: ['X', 'Y'],
        fullDateOfBirth: '19740812',
        placeOfBirth: 'Z',
      }),
    ],
  },
  {
    name: 'dg12',
    run: (input) => void decodeDg12(input),
    seeds: [encodeDg12({ issuingAuthority: 'UTO', dateOfIssue: '20120415', namesOfOtherPersons: ['A'] })],
  },
  { name: 'dg14', run: (input) => void decodeDg14(input), seeds: dg14s },
  { name: 'card-access', run: (input) => void decodeCardAccess(input), seeds: cardAccess },
  {
    name: 'security-infos',
    run: (input) => void decodeSecurityInfos(input),
    seeds: dg14s.map((d) => d.subarray(4)),
  },
  { name: 'dg15', run: (input) => void decodeDg15(input), seeds: dg15s },
];
