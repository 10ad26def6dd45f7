export * from './scope.ts';
export * from './time.ts';
export * from './events.ts';
export * from './appeal-lifecycle.ts';
export * from './alert-lifecycle.ts';
export * from './metrics.ts';
export * from './live.ts';
export * from './taxonomy.ts';
