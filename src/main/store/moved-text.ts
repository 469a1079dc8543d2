import { TextColumn } from './match-cache';

/**
 * A text column on its way to another thread as bytes the structured clone moves (`transfer`)
 * instead of copying: latin1 when the text is ASCII (one byte a character), else its UTF-16 code
 * units (exact for any string, lone surrogates included). Why: a cloned string is serialised into
 * the message and deserialised on the receiving thread while the sender's heap is still alive —
 * at the one-shot's handover of a 1M-refund storefront that was ~350 MB of text held three times
 * (sender, message, receiver), its peak RSS. Bytes move; the receiver decodes them once the
 * sender is gone (jobs/task-thread.ts).
 */
export interface MovedText {
  bytes: Uint8Array;
  utf16: boolean;
  offsets: Uint32Array;
}

export function moveText(column: { text: string; offsets: Uint32Array }): MovedText {
  const { text } = column;
  // As many UTF-8 bytes as UTF-16 units: every character is ASCII.
  const ascii = Buffer.byteLength(text, 'utf8') === text.length;
  return { bytes: Buffer.from(text, ascii ? 'latin1' : 'utf16le'), utf16: !ascii, offsets: column.offsets };
}

/** The column back from its bytes (a structured clone gives a Uint8Array, possibly a view). */
export function arrivedText(moved: MovedText): TextColumn {
  const { bytes } = moved;
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return new TextColumn(buffer.toString(moved.utf16 ? 'utf16le' : 'latin1'), moved.offsets);
}
