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
export const SCANS_PER_DAY = 240;
export const CAMERAS_PER_COMMUNITY = 8;

/** The video platform's heartbeat period, in real time (the server's allowance is a few of them). */
export const HEARTBEAT_EVERY_MS = 30_000;
/** Cameras that fall silent per simulated day in the whole district, and for how long (simulated minutes). */
export const CAMERA_OUTAGES_PER_DAY = 12;
export const CAMERA_OUTAGE_MINUTES: readonly [number, number] = [30, 360];

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
