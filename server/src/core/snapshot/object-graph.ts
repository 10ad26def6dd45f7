/**
 * Saves the state of an object graph (the city's projections) and restores it into a freshly
 * built graph of the same code, generically: the projections keep no code for it, so a projection
 * added or changed is covered without anyone remembering (a change of code invalidates a saved
 * state anyway: projection-snapshot.ts keys it by the code).
 *
 * `encodeGraph` turns the graph into plain data that `v8.serialize` takes: class instances carry
 * their class's name, shared references stay shared, functions are left out (a marker holds their
 * place), and so are the objects under the property names in `skip` (services attached from
 * outside, such as the camera registry or listeners).
 *
 * `restoreInto` rebuilds the objects, then grafts them onto the fresh graph: every object the
 * fresh graph has at the same place (same path from the root, same class) takes the saved content
 * and keeps its identity, so that the closures and services built with the fresh graph keep
 * pointing at the live objects. A function or skipped object keeps the fresh graph's. Anything it
 * cannot match (a class the fresh graph does not know, a function where the fresh graph has none)
 * throws `GraphMismatch`: the caller then builds the state the long way.
 */

export class GraphMismatch extends Error {
  override name = 'GraphMismatch';
}

/** Where a function or a skipped object was: the fresh graph supplies it. */
const FN = '\u0000fn';
const SKIPPED = '\u0000skip';
/** The class of an encoded instance (absent: a plain object). */
const CLASS = '\u0000class';

type Plain = Record<string, unknown>;

const isObject = (v: unknown): v is object => typeof v === 'object' && v !== null;
const plainProto = (v: object) => {
  const p = Object.getPrototypeOf(v);
  return p === Object.prototype || p === null;
};

export function encodeGraph(root: object, skip: ReadonlySet<string>): unknown {
  const done = new Map<object, unknown>();
  const enc = (v: unknown): unknown => {
    if (typeof v === 'function') return FN;
    if (!isObject(v)) return v;
    const seen = done.get(v);
    if (seen !== undefined) return seen;
    if (ArrayBuffer.isView(v)) {
      done.set(v, v);
      return v;
    }
    if (v instanceof Map) {
      const out = new Map();
      done.set(v, out);
      for (const [k, x] of v) out.set(enc(k), enc(x));
      return out;
    }
    if (v instanceof Set) {
      const out = new Set();
      done.set(v, out);
      for (const x of v) out.add(enc(x));
      return out;
    }
    if (Array.isArray(v)) {
      const out: unknown[] = new Array(v.length);
      done.set(v, out);
      for (let i = 0; i < v.length; i++) out[i] = enc(v[i]);
      return out;
    }
    const out: Plain = {};
    done.set(v, out);
    if (!plainProto(v)) out[CLASS] = (Object.getPrototypeOf(v) as { constructor: { name: string } }).constructor.name;
    for (const k of Object.keys(v)) out[k] = skip.has(k) ? SKIPPED : enc((v as Plain)[k]);
    return out;
  };
  return enc(root);
}

