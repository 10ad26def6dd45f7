/**
 * Every community hall's own "x" theme, generated from the community registry rather than drawn
 * by hand for each: a community is shown for what sets it apart. Tagged communities keep their
 * tag's focus (an industrial park's enterprises, a river community's patrols); the others get the
 * trait in which they rank highest among the registry's communities: rentals (housing units per
 * household), city facilities (components per resident), video patrols (cameras per resident) or,
 * for the most populous, livelihood services (population). One layout, five slots, filled per
 * focus; the notice carries the community's own figures.
 */
import type { CommunityProfile, CommunityProfiles, GridProfileKey } from '../../community-profiles.ts';
import type { AnyWidgetSpec, GridRect, KpiItem, Theme } from '../types.ts';
import { COMPONENT_KPIS } from './components.ts';
import { VIDEO_KPIS } from './video.ts';

export const COMMUNITY_FOCUSES = ['enterprise', 'river', 'rental', 'facilities', 'video', 'livelihood'] as const;
export type CommunityFocus = (typeof COMMUNITY_FOCUSES)[number];

const GRID = { width: 1920, height: 1080, cols: 48, rows: 27, gap: 12 };
/** Where each slot of the layout sits (48 × 27 cells). */
const SLOT = {
  leftTop: { x: 0, y: 6, w: 14, h: 11 },
  leftBottom: { x: 0, y: 17, w: 14, h: 10 },
  rightTop: { x: 36, y: 6, w: 12, h: 11 },
  rightBottom: { x: 36, y: 17, w: 12, h: 10 },
} satisfies Record<string, GridRect>;
type Slot = keyof typeof SLOT;
type SlotWidget = Omit<AnyWidgetSpec, 'pos'>;

const profile = (field: GridProfileKey, label: string): KpiItem => ({ key: 'grid.profile', field, label, format: 'count' });

interface Template {
  kpis: KpiItem[];
  slots: Record<Slot, SlotWidget>;
}

const RECENT: SlotWidget = {
  id: 'recent',
  type: 'table',
  title: 'widget.ticker',
  bind: ['recent'],
  options: { source: 'recent', limit: 20, secondsPerRow: 3 },
};
const QUEUE: SlotWidget = { id: 'queue', type: 'alertQueue', title: 'widget.alertQueue', bind: ['alerts.queue'], options: { limit: 6 } };

