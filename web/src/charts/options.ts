/**
 * ECharts options for the widgets, as pure functions of the data (unit-tested without a canvas).
 * Sizes are in design pixels: the screen's scale and render factor take care of the display.
 */
import { format, type EChartsCoreOption } from './echarts.ts';
import { CATEGORICAL, FONT_FAMILY, OKABE_ITO, UI } from '../theme/palette.ts';
import { formatCompact, formatCount, formatRate, type Lang } from '../format/number.ts';
import { formatDayShort } from '../format/time.ts';
import type { DailyPoint } from '@commandhall/shared/metrics';

export interface NamedValue {
  code: string;
  name: string;
  value: number;
}

const FONT = 14;
const base = {
  backgroundColor: 'transparent',
  textStyle: { fontFamily: FONT_FAMILY, color: UI.text, fontSize: FONT },
  animationDuration: 600,
  animationDurationUpdate: 500,
  tooltip: {
    backgroundColor: 'rgba(6, 20, 39, 0.95)',
    borderColor: UI.panelEdge,
    textStyle: { color: UI.text, fontFamily: FONT_FAMILY, fontSize: FONT },
    confine: true,
  },
};

const axisLabel = { color: UI.muted, fontSize: 13, fontFamily: FONT_FAMILY };
const splitLine = { lineStyle: { color: UI.faint } };

/**
 * Largest `limit` entries of a record, the rest summed as "others" (only for pies: a bar chart
 * shows the top entries and says so in its title). Zeros are left out unless `keepZeros` (bars of
 * a fixed list of keys, where "none today" is worth showing; records keyed by codes carry no zeros).
 */
export function topEntries(
  record: Record<string, number> | undefined,
  limit: number,
  name: (code: string) => string,
  others?: string,
  keepZeros = false,
): NamedValue[] {
  const all = Object.entries(record ?? {})
    .filter(([, v]) => typeof v === 'number' && Number.isFinite(v) && (v > 0 || (keepZeros && v === 0)))
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const top = all.slice(0, limit).map(([code, value]) => ({ code, name: name(code), value }));
  if (others !== undefined && all.length > limit) {
    top.push({ code: '_others', name: others, value: all.slice(limit).reduce((s, [, v]) => s + v, 0) });
  }
  return top;
}

/** A bar's fill: faint at its base, full colour at its end (`right` for bars, `top` for columns). */
const barGradient = (color: string, towards: 'right' | 'top', baseAlpha: string) => ({
  type: 'linear',
  x: 0,
  y: towards === 'top' ? 1 : 0,
  x2: towards === 'right' ? 1 : 0,
  y2: 0,
  colorStops: [
    { offset: 0, color: color + baseAlpha },
    { offset: 1, color },
  ],
});

/** The figure at a bar's end. */
const valueLabel = (position: 'right' | 'top', lang: Lang) => ({
  show: true,
  position,
  color: UI.text,
  fontSize: 14,
  fontFamily: FONT_FAMILY,
  formatter: (p: { value: number }) => formatCompact(p.value, lang),
});
/** Horizontal bars, largest on top, value at the end of each bar. */
export function barOption(items: NamedValue[], opts: { color?: string; lang: Lang; labelWidth?: number }): EChartsCoreOption {
  const color = opts.color ?? OKABE_ITO.sky;
  return {
    ...base,
    grid: { left: 4, right: 48, top: 6, bottom: 4, outerBoundsMode: 'same', outerBoundsContain: 'axisLabel' },
    xAxis: { type: 'value', show: false, max: (v: { max: number }) => Math.max(1, v.max) },
    yAxis: {
      type: 'category',
      inverse: true,
      data: items.map((i) => i.name),
      axisLine: { show: false },
      axisTick: { show: false },
      axisLabel: { ...axisLabel, color: UI.text, fontSize: 14, width: opts.labelWidth ?? 120, overflow: 'truncate' },
    },
    series: [
      {
        type: 'bar',
        data: items.map((i) => i.value),
        barMaxWidth: 14,
        showBackground: true,
        backgroundStyle: { color: 'rgba(143, 169, 200, 0.08)', borderRadius: 7 },
        itemStyle: { borderRadius: 7, color: barGradient(color, 'right', '55') },
        label: valueLabel('right', opts.lang),
      },
    ],
  };
}