/** Puts the state `encoded` (from `encodeGraph` of a graph of the same code) into `fresh`. */
export function restoreInto(fresh: object, encoded: unknown, skip: ReadonlySet<string>): void {
  const prototypes = classesOf(fresh, skip);
  // 1. the saved objects, rebuilt with their classes
  const built = new Map<object, object>();
  const all: object[] = [];
  const dec = (v: unknown): unknown => {
    if (!isObject(v) || ArrayBuffer.isView(v)) return v;
    const seen = built.get(v);
    if (seen) return seen;
    let out: object;
    if (v instanceof Map) {
      const m = new Map();
      built.set(v, m);
      for (const [k, x] of v) m.set(dec(k), dec(x));
      out = m;
    } else if (v instanceof Set) {
      const s = new Set();
      built.set(v, s);
      for (const x of v) s.add(dec(x));
      out = s;
    } else if (Array.isArray(v)) {
      const a: unknown[] = new Array(v.length);
      built.set(v, a);
      for (let i = 0; i < v.length; i++) a[i] = dec(v[i]);
      out = a;
    } else {
      const name = (v as Plain)[CLASS] as string | undefined;
      const proto = name === undefined ? Object.prototype : prototypes.get(name);
      if (!proto) throw new GraphMismatch(`no class "${name}" in the projections of this code`);
      const o = Object.create(proto) as Plain;
      built.set(v, o);
      for (const k of Object.keys(v)) if (k !== CLASS) o[k] = dec((v as Plain)[k]);
      out = o;
    }
    all.push(out);
    return out;
  };
  const saved = dec(encoded);
  if (!isObject(saved)) throw new GraphMismatch('the saved state is not an object');

  // 2. which saved object is which fresh one: the same place from the root, the same kind
  const twin = new Map<object, object>();
  const pair = (s: unknown, f: unknown) => {
    if (!isObject(s) || !isObject(f) || twin.has(s) || ArrayBuffer.isView(s) || kind(s) !== kind(f)) return;
    twin.set(s, f);
    if (s instanceof Map) {
      for (const [k, x] of s) if (!isObject(k)) pair(x, (f as Map<unknown, unknown>).get(k));
    } else if (Array.isArray(s)) s.forEach((x, i) => pair(x, (f as unknown[])[i]));
    else if (!(s instanceof Set)) for (const k of Object.keys(s)) if (!skip.has(k)) pair((s as Plain)[k], (f as Plain)[k]);
  };
  pair(saved, fresh);
  const live = (v: unknown) => (isObject(v) ? (twin.get(v) ?? v) : v);

  // 3. every reference to a saved object that has a fresh twin goes to the twin; markers take the fresh value
  for (const o of all) {
    const f = twin.get(o) as Plain | undefined;
    if (o instanceof Map) {
      const entries = [...o].map(([k, x]) => [live(k), live(x)] as const);
      if (entries.some(([k, x]) => k === FN || x === FN || k === SKIPPED || x === SKIPPED))
        throw new GraphMismatch('a function or a service inside a map of the state');
      o.clear();
      for (const [k, x] of entries) o.set(k, x);
    } else if (o instanceof Set) {
      const items = [...o].map(live);
      if (items.some((x) => x === FN || x === SKIPPED)) throw new GraphMismatch('a function or a service inside a set of the state');
      o.clear();
      for (const x of items) o.add(x);
    } else {
      const p = o as Plain;
      for (const k of Object.keys(p)) {
        const x = p[k];
        if (x === FN || x === SKIPPED) {
          if (!f || (x === FN && typeof f[k] !== 'function'))
            throw new GraphMismatch(`no ${x === FN ? 'function' : 'service'} "${k}" to restore`);
          p[k] = f[k];
        } else p[k] = live(x);
      }
    }
  }

  // 4. the fresh objects take the saved content
  for (const [s, f] of twin) {
    if (s instanceof Map) {
      (f as Map<unknown, unknown>).clear();
      for (const [k, x] of s) (f as Map<unknown, unknown>).set(k, x);
    } else if (s instanceof Set) {
      (f as Set<unknown>).clear();
      for (const x of s) (f as Set<unknown>).add(x);
    } else if (Array.isArray(s)) {
      const a = f as unknown[];
      a.length = s.length;
      for (let i = 0; i < s.length; i++) a[i] = s[i];
    } else {
      for (const k of Object.keys(f)) if (!(k in s)) delete (f as Plain)[k];
      Object.assign(f, s);
    }
  }
}

/** Map, Set, array, or the class of an object. */
function kind(v: object): unknown {
  if (v instanceof Map) return Map;
  if (v instanceof Set) return Set;
  if (Array.isArray(v)) return Array;
  return Object.getPrototypeOf(v);
}

/** The classes of the instances in a graph, by name (a name two classes share is left out: ambiguous). */
function classesOf(root: object, skip: ReadonlySet<string>): Map<string, object> {
  const found = new Map<string, object | null>();
  const seen = new Set<object>();
  const visit = (v: unknown) => {
    if (!isObject(v) || seen.has(v) || ArrayBuffer.isView(v)) return;
    seen.add(v);
    if (v instanceof Map) {
      for (const [k, x] of v) {
        visit(k);
        visit(x);
      }
    } else if (v instanceof Set) for (const x of v) visit(x);
    else if (Array.isArray(v)) for (const x of v) visit(x);
    else {
      if (!plainProto(v)) {
        const proto = Object.getPrototypeOf(v) as { constructor: { name: string } };
        const had = found.get(proto.constructor.name);
        found.set(proto.constructor.name, had === undefined || had === proto ? proto : null);
      }
      for (const k of Object.keys(v)) if (!skip.has(k)) visit((v as Plain)[k]);
    }
  };
  visit(root);
  return new Map([...found].filter((e): e is [string, object] => e[1] !== null));
}
