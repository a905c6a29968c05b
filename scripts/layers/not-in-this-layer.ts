/**
 * Where an import a layer may not make resolves to: src/tokens/tsconfig.json maps every package
 * name here, tsconfig.pure.json (src/pipeline, src/demo-room) maps node:*, three, react, comlink.
 * No project lists this file, so tsc -b fails at the import (TS6307 "not listed within the file
 * list of project"), and the assignment below fails too, saying why.
 */
const layerViolation: 'a layer imported a module its tsconfig.json forbids' = 'forbidden import';
export default layerViolation;
