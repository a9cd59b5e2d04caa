// Plain assertions with no dependency, so the suite runs unchanged on every runtime.

/** Throws with `message` unless `value` is truthy. */
export function ok(value, message) {
  if (!value) throw new Error(`assertion failed: ${message}`);
}

/** Throws unless `actual === expected`. */
export function equal(actual, expected, what) {
  if (actual !== expected) {
    throw new Error(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
}

/** Awaits `promise`, expecting it to reject with an instance of `ErrorClass`; returns the error. */
export async function rejects(promise, ErrorClass, what) {
  let error;
  try {
    await promise;
  } catch (caught) {
    error = caught;
  }
  if (error === undefined) throw new Error(`${what}: expected ${ErrorClass.name}, but it resolved`);
  if (!(error instanceof ErrorClass)) {
    throw new Error(`${what}: expected ${ErrorClass.name}, got ${error?.name}: ${error?.message}`);
  }
  return error;
}
