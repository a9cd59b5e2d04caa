import { startEmulator } from "@videoretalk/emulator";

const e = await startEmulator({ speed: 100, port: 4555 });
console.log(e.url);
setTimeout(() => e.close(), 120000);
