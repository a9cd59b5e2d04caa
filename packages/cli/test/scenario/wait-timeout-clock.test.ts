import { readdir, readFile } from "node:fs/promises";
import { type Emulator, startEmulator } from "@videoretalk/emulator";
import { SignallingClock } from "@videoretalk/test-support";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { runCli } from "../../src/program.js";
import { cliEnv } from "../support/built-cli.js";
import { fakeIO } from "../support/fake-io.js";
import { SPEAKER_MP4 } from "../support/fixtures.js";
import { TASK_ID, tempDirs } from "../support/temp-dir.js";

// `--timeout` bounds the wait for the task, not the create before it. The create is held by the
// emulator's `slow:20000` for 20 s and `--timeout` is 15 s. The CLI runs in-process on the same
// fake clock as the emulator, so every duration below is exact fake time: the test moves the
// clock only after an event (a timer being set) and never races the machine's real speed.
const CREATE_DELAY_MS = 20_000;
const TIMEOUT_MS = 15_000;
const dirs = tempDirs();
const emulators: Emulator[] = [];
afterEach(async () => {
  await Promise.all(emulators.splice(0).map((emulator) => emulator.close()));
});
afterAll(() => dirs.removeAll());

/** An emulator on `clock` and an in-process `videoretalk lipsync … --timeout 15` against it. */
async function startSlowCreateRun(clock: SignallingClock, speed: number) {
  const emulator = await startEmulator({ clock, speed });
  emulators.push(emulator);
  const cwd = await dirs.make();
  const { io, stdout, stderr } = fakeIO({ env: cliEnv(emulator.url), cwd, clock });
  let settled = false;
  const run = runCli(
    [
      "lipsync",
      "--video",
      `${emulator.url}/samples/speaker.mp4?scenario=slow:${CREATE_DELAY_MS}`,
      "--audio",
      `${emulator.url}/samples/speech.wav`,
      "--out",
      "out.mp4",
      "--timeout",
      String(TIMEOUT_MS / 1000),
    ],
    io,
  ).finally(() => {
    settled = true;
  });
  return { run, cwd, stdout, stderr, isSettled: () => settled };
}

/** Lets the emulator answer the held create, and resolves once the wait's first read started. */
async function answerCreate(clock: SignallingClock): Promise<number> {
  await clock.timerSet((ms) => ms === CREATE_DELAY_MS);
  const firstReadSet = clock.timerSet((ms) => ms === TIMEOUT_MS);
  await clock.advance(CREATE_DELAY_MS);
  const createAnsweredAt = clock.now();
  // The first read's deadline is the whole --timeout: the wait began when the create answered.
  await firstReadSet;
  return createAnsweredAt;
}

describe("--timeout on a fake clock: a 20 s create, then --timeout 15", () => {
  it("a task still running 15 s after the create answered: exit 3 at exactly 15 s, with the id and the resume command", async () => {
    const clock = new SignallingClock();
    // At speed 1 a task runs 30-60 s, so it is still processing when the wait gives up.
    const cli = await startSlowCreateRun(clock, 1);
    const createAnsweredAt = await answerCreate(clock);

    await clock.advance(TIMEOUT_MS - 1);
    expect(cli.isSettled(), cli.stderr.text).toBe(false);
    await clock.advance(1);
    const code = await cli.run;

    expect(clock.now() - createAnsweredAt).toBe(TIMEOUT_MS);
    expect(code, cli.stderr.text).toBe(3);
    const id = cli.stderr.text.match(TASK_ID)?.[0];
    expect(id).toBeDefined();
    expect(cli.stderr.text).toContain(`error: Task ${id} did not finish within ${TIMEOUT_MS} ms`);
    expect(cli.stderr.text).toContain(`task id: ${id}`);
    expect(cli.stderr.text).toContain(`resume with: videoretalk task wait ${id}`);
    expect(cli.stdout.text).toBe("");
    expect(await readdir(cli.cwd)).toEqual([]);
  });

  it("a task done 1 s after the create answered: saved, exit 0 (the create's 20 s do not count)", async () => {
    const clock = new SignallingClock();
    // At speed 100 000 the task is done within a millisecond of fake time.
    const cli = await startSlowCreateRun(clock, 100_000);
    const createAnsweredAt = await answerCreate(clock);

    // The first read saw the task just created; the wait then sleeps until its next read.
    const pollDelayMs = await clock.timerSet((ms) => ms !== TIMEOUT_MS);
    expect(pollDelayMs).toBeLessThan(TIMEOUT_MS);
    await clock.advance(pollDelayMs);
    const code = await cli.run;

    expect(code, cli.stderr.text).toBe(0);
    expect(clock.now() - createAnsweredAt).toBe(pollDelayMs);
    expect(await readFile(`${cli.cwd}/out.mp4`)).toEqual(await readFile(SPEAKER_MP4));
    expect(cli.stdout.text).toMatch(/^done in /);
  });
});