const TEMPLATES: Record<CommunityFocus, Template> = {
  enterprise: {
    kpis: [
      { key: 'appeals.enterpriseToday', label: 'kpi.enterpriseToday', format: 'count' },
      { key: 'appeals.enterpriseOpen', label: 'kpi.enterpriseOpen', format: 'count', tone: 'alert' },
      profile('legalEntities', 'kpi.legalEntities'),
      { key: 'inspections.byKind', field: 'enterprise', label: 'kpi.enterpriseInspections', format: 'count' },
    ],
    slots: {
      leftTop: {
        id: 'by-category',
        type: 'bar',
        title: 'widget.enterpriseByCategory',
        bind: ['appeals.enterpriseByCategory'],
        options: { taxonomy: 'category', limit: 8, horizontal: true },
      },
      leftBottom: {
        id: 'inspections',
        type: 'pie',
        title: 'widget.inspectionsByKind',
        bind: ['inspections.byKind'],
        options: { taxonomy: 'field' },
      },
      rightTop: QUEUE,
      rightBottom: RECENT,
    },
  },
  river: {
    kpis: [
      { key: 'inspections.byKind', field: 'river', label: 'kpi.riverPatrols', format: 'count' },
      { key: 'inspections.issuesByKind', field: 'river', label: 'kpi.riverIssues', format: 'count', tone: 'alert' },
      { key: 'inspections.handledToday', label: 'kpi.handledToday', format: 'count', tone: 'good' },
      { key: 'alerts.open', label: 'kpi.alertsOpen', format: 'count', tone: 'alert' },
    ],
    slots: {
      leftTop: { id: 'daily', type: 'line', title: 'widget.inspectionsDaily', bind: ['inspections.daily'], options: { area: true } },
      leftBottom: {
        id: 'issues',
        type: 'bar',
        title: 'widget.issuesByKind',
        bind: ['inspections.issuesByKind'],
        options: { taxonomy: 'field', color: 2 },
      },
      rightTop: QUEUE,
      rightBottom: { id: 'ticker', type: 'ticker', title: 'widget.ticker', bind: ['recent'], options: { limit: 8 } },
    },
  },
  rental: {
    kpis: [
      profile('population', 'kpi.population'),
      profile('households', 'kpi.households'),
      profile('housingUnits', 'kpi.housingUnits'),
      profile('gridInspectors', 'kpi.gridInspectors'),
      { key: 'inspections.today', label: 'kpi.inspectionsToday', format: 'count' },
    ],
    slots: {
      leftTop: {
        id: 'inspections',
        type: 'bar',
        title: 'widget.inspectionsByKind',
        bind: ['inspections.byKind'],
        options: { taxonomy: 'field', horizontal: true },
      },
      leftBottom: {
        id: 'hot',
        type: 'hot',
        title: 'analysis.hotCategories',
        bind: ['appeals.hotCategories'],
        options: { taxonomy: 'category', limit: 5 },
      },
      rightTop: {
        id: 'by-category',
        type: 'pie',
        title: 'widget.byCategory',
        bind: ['appeals.byCategory'],
        options: { taxonomy: 'category', limit: 6 },
      },
      rightBottom: RECENT,
    },
  },
  facilities: {
    kpis: COMPONENT_KPIS.slice(0, 5),
    slots: {
      leftTop: {
        id: 'faults',
        type: 'bar',
        title: 'widget.faultsByType',
        bind: ['components.faultsByType'],
        options: { taxonomy: 'field', limit: 8, horizontal: true },
      },
      leftBottom: {
        id: 'by-purpose',
        type: 'pie',
        title: 'widget.scansByPurpose',
        bind: ['scans.byPurpose'],
        options: { taxonomy: 'field' },
      },
      rightTop: { id: 'scans-daily', type: 'line', title: 'widget.scansDaily', bind: ['scans.daily'], options: { area: true } },
      rightBottom: { id: 'ticker', type: 'ticker', title: 'widget.ticker', bind: ['recent'], options: { limit: 8 } },
    },
  },
  video: {
    kpis: VIDEO_KPIS.slice(0, 5),
    slots: {
      leftTop: {
        id: 'by-algorithm',
        type: 'bar',
        title: 'widget.alertsByAlgorithm',
        bind: ['alerts.byAlgorithm'],
        options: { taxonomy: 'algorithm', limit: 8, color: 1 },
      },
      leftBottom: {
        id: 'by-status',
        type: 'pie',
        title: 'widget.alertsByStatus',
        bind: ['alerts.byStatus'],
        options: { taxonomy: 'alertStatus' },
      },
      rightTop: QUEUE,
      rightBottom: RECENT,
    },
  },
  livelihood: {
    kpis: [
      { key: 'appeals.today', label: 'kpi.appealsToday', format: 'count' },
      { key: 'appeals.open', label: 'kpi.open', format: 'count' },
      { key: 'appeals.overdue', label: 'kpi.overdue', format: 'count', tone: 'alert' },
      { key: 'appeals.onTimeRate', label: 'kpi.onTimeRate', format: 'rate', tone: 'good' },
      { key: 'appeals.satisfactionRate', label: 'kpi.satisfactionRate', format: 'rate', tone: 'good' },
    ],
    slots: {
      leftTop: {
        id: 'by-category',
        type: 'bar',
        title: 'widget.byCategory',
        bind: ['appeals.byCategory'],
        options: { taxonomy: 'category', limit: 8, horizontal: true },
      },
      leftBottom: {
        id: 'by-channel',
        type: 'pie',
        title: 'widget.byChannel',
        bind: ['appeals.byChannel'],
        options: { taxonomy: 'channel', limit: 6 },
      },
      rightTop: { id: 'hourly', type: 'hourly', title: 'widget.hourly', bind: ['appeals.hourlyToday', 'appeals.hourlyYesterday'] },
      rightBottom: RECENT,
    },
  },
};

/** What the focus is called, for the description (the theme's name is the i18n key `theme.x.<focus>`). */
const FOCUS_ZH: Record<CommunityFocus, string> = {
  enterprise: '园区企业诉求与企业安全检查',
  river: '河长巡河与河道问题',
  rental: '出租屋与实有人口',
  facilities: '城市部件与智慧码',
  video: '视频巡查与告警处置',
  livelihood: '民生诉求办理',
};

const TRAITS = {
  rental: (c: CommunityProfile) => c.profile.housingUnits / Math.max(1, c.profile.households),
  facilities: (c: CommunityProfile) => Object.values(c.components).reduce((a, b) => a + b, 0) / Math.max(1, c.profile.population),
  video: (c: CommunityProfile) => (c.components.camera ?? 0) / Math.max(1, c.profile.population),
  livelihood: (c: CommunityProfile) => c.profile.population,
} satisfies Partial<Record<CommunityFocus, (c: CommunityProfile) => number>>;
type Trait = keyof typeof TRAITS;

