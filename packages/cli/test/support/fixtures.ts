import { createRequire } from "node:module";
import { dirname, join } from "node:path";

// The emulator ships its sample media in its package (`fixtures/`), next to its package.json.
const emulatorRoot = dirname(createRequire(import.meta.url).resolve("@videoretalk/emulator/package.json"));

/** A 4 s 640×640 MP4 with AAC audio; the emulator's result for an upload of it is these bytes. */
export const SPEAKER_MP4 = join(emulatorRoot, "fixtures/speaker.mp4");
/** A 2 s WAV. */
export const SPEECH_WAV = join(emulatorRoot, "fixtures/speech.wav");
