/**
 * What a person can do to an appeal from the console, as the API names it: the action list and
 * the body of `POST /api/v1/appeals/:id/actions`. Which action applies when, and to whom, is the
 * server's (server/src/appeals/actions.ts); the console offers what the detail's `actions` list.
 */
import { Type, type Static } from 'typebox';
import { SATISFACTION_LEVELS } from './appeal-lifecycle.ts';

export const APPEAL_ACTIONS = [
  'verify',
  'dispatch',
  'handle',
  'resolve',
  'close',
  'return',
  'reject',
  'reopen',
  'extend_request',
  'extend_approve',
  'extend_deny',
] as const;
export type AppealAction = (typeof APPEAL_ACTIONS)[number];

/** The body of an action: the action and the few fields it needs. */
export const ActionBody = Type.Object(
  {
    action: Type.Enum(APPEAL_ACTIONS, { description: APPEAL_ACTIONS.join(', ') }),
    unit: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'dispatch: the unit (default: the suggested one)' })),
    reason: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 495,
        description: 'Why: needed by return, reject, reopen, extend_request, extend_deny and a dispatch away from the suggestion',
      }),
    ),
    note: Type.Optional(Type.String({ minLength: 1, maxLength: 495, description: 'Anything else worth keeping on the timeline' })),
    until: Type.Optional(
      Type.String({ format: 'date-time', description: 'extend_request: the deadline asked for; extend_approve: another one' }),
    ),
    satisfaction: Type.Optional(Type.Enum(SATISFACTION_LEVELS, { description: 'close: the citizen’s rating' })),
  },
  { additionalProperties: false },
);
export type ActionBody = Static<typeof ActionBody>;
