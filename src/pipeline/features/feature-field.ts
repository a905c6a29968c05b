/**
 * The feature field now lives in ./field/, one concept per file; this module re-exports it for
 * importers not yet moved there (the worker, the CLI commands, the session layer).
 */
export type { FeatureField, FeatureFieldStats, FieldScoringKernel } from './field/feature-field';
export { PcaQ8FeatureField } from './field/pca-q8-field';
export { encodeFeatureField, type EncodeFieldOptions } from './field/field-encoder';
export { deserialiseFeatureField, serialiseFeatureField } from './field/field-format';
