import type { InteractiveQueryStatus } from '@purview-emulator/contracts';
import type { InteractiveAuthoringEntity } from './interactive-authoring.entity';

type State = Pick<
  InteractiveAuthoringEntity,
  'enabled' | 'autoTerminationMinutes' | 'enabledAt' | 'expiresAt' | 'disabledAt'
>;

/** The `interactiveQuery` status at `nowMs` (emulator clock): Enabled only while switched on and not yet expired. */
export function interactiveStatusOf(state: State | null, nowMs: number): InteractiveQueryStatus {
  if (!state)
    return {
      status: 'Disabled',
      disabledReason: 'Interactive authoring has not been enabled on this integration runtime.',
    };
  if (state.enabled && nowMs < Date.parse(state.expiresAt)) {
    return {
      status: 'Enabled',
      autoTerminationMinutes: state.autoTerminationMinutes,
      enabledTime: state.enabledAt,
      autoTerminationTime: state.expiresAt,
    };
  }
  const disabledReason = state.enabled
    ? `Interactive authoring switched itself off at ${state.expiresAt}, ${state.autoTerminationMinutes} minute(s) after it was enabled.`
    : `Interactive authoring was disabled at ${state.disabledAt ?? state.enabledAt}.`;
  return { status: 'Disabled', autoTerminationMinutes: state.autoTerminationMinutes, disabledReason };
}
