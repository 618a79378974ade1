/**
 * CRC-64 as Alibaba Cloud OSS and Function Compute compute it (`x-oss-hash-crc64ecma`): the ECMA-182
 * polynomial, reflected, with all-ones init and final xor (the parameters catalogued as CRC-64/XZ).
 * AgentRun's `codeConfiguration.checksum` is documented only as "CRC-64"; this variant is the one its
 * Function Compute backend uses, and this file is the only place to change should that prove wrong.
 */
const POLY_REFLECTED = 0xc96c5795d7870f42n;

// The 64-bit register is kept as two 32-bit halves: BigInt arithmetic per byte is ~20x slower. Eight
// tables ("slicing-by-8") fold eight bytes per step instead of one: 3-4x faster than the byte loop.
const SLICES = 8;
const TABLE_HI = new Uint32Array(256 * SLICES);
const TABLE_LO = new Uint32Array(256 * SLICES);
for (let byte = 0; byte < 256; byte++) {
  let crc = BigInt(byte);
  for (let bit = 0; bit < 8; bit++) crc = crc & 1n ? (crc >> 1n) ^ POLY_REFLECTED : crc >> 1n;
  TABLE_HI[byte] = Number(crc >> 32n);
  TABLE_LO[byte] = Number(crc & 0xffffffffn);
}
// Table k gives the register after a byte followed by k zero bytes.
for (let i = 256; i < 256 * SLICES; i++) {
  const hi = TABLE_HI[i - 256]!;
  const lo = TABLE_LO[i - 256]!;
  const index = lo & 0xff;
  TABLE_LO[i] = ((lo >>> 8) | (hi << 24)) ^ TABLE_LO[index]!;
  TABLE_HI[i] = (hi >>> 8) ^ TABLE_HI[index]!;
}

/** Incremental CRC-64: feed chunks with `update`, read the decimal string the API expects with `digest`. */
export class Crc64 {
  private hi = 0xffffffff;
  private lo = 0xffffffff;

  update(chunk: Uint8Array): this {
    let { hi, lo } = this;
    let i = 0;
    for (const end = chunk.length - (chunk.length % SLICES); i < end; i += SLICES) {
      const a = lo ^ (chunk[i]! | (chunk[i + 1]! << 8) | (chunk[i + 2]! << 16) | (chunk[i + 3]! << 24));
      const b = hi ^ (chunk[i + 4]! | (chunk[i + 5]! << 8) | (chunk[i + 6]! << 16) | (chunk[i + 7]! << 24));
      const t7 = 7 * 256 + (a & 0xff);
      const t6 = 6 * 256 + ((a >>> 8) & 0xff);
      const t5 = 5 * 256 + ((a >>> 16) & 0xff);
      const t4 = 4 * 256 + (a >>> 24);
      const t3 = 3 * 256 + (b & 0xff);
      const t2 = 2 * 256 + ((b >>> 8) & 0xff);
      const t1 = 256 + ((b >>> 16) & 0xff);
      const t0 = b >>> 24;
      lo =
        TABLE_LO[t7]! ^
        TABLE_LO[t6]! ^
        TABLE_LO[t5]! ^
        TABLE_LO[t4]! ^
        TABLE_LO[t3]! ^
        TABLE_LO[t2]! ^
        TABLE_LO[t1]! ^
        TABLE_LO[t0]!;
      hi =
        TABLE_HI[t7]! ^
        TABLE_HI[t6]! ^
        TABLE_HI[t5]! ^
        TABLE_HI[t4]! ^
        TABLE_HI[t3]! ^
        TABLE_HI[t2]! ^
        TABLE_HI[t1]! ^
        TABLE_HI[t0]!;
    }
    for (; i < chunk.length; i++) {
      const index = (lo ^ chunk[i]!) & 0xff;
      lo = ((lo >>> 8) | (hi << 24)) ^ TABLE_LO[index]!;
      hi = (hi >>> 8) ^ TABLE_HI[index]!;
    }
    this.hi = hi >>> 0;
    this.lo = lo >>> 0;
    return this;
  }

  /** The checksum as an unsigned decimal string, e.g. "11051210869376104954". */
  digest(): string {
    return ((BigInt((this.hi ^ 0xffffffff) >>> 0) << 32n) | BigInt((this.lo ^ 0xffffffff) >>> 0)).toString();
  }
}

export function crc64(data: Uint8Array): string {
  return new Crc64().update(data).digest();
}
