/**
 * Following the live channel as a screen does: a snapshot, then every patch in sequence applied
 * with shared's `applyPatchTo` (keys replaced whole or edited). For tests that read what a patch
 * changed.
 */
import { applyPatchTo, EditMismatch, type FullScopeMetrics, type ScopePatch, type ScopeSnapshot } from '@commandhall/shared';

/** The keys a patch changed, whole or edited. */
export function changedKeys(p: ScopePatch): string[] {
  return [...Object.keys(p.changes), ...Object.keys(p.edits ?? {})];
}

/** A scope's figures as a client following its patches holds them. */
export class Shown {
  seq: number;
  metrics: FullScopeMetrics;
  constructor(snap: ScopeSnapshot) {
    this.seq = snap.seq;
    this.metrics = snap.metrics as FullScopeMetrics;
  }

  /** Applies the patch if it is the next one; says why not otherwise (the client would resync). */
  apply(p: ScopePatch): 'applied' | 'stale' | 'gap' | 'mismatch' {
    if (p.seq <= this.seq) return 'stale';
    if (p.seq !== this.seq + 1) return 'gap';
    try {
      this.metrics = applyPatchTo(this.metrics, p);
    } catch (e) {
      if (e instanceof EditMismatch) return 'mismatch';
      throw e;
    }
    this.seq = p.seq;
    return 'applied';
  }
}
