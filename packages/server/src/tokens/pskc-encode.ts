// Writes a PSKC key container (RFC 6030) from the same data pskc-parse.ts reads: for test and
// development token files, and so the parser is tested by round trips. One KeyPackage per key.
import type { PskcBinary, PskcContainer, PskcEncrypted, PskcKey } from './pskc-parse.ts';

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

function encrypted(e: PskcEncrypted, indent: string): string {
  return [
    `${indent}<xenc:EncryptionMethod Algorithm="${esc(e.algorithm)}"/>`,
    `${indent}<xenc:CipherData>`,
    `${indent}  <xenc:CipherValue>${b64(e.cipher)}</xenc:CipherValue>`,
    `${indent}</xenc:CipherData>`,
  ].join('\n');
}

function binary(name: string, v: PskcBinary, indent: string): string {
  if (v.kind === 'plain') return `${indent}<${name}><PlainValue>${b64(v.value)}</PlainValue></${name}>`;
  const lines = [
    `${indent}<${name}>`,
    `${indent}  <EncryptedValue>`,
    encrypted(v.encrypted, `${indent}    `),
    `${indent}  </EncryptedValue>`,
  ];
  if (v.mac) lines.push(`${indent}  <ValueMAC>${b64(v.mac)}</ValueMAC>`);
  lines.push(`${indent}</${name}>`);
  return lines.join('\n');
}

function integer(name: string, v: number | undefined, indent: string): string[] {
  return v === undefined ? [] : [`${indent}<${name}><PlainValue>${v}</PlainValue></${name}>`];
}

function keyPackage(k: PskcKey): string {
  const lines = ['  <KeyPackage>'];
  if (k.manufacturer !== undefined || k.serialNo !== undefined || k.model !== undefined) {
    lines.push('    <DeviceInfo>');
    // The PSKC schema (RFC 6030) orders DeviceInfo as Manufacturer, SerialNo, Model.
    if (k.manufacturer !== undefined) lines.push(`      <Manufacturer>${esc(k.manufacturer)}</Manufacturer>`);
    if (k.serialNo !== undefined) lines.push(`      <SerialNo>${esc(k.serialNo)}</SerialNo>`);
    if (k.model !== undefined) lines.push(`      <Model>${esc(k.model)}</Model>`);
    lines.push('    </DeviceInfo>');
  }
  lines.push(`    <Key Id="${esc(k.id)}" Algorithm="${esc(k.algorithm)}">`);
  if (k.issuer !== undefined) lines.push(`      <Issuer>${esc(k.issuer)}</Issuer>`);
  if (k.responseFormat) {
    lines.push(
      '      <AlgorithmParameters>',
      `        <ResponseFormat Length="${k.responseFormat.length}" Encoding="${esc(k.responseFormat.encoding)}"/>`,
      '      </AlgorithmParameters>',
    );
  }
  const data = [
    ...(k.secret ? [binary('Secret', k.secret, '        ')] : []),
    ...integer('Counter', k.counter, '        '),
    ...integer('Time', k.time, '        '),
    ...integer('TimeInterval', k.timeInterval, '        '),
    ...integer('TimeDrift', k.timeDrift, '        '),
  ];
  if (data.length > 0) lines.push('      <Data>', ...data, '      </Data>');
  lines.push('    </Key>', '  </KeyPackage>');
  return lines.join('\n');
}

export function encodePskc(c: PskcContainer): string {
  const head = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<KeyContainer Version="${esc(c.version)}"${c.id === undefined ? '' : ` Id="${esc(c.id)}"`}`,
    '    xmlns="urn:ietf:params:xml:ns:keyprov:pskc"',
    '    xmlns:ds="http://www.w3.org/2000/09/xmldsig#"',
    '    xmlns:xenc="http://www.w3.org/2001/04/xmlenc#">',
  ];
  const body: string[] = [];
  if (c.encryptionKey?.kind === 'pre-shared') {
    body.push(
      '  <EncryptionKey>',
      `    <ds:KeyName>${esc(c.encryptionKey.name)}</ds:KeyName>`,
      '  </EncryptionKey>',
    );
  }
  if (c.mac) {
    body.push(`  <MACMethod Algorithm="${esc(c.mac.algorithm)}">`);
    if (c.mac.key) body.push('    <MACKey>', encrypted(c.mac.key, '      '), '    </MACKey>');
    body.push('  </MACMethod>');
  }
  body.push(...c.keys.map(keyPackage));
  return `${[...head, ...body, '</KeyContainer>'].join('\n')}\n`;
}
