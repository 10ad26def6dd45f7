/**
 * What an uploaded image is, told by its first bytes (magic numbers). The Content-Type header is
 * the uploader's claim and is never believed: a text file sent as image/jpeg is not an image, and
 * whatever is stored is served with the type found here and `nosniff`.
 */
import type { SnapshotMediaType } from '@commandhall/shared/cameras';

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const ascii = (buf: Buffer, at: number, text: string) =>
  buf.length >= at + text.length && buf.toString('latin1', at, at + text.length) === text;

/** The image type of `buf`, or null when it is none of JPEG, PNG and WebP. */
export function sniffImage(buf: Buffer): SnapshotMediaType | null {
  // JPEG: SOI then the first marker
  if (buf.length >= 4 && buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff) return 'image/jpeg';
  // PNG: the signature, then the IHDR chunk, which must come first
  if (buf.length >= 24 && PNG.every((b, i) => buf[i] === b) && ascii(buf, 12, 'IHDR')) return 'image/png';
  // WebP: a RIFF container of form WEBP holding a VP8, VP8L or VP8X chunk
  if (ascii(buf, 0, 'RIFF') && ascii(buf, 8, 'WEBP') && (ascii(buf, 12, 'VP8 ') || ascii(buf, 12, 'VP8L') || ascii(buf, 12, 'VP8X')))
    return 'image/webp';
  return null;
}

export const EXTENSION: Record<SnapshotMediaType, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp' };
