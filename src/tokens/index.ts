/** Location tokens: boxes ↔ `<locK>` tokens, and the parser for free LLM output. */
export * from './location-tokens';
export * from './parse-location-tokens';
