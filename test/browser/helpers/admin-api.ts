/** The REST API as a signed-in person, from the test process (cookie and CSRF token kept here). */
export interface ApiSession {
  get(path: string): Promise<Response>;
  send(method: 'PUT' | 'POST' | 'PATCH' | 'DELETE', path: string, body: unknown): Promise<Response>;
}

export async function signInApi(base: string, username: string, password: string): Promise<ApiSession> {
  const res = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (!res.ok) throw new Error(`sign-in of ${username} failed: ${res.status} ${await res.text()}`);
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return {
    get: (path) => fetch(`${base}${path}`, { headers: { cookie } }),
    send: (method, path, body) =>
      fetch(`${base}${path}`, {
        method,
        headers: { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json', origin: base },
        body: JSON.stringify(body),
      }),
  };
}
