import { useQuery } from "@tanstack/react-query";

/** What server.mjs answers on GET /config: nothing secret, only what the page needs to start. */
export interface AppConfig {
  /** `"emulator"` when server.mjs started the local emulator, `"api"` for EVOLINK_BASE_URL. */
  backend: "emulator" | "api";
  /** How much faster than real time the emulator runs tasks (emulator only). */
  speed?: number;
  /** Prefill for the video input, e.g. the emulator's /samples/speaker.mp4 (its port is dynamic). */
  sampleVideoUrl: string;
  /** Prefill for the audio input, e.g. the emulator's /samples/speech.wav. */
  sampleAudioUrl: string;
  /** Polling bounds for useLipSync; absent means the hook's defaults (1 s – 60 s). */
  poll?: { minIntervalMs?: number; maxIntervalMs?: number };
}

async function fetchConfig(): Promise<AppConfig> {
  const response = await fetch("/config", { headers: { accept: "application/json" } });
  if (!response.ok) throw new Error(`GET /config answered HTTP ${response.status}.`);
  const body: unknown = await response.json();
  if (!isAppConfig(body)) throw new Error("GET /config answered an unexpected body.");
  return body;
}

function isAppConfig(value: unknown): value is AppConfig {
  if (value === null || typeof value !== "object") return false;
  const config = value as Record<string, unknown>;
  return (
    (config.backend === "emulator" || config.backend === "api") &&
    typeof config.sampleVideoUrl === "string" &&
    typeof config.sampleAudioUrl === "string"
  );
}

/** Loads the page's configuration once. */
export function useAppConfig() {
  return useQuery({ queryKey: ["example-react-app", "config"], queryFn: fetchConfig, staleTime: Infinity });
}
