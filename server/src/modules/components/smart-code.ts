/**
 * Smart codes (智慧码): a component's QR code, pointing to its scan page `<PUBLIC_URL>/code/<id>`,
 * drawn as SVG on the server (`qrcode` makes the matrix; one path of unit squares draws it), and
 * sheets of labels to print and stick on the components: A4 pages of {@link PER_PAGE} labels, each
 * with the code, the component's id, type and grid cell. SVG, so that printing it takes nothing
 * but a browser, and the Chinese text is set in the printer's fonts (no font is embedded).
 */
import QRCode from 'qrcode';
import { taxonomyLabel } from '@commandhall/shared';
import type { ComponentView } from './component-service.ts';

/** The scan page of a component. */
export const codeUrl = (base: string, id: string): string => `${base.replace(/\/+$/, '')}/code/${encodeURIComponent(id)}`;

/** The dark modules of a QR code as one SVG path in module units, and its size in modules. */
function qrPath(text: string): { d: string; size: number } {
  // M: a label that has weathered for years still reads (15 % of it may be lost)
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const { size, data } = qr.modules;
  let d = '';
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) if (data[y * size + x]) d += `M${x} ${y}h1v1h-1z`;
  return { d, size };
}

const escape = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** One component's QR code as a standalone SVG (a quiet zone of 4 modules all round). */
export function qrSvg(url: string, pixels = 256): string {
  const { d, size } = qrPath(url);
  const box = size + 8;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${pixels}" height="${pixels}" viewBox="-4 -4 ${box} ${box}" shape-rendering="crispEdges">` +
    `<title>${escape(url)}</title><rect x="-4" y="-4" width="${box}" height="${box}" fill="#fff"/><path d="${d}" fill="#000"/></svg>`
  );
}

/** Labels per A4 page: 3 across, 7 down, 70 × 42.4 mm each (a common label stock). */
export const COLS = 3;
export const ROWS = 7;
export const PER_PAGE = COLS * ROWS;
const LABEL_W = 70;
const LABEL_H = 42.4;
const TOP = (297 - ROWS * LABEL_H) / 2;

function label(c: ComponentView, url: string, col: number, row: number): string {
  const x = col * LABEL_W;
  const y = TOP + row * LABEL_H;
  const { d, size } = qrPath(url);
  const qr = 32; // mm
  const scale = qr / size;
  const text = (ty: number, s: string, size: number, weight = 400) =>
    `<text x="${x + 40}" y="${y + ty}" font-size="${size}" font-weight="${weight}">${escape(s)}</text>`;
  return (
    `<g><rect x="${x + 1}" y="${y + 1}" width="${LABEL_W - 2}" height="${LABEL_H - 2}" rx="2" fill="none" stroke="#999" stroke-width="0.2"/>` +
    `<path transform="translate(${x + 5.2} ${y + 5.2}) scale(${scale})" d="${d}"/>` +
    text(9, '智慧码 · 扫码报事', 3.4, 700) +
    text(15, taxonomyLabel('componentType', c.type), 3.6, 700) +
    text(20.5, c.cellName, 2.6) +
    text(25, c.road ?? c.communityName, 2.6) +
    `<text x="${x + 40}" y="${y + 31}" font-size="2.9" font-family="monospace">${escape(c.id)}</text>` +
    text(36.5, 'Scan to report a problem', 2.2) +
    `</g>`
  );
}

/** One A4 page of labels (up to PER_PAGE components), in millimetres. */
export function labelSheet(items: { view: ComponentView; url: string }[], title: string): string {
  const body = items.map((it, i) => label(it.view, it.url, i % COLS, Math.floor(i / COLS))).join('');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="210mm" height="297mm" viewBox="0 0 210 297" shape-rendering="crispEdges"` +
    ` font-family="'Noto Sans CJK SC','Source Han Sans SC','Microsoft YaHei','PingFang SC',sans-serif">` +
    `<title>${escape(title)}</title><rect width="210" height="297" fill="#fff"/>${body}</svg>`
  );
}
