// Writes docs/flows/<kind>.md: the state diagram of each flow, drawn from its transition table.
// `node --import tsx packages/server/scripts/flow-diagrams.ts` regenerates; a test fails when they differ.
import { writeFileSync } from 'node:fs';
import { FLOW_DOCUMENTS } from '../src/flows/flow-documents.ts';

for (const doc of FLOW_DOCUMENTS) {
  writeFileSync(doc.path, doc.render());
  process.stdout.write(`wrote ${doc.path}\n`);
}