/** Where a donut and its legend go in a box: side by side in a wide box, the legend below in a tall one. */
export interface PieLayout {
  center: [number, number];
  /** Outer radius, px. */
  radius: number;
  legend: { left: number | string; top: number | string; orient: 'vertical' };
  /** Room for a legend name, px. */
  nameWidth: number;
}

const LEGEND_ROW = 22;
const SHARE_AND_ICON = 64;

/**
 * The donut never runs out of its box or under its legend: beside the legend when the box is at
 * least 1.25 times as wide as tall, above it otherwise (a portrait wall's narrow columns).
 */
export function pieLayout(box: { width: number; height: number }, entries: number): PieLayout {
  const w = Math.max(1, box.width);
  const h = Math.max(1, box.height);
  if (w >= h * 1.25) {
    const radius = Math.max(10, Math.min(h * 0.39, w * 0.24));
    return {
      center: [Math.round(w * 0.27), Math.round(h / 2)],
      radius: Math.round(radius),
      legend: { left: Math.round(w * 0.53), top: 'middle', orient: 'vertical' },
      nameWidth: Math.max(36, Math.round(w * 0.47) - SHARE_AND_ICON),
    };
  }
  const legendHeight = entries * LEGEND_ROW + 8;
  const pieHeight = Math.max(h * 0.45, h - legendHeight);
  const radius = Math.max(10, Math.min(w * 0.4, pieHeight * 0.44));
  return {
    center: [Math.round(w / 2), Math.round(pieHeight / 2)],
    radius: Math.round(radius),
    legend: { left: 'center', top: Math.round(pieHeight), orient: 'vertical' },
    nameWidth: Math.max(36, Math.min(220, w - SHARE_AND_ICON - 24)),
  };
}

/** Donut (or Nightingale rose) with the legend and shares beside or below it, the total in the middle. */
export function pieOption(
  items: NamedValue[],
  opts: { rose?: boolean; lang: Lang; totalLabel?: string; box?: { width: number; height: number } },
): EChartsCoreOption {
  const total = items.reduce((s, i) => s + i.value, 0);
  const at = pieLayout(opts.box ?? { width: 440, height: 260 }, items.length);
  const inner = opts.rose ? at.radius * 0.28 : at.radius * 0.64;
  return {
    ...base,
    color: [...CATEGORICAL],
    // a rose's petals reach into the middle: no total there
    title:
      opts.totalLabel && !opts.rose
        ? {
            text: formatCount(total, opts.lang),
            subtext: opts.totalLabel,
            left: at.center[0],
            top: at.center[1] - 24,
            textAlign: 'center',
            itemGap: 2,
            textStyle: { color: UI.text, fontSize: 24, fontWeight: 700, fontFamily: FONT_FAMILY },
            subtextStyle: { color: UI.muted, fontSize: 13, fontFamily: FONT_FAMILY },
          }
        : undefined,
    legend: {
      ...at.legend,
      itemWidth: 12,
      itemHeight: 12,
      itemGap: LEGEND_ROW - 13,
      icon: 'circle',
      // The share in its own column, so that truncating a long name never hides it.
      textStyle: {
        color: UI.text,
        fontSize: 13,
        fontFamily: FONT_FAMILY,
        rich: {
          name: { width: at.nameWidth, fontSize: 13, color: UI.text, fontFamily: FONT_FAMILY },
          pct: { width: 36, align: 'right', fontSize: 13, color: UI.muted, fontFamily: FONT_FAMILY },
        },
      },
      formatter: (name: string) => {
        const it = items.find((i) => i.name === name);
        const pct = it && total ? Math.round((it.value / total) * 100) : 0;
        // Rich-text fragments do not truncate themselves: cut the name to its column here.
        const cut = format.truncateText(name, at.nameWidth - 6, `13px ${FONT_FAMILY}`, '…');
        return `{name|${cut}}{pct|${pct}%}`;
      },
    },
    series: [
      {
        type: 'pie',
        center: at.center,
        radius: [Math.round(inner), at.radius],
        roseType: opts.rose ? 'area' : undefined,
        // with no data the widget says so in words; ECharts' grey placeholder disc would glare on the wall
        showEmptyCircle: false,
        avoidLabelOverlap: true,
        label: { show: false },
        itemStyle: { borderColor: UI.ground, borderWidth: 2, borderRadius: 3 },
        data: items.map((i) => ({ name: i.name, value: i.value })),
      },
    ],
  };
}

