/**
 * Account administration, beside a running server or without one: on DATA_DIR's `auth.sqlite`,
 * or on the PostgreSQL database every node shares when DATABASE_URL is set (as the server itself
 * chooses). A running server drops revoked devices and disabled users within seconds. Changes are
 * audited as `cli:<OS user>`. Secrets are printed once, here, and stored only as hashes. The
 * quarantine is each node's own, on DATA_DIR, in either mode.
 *
 *   node --import tsx server/src/cli/admin.ts <command> [arguments]   (see `help`)
 */
import { randomBytes } from 'node:crypto';
import { userInfo } from 'node:os';
import { pathToFileURL } from 'node:url';
import { EVENT_TYPES, ROLES, parseScope, type EventType, type Role } from '@commandhall/shared';
import { loadConfig } from '../config.ts';
import { loadGeography, DEFAULT_GEOGRAPHY_FILE } from '../geography/index.ts';
import { loadGrid } from '../geography/grid.ts';
import type { AuthStore } from '../modules/auth/auth-store.ts';
import { SqliteAuthStore } from '../modules/auth/sqlite-auth-store.ts';
import { PostgresAuthStore } from '../modules/auth/postgres-auth-store.ts';
import { openPool } from '../core/store/open-postgres.ts';
import type { Config } from '../config.ts';
import { AuthService, userView } from '../modules/auth/auth-service.ts';
import { AuthError } from '../modules/auth/principal.ts';
import { Quarantine } from '../core/store/quarantine.ts';

const HELP = `Command Hall administration (works on DATA_DIR, or on DATABASE_URL when it is set)

  list                                               users, wall devices and producer keys
  create-user <username> <role> <scope> [--pii] [--password <pw>]
                                                     roles: ${ROLES.join(', ')}
  reset-password <username> [--password <pw>]        signs the user out everywhere
  disable-user <username> | enable-user <username>
  issue-device <name> <scope>                        prints the device token once
  revoke-device <id>
  issue-key <name> [--types t1,t2] [--rate <batches per second; 0 unlimited>]
                                                     prints the API key once; types: ${EVENT_TYPES.join(', ')}
  revoke-key <id>
  quarantine list                                    events a projection could not fold, with their errors
  quarantine release <seq> [<seq> …] | --all         folds them again at the next start (the projections
                                                     that skipped them are rebuilt from the log)

Without --password, a password is generated and printed.`;

interface Io {
  out: (line: string) => void;
  err: (line: string) => void;
}

/** Splits `--flag value` and `--flag` options from positional arguments. */
function parseArgs(args: string[]): { pos: string[]; opts: Record<string, string | true> } {
  const pos: string[] = [];
  const opts: Record<string, string | true> = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (!a.startsWith('--')) pos.push(a);
    else if (a === '--pii' || a === '--all') opts[a.slice(2)] = true;
    else opts[a.slice(2)] = args[++i] ?? '';
  }
  return { pos, opts };
}

/** The accounts the server of this configuration uses: shared in PostgreSQL with DATABASE_URL, else DATA_DIR's. */
async function openStore(config: Config): Promise<{ store: AuthStore; close: () => Promise<void> }> {
  if (!config.DATABASE_URL) {
    const store = new SqliteAuthStore(config.DATA_DIR);
    return { store, close: () => store.close() };
  }
  const pool = openPool(config.DATABASE_URL, 2);
  try {
    return { store: await PostgresAuthStore.open(pool), close: () => pool.end() };
  } catch (err) {
    await pool.end();
    throw new Error(`the accounts in PostgreSQL cannot be opened: ${(err as Error).message}`, { cause: err });
  }
}

const fmt = (t: number | null) => (t === null ? '—' : new Date(t).toISOString());

