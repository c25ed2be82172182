import { interactiveStatusOf } from './interactive-state';

describe('interactiveStatusOf', () => {
  const enabledAt = '2026-01-01T00:00:00.000Z';
  const expiresAt = '2026-01-01T00:10:00.000Z';
  const on = { enabled: true, autoTerminationMinutes: 10, enabledAt, expiresAt, disabledAt: null };

  it('is Disabled, with a reason, before it was ever enabled', () => {
    expect(interactiveStatusOf(null, 0)).toEqual({
      status: 'Disabled',
      disabledReason: 'Interactive authoring has not been enabled on this integration runtime.',
    });
  });

  it('is Enabled until the auto-termination time, exclusive', () => {
    expect(interactiveStatusOf(on, Date.parse(expiresAt) - 1)).toEqual({
      status: 'Enabled',
      autoTerminationMinutes: 10,
      enabledTime: enabledAt,
      autoTerminationTime: expiresAt,
    });
    expect(interactiveStatusOf(on, Date.parse(expiresAt))).toEqual({
      status: 'Disabled',
      autoTerminationMinutes: 10,
      disabledReason: `Interactive authoring switched itself off at ${expiresAt}, 10 minute(s) after it was enabled.`,
    });
  });

  it('says when it was disabled by hand', () => {
    expect(
      interactiveStatusOf({ ...on, enabled: false, disabledAt: '2026-01-01T00:05:00.000Z' }, Date.parse(enabledAt)),
    ).toEqual({
      status: 'Disabled',
      autoTerminationMinutes: 10,
      disabledReason: 'Interactive authoring was disabled at 2026-01-01T00:05:00.000Z.',
    });
  });
});
