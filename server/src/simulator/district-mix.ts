/**
 * What a believable Pingshan day looks like: how appeals spread over the hours, categories,
 * channels, natures and communities, and how often the other event kinds occur. Estimates from
 * the district's public reports (about 130,000 inspector turn-outs a year, 88 % immediate handling).
 */

/** Relative arrival rate per local hour (quiet nights, morning and afternoon peaks). */
export const HOURLY_CURVE = [
  0.2, 0.1, 0.08, 0.06, 0.06, 0.12, 0.3, 0.8, 1.5, 2.0, 2.1, 1.8, 1.2, 1.3, 1.8, 2.0, 1.9, 1.6, 1.2, 1.1, 1.0, 0.8, 0.5, 0.3,
];
export const HOURLY_TOTAL = HOURLY_CURVE.reduce((a, b) => a + b, 0);

/** Top-level category code → weight. */
export const CATEGORY_MIX: Record<string, number> = {
  '5': 18,
  '4': 12,
  '3': 10,
  '7': 9,
  '8': 9,
  '6': 8,
  '1': 7,
  '17': 7,
  '9': 6,
  '2': 5,
  '11': 4,
  '15': 3,
  '10': 1,
  '695': 1,
  '12': 0.5,
  '13': 0.3,
  '14': 0.2,
  '16': 0.1,
};

export const CHANNEL_MIX: Record<string, number> = {
  hotline_12345: 40,
  at_pingshan: 12,
  grid: 12,
  wechat: 10,
  meili_shenzhen: 6,
  gov_mailbox: 4,
  walk_in: 4,
  landline: 3,
  hotline_12319: 3,
  smart_code: 3,
  enterprise: 3,
};

export const NATURE_MIX: Record<string, number> = { request: 45, complaint: 25, enquiry: 18, suggestion: 6, thanks: 2, other: 4 };

export const SATISFACTION_MIX: Record<string, number> = { satisfied: 85, basically_satisfied: 8, dissatisfied: 4, not_rated: 3 };

/** Share of eligible appeals the centre resolves on first contact, and of others that run late. */
export const IMMEDIATE_SHARE = 0.92; // resolutions from the slow path pull the measured rate down to about 88 %
export const OVERDUE_SHARE = 0.025;
export const REJECT_SHARE = 0.03;
export const REWORK_SHARE = 0.04;
/** Appeals whose unit asks for more time while handling them, and how many of those are granted. */
export const EXTENSION_SHARE = 0.03;
export const EXTENSION_APPROVED_SHARE = 0.8;
export const EXTENSION_REASONS = ['需协调多个部门联合处置', '涉及产权纠纷需进一步核查', '施工需等待材料到场', '需待天气条件允许后作业'];
export const EXTENSION_DENIAL_REASONS = ['理由不充分，请按原时限办结', '属常规事项，不予延期'];

/** Other event kinds, per simulated day for the whole district. */
export const ALERTS_PER_DAY = 320;
export const INSPECTIONS_PER_DAY = 360;
/** Scans of any component for any purpose; faults and repairs add about 90 a day of their own (below). */
export const SCANS_PER_DAY = 200;
export const CAMERAS_PER_COMMUNITY = 8;

/** The video platform's heartbeat period, in real time (the server's allowance is a few of them). */
export const HEARTBEAT_EVERY_MS = 30_000;
/** Cameras that fall silent per simulated day in the whole district, and for how long (simulated minutes). */
export const CAMERA_OUTAGES_PER_DAY = 12;
export const CAMERA_OUTAGE_MINUTES: readonly [number, number] = [30, 360];

/**
 * Inspections by kind (the total stays INSPECTIONS_PER_DAY): grid patrols, river-chief patrols
 * (河长巡河), enterprise safety inspections and fire-safety checks, and the share of each that finds
 * something.
 */
export const INSPECTION_KIND_MIX = { grid: 72, river: 8, enterprise: 11, fire: 9 };
export const ISSUE_CHANCE: Record<keyof typeof INSPECTION_KIND_MIX, number> = { grid: 0.3, river: 0.25, enterprise: 0.4, fire: 0.35 };
/** River patrols: in the river community, in the rest of its street; the others anywhere (streams, ponds). */
export const RIVER_PATROLS_IN_COMMUNITY = 0.6;
export const RIVER_PATROLS_IN_STREET = 0.3;
/** Enterprise safety inspections in the industrial-park community; the others anywhere. */
export const ENTERPRISE_INSPECTIONS_IN_INDUSTRIAL = 0.55;

