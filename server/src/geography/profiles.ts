/**
 * The community registry a deployment uses (grid statistics, registered components, tags): shared's
 * Pingshan registry by default, or `PROFILES_FILE` for another district or a city. A registry of
 * another area than the geography's would silently give every figure it feeds a zero, so a
 * mismatch is refused at start, naming both.
 */
import { readFileSync } from 'node:fs';
import { communityProfiles, validateCommunityProfiles, type CommunityProfiles } from '@commandhall/shared';
import type { Geography } from './format.ts';

/** An empty registry for the geography's area: no grid statistics, no components. */
const emptyFor = (geo: Geography): CommunityProfiles => ({
  version: 1,
  note: `no community registry for ${geo.root.name}: set PROFILES_FILE`,
  district: geo.root.code,
  communities: [],
});

/**
 * Loads and checks the registry for `geo`.
 * @param file `PROFILES_FILE`, or undefined for the default
 * @param warn told when the default registry is not of this geography (an empty one is used)
 * @throws Error when the file is unreadable, invalid, or of another area than the geography
 */
export function loadProfiles(file: string | undefined, geo: Geography, warn: (msg: string) => void): CommunityProfiles {
  if (!file) {
    if (communityProfiles.district === geo.root.code) return communityProfiles;
    warn(
      `the built-in community registry is Pingshan's, not ${geo.root.name}'s: grid statistics and components stay empty (set PROFILES_FILE)`,
    );
    return emptyFor(geo);
  }
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`PROFILES_FILE ${file}: ${(err as Error).message}`, { cause: err });
  }
  const profiles = validateCommunityProfiles(json);
  if (profiles.district !== geo.root.code)
    throw new Error(`PROFILES_FILE ${file} is the registry of ${profiles.district}, but the geography serves ${geo.rootScope}`);
  const unknown = profiles.communities.filter((c) => geo.area(c.code)?.level !== 'community').map((c) => c.code);
  if (unknown.length)
    throw new Error(
      `PROFILES_FILE ${file} lists communities the geography does not have: ${unknown.slice(0, 5).join(', ')}${unknown.length > 5 ? '…' : ''}`,
    );
  return profiles;
}
