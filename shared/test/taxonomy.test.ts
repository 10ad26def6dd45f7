import { describe, expect, it } from 'vitest';
import { isKnown, isSubcategoryOf, taxonomy, taxonomyLabel, validateTaxonomy, type Taxonomy } from '../src/index.ts';

/** The 134 second-level appeal categories (大类) of Pingshan's appeal data, in the source's order. */
const SECOND_LEVEL =
  `行政效能 宣传舆论 医政监管 人口计生 教育体制 教育行政管理 文化 人力资源 社会组织 福利慈善 人口房屋 市容城管 物业服务管理监督
社区公共管理 住宅区（园区）或建筑物内安全、环卫问题 交通管理 民间纠纷 经济违法行为举报 经济纠纷 普法教育 警务督察 刑案侦破 户籍证件
工业噪声 建筑施工噪声 商业经营噪声 营业性文化娱乐噪声 交通运输噪声 社会生活噪声 禽畜养殖污染 工业、住宅废气扰民 服务行业废气扰民 水污染
扬尘污染 危险废物、化学品污染 固体废物 核安全 环保标志管理 生态破坏 跨河桥、河堤、河道破损 供、排水及水质问题 土地资源管理 征转地审批
违法建筑与用地行为 房屋征收 城乡规划 住房保障和房地产 建筑市场 建筑设计 建筑安装 垃圾问题 渣土问题 道路保洁 公共设施保洁 绿化养护 废弃物堆放
占道经营 车辆乱停放 安全生产 宣传广告违法行为 其他市容违法行为或影响市容事件 环卫设施设置及维护 交通设施 道路设施 公用部件
市政、公共设施设置及维护 城市公共资源管理 道路规划建设 更改房屋结构 公共交通管理 网约车管理 建筑消防安全 消防设施安全 线路消防安全 燃气安全
危险化学品安全 道路交通安全 劳动就业 劳动保护 校园安全 劳动社保 食品安全 药品（医疗器械）监管 无证无照经营 价格监管 建设工程质量 商标管理
市场垄断 互联网与通讯 地质安全 消费维权 知识产权 文化市场违法行为 食药监问题 卫生问题 旅游市场管理 综合事件采集 体育 医疗机构违规经营
医疗机构违规收费 面源污染隐患 医患纠纷 义工联 工作纪律 公共卫生 违反计生政策 出入境检验检疫 社区建设 招生中的违法行为 工商经济联络 双拥优抚
教学违规 复退安置 社会救助 小散乱污 其他公共安全隐患 教师队伍和待遇 教育收费 招录辞退 编制职务 军转安置 党的建设 社会治安 经济管理 表达情感
野生资源管理 宣传教育 环保管理 城市建设和市政管理 集体土地上房屋拆迁与补偿 国有土地上房屋征收与补偿 科学技术 信息化建设 质监检验检疫`.split(
    /\s+/,
  );

const TOP_LEVEL: [code: string, zh: string][] = [
  ['1', '安全隐患'],
  ['2', '治安维稳'],
  ['3', '环保水务'],
  ['4', '规土城建'],
  ['5', '市容环卫'],
  ['6', '市政设施'],
  ['7', '交通运输'],
  ['8', '劳动社保'],
  ['9', '食药市监'],
  ['10', '文体旅游'],
  ['11', '教育卫生'],
  ['12', '组织人事'],
  ['13', '党建群团'],
  ['14', '党纪政纪'],
  ['15', '民政服务'],
  ['16', '统一战线'],
  ['17', '社区管理'],
  ['695', '专业事件采集'],
];

const CHANNELS = [
  'hotline_12345',
  'hotline_12319',
  'at_pingshan',
  'meili_shenzhen',
  'gov_mailbox',
  'landline',
  'wechat',
  'walk_in',
  'grid',
  'video_ai',
  'smart_code',
  'enterprise',
  'open311',
];

const ALGORITHMS = [
  'shop_outside',
  'street_hanging',
  'road_vending',
  'mobile_vendor',
  'exposed_garbage',
  'bin_overflow',
  'debris_piling',
  'vehicle_parking',
  'bike_parking',
  'illegal_ads',
  'open_bbq',
  'construction_occupation',
  'muck_truck',
  'road_spill',
  'water_floating',
  'crowd_gathering',
];

