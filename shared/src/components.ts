/**
 * City components (城市部件) with smart codes: their statuses, and the words the screens use for
 * the statuses, inspection kinds, scan purposes and reporter kinds. Component types themselves
 * are in the taxonomy (`taxonomy.componentTypes`, names by `taxonomyLabel('componentType', code)`).
 *
 * The registry of components is counts per community and type (`shared/data/community-profiles.json`);
 * only components whose status is not normal are known one by one (docs/metrics.md, "City components").
 */

/** Statuses of a city component. A component no event has named is `normal`. */
export const COMPONENT_STATUSES = ['normal', 'fault', 'repairing', 'offline'] as const;
export type ComponentStatus = (typeof COMPONENT_STATUSES)[number];

/**
 * What a `component.status_changed` event may say: the statuses above, plus `online`, a device
 * platform's word for a device that talks again (a smart pole back online): the same as `normal`.
 */
export const COMPONENT_EVENT_STATUSES = [...COMPONENT_STATUSES, 'online'] as const;
export type ComponentEventStatus = (typeof COMPONENT_EVENT_STATUSES)[number];

/** The status an event's word means (`online` is `normal`). */
export function componentStatusOf(s: ComponentEventStatus): ComponentStatus {
  return s === 'online' ? 'normal' : s;
}

/** The smart pole (多功能智能杆) type: `poles.status` counts these. */
export const SMART_POLE_TYPE = 'smart_pole';

/** Inspection kinds: grid patrol (网格巡查), river-chief patrol (河长巡河), enterprise safety inspection, fire-safety check. */
export const INSPECTION_KINDS = ['grid', 'river', 'enterprise', 'fire'] as const;
export type InspectionKind = (typeof INSPECTION_KINDS)[number];

/** Why a smart code was scanned. */
export const SCAN_PURPOSES = ['inspection', 'report', 'query'] as const;
export type ScanPurpose = (typeof SCAN_PURPOSES)[number];

/** Who raised an appeal: a resident (the default) or an enterprise (涉企诉求). */
export const REPORTER_KINDS = ['resident', 'enterprise'] as const;
export type ReporterKind = (typeof REPORTER_KINDS)[number];

export interface Label {
  zh: string;
  en: string;
}

/** Screen names of the codes above (the web translates with these). */
export const COMPONENT_STATUS_LABELS: Record<ComponentStatus, Label> = {
  normal: { zh: '正常', en: 'Normal' },
  fault: { zh: '故障', en: 'Fault' },
  repairing: { zh: '维修中', en: 'Under repair' },
  offline: { zh: '离线', en: 'Offline' },
};

export const INSPECTION_KIND_LABELS: Record<InspectionKind, Label> = {
  grid: { zh: '网格巡查', en: 'Grid patrol' },
  river: { zh: '河长巡河', en: 'River-chief patrol' },
  enterprise: { zh: '企业安全检查', en: 'Enterprise safety inspection' },
  fire: { zh: '消防检查', en: 'Fire-safety inspection' },
};

export const SCAN_PURPOSE_LABELS: Record<ScanPurpose, Label> = {
  inspection: { zh: '巡检', en: 'Inspection' },
  report: { zh: '上报', en: 'Report' },
  query: { zh: '查询', en: 'Query' },
};

export const REPORTER_KIND_LABELS: Record<ReporterKind, Label> = {
  resident: { zh: '群众', en: 'Resident' },
  enterprise: { zh: '企业', en: 'Enterprise' },
};
