/**
 * The figures of a scope's map and its cameras: for each area the map colours, its appeals and
 * alerts (from their projections) and its cameras online (from the camera registry). The areas
 * are the scope's communities; within a community that has grid cells, its cells (a grid cell's
 * map: the cell alone, since a grid worker reads no other). It folds no event of its own.
 */
import { parseScope, type FullScopeMetrics } from '@commandhall/shared';
import type { Projection } from '../../core/projection.ts';
import type { ScopeIndex } from '../../core/scope-index.ts';
import type { CameraSource } from '../alerts/view.ts';
import type { AppealProjection } from '../appeals/appeal-projection.ts';
import type { AlertProjection } from '../alerts/alert-projection.ts';

export class MapFigures implements Projection {
  readonly name = 'map';
  private cameras: CameraSource | null = null;

  constructor(
    private appeals: Pick<AppealProjection, 'community'>,
    private alerts: Pick<AlertProjection, 'community'>,
  ) {}

  /** The camera registry, for camera figures. */
  useCameras(cameras: CameraSource): void {
    this.cameras = cameras;
  }

  apply(): void {}

  figures(scope: string, index: ScopeIndex): Partial<FullScopeMetrics> {
    const communities: FullScopeMetrics['map.communities'] = {};
    const alertMap: FullScopeMetrics['map.alerts'] = {};
    const { level, codes } = areasOnMap(scope, index);
    for (const code of codes) {
      const appeals = this.appeals.community(code, level);
      const alerts = this.alerts.community(code, level);
      communities[code] = { today: appeals.today, open: appeals.open, overdue: appeals.overdue, alertsToday: alerts.alertsToday };
      const cams = this.cameraRate(`${level}:${code}`);
      alertMap[code] = {
        open: alerts.open,
        pending: alerts.pending,
        escalated: alerts.escalated,
        camerasOnline: cams.online,
        camerasTotal: cams.total,
      };
    }
    return { 'map.communities': communities, 'cameras.online': this.cameraRate(scope), 'map.alerts': alertMap };
  }

  private cameraRate(scope: string): FullScopeMetrics['cameras.online'] {
    return this.cameras?.onlineRate(scope) ?? { online: 0, total: 0, rate: null };
  }
}

/** The areas a scope's map colours: its communities, or the grid cells of a community (or the cell itself). */
export function areasOnMap(scope: string, index: ScopeIndex): { level: 'community' | 'grid'; codes: readonly string[] } {
  const s = parseScope(scope);
  if (s?.level === 'grid') return { level: 'grid', codes: index.has(scope) ? [s.code] : [] };
  if (s?.level === 'community') {
    const cells = index.geo.cells.filter((c) => c.parent === s.code).map((c) => c.code);
    if (cells.length > 0) return { level: 'grid', codes: cells };
  }
  return { level: 'community', codes: index.communitiesIn(scope) };
}