const copy = (): Taxonomy => structuredClone(taxonomy);
const problemsOf = (value: unknown): string => {
  try {
    validateTaxonomy(value);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected validateTaxonomy to throw');
};

describe('default taxonomy', () => {
  it('has the six natures in order with fixed codes', () => {
    expect(taxonomy.version).toBe(1);
    expect(taxonomy.natures.map((n) => [n.code, n.zh])).toEqual([
      ['request', '求决'],
      ['complaint', '投诉'],
      ['enquiry', '咨询'],
      ['suggestion', '建议'],
      ['thanks', '感谢'],
      ['other', '其他'],
    ]);
  });

  it('has the fixed channel codes', () => {
    expect(taxonomy.channels.map((c) => c.code).sort()).toEqual([...CHANNELS].sort());
  });

  it('has the 18 top-level types with the dataset ids as codes', () => {
    expect(taxonomy.categories.map((c) => [c.code, c.zh])).toEqual(TOP_LEVEL);
    for (const c of taxonomy.categories) expect(c.subcategories.length, `category ${c.code}`).toBeGreaterThan(0);
  });

  it('holds each of the 134 second-level categories exactly once, and nothing else', () => {
    expect(SECOND_LEVEL).toHaveLength(134);
    const names = taxonomy.categories.flatMap((c) => c.subcategories.map((s) => s.zh));
    expect(names).toHaveLength(134);
    expect([...names].sort()).toEqual([...SECOND_LEVEL].sort());
  });

  it('numbers subcategories "<top>-<2 digits>" in order within each type', () => {
    for (const c of taxonomy.categories) {
      c.subcategories.forEach((s, i) => expect(s.code).toBe(`${c.code}-${String(i + 1).padStart(2, '0')}`));
    }
  });

  it('places some well-known categories where expected', () => {
    const topOf = (zh: string) => taxonomy.categories.find((c) => c.subcategories.some((s) => s.zh === zh))?.code;
    expect(topOf('占道经营')).toBe('5');
    expect(topOf('车辆乱停放')).toBe('5');
    expect(topOf('水污染')).toBe('3');
    expect(topOf('燃气安全')).toBe('1');
    expect(topOf('食品安全')).toBe('9');
    expect(topOf('劳动就业')).toBe('8');
    expect(topOf('综合事件采集')).toBe('695');
  });

  it('has the 16 default video AI algorithms, each mapping to an existing category and one of its subcategories', () => {
    expect(taxonomy.algorithms.length).toBeGreaterThanOrEqual(13);
    expect(taxonomy.algorithms.map((a) => a.code)).toEqual(ALGORITHMS);
    for (const a of taxonomy.algorithms) {
      const cat = taxonomy.categories.find((c) => c.code === a.category);
      expect(cat, `algorithm ${a.code}`).toBeDefined();
      expect(
        cat!.subcategories.map((s) => s.code),
        `algorithm ${a.code}`,
      ).toContain(a.subcategory);
    }
    const road = taxonomy.algorithms.find((a) => a.code === 'road_vending')!;
    expect(taxonomyLabel('subcategory', road.subcategory)).toBe('占道经营');
  });

  it('has at least ten component types including the common ones', () => {
    const codes = taxonomy.componentTypes.map((c) => c.code);
    expect(codes.length).toBeGreaterThanOrEqual(10);
    for (const c of [
      'manhole_cover',
      'street_light',
      'litter_bin',
      'fire_hydrant',
      'smart_pole',
      'bus_shelter',
      'traffic_sign',
      'camera',
      'bench',
      'public_toilet',
    ]) {
      expect(codes).toContain(c);
    }
  });

  it('has a Chinese name and an English gloss on every entry, and English glosses are not Chinese', () => {
    const all = [
      ...taxonomy.natures,
      ...taxonomy.channels,
      ...taxonomy.categories,
      ...taxonomy.categories.flatMap((c) => c.subcategories),
      ...taxonomy.algorithms,
      ...taxonomy.componentTypes,
    ];
    for (const e of all) {
      expect(e.zh, e.code).toMatch(/[\u4e00-\u9fff]/);
      expect(e.en, e.code).toMatch(/^[A-Z0-9@]/);
      expect(e.en, e.code).not.toMatch(/[\u4e00-\u9fff]/);
    }
  });
});

describe('lookups', () => {
  it('isKnown checks membership per kind', () => {
    expect(isKnown('nature', 'complaint')).toBe(true);
    expect(isKnown('channel', 'video_ai')).toBe(true);
    expect(isKnown('category', '695')).toBe(true);
    expect(isKnown('subcategory', '5-01')).toBe(true);
    expect(isKnown('algorithm', 'muck_truck')).toBe(true);
    expect(isKnown('componentType', 'manhole_cover')).toBe(true);
    expect(isKnown('category', '18')).toBe(false);
    expect(isKnown('channel', 'request')).toBe(false);
    expect(isKnown('subcategory', '5')).toBe(false);
  });

  it('isSubcategoryOf checks the parent', () => {
    expect(isSubcategoryOf('5', '5-01')).toBe(true);
    expect(isSubcategoryOf('3', '5-01')).toBe(false);
    expect(isSubcategoryOf('5', '5-99')).toBe(false);
  });

  it('taxonomyLabel returns zh by default, en on request, and the code when unknown', () => {
    expect(taxonomyLabel('category', '5')).toBe('市容环卫');
    expect(taxonomyLabel('category', '5', 'zh')).toBe('市容环卫');
    expect(taxonomyLabel('category', '5', 'en')).toBe('City appearance & sanitation');
    expect(taxonomyLabel('category', '8', 'en')).toBe('Labour & social security');
    expect(taxonomyLabel('nature', 'request', 'en')).toBe('Request');
    expect(taxonomyLabel('channel', 'hotline_12345')).toBe('12345热线');
    expect(taxonomyLabel('algorithm', 'shop_outside')).toBe('店外经营');
    expect(taxonomyLabel('componentType', 'manhole_cover', 'en')).toBe('Manhole cover');
    expect(taxonomyLabel('channel', 'carrier_pigeon', 'en')).toBe('carrier_pigeon');
  });
});

describe('validateTaxonomy', () => {
  it('accepts the default data', () => {
    expect(validateTaxonomy(copy())).toEqual(taxonomy);
  });

  it('rejects a duplicate code, naming it and both places', () => {
    const t = copy();
    t.channels.push({ ...t.channels[0], zh: '重复', en: 'Duplicate' });
    expect(problemsOf(t)).toContain(`duplicate channel code "hotline_12345" at /channels/0 and /channels/${t.channels.length - 1}`);
  });

  it('rejects a duplicate subcategory code across categories', () => {
    const t = copy();
    t.categories[1].subcategories.push({ code: '1-01', zh: '重复', en: 'Duplicate' });
    const msg = problemsOf(t);
    expect(msg).toContain('duplicate subcategory code "1-01"');
    expect(msg).toContain('should start with "2-"');
  });

  it('rejects a missing English gloss, with its path', () => {
    const t = copy() as unknown as { natures: Record<string, unknown>[] };
    delete t.natures[2].en;
    expect(problemsOf(t)).toMatch(/\/natures\/2 is missing required field "en"/);
  });

  it('rejects an algorithm pointing to an unknown category or to a subcategory of another one', () => {
    const t = copy();
    t.algorithms[0].category = '99';
    t.algorithms[1].subcategory = '3-01';
    const msg = problemsOf(t);
    expect(msg).toContain('/algorithms/0/category "99" is not a known category code');
    expect(msg).toContain('/algorithms/1/subcategory "3-01" belongs to category "3", not "5"');
  });

  it('lists every problem at once', () => {
    const t = copy() as unknown as Record<string, unknown> & Taxonomy;
    t.natures.push({ ...t.natures[0] });
    delete (t.componentTypes[0] as Partial<Taxonomy['componentTypes'][0]>).en;
    t.algorithms[0].category = 'nope';
    t.extra = true;
    const msg = problemsOf(t);
    expect(msg).toMatch(/^Invalid taxonomy \(5 problems\):/);
    expect(msg).toContain('(root) has unknown field "extra"');
    expect(msg).toContain('/componentTypes/0 is missing required field "en"');
    expect(msg).toContain('duplicate nature code "request"');
    expect(msg).toContain('duplicate nature name "求决"');
    expect(msg).toContain('/algorithms/0/category "nope" is not a known category code');
  });

  it('rejects values that are not a taxonomy at all', () => {
    expect(problemsOf(null)).toMatch(/Invalid taxonomy/);
    expect(problemsOf({ version: 2 })).toMatch(/\/version must be equal to constant/);
  });
});
