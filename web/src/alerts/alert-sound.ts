/**
 * The alert chime, synthesised with Web Audio (no sound files to ship). Off unless the wall's URL
 * asks for it (`?sound=on`); browsers let a page play sound only after someone touched it, unless
 * the kiosk allows autoplay (Chromium: --autoplay-policy=no-user-gesture-required).
 */
let ctx: AudioContext | null = null;

export function soundWanted(search = globalThis.location?.search ?? ''): boolean {
  return new URLSearchParams(search).get('sound') === 'on';
}

/** Two rising tones, then a third: noticeable across a hall, not alarming. */
export function chime(level: 'community' | 'street' | 'district' = 'community'): void {
  try {
    ctx ??= new AudioContext();
    if (ctx.state === 'suspended') void ctx.resume();
    const base = level === 'district' ? 880 : level === 'street' ? 784 : 659;
    [0, 0.18, 0.36].forEach((at, i) => {
      const osc = ctx!.createOscillator();
      const gain = ctx!.createGain();
      osc.type = 'sine';
      osc.frequency.value = base * [1, 1.25, 1.5][i];
      const t = ctx!.currentTime + at;
      gain.gain.setValueAtTime(0.0001, t);
      gain.gain.exponentialRampToValueAtTime(0.25, t + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, t + 0.3);
      osc.connect(gain).connect(ctx!.destination);
      osc.start(t);
      osc.stop(t + 0.32);
    });
  } catch {
    /* no audio device: the popup still shows */
  }
}