/** Each community's focus: its tag's, else the trait in which it ranks highest (ties: the order of TRAITS). */
export function focusesOf(profiles: CommunityProfiles): Map<string, CommunityFocus> {
  const all = profiles.communities;
  const rank = Object.fromEntries(
    (Object.keys(TRAITS) as Trait[]).map((t) => {
      const sorted = all.map((c) => TRAITS[t](c)).sort((a, b) => a - b);
      // the share of communities below this one: 0 for the lowest, near 1 for the highest
      return [t, (c: CommunityProfile) => sorted.findIndex((v) => v >= TRAITS[t](c)) / Math.max(1, sorted.length - 1)];
    }),
  ) as Record<Trait, (c: CommunityProfile) => number>;
  const out = new Map<string, CommunityFocus>();
  for (const c of all) {
    if (c.tags.includes('industrial')) out.set(c.code, 'enterprise');
    else if (c.tags.includes('river')) out.set(c.code, 'river');
    else {
      let best: Trait = 'livelihood';
      for (const t of Object.keys(TRAITS) as Trait[]) if (rank[t](c) > rank[best](c)) best = t;
      out.set(c.code, best);
    }
  }
  return out;
}

const n = (v: number) => v.toLocaleString('en-US');

/** The notice: the community's own figures, from the registry. */
function notice(c: CommunityProfile, focus: CommunityFocus): string {
  const p = c.profile;
  const lines = [
    `${c.name}：${FOCUS_ZH[focus]}`,
    `实有人口 ${n(p.population)} · 户数 ${n(p.households)} · 房屋 ${n(p.housingUnits)} 套 · 楼栋 ${n(p.buildings)}`,
    `法人单位 ${n(p.legalEntities)} · 网格 ${n(p.gridCells)} 个 · 网格员 ${n(p.gridInspectors)} 名`,
  ];
  const components = Object.values(c.components).reduce((a, b) => a + b, 0);
  if (focus === 'facilities' || focus === 'video')
    lines.push(`城市部件 ${n(components)} 个 · 摄像头 ${n(c.components.camera ?? 0)} 路 · 智慧灯杆 ${n(c.components.smart_pole ?? 0)} 根`);
  if (focus === 'rental') lines.push(`每户房屋 ${(p.housingUnits / Math.max(1, p.households)).toFixed(2)} 套：出租屋多，流动人口随之`);
  return lines.join('\n');
}

/** A community's own theme for its focus; `slug` names it in the id (e.g. `liulian` → `liulian-rental`). */
export function communityTheme(c: CommunityProfile, focus: CommunityFocus, slug: string): Theme {
  const t = TEMPLATES[focus];
  const slots = (Object.keys(SLOT) as Slot[]).map((s) => ({ ...t.slots[s], pos: SLOT[s] }) as AnyWidgetSpec);
  return {
    schema: 1,
    id: `${slug}-${focus}`.slice(0, 40),
    name: `theme.x.${focus}`,
    description: `${c.name}：${FOCUS_ZH[focus]}（由社区档案生成）`.slice(0, 200),
    levels: ['community'],
    owner: c.code,
    grid: GRID,
    widgets: [
      { id: 'title', type: 'title', pos: { x: 0, y: 0, w: 48, h: 2 }, bind: [], options: { subtitle: `theme.x.${focus}` } },
      {
        id: 'kpis',
        type: 'kpis',
        pos: { x: 0, y: 2, w: 36, h: 4 },
        bind: [...new Set(t.kpis.map((k) => k.key))],
        options: { items: t.kpis },
      },
      { id: 'clock', type: 'clock', pos: { x: 36, y: 2, w: 12, h: 4 }, bind: [], options: { seconds: true, date: true } },
      { id: 'map', type: 'map', pos: { x: 14, y: 6, w: 22, h: 14 }, bind: ['map.communities', 'recent'], options: { legend: true } },
      {
        id: 'notice',
        type: 'text',
        pos: { x: 14, y: 20, w: 22, h: 7 },
        title: 'widget.notice',
        bind: [],
        options: { text: notice(c, focus), size: 20 },
      },
      ...slots,
    ],
  };
}

/** `Liulian Community` → `liulian`; `Jia 1-3 Community` → `jia-1-3`: what a theme id can hold. */
export const slugOf = (nameEn: string, code: string): string =>
  nameEn
    .replace(/ (Community|Subdistrict)$/, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '') || code;

/**
 * The "x" theme of every community of the registry that has none among `existing` (a hand-made
 * one, as Pingshan's two examples), named through `nameEn` (the geography's English names).
 */
export function communityThemes(profiles: CommunityProfiles, nameEn: (code: string) => string, existing: readonly Theme[]): Theme[] {
  const owned = new Set(existing.map((t) => t.owner).filter(Boolean));
  const focus = focusesOf(profiles);
  return profiles.communities
    .filter((c) => !owned.has(c.code))
    .map((c) => communityTheme(c, focus.get(c.code)!, slugOf(nameEn(c.code), c.code)));
}
