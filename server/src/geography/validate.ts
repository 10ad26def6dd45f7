/**
 * Validates a geography FeatureCollection as a whole: each feature's properties and geometry,
 * the code hierarchy ((city →) district → street → community), and that every area lies in its
 * parent. Collects every problem instead of stopping at the first,
 * so whoever prepares a district's data sees all that is wrong in one run.
 */
import * as turf from '@turf/turf';
import {
  CODE_DIGITS,
  CONTAINMENT_TOLERANCE,
  FORMAT_VERSION,
  LEVELS,
  PARENT_LEVEL,
  describeFeature,
  type AreaGeometry,
  type AreaInfo,
  type AreaLevel,
} from './format.ts';
import { checkGeometry } from './validate-geometry.ts';

export interface ValidatedArea {
  info: AreaInfo;
  /** Null when the geometry failed its checks (the validation then has problems). */
  geometry: AreaGeometry | null;
  label: string;
}

export interface Validation {
  problems: string[];
  /** Areas whose level and code parsed, in file order; complete and exact only when `problems` is empty. */
  areas: ValidatedArea[];
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const show = (v: unknown): string => (v === undefined ? 'nothing' : JSON.stringify(v));

/**
 * Checks one feature's properties. Returns the area as soon as its level and code are usable, even
 * when other properties are wrong (those are reported here and hold placeholders): the hierarchy
 * checks still see the feature, so one bad name does not cascade into "no district" and the like.
 */
function checkProperties(label: string, props: Record<string, unknown>, problems: string[]): AreaInfo | null {
  const problem = (msg: string) => problems.push(`${label}: ${msg}`);

  const level = props.level as AreaLevel;
  // grid cells live in their own file (GRID_FILE, grid.ts): a geography stays the same for a deployment without them
  const levelOk = LEVELS.includes(level) && level !== 'grid';
  if (level === 'grid') problem('grid cells belong in the grid file (GRID_FILE), not in the geography');
  else if (!levelOk) problem(`property "level" must be "city", "district", "street" or "community" (got ${show(props.level)})`);

  const code = props.code;
  let codeOk = false;
  if (typeof code !== 'string' || !/^\d+$/.test(code)) {
    problem(`property "code" must be a string of digits (got ${show(code)})`);
  } else if (levelOk && code.length !== CODE_DIGITS[level]) {
    problem(`code "${code}" has ${code.length} digits; a ${level} code has ${CODE_DIGITS[level]}`);
  } else {
    codeOk = true;
  }

  for (const key of ['name', 'nameEn'] as const) {
    if (typeof props[key] !== 'string' || (props[key] as string).trim() === '') {
      problem(`missing or empty property "${key}" (${key === 'name' ? 'Chinese name' : 'English name'})`);
    }
  }

  // A malformed parent is reported here and then treated as absent, so it is not reported twice.
  let parent: string | null = null;
  if (levelOk) {
    const given = props.parent ?? null;
    const parentLevel = PARENT_LEVEL[level];
    if (parentLevel === null) {
      if (given !== null) problem(`a ${level} has no parent: "parent" must be null (got ${show(given)})`);
    } else if (given === null) {
      // a district without a parent is the top of a district's own file (checkHierarchy decides)
      if (level !== 'district') problem(`missing parent: a ${level} needs "parent", the code of its ${parentLevel}`);
    } else if (typeof given !== 'string' || !new RegExp(`^\\d{${CODE_DIGITS[parentLevel]}}$`).test(given)) {
      problem(`parent ${show(given)} is not a ${parentLevel} code (a string of ${CODE_DIGITS[parentLevel]} digits)`);
    } else {
      parent = given;
    }
  }

  const c = props.center;
  let center: [number, number] = [0, 0];
  if (!Array.isArray(c) || c.length !== 2 || !c.every((v) => Number.isFinite(v))) {
    problem(`property "center" must be [lon, lat] (got ${show(c)})`);
  } else if (Math.abs(c[0]) > 180 || Math.abs(c[1]) > 90) {
    problem(`property "center" ${show(c)} is not WGS84 [lon, lat]`);
  } else {
    center = [c[0], c[1]];
  }

  if (props.schematic !== undefined && typeof props.schematic !== 'boolean') {
    problem(`property "schematic" must be true or false when present (got ${show(props.schematic)})`);
  }

  if (!levelOk || !codeOk) return null;
  return {
    code: code as string,
    level,
    name: typeof props.name === 'string' ? props.name : '',
    nameEn: typeof props.nameEn === 'string' ? props.nameEn : '',
    parent,
    center,
  };
}

/** Checks codes: unique, one district, every parent present at the level above, codes nested. */
function checkHierarchy(areas: ValidatedArea[], problems: string[]): void {
  const byCode = new Map<string, ValidatedArea>();
  for (const a of areas) {
    const seen = byCode.get(a.info.code);
    if (seen) problems.push(`duplicate code ${a.info.code}: ${seen.label} and ${a.label}`);
    else byCode.set(a.info.code, a);
  }

  // the top: one city above its districts, or (a district's own file) one district and no city
  const cities = areas.filter((a) => a.info.level === 'city');
  const districts = areas.filter((a) => a.info.level === 'district');
  if (cities.length > 1) problems.push(`${cities.length} city features (${cities.map((c) => c.label).join(', ')}): at most one is allowed`);
  if (districts.length === 0) problems.push("no district feature: a district's file needs exactly one, a city's file at least one");
  if (cities.length === 0 && districts.length > 1) {
    problems.push(
      `${districts.length} district features (${districts.map((d) => d.label).join(', ')}): exactly one is needed, or a city feature above them`,
    );
  }
  if (cities.length === 1) {
    for (const d of districts)
      if (d.info.parent === null) problems.push(`${d.label}: missing parent: a district of a city needs "parent", the city's code`);
  }

  for (const a of areas) {
    const { level, parent, code } = a.info;
    const parentLevel = PARENT_LEVEL[level];
    if (parentLevel === null || parent === null) continue;
    const p = byCode.get(parent);
    if (!p || p.info.level !== parentLevel) {
      problems.push(`${a.label}: parent ${parent} is not a ${parentLevel} in this file`);
    }
    if (!code.startsWith(parent)) {
      problems.push(
        `${a.label}: code ${code} is not nested in its parent's code ${parent} (a ${level} code starts with its ${parentLevel}'s)`,
      );
    }
  }

  for (const s of areas.filter((a) => a.info.level === 'street')) {
    if (!areas.some((a) => a.info.level === 'community' && a.info.parent === s.info.code)) {
      problems.push(`${s.label}: street has no communities`);
    }
  }
  if (cities.length === 1) {
    for (const d of districts) {
      if (!areas.some((a) => a.info.level === 'street' && a.info.parent === d.info.code))
        problems.push(`${d.label}: district has no streets`);
    }
  }
}

/** Share of `inner`'s area outside `outer` (0 … 1). */
function shareOutside(inner: AreaGeometry, outer: AreaGeometry): number {
  const innerArea = turf.area(turf.feature(inner));
  if (innerArea === 0) return 0;
  const outside = turf.difference(turf.featureCollection([turf.feature(inner), turf.feature(outer)]));
  return outside ? turf.area(outside) / innerArea : 0;
}

/** Every community in its street and every street in the district, within the tolerance. */
function checkContainment(areas: ValidatedArea[], problems: string[]): void {
  const byCode = new Map(areas.map((a) => [a.info.code, a]));
  for (const a of areas) {
    const p = a.info.parent === null ? undefined : byCode.get(a.info.parent);
    if (!p || !a.geometry || !p.geometry || p.info.level !== PARENT_LEVEL[a.info.level]) continue;
    let share: number;
    try {
      share = shareOutside(a.geometry, p.geometry);
    } catch (err) {
      problems.push(`${a.label}: could not compare with its ${p.info.level} ${p.info.code}: ${(err as Error).message}`);
      continue;
    }
    if (share > CONTAINMENT_TOLERANCE) {
      const pct = (share * 100).toFixed(1);
      problems.push(
        `${a.label}: ${pct} % of its area lies outside its ${p.info.level} ${p.info.code} ${p.info.name} (at most ${CONTAINMENT_TOLERANCE * 100} % allowed)`,
      );
    }
  }
}

/**
 * Validates a parsed geography document.
 * @param json the document, e.g. the result of `JSON.parse` on the file
 * @returns every problem found (empty when valid) and the areas that parsed
 */
export function validateGeography(json: unknown): Validation {
  const problems: string[] = [];
  if (!isRecord(json) || json.type !== 'FeatureCollection') {
    const got = isRecord(json) ? `an object of type ${show(json.type)}` : Array.isArray(json) ? 'an array' : show(json);
    return { problems: [`not a GeoJSON FeatureCollection (got ${got})`], areas: [] };
  }
  if (!Array.isArray(json.features)) {
    return { problems: ['FeatureCollection has no "features" array'], areas: [] };
  }
  if (json.formatVersion !== undefined && json.formatVersion !== FORMAT_VERSION) {
    problems.push(`formatVersion ${show(json.formatVersion)} is not supported (this server reads ${FORMAT_VERSION})`);
  }

  const areas: ValidatedArea[] = [];
  json.features.forEach((f: unknown, i: number) => {
    if (!isRecord(f) || f.type !== 'Feature') {
      problems.push(`feature #${i} is not a GeoJSON Feature (type ${show(isRecord(f) ? f.type : f)})`);
      return;
    }
    if (!isRecord(f.properties)) {
      problems.push(`feature #${i}: missing properties (needs level, code, name, nameEn, parent, center)`);
      checkGeometry(`feature #${i}`, f.geometry).problems.forEach((p) => problems.push(p));
      return;
    }
    const label = describeFeature(i, f.properties);
    const info = checkProperties(label, f.properties, problems);
    const geo = checkGeometry(label, f.geometry);
    problems.push(...geo.problems);
    if (info) areas.push({ info, geometry: geo.geometry, label });
  });

  checkHierarchy(areas, problems);
  checkContainment(areas, problems);
  return { problems, areas };
}
