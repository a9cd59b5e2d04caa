import { uploadFile } from "@videoretalk/react";
import type { PickedMedia } from "./media-picker";

/** Bytes sent so far over all chosen files. */
export interface UploadState {
  sentBytes: number;
  totalBytes: number;
}

/**
 * Turns the pickers into the task's URLs: a chosen file is uploaded through the proxy's upload
 * route (`/api/videoretalk/v1/files/upload`, which adds the key server-side) and replaced by its
 * `file_url`; a typed URL is used as is. Files go one after the other, and `onProgress` sees
 * the bytes of all of them together.
 */
export async function resolveInputUrls(
  inputs: { video: PickedMedia; audio: PickedMedia },
  proxyUrl: string,
  onProgress: (state: UploadState) => void,
): Promise<{ video_url: string; audio_url: string }> {
  const files = [inputs.video.file, inputs.audio.file].filter((file): file is File => file !== null);
  const totalBytes = files.reduce((sum, file) => sum + file.size, 0);
  let doneBytes = 0;
  const urlFor = async (picked: PickedMedia): Promise<string> => {
    const file = picked.file;
    if (file === null) return picked.url.trim();
    const fileUrl = await uploadFile(file, {
      proxyUrl,
      // Progress counts the multipart body; scale it to the file's own size.
      onProgress: ({ sentBytes, totalBytes: bodyBytes }) =>
        onProgress({
          sentBytes: doneBytes + Math.min(file.size, (file.size * sentBytes) / (bodyBytes || 1)),
          totalBytes,
        }),
    });
    doneBytes += file.size;
    onProgress({ sentBytes: doneBytes, totalBytes });
    return fileUrl;
  };
  if (totalBytes > 0) onProgress({ sentBytes: 0, totalBytes });
  const video_url = await urlFor(inputs.video);
  const audio_url = await urlFor(inputs.audio);
  return { video_url, audio_url };
}
