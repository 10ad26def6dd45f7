/**
 * Number formatting for the screens. zh-CN and en both group thousands with commas; percentages
 * keep one decimal so that 88.2 % and 88.6 % read differently on a wall; a missing figure
 * (rate with an empty denominator, no data yet) shows as an em dash, never as 0 or NaN.
 */
export type Lang = 'zh-CN' | 'en';

const cache = new Map<string, Intl.NumberFormat>();
function fmt(lang: Lang, style: 'count' | 'percent' | 'compact'): Intl.NumberFormat {
  const k = `${lang}|${style}`;
  let f = cache.get(k);
  if (!f) {
    f =
      style === 'count'
        ? new Intl.NumberFormat(lang, { maximumFractionDigits: 0 })
        : style === 'percent'
          ? new Intl.NumberFormat(lang, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 })
          : new Intl.NumberFormat(lang, { notation: 'compact', maximumFractionDigits: 1 });
    cache.set(k, f);
  }
  return f;
}

export const MISSING = '—';

const ok = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** 12345 → "12,345"; null/undefined/NaN → "—". */
export function formatCount(v: number | null | undefined, lang: Lang): string {
  return ok(v) ? fmt(lang, 'count').format(v) : MISSING;
}

/** A ratio 0…1 → "88.2%"; null → "—". Values are clamped to 0…1 (a rate can never exceed 100 %). */
export function formatRate(v: number | null | undefined, lang: Lang): string {
  return ok(v) ? fmt(lang, 'percent').format(Math.min(1, Math.max(0, v))) : MISSING;
}

/** Axis labels: 12000 → "1.2万" in Chinese, "12K" in English. */
export function formatCompact(v: number, lang: Lang): string {
  return ok(v) ? fmt(lang, 'compact').format(v) : MISSING;
}

export type ValueFormat = 'count' | 'rate';
export function formatValue(v: number | null | undefined, format: ValueFormat, lang: Lang): string {
  return format === 'rate' ? formatRate(v, lang) : formatCount(v, lang);
}
