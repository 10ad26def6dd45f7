/**
 * Synthetic CCTV stills for the simulator's video alerts, drawn in code: a street seen from a
 * pole (shop fronts with signboards, the pavement, the kerb, the road with its lane marks), the
 * thing the algorithm detected, a highlighted detection box labelled with the algorithm and its
 * confidence, and the time and camera burnt into bands at the top and bottom as a real frame has.
 * Flat colours keep the PNG small (a few KB); the same alert always draws the same picture.
 */
import { PNG } from 'pngjs';
import { ADVANCE, GLYPH_HEIGHT, GLYPH_WIDTH, glyph, textWidth } from './pixel-font.ts';
import { Random } from './random.ts';

export const SNAPSHOT_WIDTH = 480;
export const SNAPSHOT_HEIGHT = 270;

type Rgb = readonly [number, number, number];

/** Colour of the detection box: the colour tests look for. */
export const BOX_COLOUR: Rgb = [255, 59, 48];

const SKY: Rgb = [178, 190, 198];
const PAVEMENT: Rgb = [186, 180, 170];
const PAVEMENT_JOINT: Rgb = [164, 158, 149];
const KERB: Rgb = [140, 138, 134];
const KERB_EDGE: Rgb = [222, 218, 208];
const ROAD: Rgb = [74, 77, 82];
const LANE: Rgb = [228, 228, 220];
const FACADES: Rgb[] = [
  [205, 190, 165],
  [176, 160, 142],
  [214, 206, 190],
  [160, 170, 168],
  [198, 176, 160],
  [188, 196, 205],
];
const SIGNS: Rgb[] = [
  [196, 40, 40],
  [24, 96, 170],
  [30, 130, 80],
  [230, 160, 20],
  [120, 50, 140],
];
const GLASS: Rgb = [70, 92, 110];
const SHUTTER: Rgb = [150, 152, 156];

/** Where the frame's regions lie, top to bottom. */
const Y = { band: 14, buildings: 16, signTop: 30, signBottom: 46, doorTop: 52, pavement: 124, kerb: 168, road: 174, lane: 226 };

/** An RGB frame with the few drawing operations a street scene needs. */
class Frame {
  readonly data: Buffer;
  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    this.data = Buffer.alloc(width * height * 4, 255);
  }

  fill(x: number, y: number, w: number, h: number, c: Rgb): void {
    const x0 = Math.max(0, Math.round(x));
    const y0 = Math.max(0, Math.round(y));
    const x1 = Math.min(this.width, Math.round(x + w));
    const y1 = Math.min(this.height, Math.round(y + h));
    for (let yy = y0; yy < y1; yy++) {
      let i = (yy * this.width + x0) * 4;
      for (let xx = x0; xx < x1; xx++, i += 4) {
        this.data[i] = c[0];
        this.data[i + 1] = c[1];
        this.data[i + 2] = c[2];
      }
    }
  }

  /** Darkens a region towards black by `amount` (0–1): the translucent bands of an on-screen display. */
  shade(x: number, y: number, w: number, h: number, amount: number): void {
    for (let yy = Math.max(0, y); yy < Math.min(this.height, y + h); yy++) {
      for (let xx = Math.max(0, x); xx < Math.min(this.width, x + w); xx++) {
        const i = (yy * this.width + xx) * 4;
        for (let k = 0; k < 3; k++) this.data[i + k] = Math.round(this.data[i + k] * (1 - amount));
      }
    }
  }

  outline(x: number, y: number, w: number, h: number, c: Rgb, t = 2): void {
    this.fill(x, y, w, t, c);
    this.fill(x, y + h - t, w, t, c);
    this.fill(x, y, t, h, c);
    this.fill(x + w - t, y, t, h, c);
  }

  disc(cx: number, cy: number, r: number, c: Rgb): void {
    for (let dy = -r; dy <= r; dy++) {
      const half = Math.floor(Math.sqrt(r * r - dy * dy));
      this.fill(cx - half, cy + dy, half * 2 + 1, 1, c);
    }
  }

  line(x0: number, y0: number, x1: number, y1: number, c: Rgb): void {
    const steps = Math.max(Math.abs(x1 - x0), Math.abs(y1 - y0), 1);
    for (let s = 0; s <= steps; s++) this.fill(x0 + ((x1 - x0) * s) / steps, y0 + ((y1 - y0) * s) / steps, 1, 1, c);
  }

  text(x: number, y: number, text: string, c: Rgb, scale = 1): void {
    for (let n = 0; n < text.length; n++) {
      const rows = glyph(text[n]);
      for (let r = 0; r < GLYPH_HEIGHT; r++)
        for (let col = 0; col < GLYPH_WIDTH; col++)
          if (rows[r] & (1 << (GLYPH_WIDTH - 1 - col))) this.fill(x + (n * ADVANCE + col) * scale, y + r * scale, scale, scale, c);
    }
  }

  png(): Buffer {
    const png = new PNG({ width: this.width, height: this.height });
    this.data.copy(png.data);
    return PNG.sync.write(png, { colorType: 2 });
  }
}

