/** Text queries → relevancy → grounded boxes, and the grounding benchmark. */
export * from './types';
export * from './iou';
export * from './relevancy';
export * from './threshold';
export * from './voxel-clusters';
export * from './cluster-boxes';
export * from './cluster-voxel-size';
export * from './ground';
export * from './text-embedding';
export * from './text-query';
export * from './query-file';
export * from './evaluate';
export * from './bundle-normalisation';