/**
 * Today (solid, filled) against yesterday (dashed) per hour. The current hour is still filling
 * up, so the step into it is dotted: a drop there means "not over yet", not "fewer appeals".
 */
export function hourlyOption(
  today: number[] | undefined,
  yesterday: number[] | undefined,
  opts: { lang: Lang; currentHour: number; labels: { today: string; yesterday: string; hour: (h: number) => string } },
): EChartsCoreOption {
  const hours = Array.from({ length: 24 }, (_, h) => h);
  const cur = Math.min(23, Math.max(0, opts.currentHour));
  const val = (h: number) => today?.[h] ?? 0;
  const done = hours.map((h) => (h < cur ? val(h) : null));
  const partial = hours.map((h) => (h === cur || (h === cur - 1 && cur > 0) ? val(h) : null));
  if (cur === 0) done[0] = null;
  const y = hours.map((h) => yesterday?.[h] ?? 0);
  return {
    ...base,
    legend: {
      right: 8,
      top: 0,
      itemWidth: 22,
      itemHeight: 10,
      textStyle: { color: UI.text, fontSize: 13, fontFamily: FONT_FAMILY },
      data: [opts.labels.today, opts.labels.yesterday],
    },
    tooltip: { ...base.tooltip, trigger: 'axis' },
    grid: { left: 8, right: 16, top: 30, bottom: 4, outerBoundsMode: 'same', outerBoundsContain: 'axisLabel' },
    xAxis: {
      type: 'category',
      boundaryGap: false,
      data: hours.map((h) => opts.labels.hour(h)),
      axisLabel: { ...axisLabel, interval: 1 },
      axisLine: { lineStyle: { color: UI.faint } },
      axisTick: { show: false },
    },
    yAxis: {
      type: 'value',
      minInterval: 1,
      splitNumber: 3,
      // a short chart (a small screen) shows fewer values rather than values on top of each other
      axisLabel: { ...axisLabel, hideOverlap: true, formatter: (v: number) => formatCompact(v, opts.lang) },
      splitLine,
    },
    series: [
      {
        name: opts.labels.yesterday,
        type: 'line',
        data: y,
        symbol: 'none',
        smooth: 0.3,
        lineStyle: { color: OKABE_ITO.orange, width: 2, type: [6, 5] },
        itemStyle: { color: OKABE_ITO.orange },
        z: 1,
      },
      {
        name: opts.labels.today,
        type: 'line',
        data: done,
        symbol: 'circle',
        symbolSize: 6,
        showSymbol: false,
        smooth: 0.3,
        lineStyle: { color: OKABE_ITO.sky, width: 3 },
        itemStyle: { color: OKABE_ITO.sky },
        areaStyle: {
          color: {
            type: 'linear',
            x: 0,
            y: 0,
            x2: 0,
            y2: 1,
            colorStops: [
              { offset: 0, color: 'rgba(86,180,233,0.45)' },
              { offset: 1, color: 'rgba(86,180,233,0.02)' },
            ],
          },
        },
        z: 2,
      },
      {
        // The hour in progress: same series for the reader (same name, no legend entry of its own).
        name: opts.labels.today,
        type: 'line',
        data: partial,
        symbol: 'circle',
        symbolSize: 7,
        showSymbol: true,
        lineStyle: { color: OKABE_ITO.sky, width: 2, type: [2, 4] },
        itemStyle: { color: OKABE_ITO.sky },
        tooltip: { show: false },
        z: 3,
      },
    ],
  };
}

