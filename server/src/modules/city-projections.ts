/**
 * The city's projections on one bus: appeals, alerts, grid, components and the map, in the order
 * they fold each event (the alert projection reads the appeal projection's result). This is what
 * the app decorates as `engine`: ingest folds into it and judges against it, the services and the
 * live channel read from it. Every read moves the projections to now first (cheap when nothing is
 * due), so a reader sees deadlines and escalations that fell due since the last event.
 */
import { communityProfiles, type AlertPolicy, type AlertLookup, type CommunityProfiles, type FullScopeMetrics } from '@commandhall/shared';
import type { Geography } from '../geography/index.ts';
import type { StoredEvent } from '../core/store/event-store.ts';
import { ProjectionBus } from '../core/projection-bus.ts';
import { ScopeIndex } from '../core/scope-index.ts';
import type { CameraSource } from './alerts/view.ts';
import { AppealProjection } from './appeals/appeal-projection.ts';
import { AlertProjection } from './alerts/alert-projection.ts';
import type { AlertChange, AlertState } from './alerts/alert-state.ts';
import { GridProjection } from './grid/grid-projection.ts';
import { ComponentProjection } from './grid/component-projection.ts';
import { MapFigures } from './metrics/map-figures.ts';
import { HeatProjection } from './metrics/heat-projection.ts';
import { ComponentActivity } from './components/component-activity.ts';
import { InspectionLog } from './grid/inspection-log.ts';

export interface CityProjectionOptions {
  utcOffsetMinutes: number;
  now: () => number;
  /** The community registry (grid statistics, registered components); shared's default otherwise. */
  profiles?: CommunityProfiles;
  /** Merge window and escalation delays; the defaults of shared's DEFAULT_ALERT_POLICY otherwise. */
  alerts?: Partial<AlertPolicy>;
}

export class CityProjections implements AlertLookup {
  /**
   * Properties that hold what is attached from outside the projections' state (the geography, the
   * camera registry, listeners): a checkpoint leaves them out and the restored projections keep
   * the ones they were built with (core/snapshot/).
   */
  static readonly ATTACHED: ReadonlySet<string> = new Set(['geo', 'cameras', 'listeners']);

  readonly bus: ProjectionBus;
  readonly index: ScopeIndex;
  readonly appealProjection: AppealProjection;
  readonly alertProjection: AlertProjection;
  readonly componentProjection: ComponentProjection;
  /** Scans of each component's smart code and the appeals raised about it. */
  readonly componentActivity: ComponentActivity;
  /** Appeals and alerts per place and day on a 200 m grid: the heat map. */
  readonly heat: HeatProjection;
  /** The last 30 days' grid inspections one by one, for the console's list. */
  readonly inspections: InspectionLog;
  private map: MapFigures;

  constructor(geo: Geography, opts: CityProjectionOptions) {
    this.index = new ScopeIndex(geo, opts.utcOffsetMinutes, opts.now);
    this.bus = new ProjectionBus(this.index);
    const profiles = opts.profiles ?? communityProfiles;
    this.appealProjection = this.bus.register(new AppealProjection(this.index, opts.utcOffsetMinutes));
    const appeals = this.appealProjection.appeals;
    this.alertProjection = this.bus.register(new AlertProjection(this.index, (id) => appeals.get(id)?.status, opts.alerts));
    this.bus.register(new GridProjection(this.index, profiles));
    this.componentProjection = this.bus.register(new ComponentProjection(this.index, profiles));
    this.map = this.bus.register(new MapFigures(this.appealProjection, this.alertProjection));
    this.componentActivity = this.bus.register(new ComponentActivity());
    this.heat = this.bus.register(new HeatProjection());
    this.inspections = this.bus.register(new InspectionLog());
  }

  get appeals() {
    this.bus.advance();
    return this.appealProjection.appeals;
  }

  /** Alerts by id (the id of their first detection). */
  get alerts() {
    this.bus.advance();
    return this.alertProjection.alerts;
  }

  /** City components that are not normal, by id. */
  get components() {
    this.bus.advance();
    return this.componentProjection.components;
  }

  get alertPolicy(): Readonly<AlertPolicy> {
    return this.alertProjection.policy;
  }

  get lastSeq(): number {
    return this.bus.lastSeq;
  }

  apply(stored: StoredEvent): void {
    this.bus.apply(stored);
  }

  /** Moves the projections to now. Readers never need it (every read does it); a test's hand-moved clock does. */
  advance(): void {
    this.bus.advance();
  }

  /** The scopes changed since the last tick, time moved first. */
  tick(): Set<string> {
    return this.bus.tick();
  }

  snapshot(scope: string): FullScopeMetrics | undefined {
    return this.bus.snapshot(scope);
  }

  scopes(): string[] {
    return this.index.scopes();
  }

  hasScope(scope: string): boolean {
    return this.index.has(scope);
  }

  /** Marks scopes changed with no event (their cameras changed): the next tick patches them. */
  markDirty(scopes: Iterable<string>): void {
    this.index.markDirty(scopes);
  }

  /** The scopes an event in a community counts in: the community, its street, the district. */
  scopePathOf(community: string): string[] {
    return this.index.pathOf(community);
  }

  /**
   * The component registry's counts per grid cell and type, for the components' figures at the
   * grid level (the community registry's counts stay those of the levels above).
   */
  useComponentCounts(byCell: ReadonlyMap<string, Record<string, number>>): void {
    this.componentProjection.seedCells(byCell);
    this.index.markDirty([...byCell.keys()].map((c) => `grid:${c}`));
  }

  /** The camera registry, for camera figures and camera names in alert views. */
  useCameras(cameras: CameraSource): void {
    this.alertProjection.useCameras(cameras);
    this.map.useCameras(cameras);
    this.index.markDirty(this.index.scopes());
  }

  onAlertChange(listener: (c: AlertChange) => void): () => void {
    return this.alertProjection.onChange(listener);
  }

  // what ingest's alert overlay and the alert service read
  detection(id: string) {
    return this.alertProjection.detection(id);
  }

  facts(alertId: string) {
    return this.alertProjection.facts(alertId);
  }

  openAlerts(pair: string) {
    return this.alertProjection.openAlerts(pair);
  }

  alertOf(id: string): AlertState | undefined {
    this.bus.advance();
    return this.alertProjection.alertOf(id);
  }

  sourceAlertOf(appealId: string): AlertState | undefined {
    this.bus.advance();
    return this.alertProjection.sourceAlertOf(appealId);
  }

  detectionsOf(a: AlertState) {
    return this.alertProjection.detectionsOf(a);
  }

  openAlertsIn(scope: string): AlertState[] {
    this.bus.advance();
    return this.alertProjection.openIn(scope);
  }

  alertView(a: AlertState) {
    return this.alertProjection.view(a);
  }
}
