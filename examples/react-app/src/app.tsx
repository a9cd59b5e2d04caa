import { VideoRetalkError } from "@videoretalk/core";
import { type LipSyncStatus, useLipSync, useMediaCheck } from "@videoretalk/react";
// Vite copies the parser's WebAssembly file into the build and gives its URL; the in-page check
// (@videoretalk/preflight, loaded on the first pick) fetches it from this origin.
import wasmUrl from "mediainfo.js/MediaInfoModule.wasm?url";
import { type FormEvent, useEffect, useId, useRef, useState } from "react";
import { type AppConfig, useAppConfig } from "./app-config";
import { ErrorDetails } from "./error-details";
import { MediaPicker, type PickedMedia } from "./media-picker";
import { readTaskIdFromUrl, writeTaskIdToUrl } from "./task-url";
import { resolveInputUrls, type UploadState } from "./upload-inputs";

const PROXY_URL = "/api/videoretalk";
const VIDEO_TYPES = "video/mp4,video/quicktime,video/x-msvideo,.mp4,.mov,.avi";
const AUDIO_TYPES = "audio/wav,audio/x-wav,audio/mpeg,audio/aac,.wav,.mp3,.aac";

const BUSY: ReadonlySet<LipSyncStatus> = new Set(["creating", "pending", "processing"]);

/** Loads /config (the sample media URLs and polling bounds), then shows the lip-sync form. */
export function App() {
  const config = useAppConfig();
  return (
    <main>
      <h1>Lip-sync a video</h1>
      {config.isPending ? <p>Loading…</p> : null}
      {config.error ? <p role="alert">Could not load the page configuration: {config.error.message}</p> : null}
      {config.data ? <LipSync config={config.data} /> : null}
    </main>
  );
}

function LipSync({ config }: { config: AppConfig }) {
  // A task id in the URL (`?task=…`) is resumed: polled to its end, nothing is created.
  const [resumeId, setResumeId] = useState(readTaskIdFromUrl);
  const { start, reset, taskId, status, progress, resultUrl, error } = useLipSync({
    taskId: resumeId,
    minIntervalMs: config.poll?.minIntervalMs,
    maxIntervalMs: config.poll?.maxIntervalMs,
  });
  const [video, setVideo] = useState<PickedMedia>({ url: config.sampleVideoUrl, file: null });
  const [audio, setAudio] = useState<PickedMedia>({ url: config.sampleAudioUrl, file: null });
  // Each chosen file is checked in the page as soon as it is picked (nothing is uploaded).
  const videoCheck = useMediaCheck({ wasmUrl });
  const audioCheck = useMediaCheck({ wasmUrl });
  const [upload, setUpload] = useState<UploadState | null>(null);
  const [uploadError, setUploadError] = useState<unknown>(null);
  const uploading = useRef(false);
  const [isUploading, setIsUploading] = useState(false);
  // Bumped by Reset: remounts the pickers, which empties their file inputs.
  const [pickerKey, setPickerKey] = useState(0);
  const ids = { status: useId() };

  // Keep the id in the URL as soon as the task exists, so a reload resumes it.
  useEffect(() => {
    if (taskId !== null) writeTaskIdToUrl(taskId);
  }, [taskId]);

  const busy = BUSY.has(status) || isUploading;
  // A chosen file must have passed its check before anything is uploaded.
  const fileReady = (picked: PickedMedia, check: typeof videoCheck) =>
    picked.file === null || (check.status === "done" && check.result?.ok === true);
  const inputsReady = fileReady(video, videoCheck) && fileReady(audio, audioCheck);

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!inputsReady || uploading.current || BUSY.has(status)) return;
    setUploadError(null);
    if (video.file === null && audio.file === null) {
      // Ignored by the hook while a submission or an unfinished task is running.
      start({ video_url: video.url.trim(), audio_url: audio.url.trim() });
      return;
    }
    uploading.current = true;
    setIsUploading(true);
    try {
      start(await resolveInputUrls({ video, audio }, PROXY_URL, setUpload));
    } catch (error) {
      setUploadError(error);
    } finally {
      uploading.current = false;
      setIsUploading(false);
    }
  };

  const onReset = () => {
    reset();
    setResumeId(null);
    writeTaskIdToUrl(null);
    setUpload(null);
    setUploadError(null);
    setVideo((previous) => ({ ...previous, file: null }));
    setAudio((previous) => ({ ...previous, file: null }));
    videoCheck.reset();
    audioCheck.reset();
    setPickerKey((key) => key + 1);
  };

  return (
    <>
      <p className="backend">
        {config.backend === "emulator"
          ? `Backend: the local emulator (tasks run ${config.speed ?? 1}× faster than the real API).`
          : "Backend: the VideoRetalk API."}{" "}
        The API key stays on the server; this page only talks to <code>/api/videoretalk</code>.
      </p>

      <form onSubmit={onSubmit} aria-label="Lip-sync inputs">
        <MediaPicker
          key={`video-${pickerKey}`}
          kind="video"
          accept={VIDEO_TYPES}
          value={video}
          onChange={setVideo}
          check={videoCheck}
          disabled={busy}
        />
        <MediaPicker
          key={`audio-${pickerKey}`}
          kind="audio"
          accept={AUDIO_TYPES}
          value={audio}
          onChange={setAudio}
          check={audioCheck}
          disabled={busy}
        />
        <div className="buttons">
          <button type="submit" disabled={busy || !inputsReady}>
            Start
          </button>
          <button
            type="button"
            onClick={onReset}
            disabled={status === "idle" && video.file === null && audio.file === null && !uploadError}
          >
            Reset
          </button>
        </div>
      </form>

      <section aria-labelledby={ids.status} className="progress">
        <h2 id={ids.status}>Progress</h2>
        <progress aria-label="Lip-sync progress" max={100} value={progress} />
        <p role="status" className="status">
          Status: <span className="status-value">{status}</span> ({progress}%)
        </p>
        {upload ? (
          <p className="upload">
            <progress aria-label="Upload progress" max={upload.totalBytes} value={upload.sentBytes} />
            <span className="upload-value">
              Uploaded {Math.round(upload.sentBytes / 1024)} of {Math.round(upload.totalBytes / 1024)} KiB
            </span>
          </p>
        ) : null}
        {taskId !== null ? (
          <p className="task-id">
            Task: <code>{taskId}</code>
          </p>
        ) : null}
      </section>

      {error ? <ErrorDetails error={error} /> : uploadError ? <UploadFailure error={uploadError} /> : null}

      {resultUrl ? (
        <section aria-labelledby="result-heading" className="result">
          <h2 id="result-heading">Result</h2>
          {/* biome-ignore lint/a11y/useMediaCaption: the sample output has no spoken-text track to offer. */}
          <video aria-label="Lip-synced video" src={resultUrl} controls playsInline preload="metadata" />
          <p>
            <a href={resultUrl} target="_blank" rel="noreferrer">
              Open the video
            </a>{" "}
            (the link is valid for 24 hours).
          </p>
        </section>
      ) : null}
    </>
  );
}

/** An upload the proxy refused (413, 415, …) or that never arrived. */
function UploadFailure({ error }: { error: unknown }) {
  if (error instanceof VideoRetalkError) return <ErrorDetails error={error} />;
  return (
    <div role="alert" className="error">
      <h2>The upload failed</h2>
      <p className="error-message">{error instanceof Error ? error.message : String(error)}</p>
    </div>
  );
}
