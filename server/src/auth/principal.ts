/** Whoever a request or a socket acts for: a signed-in person or a paired wall device. */
import type { AccessPrincipal, Actor } from '@commandhall/shared';

export interface Principal extends AccessPrincipal {
  kind: 'user' | 'device';
  id: number;
  /** Username or device name: what the audit log records. */
  name: string;
  role: Actor;
  /** Clearance to see personal data unmasked. Devices never have it. */
  pii: boolean;
  /** How the principal was recognised: CSRF applies to `session` only. */
  via: 'session' | 'token' | 'demo';
  /** Hash of the session token, to re-check the session on a long-lived socket. */
  session?: string;
}

/** The audit log's name for a principal, e.g. `user:admin` or `device:demo-wall`. */
export const actorOf = (p: Principal | null): string => (p ? `${p.kind}:${p.name}` : 'anonymous');

export class AuthError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
