/** How a recent event reads on the wall (the ticker and the scrolling table say it the same way). */
import type { TickerItem } from '@commandhall/shared/metrics';
import type { Lang } from '../format/number.ts';
import { codeLabel } from '../i18n/labels.ts';

export type TickerKind = 'appeal' | 'alert' | 'inspection' | 'scan' | 'component' | 'transition' | 'event';

export function tickerKind(type: string): TickerKind {
  if (type === 'appeal.transitioned') return 'transition';
  if (type.startsWith('appeal')) return 'appeal';
  if (type.includes('alert')) return 'alert';
  if (type.includes('inspection')) return 'inspection';
  if (type.includes('scan') || type.includes('smart_code')) return 'scan';
  if (type.startsWith('component')) return 'component';
  return 'event';
}

export function tickerText(
  kind: TickerKind,
  it: TickerItem,
  lang: Lang,
  t: (key: string, named?: Record<string, unknown>) => string,
): string {
  switch (kind) {
    case 'alert':
      return codeLabel('algorithm', it.label, lang);
    case 'appeal':
      return codeLabel('category', it.label, lang);
    case 'transition': {
      const st = it.status ? t(`status.${it.status}`) : '';
      return `${codeLabel('category', it.label, lang)}${st ? ` · ${st}` : ''}`;
    }
    case 'inspection':
      return t('ticker.inspectionText');
    case 'scan':
      return t('ticker.scanText', { name: codeLabel('componentType', it.label, lang) });
    case 'component': {
      // a component's new status: its type and the status word the components widgets use
      const name = codeLabel('componentType', it.label, lang);
      return it.status ? t('ticker.componentText', { name, status: t(`field.${it.status}`) }) : name;
    }
    default:
      return it.label;
  }
}
