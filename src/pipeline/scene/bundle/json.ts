/** JSON from file bytes: the shared size/depth-limited parser (src/pipeline/io/safe-json.ts). */
export { parseJsonBytes } from '../../io/safe-json';