/** 30 days as bars, today's bar in the accent colour. */
export function dailyOption(days: DailyPoint[] | undefined, opts: { lang: Lang; label: string }): EChartsCoreOption {
  const list = days ?? [];
  const last = list.length - 1;
  return {
    ...base,
    tooltip: { ...base.tooltip, trigger: 'axis' },
    grid: { left: 8, right: 12, top: 14, bottom: 4, outerBoundsMode: 'same', outerBoundsContain: 'axisLabel' },
    xAxis: {
      type: 'category',
      data: list.map((d) => formatDayShort(d.date)),
      axisLabel: { ...axisLabel, interval: 6, hideOverlap: true },
      axisLine: { lineStyle: { color: UI.faint } },
      axisTick: { show: false },
    },
    yAxis: {
      type: 'value',
      minInterval: 1,
      splitNumber: 3,
      // a short chart (a small screen) shows fewer values rather than values on top of each other
      axisLabel: { ...axisLabel, hideOverlap: true, formatter: (v: number) => formatCompact(v, opts.lang) },
      splitLine,
    },
    series: [
      {
        name: opts.label,
        type: 'bar',
        barMaxWidth: 10,
        data: list.map((d, i) => ({
          value: d.count,
          itemStyle: { color: i === last ? OKABE_ITO.orange : 'rgba(86,180,233,0.75)', borderRadius: [3, 3, 0, 0] },
        })),
      },
    ],
  };
}

/** One series of a line chart: its name and its values, one per axis label. */
export interface LineSeries {
  name: string;
  data: (number | null)[];
}

/**
 * One or two series over the same axis (days or hours). The first is solid in the accent colour,
 * the second dashed in orange: told apart by shape as well as hue. `area` fills under the first.
 */
export function lineOption(
  axis: string[],
  series: LineSeries[],
  opts: { lang: Lang; area?: boolean; interval?: number },
): EChartsCoreOption {
  const styles = [
    { color: OKABE_ITO.sky, type: 'solid' as const, width: 3 },
    { color: OKABE_ITO.orange, type: [6, 5], width: 2 },
  ];
  return {
    ...base,
    legend:
      series.length > 1
        ? {
            right: 8,
            top: 0,
            itemWidth: 22,
            itemHeight: 10,
            textStyle: { color: UI.text, fontSize: 13, fontFamily: FONT_FAMILY },
            data: series.map((s) => s.name),
          }
        : undefined,
    tooltip: { ...base.tooltip, trigger: 'axis' },
    grid: { left: 8, right: 16, top: series.length > 1 ? 30 : 14, bottom: 4, outerBoundsMode: 'same', outerBoundsContain: 'axisLabel' },
    xAxis: {
      type: 'category',
      boundaryGap: false,
      data: axis,
      axisLabel: { ...axisLabel, interval: opts.interval ?? 'auto', hideOverlap: true },
      axisLine: { lineStyle: { color: UI.faint } },
      axisTick: { show: false },
    },
    yAxis: {
      type: 'value',
      minInterval: 1,
      splitNumber: 3,
      // a short chart (a small screen) shows fewer values rather than values on top of each other
      axisLabel: { ...axisLabel, hideOverlap: true, formatter: (v: number) => formatCompact(v, opts.lang) },
      splitLine,
    },
    series: series.slice(0, 2).map((s, i) => {
      const st = styles[i];
      return {
        name: s.name,
        type: 'line',
        data: s.data,
        symbol: 'circle',
        symbolSize: 6,
        showSymbol: false,
        smooth: 0.3,
        lineStyle: { color: st.color, width: st.width, type: st.type },
        itemStyle: { color: st.color },
        areaStyle:
          opts.area && i === 0
            ? {
                color: {
                  type: 'linear',
                  x: 0,
                  y: 0,
                  x2: 0,
                  y2: 1,
                  colorStops: [
                    { offset: 0, color: 'rgba(86,180,233,0.45)' },
                    { offset: 1, color: 'rgba(86,180,233,0.02)' },
                  ],
                },
              }
            : undefined,
        z: 2 - i,
      };
    }),
  };
}

