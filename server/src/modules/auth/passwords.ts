/** Password hashing with argon2id (OWASP's recommended parameters are @node-rs/argon2's defaults). */
import { hash, verify } from '@node-rs/argon2';

export const MIN_PASSWORD_LENGTH = 10;

export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    return false; // a malformed stored hash opens nothing
  }
}

/**
 * A hash of a password nobody has, verified against when the username is unknown, so that a
 * wrong username takes as long as a wrong password and timing does not tell them apart.
 */
let decoy: Promise<string> | null = null;
export function decoyHash(): Promise<string> {
  return (decoy ??= hash('no such user: timing decoy'));
}
