// TFRecord framing, the container of TensorBoard's event files: per record a little-endian
// uint64 length, the masked CRC32C of those 8 bytes, the data, the masked CRC32C of the data.
// CRC32C (Castagnoli) comes from crc-32's crc32c module (SheetJS: pure JS, no dependencies).
import { createRequire } from 'node:module';

const crc32c = createRequire(import.meta.url)('crc-32/crc32c.js') as { buf(data: Uint8Array, seed?: number): number };

/** TensorFlow's masked CRC32C: the CRC rotated right by 15 bits plus a constant (crc32c.h). */
export function maskedCrc32c(data: Uint8Array): number {
  const crc = crc32c.buf(data) >>> 0;
  return ((((crc >>> 15) | (crc << 17)) >>> 0) + 0xa282ead8) >>> 0;
}

/** One record: header (length, its CRC), data, data CRC. */
export function frameRecord(data: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(12 + data.length + 4); // every byte is set below
  out.writeBigUInt64LE(BigInt(data.length), 0);
  out.writeUInt32LE(maskedCrc32c(out.subarray(0, 8)), 8);
  out.set(data, 12);
  out.writeUInt32LE(maskedCrc32c(data), 12 + data.length);
  return out;
}
