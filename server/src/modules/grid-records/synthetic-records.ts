/**
 * SYNTHETIC grid records for a demo: the buildings, legal entities and grid workers of every grid
 * cell, made up, deterministically (same geography and registry, same records), so that the
 * district's totals are those of its community registry (Pingshan's: the 2021 report's 679,782
 * residents, 41,301 buildings, 539,882 housing units and 25,303 legal entities). Every person in
 * them is invented; phone numbers are drawn from the 170 block and their names from common
 * family and given names. A real deployment imports its own (docs/grid-and-components.md).
 */
import type { CommunityProfiles } from '@commandhall/shared';
import { SINGLE_SURNAMES } from '@commandhall/shared/pii-surnames';
import type { AreaInfo, Geography } from '../../geography/index.ts';
import {
  BUILDING_USES,
  ENTITY_KINDS,
  RISK_LEVELS,
  type Building,
  type BuildingUse,
  type Entity,
  type GridWorker,
  type RiskLevel,
} from './records-store.ts';

/** mulberry32, as the other generators. */
function random(seed: number) {
  let s = seed >>> 0;
  const next = () => {
    let t = (s = (s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (a: number, b: number) => a + Math.floor(next() * (b - a + 1)),
    pick: <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)],
  };
}

/** Splits `total` in proportion to `weights`, in whole numbers that add up exactly (largest remainder). */
export function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0) || 1;
  const raw = weights.map((w) => (total * w) / sum);
  const out = raw.map(Math.floor);
  let left = total - out.reduce((a, b) => a + b, 0);
  const order = raw.map((r, i) => ({ i, frac: r - Math.floor(r) })).sort((a, b) => b.frac - a.frac || a.i - b.i);
  for (const { i } of order) {
    if (left-- <= 0) break;
    out[i]++;
  }
  return out;
}

const SURNAMES = [...SINGLE_SURNAMES].slice(0, 60);
const GIVEN = Array.from('伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红玉梅海燕文俊晓东');
const INDUSTRIES = [
  '电子信息',
  '生物医药',
  '新能源汽车',
  '零售',
  '餐饮',
  '物流',
  '建筑',
  '教育培训',
  '物业管理',
  '家政服务',
  '批发',
  '制造',
];
const FIRM_WORDS = ['华', '鹏', '坪', '兴', '创', '达', '盛', '瑞', '新', '联', '信', '安', '泰', '德', '恒', '嘉', '宏', '源'];
const FIRM_KINDS = ['科技有限公司', '实业有限公司', '电子有限公司', '贸易商行', '餐饮店', '物流有限公司', '建材经营部', '服务中心'];
const CREDIT_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';

export interface SyntheticRecords {
  buildings: Building[];
  entities: Entity[];
  workers: GridWorker[];
}

/** The records of every cell of the geography, shared out from each community's registry figures. */
export function syntheticRecords(geo: Geography, profiles: CommunityProfiles, seed = 20261129): SyntheticRecords {
  const rng = random(seed);
  const person = () => rng.pick(SURNAMES) + rng.pick(GIVEN) + (rng.next() < 0.6 ? rng.pick(GIVEN) : '');
  const phone = () => `170${String(rng.int(0, 99_999_999)).padStart(8, '0')}`;
  const risk = (): RiskLevel => RISK_LEVELS[rng.next() < 0.78 ? 0 : rng.next() < 0.8 ? 1 : 2];
  const out: SyntheticRecords = { buildings: [], entities: [], workers: [] };
  const byCommunity = new Map<string, AreaInfo[]>();
  for (const c of geo.cells) byCommunity.set(c.parent!, [...(byCommunity.get(c.parent!) ?? []), c]);
  let b = 0;
  let e = 0;
  for (const entry of profiles.communities) {
    const cells = byCommunity.get(entry.code);
    const community = geo.area(entry.code);
    if (!cells?.length || !community) continue;
    const street = geo.area(community.parent ?? '')?.name ?? '';
    const p = entry.profile;
    const industrial = entry.tags.includes('industrial');
    const weights = cells.map(() => 0.6 + rng.next() * 0.8);
    const buildings = apportion(p.buildings, weights);
    const units = apportion(p.housingUnits, weights);
    const people = apportion(p.population, weights);
    const entities = apportion(p.legalEntities, weights);
    cells.forEach((cell, i) => {
      const seq = cell.code.slice(-2);
      out.workers.push({ cell: cell.code, id: `GW-${cell.code}`, name: person(), phone: phone() });
      const bw = Array.from({ length: buildings[i] }, () => 0.3 + rng.next() * 1.7);
      const cellUnits = apportion(units[i], bw);
      const cellPeople = apportion(people[i], bw);
      for (let k = 0; k < buildings[i]; k++) {
        const use: BuildingUse =
          industrial && rng.next() < 0.4 ? 'industrial' : rng.next() < 0.72 ? 'residential' : rng.pick(BUILDING_USES);
        b++;
        out.buildings.push({
          id: `B${geo.root.code}${String(b).padStart(6, '0')}`,
          cell: cell.code,
          name: `${community.name.replace(/社区$/, '')}${seq}片区${k + 1}栋`,
          address: `${street}${community.name}第${seq}网格${k + 1}栋`,
          use,
          floors: use === 'residential' ? rng.int(3, 33) : rng.int(1, 12),
          housingUnits: cellUnits[k],
          residents: cellPeople[k],
          manager: { name: person(), phone: phone() },
          risk: risk(),
        });
      }
      for (let k = 0; k < entities[i]; k++) {
        const kind = rng.next() < 0.55 ? 'enterprise' : rng.next() < 0.85 ? 'individual' : ENTITY_KINDS[2];
        e++;
        out.entities.push({
          id: `E${geo.root.code}${String(e).padStart(6, '0')}`,
          cell: cell.code,
          name:
            kind === 'organisation'
              ? `${community.name}${rng.pick(['居民委员会', '党群服务中心', '幼儿园', '社区健康服务中心'])}${k + 1}`
              : `深圳市${rng.pick(FIRM_WORDS)}${rng.pick(FIRM_WORDS)}${rng.pick(FIRM_KINDS)}`,
          creditCode: `9144${geo.root.code.slice(2)}` + Array.from({ length: 10 }, () => rng.pick(Array.from(CREDIT_CHARS))).join(''),
          kind,
          industry: industrial && rng.next() < 0.6 ? rng.pick(INDUSTRIES.slice(0, 3)) : rng.pick(INDUSTRIES),
          employees: kind === 'individual' ? rng.int(1, 8) : rng.int(3, industrial ? 900 : 120),
          address: `${street}${community.name}第${seq}网格`,
          legalRep: { name: person(), phone: phone() },
          risk: risk(),
        });
      }
    });
  }
  return out;
}
