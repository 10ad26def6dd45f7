export * from './types.ts';
export { validateLayout, cellRect, METRIC_SHAPES, WIDGET_TYPES } from './validate.ts';
export { districtWall, HEADLINE_KPIS, ACTIVITY_KPIS } from './district-wall.ts';
export { consoleLayout } from './console.ts';
export { appealAnalysis, ANALYSIS_KPIS } from './appeal-analysis.ts';
