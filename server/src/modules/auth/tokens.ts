/**
 * Secrets handed out (session, device and producer tokens) are 32 random bytes, base64url, with
 * a prefix saying what they are. Only their SHA-256 is stored: a copied database opens nothing.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export type TokenKind = 'session' | 'device' | 'key' | 'csrf';
const PREFIX: Record<TokenKind, string> = { session: 'chs_', device: 'chd_', key: 'chk_', csrf: '' };

export function newToken(kind: TokenKind): string {
  return PREFIX[kind] + randomBytes(32).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Constant-time comparison of two strings (for the CSRF double submit). */
export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
