// Writes docs/conventions.md from the conventions module: `npm run conventions:doc`.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderConventionsMarkdown } from '../src/conventions/render-markdown.ts';

export const CONVENTIONS_DOC = fileURLToPath(new URL('../../docs/conventions.md', import.meta.url));

writeFileSync(CONVENTIONS_DOC, renderConventionsMarkdown());
console.log(`wrote ${CONVENTIONS_DOC}`);
