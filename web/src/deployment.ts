/**
 * The deployment this app serves, as the server says (`GET /api/v1/deployment`): the area at its
 * top (a district, or a city) and its local time. Nothing about the area is built into the bundle: `main.ts` loads this
 * before it mounts the app, and tests set it (`setDeployment`) for the geography they use.
 */
export interface Deployment {
  root: { scope: string; level: 'city' | 'district'; code: string; name: string };
  /** Minutes east of UTC, no daylight saving (480 for China). */
  utcOffsetMinutes: number;
}

let current: Deployment | null = null;

/** The deployment; throws before it is loaded (a bug: main.ts loads it before mounting). */
export function deployment(): Deployment {
  if (!current) throw new Error('the deployment is not loaded yet: main.ts loads it before mounting the app');
  return current;
}

export function setDeployment(d: Deployment): void {
  current = d;
}

/** The top's scope id (the district, or the city), where a screen with no scope of its own starts. */
export const rootScope = (): string => deployment().root.scope;

/** The local offset as RFC 3339 writes it: `+08:00`. */
export function offsetSuffix(minutes = deployment().utcOffsetMinutes): string {
  const sign = minutes < 0 ? '-' : '+';
  const m = Math.abs(minutes);
  return `${sign}${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

/** Asks the server until it answers: a wall that boots before its server comes up waits for it. */
export async function loadDeployment(fetchFn: typeof fetch = fetch, retryMs = 3000): Promise<Deployment> {
  for (;;) {
    try {
      const r = await fetchFn('/api/v1/deployment', { headers: { accept: 'application/json' } });
      if (r.ok) {
        const d = (await r.json()) as Deployment;
        setDeployment(d);
        return d;
      }
    } catch {
      // unreachable: try again
    }
    await new Promise((resolve) => setTimeout(resolve, retryMs));
  }
}
