export { FakeClock, flushMicrotasks } from "./fake-clock.js";
export {
  type FetchStep,
  jsonResponse,
  networkError,
  type RecordedCall,
  type ScriptedFetch,
  scriptedFetch,
} from "./scripted-fetch.js";
export { SignallingClock } from "./signalling-clock.js";
