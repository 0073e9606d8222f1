// Renders the instruction letter that goes in the envelope with a code display or code reader: an
// A4 PDF in the person's language with the address, the serial number and how to activate the device.
import { PDFDocument, type PDFFont, rgb, StandardFonts } from 'pdf-lib';
import { LETTER_TEXTS } from './letter-texts.ts';
import type { OrderLanguage } from './order-repository.ts';
import type { PostalAddress } from './order-service.ts';
import type { TokenModel } from './token-repository.ts';

export interface OrderLetterInput {
  readonly language: OrderLanguage;
  readonly model: TokenModel;
  readonly address: PostalAddress;
  readonly orderId: string;
  /** Known once the order is shipped. */
  readonly serial?: string;
  /** Letter date (epoch ms). */
  readonly date: number;
}

const A4: [number, number] = [595.28, 841.89];
const MARGIN = 64;

/**
 * The standard fonts draw WinAnsi only (which covers æøå and the Latin letters of Greenlandic);
 * anything else in a name or address is drawn without its accent, or as '?'.
 */
function drawable(font: PDFFont, text: string): string {
  const set = new Set(font.getCharacterSet());
  return [...text]
    .map((c) => {
      if (set.has(c.codePointAt(0) ?? 0)) return c;
      const bare = c.normalize('NFD').replace(/\p{M}/gu, '');
      return [...bare].every((b) => set.has(b.codePointAt(0) ?? 0)) ? bare : '?';
    })
    .join('');
}

function wrap(font: PDFFont, text: string, size: number, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(' ')) {
      const candidate = line === '' ? word : `${line} ${word}`;
      if (line !== '' && font.widthOfTextAtSize(candidate, size) > width) {
        lines.push(line);
        line = word;
      } else line = candidate;
    }
    lines.push(line);
  }
  return lines;
}

function formatDate(ms: number, language: OrderLanguage): string {
  const locale = language === 'en' ? 'en-GB' : 'da-DK';
  return new Date(ms).toLocaleDateString(locale, {
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    timeZone: 'UTC',
  });
}

export async function renderOrderLetter(input: OrderLetterInput): Promise<Uint8Array> {
  const t = LETTER_TEXTS[input.language];
  const doc = await PDFDocument.create();
  doc.setTitle(t.title[input.model]);
  doc.setAuthor('Tillid');
  doc.setLanguage(input.language);
  doc.setCreationDate(new Date(input.date));
  doc.setModificationDate(new Date(input.date));
  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const page = doc.addPage(A4);
  const width = A4[0] - 2 * MARGIN;
  let y = A4[1] - MARGIN;

  const line = (text: string, options: { font?: PDFFont; size?: number; gap?: number } = {}) => {
    const font = options.font ?? regular;
    const size = options.size ?? 11;
    for (const l of wrap(font, drawable(font, text), size, width)) {
      page.drawText(l, { x: MARGIN, y, size, font, color: rgb(0, 0, 0) });
      y -= size * 1.4;
    }
    y -= options.gap ?? 0;
  };

  const a = input.address;
  for (const l of [a.name, a.street, `${a.postcode} ${a.city}`, ...(a.country ? [a.country] : [])]) line(l);
  y -= 24;
  line(formatDate(input.date, input.language), { gap: 16 });
  line(t.title[input.model], { font: bold, size: 18, gap: 12 });
  line(`${t.greeting} ${a.name}`, { gap: 8 });
  line(t.intro[input.model], { gap: 12 });
  if (input.serial !== undefined) line(`${t.serialLabel}: ${input.serial}`, { font: bold, size: 13 });
  line(`${t.orderLabel}: ${input.orderId}`, { size: 9, gap: 16 });
  line(t.stepsTitle, { font: bold, size: 13, gap: 4 });
  t.steps.forEach((s, i) => {
    line(`${i + 1}. ${s}`);
  });
  y -= 8;
  line(t.codeHint[input.model], { gap: 12 });
  line(t.safety, { font: bold, gap: 16 });
  line(t.closing);
  return doc.save();
}
