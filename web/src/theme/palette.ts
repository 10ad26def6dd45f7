/**
 * Colours. Categorical series use the Okabe–Ito palette (distinguishable with the common forms of
 * colour-vision deficiency); the choropleth uses a viridis ramp (sequential, perceptually even,
 * readable in grey). Where two series must be told apart they also differ in shape (solid vs
 * dashed line, bar vs line), not only in hue.
 */
export const OKABE_ITO = {
  orange: '#E69F00',
  sky: '#56B4E9',
  green: '#009E73',
  yellow: '#F0E442',
  blue: '#0072B2',
  vermillion: '#D55E00',
  purple: '#CC79A7',
  grey: '#999999',
} as const;

/** Order for categorical series on a dark ground: brightest first, the dark blue last. */
export const CATEGORICAL = [
  OKABE_ITO.sky,
  OKABE_ITO.orange,
  OKABE_ITO.green,
  OKABE_ITO.yellow,
  OKABE_ITO.purple,
  OKABE_ITO.vermillion,
  '#7FB8E0',
  OKABE_ITO.grey,
] as const;

/** Viridis, from its 25 % point up: the darkest purples vanish on the dark map ground. */
export const VIRIDIS = ['#3b528b', '#2c728e', '#21918c', '#28ae80', '#5ec962', '#addc30', '#fde725'] as const;

export const UI = {
  ground: '#040b16',
  panel: 'rgba(9, 27, 51, 0.78)',
  panelEdge: 'rgba(86, 180, 233, 0.28)',
  accent: OKABE_ITO.sky,
  text: '#e8f1ff',
  muted: '#8fa9c8',
  faint: 'rgba(143, 169, 200, 0.16)',
  warn: OKABE_ITO.vermillion,
  good: OKABE_ITO.green,
  mapGround: '#061427',
} as const;

export const FONT_FAMILY =
  '"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "Helvetica Neue", Arial, sans-serif';