/**
 * A dial from 0 to 100 % with the rate in its middle, in the accent colour, or in the warning
 * colour when `warn`. A missing rate leaves the dial empty and shows a dash.
 */
export function gaugeOption(rate: number | null, opts: { lang: Lang; warn?: boolean; label?: string }): EChartsCoreOption {
  const color = opts.warn ? OKABE_ITO.vermillion : OKABE_ITO.sky;
  const v = rate === null ? 0 : Math.min(1, Math.max(0, rate)) * 100;
  return {
    ...base,
    series: [
      {
        type: 'gauge',
        min: 0,
        max: 100,
        startAngle: 215,
        endAngle: -35,
        radius: '92%',
        center: ['50%', '58%'],
        // always shown (transparent without a rate): ECharts 6 throws when it updates a gauge
        // whose progress arc was off in the option before
        progress: { show: true, width: 14, roundCap: true, itemStyle: { color: rate === null ? 'rgba(0, 0, 0, 0)' : color } },
        axisLine: { roundCap: true, lineStyle: { width: 14, color: [[1, 'rgba(143, 169, 200, 0.14)']] } },
        axisTick: { show: false },
        splitLine: { distance: -14, length: 14, lineStyle: { width: 2, color: UI.ground } },
        // the arc and the figure say enough: scale labels at the arc's ends run into the label
        axisLabel: { show: false },
        pointer: { show: false },
        anchor: { show: false },
        title: {
          show: !!opts.label,
          offsetCenter: [0, '52%'],
          color: UI.muted,
          fontSize: 14,
          fontFamily: FONT_FAMILY,
        },
        detail: {
          valueAnimation: true,
          offsetCenter: [0, '2%'],
          fontSize: 34,
          fontWeight: 700,
          fontFamily: FONT_FAMILY,
          color: opts.warn ? '#ff9a5c' : UI.text,
          formatter: () => formatRate(rate, opts.lang),
        },
        data: [{ value: v, name: opts.label ?? '' }],
      },
    ],
  };
}

/**
 * Vertical columns, largest first, the value above each: for a few keys (statuses, levels) where
 * horizontal bars would leave the box mostly empty.
 */
export function columnOption(items: NamedValue[], opts: { color?: string; lang: Lang }): EChartsCoreOption {
  const color = opts.color ?? OKABE_ITO.sky;
  return {
    ...base,
    grid: { left: 4, right: 4, top: 24, bottom: 4, outerBoundsMode: 'same', outerBoundsContain: 'axisLabel' },
    xAxis: {
      type: 'category',
      data: items.map((i) => i.name),
      axisLine: { lineStyle: { color: UI.faint } },
      axisTick: { show: false },
      axisLabel: { ...axisLabel, color: UI.text, interval: 0, hideOverlap: true, overflow: 'truncate', width: 90 },
    },
    yAxis: { type: 'value', show: false, max: (v: { max: number }) => Math.max(1, v.max) },
    series: [
      {
        type: 'bar',
        data: items.map((i) => i.value),
        barMaxWidth: 26,
        itemStyle: { borderRadius: [4, 4, 0, 0], color: barGradient(color, 'top', '40') },
        label: valueLabel('top', opts.lang),
      },
    ],
  };
}