/** A box in the frame: what the detector found. */
interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface SceneOptions {
  /** Seeds the scene, so that one alert always draws one picture (a retried upload is the same image). */
  key: string;
  algorithm: string;
  confidence: number;
  cameraId: string;
  community: string;
  /** Local wall-clock time printed in the band, e.g. `2026-11-27 16:03:12`. */
  localTime: string;
}

/** Draws a street scene for an alert and returns it as PNG bytes. */
export function renderSnapshot(o: SceneOptions): Buffer {
  const rng = new Random(hash(o.key));
  const f = new Frame(SNAPSHOT_WIDTH, SNAPSHOT_HEIGHT);
  street(f, rng, !ON_ROAD.has(o.algorithm));
  const box = detected(f, rng, o.algorithm);
  detectionBox(f, box, `${o.algorithm} ${Math.round(o.confidence * 100)}%`);
  // the on-screen display: time and camera at the top, channel and community at the bottom
  f.shade(0, 0, f.width, Y.band, 0.7);
  f.text(4, 4, o.localTime, [255, 255, 255]);
  f.text(f.width - 4 - textWidth(o.cameraId), 4, o.cameraId, [255, 255, 255]);
  f.shade(0, f.height - 12, f.width, 12, 0.6);
  f.text(4, f.height - 10, `CH${o.cameraId.slice(-2)} ${o.community}`, [235, 235, 235]);
  f.text(f.width - 4 - textWidth('AI DETECT'), f.height - 10, 'AI DETECT', [255, 210, 80]);
  return f.png();
}

/** Algorithms whose finding is on the carriageway: no passing car is drawn over it. */
const ON_ROAD = new Set(['road_spill', 'water_floating', 'muck_truck']);

/** Upper floors, shop fronts, pavement, kerb, road: the street the camera looks down on. */
function street(f: Frame, rng: Random, traffic: boolean): void {
  f.fill(0, 0, f.width, Y.pavement, SKY);
  for (let x = 0; x < f.width;) {
    const w = rng.int(64, 112);
    const facade = rng.pick(FACADES);
    f.fill(x, Y.buildings, w - 2, Y.pavement - Y.buildings, facade);
    // upper-floor windows
    for (let wx = x + 6; wx < x + w - 14; wx += 16) f.fill(wx, Y.buildings + 3, 9, 8, GLASS);
    // signboard with a few blocks standing for its characters
    const sign = rng.pick(SIGNS);
    f.fill(x + 3, Y.signTop, w - 8, Y.signBottom - Y.signTop, sign);
    for (let cx = x + 9; cx < x + w - 18; cx += 13) f.fill(cx, Y.signTop + 4, 9, 8, [245, 240, 225]);
    // the shop's opening: glass, or a roller shutter half down
    const door = { x: x + 8, w: w - 18, h: Y.pavement - Y.doorTop };
    if (rng.chance(0.25)) {
      f.fill(door.x, Y.doorTop, door.w, door.h, SHUTTER);
      for (let y = Y.doorTop + 3; y < Y.pavement; y += 4) f.fill(door.x, y, door.w, 1, [128, 130, 134]);
    } else {
      f.fill(door.x, Y.doorTop, door.w, door.h, GLASS);
      f.fill(door.x + Math.floor(door.w / 2), Y.doorTop, 2, door.h, [50, 62, 74]);
      f.fill(door.x + 4, Y.doorTop + 6, 10, 3, [120, 150, 170]); // a reflection
    }
    x += w;
  }
  f.fill(0, Y.pavement, f.width, Y.kerb - Y.pavement, PAVEMENT);
  for (let y = Y.pavement + 11; y < Y.kerb; y += 11) f.fill(0, y, f.width, 1, PAVEMENT_JOINT);
  for (let x = 7; x < f.width; x += 22) f.fill(x, Y.pavement, 1, Y.kerb - Y.pavement, PAVEMENT_JOINT);
  f.fill(0, Y.kerb, f.width, Y.road - Y.kerb, KERB);
  f.fill(0, Y.kerb, f.width, 1, KERB_EDGE);
  f.fill(0, Y.road, f.width, f.height - Y.road, ROAD);
  for (let x = rng.int(0, 30); x < f.width; x += 56) f.fill(x, Y.lane, 30, 3, LANE);
  // a passing car in the near lane, most of the time
  if (rng.chance(0.6) && traffic)
    car(
      f,
      rng.int(0, f.width - 90),
      Y.road + 8,
      rng.pick<Rgb>([
        [40, 60, 120],
        [200, 200, 205],
        [30, 30, 34],
        [150, 30, 30],
      ]),
    );
}

