/**
 * The appeal detail names the video alert whose confirmation created the appeal (`sourceAlert`):
 * in brief, from the console's confirmation and from an upstream system's; null for any other
 * appeal; withheld from a principal who may see the appeal but not the alert (the alerts API's
 * rule); the same after a restart, which rebuilds it from the log.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { Value } from 'typebox/value';
import { AppealDetail, taxonomyLabel } from '@commandhall/shared';
import { makeApp, post, tempDir, testClock, LIULIAN } from '../helpers.ts';
import { addCamera } from '../cameras/helpers.ts';
import { COMMUNITY, DISTRICT, SIBLING, STREET, actAs, created, device, getAs, person, type Who } from './fixtures.ts';
import { actOnAlert, detection } from '../alerts/fixtures.ts';

const MIN = 60_000;
const SNAPSHOT = 'https://video.example/snapshots/VA-SRC.jpg';

describe('the video alert an appeal came from', () => {
  let app: FastifyInstance;
  const tmp = tempDir();
  const clock = testClock();
  const t = clock.now();
  const who: Record<string, Who> = {};
  let fromConsole = '';

  const accepted = async (events: unknown[]) => {
    const res = await post(app, events);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().results.map((r: { status: string }) => r.status)).toEqual(events.map(() => 'accepted'));
  };
  const detail = async (w: Who, id: string) => {
    const res = await getAs(app, w, `/api/v1/appeals/${encodeURIComponent(id)}`);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as AppealDetail;
    expect([...Value.Errors(AppealDetail, body)]).toEqual([]);
    return body;
  };
  /** Signs in again an account person() created (its password is person()'s). */
  const signIn = async (username: string): Promise<Who> => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username, password: `${username}-password-1` },
    });
    expect(res.statusCode, res.body).toBe(200);
    const cookies = ([] as string[]).concat(res.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]);
    return { name: username, cookie: cookies.join('; '), csrf: res.json().csrfToken };
  };

  beforeAll(async () => {
    app = await makeApp({ dataDir: tmp.dir, now: clock.now });
    who.district = await person(app, 'dir-district', 'district_director', DISTRICT);
    who.street = await person(app, 'dir-street', 'street_director', STREET);
    who.community = await person(app, 'dir-community', 'community_director', COMMUNITY);
    who.sibling = await person(app, 'dir-sibling', 'community_director', `community:${SIBLING.code}`);
    who.wall = await device(app, 'community hall', COMMUNITY);
    await addCamera(app, { id: 'CAM-SRC-1', name: '六联社区深坪路口', location: { lon: LIULIAN.lon, lat: LIULIAN.lat } });
    await accepted([
      detection(t - 10 * MIN, 'VA-SRC', { camera: 'CAM-SRC-1', algorithm: 'road_vending', snapshotUrl: SNAPSHOT }),
      detection(t - 8 * MIN, 'VA-SRC-b', { camera: 'CAM-SRC-1', algorithm: 'road_vending' }), // merges into VA-SRC
      detection(t - 5 * MIN, 'VA-SIB', { community: SIBLING.code, camera: 'CAM-SIB', algorithm: 'shop_outside' }),
      created(t - 20 * MIN, 'AP-PLAIN'),
    ]);
  });
  afterAll(async () => {
    await app.close();
    tmp.remove();
  });

  it('names the confirmed alert in the detail of the appeal its confirmation created', async () => {
    const res = await actOnAlert(app, who.community, 'VA-SRC', { action: 'confirm' });
    expect(res.statusCode, res.body).toBe(200);
    fromConsole = res.json().appealId;
    expect(fromConsole).toMatch(/^AP-VA-/);

    const body = await detail(who.community, fromConsole);
    expect(body.appeal.channel).toBe('video_ai');
    expect(body.sourceAlert).toEqual({
      id: 'VA-SRC',
      algorithm: 'road_vending',
      algorithmLabel: '占道经营',
      algorithmLabelEn: taxonomyLabel('algorithm', 'road_vending', 'en'),
      community: LIULIAN.code,
      cameraId: 'CAM-SRC-1',
      cameraName: '六联社区深坪路口',
      detectedAt: new Date(t - 10 * MIN).toISOString(),
      status: 'confirmed',
      hasSnapshot: true,
      snapshotUrl: SNAPSHOT,
    });
    expect(body.sourceAlert!.algorithmLabelEn).not.toBe('road_vending');
    // the same to everyone whose area holds the alert, walls included
    for (const w of [who.street, who.district, who.wall]) expect((await detail(w, fromConsole)).sourceAlert?.id).toBe('VA-SRC');
    // and the alert names the appeal: linked both ways
    expect((await getAs(app, who.community, '/api/v1/alerts/VA-SRC')).json().alert.appealId).toBe(fromConsole);
  });

  it('is null for an appeal no alert created', async () => {
    const body = await detail(who.community, 'AP-PLAIN');
    expect(body).toHaveProperty('sourceAlert', null);
  });

  it('comes with the answer to an action too', async () => {
    const res = await actAs(app, who.community, fromConsole, { action: 'verify' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().sourceAlert).toMatchObject({ id: 'VA-SRC', status: 'confirmed' });
  });

  it('is withheld from a principal who may see the appeal but not the alert', async () => {
    // an upstream system placed the appeal in 六联社区 and confirmed an alert of a sibling community with it
    await accepted([
      created(t - 2 * MIN, 'AP-UP'),
      {
        id: 'VA-SIB.confirmed',
        type: 'video_alert.confirmed',
        occurredAt: new Date(t - MIN).toISOString(),
        data: { alertId: 'VA-SIB', appealId: 'AP-UP', by: 'video-platform' },
      },
    ]);
    // 六联's director sees the appeal, not the alert: the alerts API says 404, the appeal names none
    expect((await getAs(app, who.community, '/api/v1/alerts/VA-SIB')).statusCode).toBe(404);
    const mine = await detail(who.community, 'AP-UP');
    expect(mine.appeal.id).toBe('AP-UP');
    expect(mine.sourceAlert).toBeNull();
    expect(JSON.stringify(mine)).not.toContain('VA-SIB');
    expect((await detail(who.wall, 'AP-UP')).sourceAlert).toBeNull();
    // the sibling's director sees the alert but not the appeal
    expect((await getAs(app, who.sibling, '/api/v1/alerts/VA-SIB')).statusCode).toBe(200);
    expect((await getAs(app, who.sibling, '/api/v1/appeals/AP-UP')).statusCode).toBe(404);
    // the street sees both
    expect((await detail(who.street, 'AP-UP')).sourceAlert).toMatchObject({
      id: 'VA-SIB',
      algorithm: 'shop_outside',
      algorithmLabel: '店外经营',
      community: SIBLING.code,
      cameraId: 'CAM-SIB',
      cameraName: null,
      status: 'confirmed',
      hasSnapshot: false,
      snapshotUrl: null,
    });
  });

  it('is rebuilt from the log after a restart', async () => {
    await app.close();
    app = await makeApp({ dataDir: tmp.dir, now: clock.now });
    who.street = await signIn('dir-street');
    who.community = await signIn('dir-community');
    expect((await detail(who.community, fromConsole)).sourceAlert).toMatchObject({ id: 'VA-SRC', hasSnapshot: true });
    expect((await detail(who.street, 'AP-UP')).sourceAlert?.id).toBe('VA-SIB');
    expect((await detail(who.community, 'AP-UP')).sourceAlert).toBeNull();
    expect((await detail(who.community, 'AP-PLAIN')).sourceAlert).toBeNull();
  });
});
