// How the sandbox's Node runs: `npm start` (package.json "start", checked against this by a unit test), and the
// tests and the bench that start it as a process of its own.
//
// The heap is bounded: unbounded, V8 grows its heap lazily on a machine with memory to spare, and the sandbox's Node
// held 470–550 MiB after 5,000 tickets in `npm run bench -- throughput`, though what it keeps alive is a fraction of
// that. With old space capped at 384 MiB it held 276 MiB (at 320) for the same CPU a ticket (docs/performance.md).
// What grows with use is bounded too: the mail viewer keeps the newest mails (ses-local.ts), the queues their
// messages; the tickets are in DynamoDB Local, whose heap has its own bound.
export const SANDBOX_HEAP_MIB = 384;

// Async context frames (Node 22's `--experimental-async-context-frame`, the default from Node 24): the sandbox runs
// many invocations at once and keeps each one's log fields apart in an AsyncLocalStorage (lambda-context.ts); with
// frames that costs no promise hooks.
export const SANDBOX_NODE_ARGS = [`--max-old-space-size=${SANDBOX_HEAP_MIB}`, '--experimental-async-context-frame', '--import', 'tsx'];
