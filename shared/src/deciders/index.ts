export * from './decision.ts';
export * from './appeal.ts';
export * from './alert.ts';
export * from './component.ts';
