/** Whoever a request or a socket acts for: a signed-in person or a paired wall device. */
import type { AccessPrincipal, Actor } from '@commandhall/shared';
import { RequestError } from '../../util/request-error.ts';

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

/** Why an account, device or key change is refused, as an HTTP answer (the admin CLI prints it). */
export class AuthError extends RequestError {}
