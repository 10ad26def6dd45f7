/** Schemas shared by routes, and the few helpers that give a schema the type its handler sees. */
import type { Readable } from 'node:stream';
import { Type, type TSchemaOptions } from 'typebox';

export const ErrorSchema = Type.Object({
  error: Type.Object({ code: Type.String(), message: Type.String(), details: Type.Optional(Type.Unknown()) }),
});

/**
 * An answer without a body (204, 304). The same JSON schema as `Type.Null()`, for the docs, but
 * typed as nothing, so that a typed handler answers with `send()` and no payload at all.
 */
export const NoContent = Type.Unsafe<undefined>(Type.Null());

/**
 * A file sent as a stream: a binary string in the docs, a stream to the handler (Fastify pipes
 * streams as they are; the serializer never sees them).
 */
export const Binary = (options?: TSchemaOptions) => Type.Unsafe<Readable>(Type.String({ format: 'binary', ...options }));

/**
 * One of a list of strings: `anyOf` their `const`s, exactly as `Type.Union(values.map(Type.Literal))`
 * writes it, but typed as their union (TypeBox types a union over a mapped array as `never`).
 */
export const Literals = <T extends string>(values: readonly T[], options?: TSchemaOptions) =>
  Type.Unsafe<T>(
    Type.Union(
      values.map((v) => Type.Literal(v)),
      options,
    ),
  );
