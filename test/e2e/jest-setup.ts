// Whole flows start real processes and wait on them; Jest's `testTimeout` is a global option that a project entry
// does not apply, so the e2e project sets its per-test limit here. Waits inside tests have their own deadlines.
jest.setTimeout(180_000);