/**
 * Appeals from enterprises (涉企诉求): a share of the appeals elsewhere and in the industrial-park
 * community, plus extra ones from the park's enterprises (a share of the district's daily
 * volume), so that most enterprise appeals come from the park.
 */
export const ENTERPRISE_SHARE_ELSEWHERE = 0.02;
export const ENTERPRISE_SHARE_INDUSTRIAL = 0.15;
export const ENTERPRISE_EXTRA_SHARE = 0.025;
export const ENTERPRISE_CHANNEL_MIX: Record<string, number> = {
  enterprise: 45,
  hotline_12345: 30,
  at_pingshan: 10,
  gov_mailbox: 8,
  walk_in: 7,
};
/** Residents do not use the enterprise platform. */
export const RESIDENT_CHANNEL_MIX: Record<string, number> = Object.fromEntries(
  Object.entries(CHANNEL_MIX).filter(([c]) => c !== 'enterprise'),
);
export const ENTERPRISE_CATEGORY_MIX: Record<string, number> = {
  '8': 22,
  '1': 16,
  '4': 12,
  '3': 12,
  '6': 10,
  '7': 10,
  '9': 8,
  '5': 6,
  '2': 4,
};

/**
 * City components: faults per simulated day in the whole district, spread over the registered
 * components by type in proportion to count × proneness (lights, cabinets and devices fail more
 * often than trees and signs). A fault is repaired after FAULT_TO_REPAIR_HOURS and done after
 * REPAIR_HOURS; FAULT_SCAN_SHARE of faults are reported by scanning the component's smart code,
 * and REPAIR_SCAN_SHARE of repairs are closed with an inspection scan.
 */
export const COMPONENT_FAULTS_PER_DAY = 100;
export const FAULT_PRONENESS: Record<string, number> = {
  street_light: 3,
  light_cabinet: 4,
  smart_pole: 4,
  traffic_light: 3,
  camera: 3,
  public_toilet: 3,
  refuse_station: 2,
  telecom_cabinet: 1,
  litter_bin: 1.2,
  fitness_equipment: 1.2,
  bus_shelter: 1,
  footbridge: 1,
  rain_grate: 0.6,
  guardrail: 0.6,
  manhole_cover: 0.5,
  fire_hydrant: 0.5,
  bollard: 0.5,
  bench: 0.5,
  newsstand: 0.5,
  traffic_sign: 0.4,
  bike_rack: 0.4,
  road_name_sign: 0.3,
  street_tree: 0.15,
};
export const FAULT_TO_REPAIR_HOURS: readonly [number, number] = [1, 36];
export const REPAIR_HOURS: readonly [number, number] = [1, 10];
export const FAULT_SCAN_SHARE = 0.4;
export const REPAIR_SCAN_SHARE = 0.5;
/** Smart poles that drop off the network per simulated day, and for how long (simulated minutes). */
export const POLE_OUTAGES_PER_DAY = 8;
export const POLE_OUTAGE_MINUTES: readonly [number, number] = [20, 480];

export const ALERT_OUTCOME_MIX = { confirmed: 62, dismissed: 38 };
/** Share of alerts that wait hours for someone to acknowledge them (night shifts, busy halls). */
export const SLOW_ACK_SHARE = 0.08;

export const SURNAMES = [
  '王',
  '李',
  '张',
  '刘',
  '陈',
  '杨',
  '黄',
  '赵',
  '吴',
  '周',
  '徐',
  '孙',
  '马',
  '朱',
  '胡',
  '郭',
  '何',
  '林',
  '罗',
  '郑',
  '梁',
  '谢',
  '宋',
  '唐',
  '曾',
  '邓',
  '叶',
  '钟',
  '温',
  '廖',
];
export const GIVEN = [
  '伟',
  '芳',
  '娜',
  '敏',
  '静',
  '丽',
  '强',
  '磊',
  '军',
  '洋',
  '勇',
  '艳',
  '杰',
  '娟',
  '涛',
  '明',
  '超',
  '秀英',
  '华',
  '平',
  '建华',
  '志强',
  '晓东',
  '海燕',
  '文',
  '斌',
];
export const PLACES = [
  '路口',
  '小区门口',
  '农贸市场旁',
  '公交站附近',
  '工业园内',
  '学校周边',
  '河道旁',
  '商业街',
  '城中村巷道',
  '地铁站出口',
];
export const DISMISS_REASONS = ['误报：行人遮挡', '误报：光线反射', '已自行整改', '非管辖范围', '重复告警'];
