/**
 * The community registry of the default district: it matches the geography, tags one industrial
 * and one river community, is what its script generates, and a bad file is refused with reasons.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  GRID_PROFILE_KEYS,
  communitiesTagged,
  communityProfiles,
  profileOf,
  taxonomy,
  validateCommunityProfiles,
} from '@commandhall/shared';
import { DEFAULT_GEOGRAPHY_FILE, loadGeography } from '../src/geography/index.ts';
import { tempDir } from './helpers.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DATA = join(ROOT, 'shared/data/community-profiles.json');

describe('community registry', () => {
  it('has one entry per community of the default geography, the district totals of its 2021 report, 474 smart poles', () => {
    const geo = loadGeography(DEFAULT_GEOGRAPHY_FILE);
    expect(communityProfiles.communities.map((c) => c.code).sort()).toEqual(geo.communities.map((c) => c.code).sort());
    for (const c of geo.communities) expect(profileOf(c.code)!.name).toBe(c.name);
    const sum = (k: (typeof GRID_PROFILE_KEYS)[number]) => communityProfiles.communities.reduce((s, c) => s + c.profile[k], 0);
    expect(sum('population')).toBe(679_782);
    expect(sum('buildings')).toBe(41_301);
    expect(sum('housingUnits')).toBe(539_882);
    expect(sum('legalEntities')).toBe(25_303);
    expect(sum('households')).toBeLessThan(sum('population'));
    expect(sum('gridInspectors')).toBeGreaterThanOrEqual(sum('gridCells'));
    expect(communityProfiles.communities.reduce((s, c) => s + c.components.smart_pole, 0)).toBe(474);
    for (const c of communityProfiles.communities)
      expect(Object.keys(c.components).sort()).toEqual(taxonomy.componentTypes.map((t) => t.code).sort());
    expect(communityProfiles.note).toMatch(/SIMULATED/);
  });

  it('tags exactly one industrial-park and one river community', () => {
    expect(communitiesTagged('industrial')).toEqual(['440310006004']);
    expect(communitiesTagged('river')).toEqual(['440310002004']);
    expect(profileOf('440310006004')!.name).toBe('老坑社区');
    expect(profileOf('440310002004')!.name).toBe('沙坣社区');
  });

  it('is exactly what scripts/build-community-profiles.ts writes', () => {
    const tmp = tempDir();
    const out = join(tmp.dir, 'profiles.json');
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/build-community-profiles.ts', '--out', out], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(run.status, run.stderr).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(readFileSync(DATA, 'utf8'));
    tmp.remove();
  });

  it('refuses a bad file, listing every problem with its path', () => {
    const good = JSON.parse(readFileSync(DATA, 'utf8'));
    const bad = structuredClone(good);
    bad.communities[1].code = bad.communities[0].code;
    bad.communities[2].components.spaceship = 3;
    bad.communities[3].code = '440999003004';
    expect(() => validateCommunityProfiles(bad)).toThrow(
      /listed twice[\s\S]*spaceship is not a known component type[\s\S]*not in area 440310/,
    );
    const wrongShape = structuredClone(good);
    wrongShape.communities[0].tags = ['harbour'];
    delete wrongShape.communities[0].profile.population;
    expect(() => validateCommunityProfiles(wrongShape)).toThrow(/\/communities\/0\/(tags|profile)/);
    expect(validateCommunityProfiles(good)).toEqual(good);
  });
});