/** Runs one command; returns the exit code. Exported for tests. */
export async function runAdmin(
  argv: string[],
  env: Record<string, string | undefined> = process.env,
  io: Io = { out: console.log, err: console.error },
): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help') {
    io.out(HELP);
    return command ? 0 : 2;
  }
  const config = loadConfig(env);
  const geo = loadGrid(loadGeography(config.GEOGRAPHY_FILE ?? DEFAULT_GEOGRAPHY_FILE), config.GRID_FILE, () => undefined);
  const hasScope = (scope: string) => {
    const p = parseScope(scope);
    return !!p && geo.area(p.code)?.level === p.level;
  };
  const { store, close } = await openStore(config);
  const auth = new AuthService(
    store,
    {
      sessionHours: config.SESSION_HOURS,
      loginMaxFailures: config.LOGIN_MAX_FAILURES,
      loginLockoutMinutes: config.LOGIN_LOCKOUT_MINUTES,
      ingestRatePerSecond: 0,
      ingestBurst: 1,
      demoMode: false,
    },
    Date.now,
    hasScope,
  );
  const by = { actor: `cli:${safeUser()}`, ip: null };
  const { pos, opts } = parseArgs(rest);
  const need = (n: number, usage: string) => {
    if (pos.length < n) throw new AuthError(400, 'usage', `usage: ${command} ${usage}`);
  };
  const passwordOpt = () =>
    typeof opts.password === 'string' && opts.password
      ? { password: opts.password, generated: false }
      : { password: randomBytes(12).toString('base64url'), generated: true };

  try {
    switch (command) {
      case 'list': {
        io.out('users:');
        for (const u of (await store.users()).map(userView))
          io.out(
            `  ${u.username.padEnd(20)} ${u.role.padEnd(19)} ${u.scope.padEnd(24)} ${u.pii ? 'pii' : '   '} ${u.disabled ? 'DISABLED' : ''}`,
          );
        io.out('wall devices:');
        for (const d of await store.devices())
          io.out(
            `  #${d.id} ${d.name.padEnd(24)} ${d.scope.padEnd(24)} ${d.revokedAt === null ? `last seen ${fmt(d.lastSeenAt)}` : `REVOKED ${fmt(d.revokedAt)}`}`,
          );
        io.out('producer keys:');
        for (const k of await store.keys())
          io.out(
            `  #${k.id} ${k.name.padEnd(20)} ${k.revokedAt === null ? 'active ' : 'REVOKED'} rate ${k.ratePerSecond ?? 'default'}  ${k.types.join(',')}`,
          );
        break;
      }
      case 'create-user': {
        need(3, '<username> <role> <scope> [--pii] [--password <pw>]');
        const [username, role, scope] = pos;
        const pw = passwordOpt();
        const u = await auth.createUser({ username, role: role as Role, scope, pii: opts.pii === true, password: pw.password }, by);
        io.out(`created ${u.username} (${u.role}, ${u.scope}${u.pii ? ', pii clearance' : ''})`);
        if (pw.generated) io.out(`password: ${pw.password}`);
        break;
      }
      case 'reset-password': {
        need(1, '<username> [--password <pw>]');
        const pw = passwordOpt();
        await auth.resetPassword(pos[0], pw.password, by);
        io.out(`password of ${pos[0]} reset; signed out everywhere`);
        if (pw.generated) io.out(`password: ${pw.password}`);
        break;
      }
      case 'disable-user':
      case 'enable-user': {
        need(1, '<username>');
        await auth.setDisabled(pos[0], command === 'disable-user', by);
        io.out(`${pos[0]} ${command === 'disable-user' ? 'disabled and signed out' : 'enabled'}`);
        break;
      }
      case 'issue-device': {
        need(2, '<name> <scope>');
        const { device, token } = await auth.issueDevice(pos[0], pos[1], by);
        io.out(`device #${device.id} "${device.name}" paired with ${device.scope}`);
        io.out(`token (shown once): ${token}`);
        break;
      }
      case 'revoke-device': {
        need(1, '<id>');
        await auth.revokeDevice(Number(pos[0]), by);
        io.out(`device #${pos[0]} revoked`);
        break;
      }
      case 'issue-key': {
        need(1, '<name> [--types t1,t2] [--rate n]');
        const types = typeof opts.types === 'string' ? (opts.types.split(',').map((t) => t.trim()) as EventType[]) : undefined;
        const rate = typeof opts.rate === 'string' ? Number(opts.rate) : null;
        if (rate !== null && !(rate >= 0)) throw new AuthError(400, 'usage', '--rate needs a number ≥ 0');
        const { key, token } = await auth.issueProducerKey({ name: pos[0], types, ratePerSecond: rate }, by);
        io.out(`producer key #${key.id} "${key.name}" for ${key.types.join(', ')}`);
        io.out(`key (shown once): ${token}`);
        break;
      }
      case 'revoke-key': {
        need(1, '<id>');
        await auth.revokeKey(Number(pos[0]), by);
        io.out(`producer key #${pos[0]} revoked`);
        break;
      }
      case 'quarantine': {
        const q = new Quarantine(config.DATA_DIR);
        try {
          if (pos[0] === 'list') {
            const entries = q.list();
            if (!entries.length) io.out('no event is quarantined');
            for (const e of entries)
              io.out(
                `  #${e.seq} ${e.eventId ?? '(unreadable)'} ${e.type ?? ''} [${e.projection}] ${e.releasedAt === null ? 'held' : `RELEASED ${fmt(e.releasedAt)} by ${e.releasedBy}`}\n      ${e.error}`,
              );
          } else if (pos[0] === 'release') {
            const seqs = pos.slice(1).map(Number);
            if (opts.all !== true && (!seqs.length || seqs.some((n) => !Number.isInteger(n) || n < 1)))
              throw new AuthError(400, 'usage', 'usage: quarantine release <seq> [<seq> …] | --all');
            const n = q.release(opts.all === true ? 'all' : seqs, by.actor);
            await auth.audit({
              actor: by.actor,
              action: 'quarantine.release',
              target: opts.all === true ? 'all' : seqs.join(','),
              ip: null,
              outcome: 'ok',
              details: { released: n },
            });
            io.out(`${n} quarantined ${n === 1 ? 'entry' : 'entries'} released: folded again at the next start of the server`);
          } else throw new AuthError(400, 'usage', 'usage: quarantine list | quarantine release <seq> [<seq> …] | --all');
        } finally {
          q.close();
        }
        break;
      }
      default:
        io.err(`unknown command "${command}"\n\n${HELP}`);
        return 2;
    }
    return 0;
  } catch (e) {
    if (e instanceof AuthError) {
      io.err(e.message);
      return 1;
    }
    throw e;
  } finally {
    await auth.flushAudit();
    await close();
  }
}

function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exitCode = await runAdmin(process.argv.slice(2));
}
