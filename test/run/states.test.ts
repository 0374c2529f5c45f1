/** The supervisor's state machines: legal transitions pass, any other one is refused loudly. */
import { describe, expect, it } from 'vitest';
import { IllegalTransition } from '../../src/run/core/state-machine.js';
import { instanceState, slotState, supervisorState } from '../../src/run/core/states.js';

describe('state machines (core/states.ts)', () => {
  it('a program slot: exited -> starting -> running -> backoff -> starting -> stopping -> exited', () => {
    const slot = slotState('api');
    for (const next of ['starting', 'running', 'backoff', 'starting', 'stopping', 'exited'] as const) slot.to(next);
    expect(slot.state).toBe('exited');
  });

  it('refuses what the table does not list, naming what moved', () => {
    const slot = slotState('api');
    expect(() => slot.to('running')).toThrow(new IllegalTransition("program 'api': illegal transition exited -> running"));
    slot.to('starting');
    slot.to('fatal');
    expect(() => slot.to('starting')).toThrow(IllegalTransition); // FATAL stays down until a reload makes a new slot
    const instance = instanceState(() => "program 'api' (42)");
    instance.to('old');
    expect(() => instance.to('running')).toThrow("program 'api' (42): illegal transition old -> running");
    instance.to('gone');
    expect(() => instance.to('gone')).toThrow(IllegalTransition);
    const supervisor = supervisorState();
    supervisor.to('loading');
    supervisor.to('running');
    supervisor.to('stopping');
    expect(() => supervisor.to('running')).toThrow('supervisor: illegal transition stopping -> running');
  });
});