/** Draws what the algorithm looks for and returns the box around it. */
function detected(f: Frame, rng: Random, algorithm: string): Box {
  const x = rng.int(30, f.width - 170);
  switch (algorithm) {
    case 'vehicle_parking': {
      car(
        f,
        x,
        Y.pavement + 6,
        rng.pick<Rgb>([
          [220, 220, 225],
          [30, 30, 34],
          [160, 20, 24],
        ]),
      );
      return { x: x - 4, y: Y.pavement - 2, w: 96, h: 48 };
    }
    case 'bike_parking': {
      for (let i = 0; i < 5; i++)
        bike(
          f,
          x + i * 22,
          Y.pavement + 20 + (i % 2) * 6,
          rng.pick<Rgb>([
            [240, 200, 40],
            [30, 140, 220],
            [60, 60, 60],
          ]),
        );
      return { x: x - 6, y: Y.pavement + 8, w: 5 * 22 + 20, h: 40 };
    }
    case 'street_hanging': {
      f.line(x, Y.doorTop + 2, x + 120, Y.doorTop + 8, [40, 40, 40]);
      for (let i = 0; i < 6; i++)
        f.fill(
          x + 6 + i * 19,
          Y.doorTop + 4 + i,
          13,
          rng.int(18, 32),
          rng.pick<Rgb>([
            [220, 60, 80],
            [250, 250, 250],
            [60, 120, 200],
            [240, 190, 40],
          ]),
        );
      return { x: x - 4, y: Y.doorTop - 4, w: 130, h: 48 };
    }
    case 'illegal_ads': {
      f.fill(x, Y.doorTop + 6, 70, 46, [250, 220, 40]);
      f.fill(x + 6, Y.doorTop + 14, 58, 8, [200, 20, 20]);
      f.fill(x + 6, Y.doorTop + 28, 40, 6, [40, 40, 40]);
      f.fill(x + 30, Y.doorTop + 52, 3, Y.pavement - Y.doorTop - 30, [90, 90, 90]);
      return { x: x - 4, y: Y.doorTop + 2, w: 78, h: 76 };
    }
    case 'exposed_garbage':
    case 'bin_overflow':
    case 'debris_piling':
    case 'road_spill':
    case 'water_floating': {
      const onRoad = algorithm === 'road_spill' || algorithm === 'water_floating';
      const base = onRoad ? Y.road + 20 : Y.pavement + 14;
      if (algorithm === 'bin_overflow') f.fill(x + 20, base + 2, 26, 28, [30, 120, 70]);
      for (let i = 0; i < 14; i++)
        f.disc(
          x + rng.int(8, 62),
          base + rng.int(-2, 24),
          rng.int(5, 10),
          rng.pick<Rgb>([
            [30, 30, 30],
            [90, 70, 50],
            [60, 110, 60],
            [200, 200, 190],
            [120, 100, 80],
          ]),
        );
      return { x: x - 6, y: base - 14, w: 84, h: 50 };
    }
    case 'crowd_gathering': {
      for (let i = 0; i < 9; i++) person(f, x + rng.int(0, 110), Y.pavement + rng.int(0, 14), rng);
      return { x: x - 8, y: Y.pavement - 26, w: 138, h: 70 };
    }
    case 'construction_occupation':
    case 'muck_truck': {
      if (algorithm === 'muck_truck') {
        f.fill(x, Y.road + 6, 96, 34, [200, 120, 30]);
        f.fill(x + 96, Y.road + 14, 30, 26, [220, 220, 220]);
        f.fill(x + 4, Y.road + 2, 88, 8, [110, 85, 60]); // the uncovered load
        for (const wx of [x + 16, x + 70, x + 110]) f.disc(wx, Y.road + 42, 7, [20, 20, 20]);
        return { x: x - 6, y: Y.road - 4, w: 142, h: 58 };
      }
      for (let i = 0; i < 6; i++) {
        f.fill(x + i * 20, Y.kerb - 20, 16, 26, [240, 120, 20]);
        f.fill(x + i * 20, Y.kerb - 14, 16, 4, [250, 250, 250]);
      }
      f.fill(x + 10, Y.pavement + 4, 50, 18, [150, 140, 120]);
      return { x: x - 6, y: Y.pavement - 2, w: 132, h: Y.kerb - Y.pavement + 12 };
    }
    default: {
      // trading or vending outside a shop: a stall with goods and its parasol
      f.fill(x, Y.pavement + 14, 80, 16, [150, 100, 60]);
      for (let i = 0; i < 7; i++)
        f.fill(
          x + 3 + i * 11,
          Y.pavement + 6,
          9,
          9,
          rng.pick<Rgb>([
            [230, 80, 50],
            [250, 200, 40],
            [90, 170, 70],
            [240, 240, 230],
          ]),
        );
      f.fill(x + 4, Y.pavement + 30, 4, 14, [80, 60, 40]);
      f.fill(x + 72, Y.pavement + 30, 4, 14, [80, 60, 40]);
      if (algorithm !== 'shop_outside') {
        f.fill(x + 38, Y.doorTop + 4, 3, Y.pavement - Y.doorTop + 6, [60, 60, 60]);
        f.fill(x + 4, Y.doorTop, 72, 10, [220, 50, 50]);
      }
      person(f, x + 90, Y.pavement + 4, rng);
      return { x: x - 6, y: Y.doorTop - 6, w: 112, h: Y.pavement - Y.doorTop + 52 };
    }
  }
}

