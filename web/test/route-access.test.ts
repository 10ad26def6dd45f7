/** Where the route guard sends each principal (the pure `decide` behind every navigation). */
import { describe, expect, it } from 'vitest';
import { decide } from '../src/router.ts';

const COMMUNITY = 'community:440310001001';
const to = (name: string, params: Record<string, string> = {}, access: 'public' | 'principal' | 'admin' = 'principal') => ({
  name,
  params,
  query: {},
  fullPath: `/${name}/${params.scope ?? params.section ?? ''}`,
  meta: { access },
});
const principal = (home: string, readable: string[], extra: Partial<{ isAdmin: boolean; isPerson: boolean }> = {}) => ({
  status: 'signed-in',
  home,
  isAdmin: false,
  isPerson: true,
  canRead: (s: string) => readable.includes(s),
  ...extra,
});

describe('route access', () => {
  const director = principal(COMMUNITY, [COMMUNITY]);

  it('lets a principal open what it may read', () => {
    expect(decide(to('console', { scope: COMMUNITY }), director)).toBe(true);
    expect(decide(to('wall', { scope: COMMUNITY }), director)).toBe(true);
  });

  it('sends an out-of-area or forged scope back to the principal’s own area', () => {
    for (const scope of ['district:440310', 'street:440310001', 'community:440310001002', 'community:../../x', 'nonsense']) {
      expect(decide(to('console', { scope }), director)).toMatchObject({ name: 'console', params: { scope: COMMUNITY } });
    }
  });

  it('opens the root on the principal’s own wall', () => {
    expect(decide(to('home'), director)).toMatchObject({ name: 'hall', params: { scope: COMMUNITY } });
  });

  it('sends walls without a principal to pairing, people to sign-in, revoked displays to "not paired"', () => {
    const anon = { status: 'anonymous', home: null, isAdmin: false, isPerson: false, canRead: () => false };
    expect(decide(to('home'), anon)).toMatchObject({ name: 'pair' });
    expect(decide(to('console', { scope: COMMUNITY }), anon)).toMatchObject({ name: 'signin', query: { next: expect.any(String) } });
    expect(decide(to('wall', { scope: COMMUNITY }), { ...anon, status: 'unpaired' })).toMatchObject({
      name: 'pair',
      query: { reason: 'revoked' },
    });
  });

  it('keeps admin pages to administrators', () => {
    expect(decide(to('admin', { section: 'users' }, 'admin'), director)).toMatchObject({ name: 'console' });
    const admin = principal('district:440310', ['district:440310'], { isAdmin: true });
    expect(decide(to('admin', { section: 'users' }, 'admin'), admin)).toBe(true);
  });

  it('does not block while the server cannot be asked', () => {
    expect(decide(to('wall', { scope: COMMUNITY }), { ...director, status: 'unreachable' })).toBe(true);
  });
});
