import type { AppErrorShape } from '../../shared/errors';
import type { Api } from '../api';

/** The browser-mode body limit is 1 MiB; 512 KiB of bytes is about 700 kB of base64. */
const CHUNK = 512 * 1024;

function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

/**
 * Stages a file the user chose or dropped in the browser (its bytes, chunk by chunk through
 * `ui:upload-chunk`) and answers the staged path, which the main process reads like a chosen file.
 */
export async function uploadFile(
  api: Api,
  file: File,
): Promise<{ ok: true; path: string } | { ok: false; error: AppErrorShape }> {
  let uploadId: string | null = null;
  for (let offset = 0; offset < file.size || offset === 0; offset += CHUNK) {
    const bytes = new Uint8Array(await file.slice(offset, offset + CHUNK).arrayBuffer());
    const done = offset + CHUNK >= file.size;
    const r = await api.channels['ui:upload-chunk']({
      uploadId,
      fileName: file.name,
      offset,
      data: toBase64(bytes),
      done,
    });
    if (!r.ok) return { ok: false, error: r.error };
    uploadId = r.value.uploadId;
    if (done) {
      if (r.value.path) return { ok: true, path: r.value.path };
      break;
    }
  }
  return { ok: false, error: { code: 'upload_incomplete', message: `${file.name} could not be staged; try again.` } };
}
