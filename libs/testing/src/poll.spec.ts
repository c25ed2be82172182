import { eventually, pollUntil } from './poll';

describe('pollUntil', () => {
  it('resolves with the first value that is not undefined, null or false', async () => {
    const answers = [undefined, null, false, 0, 'late'];
    let calls = 0;
    expect(await pollUntil(() => answers[calls++], { description: 'a value', intervalMs: 1 })).toBe(0);
    expect(calls).toBe(4);
  });

  it('awaits async conditions and keeps going when one throws', async () => {
    let calls = 0;
    const value = await pollUntil(
      async () => {
        calls++;
        if (calls < 3) throw new Error('not yet');
        return { ready: true };
      },
      { description: 'a ready object', intervalMs: 1 },
    );
    expect(value).toEqual({ ready: true });
    expect(calls).toBe(3);
  });

  it('asks an interval function for each pause, with the time waited so far', async () => {
    const asked: number[] = [];
    let calls = 0;
    await pollUntil(() => ++calls === 3, {
      description: 'the third call',
      intervalMs: (elapsedMs) => {
        asked.push(elapsedMs);
        return 5;
      },
    });
    expect(asked).toHaveLength(2);
    expect(asked[1]).toBeGreaterThanOrEqual(asked[0] + 5);
  });

  it('names what it waited for and the last error when it times out', async () => {
    const started = Date.now();
    await expect(
      pollUntil(
        () => {
          throw new Error('still booting');
        },
        { description: 'the service to answer', timeoutMs: 100, intervalMs: 10 },
      ),
    ).rejects.toThrow('Timed out after 100 ms waiting for the service to answer. Last error: still booting');
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
  });

  it('times out on a condition that stays false', async () => {
    await expect(pollUntil(() => false, { description: 'never', timeoutMs: 30, intervalMs: 5 })).rejects.toThrow(
      'Timed out after 30 ms waiting for never.',
    );
  });
});

describe('eventually', () => {
  it('resolves once the assertion stops throwing', async () => {
    let calls = 0;
    await eventually(() => expect(++calls).toBe(3), { description: 'the third call', intervalMs: 1 });
    expect(calls).toBe(3);
  });

  it('quotes the assertion that kept failing', async () => {
    await expect(
      eventually(() => expect('queued').toBe('done'), { description: 'the job', timeoutMs: 30, intervalMs: 5 }),
    ).rejects.toThrow(/Timed out after 30 ms waiting for the job\. Last error: .*Expected: "done"/s);
  });
});
