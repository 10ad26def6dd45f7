/**
 * How a list query becomes SQL: the page query walks the index of its scope and sort in page
 * order (keyset paging on the sort key and rid), the count reads the filter indexes, capped.
 * Pure: the read model prepares and caches what this writes.
 *
 * One plan for both stores, so that they answer alike: the dialect changes only how a term is
 * spelt (placeholders, a list of ids, SQLite's `+column` index hints), never what it means.
 */
import { parseScope } from '@commandhall/shared/scope';
import { CursorError, DEFAULT_COUNT_CAP, MAX_PAGE, decodeCursor, type AppealQuery } from './appeal-read-model.ts';
import { REPORTER_KIND_CODE, SORT_COLUMNS, STATUS_CODE } from './appeal-read-model-schema.ts';

/** `sqlite` (default): `?` placeholders; `postgres`: `$1`, `$2`, …. */
export type SqlDialect = 'sqlite' | 'postgres';

export function planQuery(q: AppealQuery, dialect: SqlDialect = 'sqlite') {
  const sqlite = dialect === 'sqlite';
  const sort = q.sort ?? 'created';
  const order = q.order ?? 'desc';
  const limit = Math.max(1, Math.min(MAX_PAGE, Math.floor(q.limit)));
  const scope = parseScope(q.scope);
  if (!scope) throw new Error(`not a scope: ${q.scope}`);
  // a city is everything (the log only holds events placed inside the deployment's area); a
  // district is a range of community codes (everything in a district's own deployment: one extra
  // comparison a row, kept off the community index by `+` where SQLite would otherwise walk it)
  const byRange = scope.level === 'district';
  const p = sqlite ? '+' : '';
  const scopeWhere = scope.level === 'city' ? [] : byRange ? [`${p}community >= ? AND ${p}community < ?`] : [`${scope.level} = ?`];
  const scopeArgs = scope.level === 'city' ? [] : byRange ? [`${scope.code}000000`, `${scope.code}999999~`] : [scope.code];
  // for counts a street is a range of community codes: what lets them read the filter index alone
  // (SQLite's covering index; PostgreSQL compares text by its collation, and its street index serves)
  const rangeOfStreet = sqlite && scope.level === 'street';
  const countScopeWhere = rangeOfStreet ? ['community >= ? AND community < ?'] : scopeWhere;
  const countScopeArgs = rangeOfStreet ? [`${scope.code}000`, `${scope.code}999~`] : scopeArgs;
  // `+column` keeps a SQLite page query off the filter index: a page walks an index in page order
  const plus = sqlite ? '+' : '';

  const where: string[] = [];
  const args: unknown[] = [];
  const add = (sql: string, ...values: unknown[]) => {
    where.push(sql);
    args.push(...values);
  };
  if (q.statuses?.length) {
    const codes = [...new Set(q.statuses.map((s) => STATUS_CODE[s]))];
    add(codes.length === 1 ? 'status = ?' : `status IN (${codes.map(() => '?').join(', ')})`, ...codes);
  }
  for (const [column, value] of [
    ['category', q.category],
    [`${plus}subcategory`, q.subcategory],
    [`${plus}channel`, q.channel],
    [`${plus}nature`, q.nature],
  ] as const) {
    if (value !== undefined) add(`${column} = ?`, value);
  }
  if (q.reporterKind !== undefined) {
    const code = REPORTER_KIND_CODE[q.reporterKind];
    if (code === undefined) throw new Error(`not a reporter kind: ${q.reporterKind}`);
    // a literal, not a parameter: the count of enterprise appeals may then read their partial index
    add(`${plus}reporter_kind = ${code}`);
  }
  if (q.overdue === true) add('open = 1 AND deadline <= ?', q.now);
  else if (q.overdue === false) add('(open = 0 OR deadline > ?)', q.now);
  if (q.extensionPending === true) add('pending_until IS NOT NULL');
  else if (q.extensionPending === false) add('pending_until IS NULL');
  if (q.createdFrom !== undefined) add('created_at >= ?', q.createdFrom);
  if (q.createdTo !== undefined) add('created_at < ?', q.createdTo);
  if (q.ids) {
    if (sqlite) add('id IN (SELECT value FROM json_each(?))', JSON.stringify(q.ids));
    else add('id = ANY(?::text[])', [...q.ids]);
  }

  const keyColumns = [...SORT_COLUMNS[sort], 'rid'];
  const pageWhere = [...scopeWhere, ...where];
  const pageArgs = [...scopeArgs, ...args];
  if (q.cursor !== undefined) {
    const c = decodeCursor(q.cursor, sort, order);
    if (c.key.length !== keyColumns.length) throw new CursorError('the cursor is not valid: use nextCursor from a previous page as it is');
    pageWhere.push(`(${keyColumns.join(', ')}) ${order === 'desc' ? '<' : '>'} (${keyColumns.map(() => '?').join(', ')})`);
    pageArgs.push(...c.key);
  }
  const dir = order === 'desc' ? 'DESC' : 'ASC';
  const spelt = sqlite ? (sql: string) => sql : numbered;
  return {
    sort,
    order,
    limit,
    keyColumns,
    sql: spelt(`SELECT * FROM appeals ${clause(pageWhere)} ORDER BY ${keyColumns.map((c) => `${c} ${dir}`).join(', ')} LIMIT ?`),
    args: pageArgs,
    cap: q.countCap ?? DEFAULT_COUNT_CAP,
    countSql: spelt(
      `SELECT count(*)${sqlite ? '' : ' AS n'} FROM (SELECT 1 FROM appeals ${clause([...countScopeWhere, ...where.map(unplus)])} LIMIT ?)${sqlite ? '' : ' AS matches'}`,
    ),
    countArgs: [...countScopeArgs, ...args],
  };
}

/** PostgreSQL numbers its placeholders. (The plan writes no string literal, so every `?` is one.) */
function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

const unplus = (term: string) => (term.startsWith('+') ? term.slice(1) : term);
const clause = (where: string[]) => (where.length ? `WHERE ${where.join(' AND ')}` : '');
