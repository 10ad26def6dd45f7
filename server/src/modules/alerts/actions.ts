/**
 * What a person can do to a video alert from the console, who may, and the events each action
 * becomes:
 *
 *   acknowledge   raised → acknowledged                         video_alert.acknowledged
 *   confirm       raised or acknowledged → confirmed, and an    appeal.created (channel video_ai)
 *                 appeal is created from the alert              + video_alert.confirmed { appealId }
 *   dismiss       raised or acknowledged → dismissed (needs     video_alert.dismissed
 *                 a reason: why it is a false positive)
 *
 *   operators, community / street / district directors   all three, within their scope
 *   administrators                                       none: they manage accounts, not cases
 *   wall devices                                         none: read-only (refused by the auth gate)
 */
import {
  ALERT_ACTIONS,
  ALERT_ACTION_STATUS,
  allowedAlertMoves,
  checkAlertTransition,
  taxonomy,
  taxonomyLabel,
  type AlertAction,
  type AlertStatus,
  type CityEvent,
  ACTOR_NAMES,
  ALERT_ACTIONS_OF,
  type Actor,
} from '@commandhall/shared';
import type { AlertState } from './alert-state.ts';
import { RequestError } from '../../util/request-error.ts';

export interface AlertActionBody {
  action: AlertAction;
  /** Why: required to dismiss (what made it a false positive). */
  reason?: string;
  note?: string;
}

/** Why a request about alerts cannot be answered, as an HTTP answer. */
export class AlertError extends RequestError {}

/** The actions that make sense for an alert in this status, whoever asks. */
export function possibleAlertActions(status: AlertStatus): AlertAction[] {
  return ALERT_ACTIONS.filter((a) => checkAlertTransition(status, ALERT_ACTION_STATUS[a]) === null);
}

export function allowedAlertActions(role: Actor, status: AlertStatus): AlertAction[] {
  return possibleAlertActions(status).filter((a) => ALERT_ACTIONS_OF[role].has(a));
}

/**
 * Checks the body (400), the role (403), then the alert's status (409, naming the status and the
 * moves allowed from it). Returns the status the action takes the alert to.
 */
export function checkAlertAction(role: Actor, status: AlertStatus, body: AlertActionBody): AlertStatus {
  if (body.action === 'dismiss' && !body.reason?.trim())
    throw new AlertError(400, 'reason_required', 'dismiss needs a reason: why the alert is a false positive');
  if (body.reason !== undefined && body.action !== 'dismiss')
    throw new AlertError(400, 'invalid_request', `"reason" does not apply to ${body.action}; it goes with dismiss (use "note")`);
  if (!ALERT_ACTIONS_OF[role].has(body.action)) {
    const mine = [...ALERT_ACTIONS_OF[role]];
    throw new AlertError(
      403,
      'forbidden',
      `${ACTOR_NAMES[role]} may not ${body.action} alerts${mine.length ? ` (allowed: ${mine.join(', ')})` : ': the role is read-only for alerts'}`,
    );
  }
  const to = ALERT_ACTION_STATUS[body.action];
  const problem = checkAlertTransition(status, to);
  if (problem)
    throw new AlertError(409, 'illegal_transition', problem, {
      status,
      allowedMoves: [...allowedAlertMoves(status)],
      possibleActions: possibleAlertActions(status),
    });
  return to;
}

const algorithms = new Map(taxonomy.algorithms.map((a) => [a.code, a]));

/** Where the alert is, for the appeal's title and description. */
export interface AlertPlace {
  communityName: string;
  cameraName: string | null;
  cameraAddress: string | null;
}

/**
 * The appeal a confirmation creates: channel video_ai, nature request, the category and
 * subcategory the taxonomy maps the algorithm to, a title of the algorithm and the place, the
 * alert's location, and a description that names the alert (its id, camera, detections, snapshot).
 */
export function appealFromAlert(
  a: AlertState,
  appealId: string,
  eventId: string,
  place: AlertPlace,
  now: number,
  note: string | undefined,
): Extract<CityEvent, { type: 'appeal.created' }> {
  const alg = algorithms.get(a.algorithm);
  if (!alg) throw new AlertError(409, 'unknown_algorithm', `algorithm "${a.algorithm}" maps to no appeal category in the taxonomy`);
  const algName = taxonomyLabel('algorithm', a.algorithm);
  const where = [place.communityName, place.cameraName].filter(Boolean).join(' ');
  const address = a.address ?? place.cameraAddress;
  const lines = [
    `视频AI告警 ${a.id}：${algName}（${a.algorithm}），摄像头 ${a.cameraId}${place.cameraName ? `（${place.cameraName}）` : ''}`,
    `检测 ${a.count} 次，${new Date(a.raisedAt).toISOString()} 至 ${new Date(a.lastDetectedAt).toISOString()}，置信度 ${a.confidence}`,
  ];
  if (a.snapshotUrl) lines.push(`抓拍：${a.snapshotUrl}`);
  if (note?.trim()) lines.push(note.trim());
  return {
    id: eventId,
    type: 'appeal.created',
    occurredAt: new Date(now).toISOString(),
    data: {
      appealId,
      channel: 'video_ai',
      nature: 'request',
      category: alg.category,
      subcategory: alg.subcategory,
      title: `${algName} · ${where}`.slice(0, 200),
      description: lines.join('\n').slice(0, 4000),
      location: { lon: a.lon, lat: a.lat, ...(address ? { address: address.slice(0, 200) } : {}) },
      communityCode: a.community,
    },
  };
}

/** The lifecycle event of an action, naming the alert (never one of its merged detections). */
export function alertActionEvent(
  id: string,
  a: AlertState,
  body: AlertActionBody,
  actor: string,
  now: number,
  appealId?: string,
): CityEvent {
  const occurredAt = new Date(now).toISOString();
  const note = body.note?.trim() ? { note: body.note.trim() } : {};
  switch (body.action) {
    case 'acknowledge':
      return { id, type: 'video_alert.acknowledged', occurredAt, data: { alertId: a.id, by: actor, ...note } };
    case 'confirm':
      return {
        id,
        type: 'video_alert.confirmed',
        occurredAt,
        data: { alertId: a.id, by: actor, ...(appealId ? { appealId } : {}), ...note },
      };
    case 'dismiss':
      return { id, type: 'video_alert.dismissed', occurredAt, data: { alertId: a.id, by: actor, reason: body.reason!.trim(), ...note } };
  }
}
