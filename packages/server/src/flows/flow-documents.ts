// The generated flow documents (docs/flows/*.md): one per flow definition.
import { enrollmentFlow } from '../enrollment/enrollment-flow.ts';
import { type FlowDefinition, flowToMermaid } from './flow-definition.ts';

const DOCS_DIR = new URL('../../../../docs/flows/', import.meta.url).pathname;

// biome-ignore lint/suspicious/noExplicitAny: any flow definition
function document(def: FlowDefinition<string, any, any>, title: string) {
  return {
    path: `${DOCS_DIR}${def.kind}.md`,
    render: () =>
      `# ${title}\n\nGenerated from the transition table by \`packages/server/scripts/flow-diagrams.ts\`; a test keeps it current.\n` +
      `Each arrow is an event the client posts to \`/v1/${def.kind}s/{id}/steps/{event}\`; a step from any other state is refused (\`ERR_FLOW_STATE\`).\n\n` +
      `\`\`\`mermaid\n${flowToMermaid(def)}\`\`\`\n`,
  };
}

export const FLOW_DOCUMENTS = [
  document(enrollmentFlow, 'Enrollment flow (journey A: help another person activate)'),
];
