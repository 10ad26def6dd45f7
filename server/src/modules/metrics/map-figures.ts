/**
 * The figures of a scope's map and its cameras: for each community within the scope, its appeals
 * and alerts (from their projections) and its cameras online (from the camera registry). It folds
 * no event of its own.
 */
import type { FullScopeMetrics } from '@commandhall/shared';
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
    for (const code of index.communitiesIn(scope)) {
      const appeals = this.appeals.community(code);
      const alerts = this.alerts.community(code);
      communities[code] = { today: appeals.today, open: appeals.open, overdue: appeals.overdue, alertsToday: alerts.alertsToday };
      const cams = this.cameraRate(`community:${code}`);
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
