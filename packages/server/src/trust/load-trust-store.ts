// Builds the CSCA trust store from TILLID_TRUST_ANCHORS: `test` (development: the UTO test CSCA shared with
// `tillid passport create`), CSCA certificates (.cer .der .crt .pem), CRLs (.crl), a directory of those,
// or `ml:LIST:ANCHOR` — an ICAO master list whose signer must chain to ANCHOR (e.g. ml:DE.ml:DE_ROOT.cer).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { loadOrCreateTestCsca, TrustStore } from '@tillid/mrtd/node';
import { ServerError } from '../errors.ts';

const CERT_EXT = new Set(['.cer', '.der', '.crt', '.pem']);

function loadPath(store: TrustStore, path: string): void {
  if (statSync(path).isDirectory()) {
    for (const name of readdirSync(path).sort()) {
      const ext = extname(name).toLowerCase();
      if (CERT_EXT.has(ext) || ext === '.crl') loadPath(store, join(path, name));
    }
    return;
  }
  const bytes = new Uint8Array(readFileSync(path));
  if (extname(path).toLowerCase() === '.crl') store.addCrl(bytes);
  else store.addCsca(bytes);
}

export function loadTrustStore(
  sources: readonly string[],
  options: { testCscaPath: string; now: Date },
): TrustStore {
  const store = TrustStore.fromCertificates([]);
  for (const source of sources) {
    try {
      if (source === 'test') {
        store.addCsca(loadOrCreateTestCsca(options.testCscaPath).der);
      } else if (source.startsWith('ml:')) {
        const [list, anchor] = source.slice(3).split(':');
        if (!list || !anchor) throw new TypeError('expected ml:LIST:ANCHOR');
        store.addMasterList(new Uint8Array(readFileSync(list)), {
          trustAnchors: [new Uint8Array(readFileSync(anchor))],
          now: options.now,
        });
      } else {
        loadPath(store, source);
      }
    } catch (cause) {
      throw new ServerError(
        'ERR_CONFIG',
        `TILLID_TRUST_ANCHORS: cannot load ${source}: ${(cause as Error).message}`,
        {
          details: { issues: [{ variable: 'TILLID_TRUST_ANCHORS', message: `cannot load ${source}` }] },
          cause,
        },
      );
    }
  }
  return store;
}