function detectionBox(f: Frame, b: Box, label: string): void {
  f.outline(b.x, b.y, b.w, b.h, BOX_COLOUR, 2);
  const w = textWidth(label.toUpperCase()) + 6;
  const ty = b.y - 11 >= Y.band ? b.y - 11 : b.y + b.h;
  f.fill(b.x, ty, w, 11, BOX_COLOUR);
  f.text(b.x + 3, ty + 2, label, [255, 255, 255]);
}

function car(f: Frame, x: number, y: number, body: Rgb): void {
  f.fill(x, y + 12, 86, 20, body);
  f.fill(x + 18, y, 48, 14, body);
  f.fill(x + 22, y + 3, 18, 9, GLASS);
  f.fill(x + 44, y + 3, 18, 9, GLASS);
  f.disc(x + 18, y + 32, 7, [20, 20, 20]);
  f.disc(x + 68, y + 32, 7, [20, 20, 20]);
}

function bike(f: Frame, x: number, y: number, frame: Rgb): void {
  f.disc(x, y + 10, 6, [40, 40, 40]);
  f.disc(x, y + 10, 4, PAVEMENT);
  f.disc(x + 16, y + 10, 6, [40, 40, 40]);
  f.disc(x + 16, y + 10, 4, PAVEMENT);
  f.line(x, y + 10, x + 8, y, frame);
  f.line(x + 8, y, x + 16, y + 10, frame);
  f.line(x + 8, y, x + 14, y - 2, frame);
}

function person(f: Frame, x: number, y: number, rng: Random): void {
  f.disc(x + 5, y - 16, 4, [60, 45, 35]);
  f.fill(
    x,
    y - 12,
    10,
    16,
    rng.pick<Rgb>([
      [40, 70, 140],
      [180, 40, 40],
      [230, 230, 230],
      [60, 60, 60],
      [40, 120, 80],
    ]),
  );
  f.fill(x + 1, y + 4, 3, 12, [40, 40, 50]);
  f.fill(x + 6, y + 4, 3, 12, [40, 40, 50]);
}

/** FNV-1a: a seed from a string. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
