export * from './types.ts';
export * from './metric-shapes.ts';
export * from './widget-catalog.ts';
export * from './validate.ts';
export * from './builtin/index.ts';
export * from './playlist.ts';
export * from './aspect.ts';
export * from './reflow.ts';
