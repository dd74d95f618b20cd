// Polls until something the pipeline does behind the API (routing, mail, statistics) has happened. The deadline
// is generous (a whole suite on a shared 2-core machine can take 20 s and more for one mail); a wait ends as soon
// as the thing is there, so it costs nothing when the desk is quick.
export const waitFor = async <T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 60_000): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out; last value: ${JSON.stringify(value).slice(0, 2000)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};

/** A queue of `/_local/health` that holds nothing: both counts 0 (null when SQS did not answer is not idle). */
export const queueIdle = (depth: { visible: number | null; inFlight: number | null }) => depth.visible === 0 && depth.inFlight === 0;
