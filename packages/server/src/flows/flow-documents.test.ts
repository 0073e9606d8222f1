import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { it } from 'node:test';
import { FLOW_DOCUMENTS } from './flow-documents.ts';

it('the committed flow diagrams match the transition tables (regenerate: scripts/flow-diagrams.ts)', () => {
  for (const doc of FLOW_DOCUMENTS) assert.equal(readFileSync(doc.path, 'utf8'), doc.render(), doc.path);
});
