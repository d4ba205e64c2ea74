/** The characters of bytes 0x80–0xFF in the Mac Roman encoding. */
const macRomanHigh =
  'ÄÅÇÉÑÖÜáàâäãåçéèêëíìîïñóòôöõúùûü†°¢£§•¶ß®©™´¨≠ÆØ∞±≤≥¥µ∂∑∏π∫ªºΩæø' +
  '¿¡¬√ƒ≈∆«»…\u00a0ÀÃÕŒœ–—“”‘’÷◊ÿŸ⁄€‹›ﬁﬂ‡·‚„‰ÂÊÁËÈÍÎÏÌÓÔ\uf8ffÒÚÛÙıˆ˜¯˘˙˚¸˝˛ˇ';

const macRomanByte = new Map<string, number>(
  [...macRomanHigh].map((character, index) => [character, 0x80 + index]),
);

function encode(
  text: string,
  byteOf: (character: string) => number | undefined,
): Buffer | undefined {
  const bytes: number[] = [];
  for (const character of text) {
    const code = character.codePointAt(0) ?? 0;
    const byte = code < 0x80 ? code : byteOf(character);
    if (byte === undefined) return undefined;
    bytes.push(byte);
  }
  return Buffer.from(bytes);
}

function decodeStrictUtf8(bytes: Buffer): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * When `text` is UTF-8 that was wrongly decoded as Mac Roman or Latin-1 (mojibake such as
 * `üèóÔ∏è` for `🏗️`), returns the repaired text and the encoding it went through; otherwise
 * `undefined`.
 */
export function repairMojibake(
  text: string,
): { repaired: string; encoding: 'Mac Roman' | 'Latin-1' } | undefined {
  if (!/[^\p{ASCII}]/u.test(text)) return undefined;
  const attempts = [
    [
      'Latin-1',
      (character: string) => {
        const code = character.codePointAt(0) ?? 0;
        return code <= 0xff ? code : undefined;
      },
    ],
    ['Mac Roman', (character: string) => macRomanByte.get(character)],
  ] as const;
  let best: { repaired: string; encoding: 'Mac Roman' | 'Latin-1'; oddity: number } | undefined;
  for (const [encoding, byteOf] of attempts) {
    const bytes = encode(text, byteOf);
    const repaired = bytes && decodeStrictUtf8(bytes);
    if (repaired === undefined || repaired === text) continue;
    // Both decodings can yield valid UTF-8; the right one has fewer stray marks and controls.
    const oddity = (repaired.match(/[\p{M}\p{C}]/gu) ?? []).filter(
      (mark) => mark !== '\ufe0f',
    ).length;
    if (!best || oddity < best.oddity) best = { repaired, encoding, oddity };
  }
  if (best) return { repaired: best.repaired, encoding: best.encoding };
  return undefined;
}
