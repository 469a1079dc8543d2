/** Deterministic PRNG (mulberry32) so every emulator data set is the same on every run. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

export function int(random: () => number, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

/** Minor units → plain decimal string with `exponent` decimals ("-19.99", "1500"). */
export function decimal(minor: number, exponent: number): string {
  const sign = minor < 0 ? '-' : '';
  const digits = String(Math.abs(minor)).padStart(exponent + 1, '0');
  return exponent === 0 ? sign + digits : `${sign}${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
}

/** Days after 2025-10-01 → ISO date. */
export function isoDay(offset: number): string {
  return new Date(Date.UTC(2025, 9, 1) + offset * 86_400_000).toISOString().slice(0, 10);
}

export const SKUS = [
  ['TEE-S', 'Organic tee, small', 1999],
  ['TEE-M', 'Organic tee, medium', 1999],
  ['TEE-L', 'Organic tee, large', 2199],
  ['HOODIE-M', 'Zip hoodie, medium', 5900],
  ['CAP-01', 'Logo cap', 1500],
  ['MUG-12', 'Enamel mug 12oz', 1250],
  ['SOCK-3P', 'Socks, 3 pack', 1100],
  ['BAG-TOTE', 'Canvas tote', 2400],
] as const;
