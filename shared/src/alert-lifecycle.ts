/** Video AI alert lifecycle: raised → acknowledged → confirmed (becomes an appeal) or dismissed. */
export const ALERT_STATUSES = ['raised', 'acknowledged', 'confirmed', 'dismissed'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

const MOVES: Record<AlertStatus, readonly AlertStatus[]> = {
  raised: ['acknowledged', 'confirmed', 'dismissed'],
  acknowledged: ['confirmed', 'dismissed'],
  confirmed: [],
  dismissed: [],
};

export function checkAlertTransition(from: AlertStatus, to: AlertStatus): string | null {
  if (MOVES[from].includes(to)) return null;
  const allowed = MOVES[from];
  return `cannot move alert from "${from}" to "${to}": allowed from "${from}" are ${allowed.length ? allowed.map((s) => `"${s}"`).join(', ') : 'none (final state)'}`;
}
