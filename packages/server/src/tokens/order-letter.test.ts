import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inflateSync } from 'node:zlib';
import { PDFArray, PDFDocument, PDFName, PDFRawStream } from 'pdf-lib';
import { renderOrderLetter } from './order-letter.ts';

/** The strings of every text-showing operator (hex strings in WinAnsi, which matches Latin-1 for æøå). */
async function pdfText(bytes: Uint8Array): Promise<string[]> {
  const doc = await PDFDocument.load(bytes);
  const out: string[] = [];
  for (const page of doc.getPages()) {
    const contents = page.node.Contents();
    const streams = contents instanceof PDFArray ? contents.asArray() : contents ? [contents] : [];
    for (const ref of streams) {
      const s = doc.context.lookup(ref);
      assert.ok(s instanceof PDFRawStream);
      const filter = s.dict.get(PDFName.of('Filter'));
      const raw = filter === PDFName.of('FlateDecode') ? inflateSync(s.contents) : Buffer.from(s.contents);
      for (const m of raw.toString('latin1').matchAll(/<([0-9A-Fa-f]*)>\s*Tj/g)) {
        out.push(Buffer.from(m[1] ?? '', 'hex').toString('latin1'));
      }
    }
  }
  return out;
}

const address = {
  name: 'Åse Ærø Østergård',
  street: 'Nørregade 1',
  postcode: '3900',
  city: 'Nuuk',
  country: 'Kalaallit Nunaat',
};

describe('renderOrderLetter', () => {
  it('writes a PDF that pdf-lib loads, in Danish, with æøå, the address and the serial number', async () => {
    const pdf = await renderOrderLetter({
      language: 'da',
      model: 'display',
      address,
      orderId: 'o-1',
      serial: 'TEST-0001',
      date: Date.UTC(2026, 0, 15),
    });
    const doc = await PDFDocument.load(pdf);
    assert.equal(doc.getPageCount(), 1);
    assert.equal(doc.getTitle(), 'Din nye kodeviser');
    const text = await pdfText(pdf);
    for (const expected of [
      'Din nye kodeviser',
      'Kære Åse Ærø Østergård',
      'Nørregade 1',
      '3900 Nuuk',
      'Serienummer: TEST-0001',
      'Sådan aktiverer du den',
    ]) {
      assert.ok(text.includes(expected), `missing "${expected}" in ${JSON.stringify(text)}`);
    }
  });

  it('writes English and Greenlandic letters, for a code reader, without a serial before shipping', async () => {
    const en = await pdfText(
      await renderOrderLetter({ language: 'en', model: 'reader', address, orderId: 'o-2', date: 0 }),
    );
    assert.ok(en.includes('Your new code reader'));
    assert.ok(en.includes('How to activate it'));
    assert.ok(!en.some((l) => l.startsWith('Serial number')));
    const kl = await pdfText(
      await renderOrderLetter({
        language: 'kl',
        model: 'display',
        address,
        orderId: 'o-3',
        serial: 'X-1',
        date: 0,
      }),
    );
    assert.ok(kl.includes('Kodeviserit nutaaq'));
    assert.ok(kl.includes('Normu: X-1'));
  });

  it('draws letters outside WinAnsi without their accent instead of failing', async () => {
    const text = await pdfText(
      await renderOrderLetter({
        language: 'en',
        model: 'display',
        address: { ...address, name: 'Łukasz Ŝmith 山' },
        orderId: 'o',
        date: 0,
      }),
    );
    assert.ok(text.includes('Lukasz Smith ?') || text.includes('?ukasz Smith ?'), JSON.stringify(text));
  });
});
