/**
 * The supervisor's three state machines and their legal transitions: the supervisor itself, a
 * slot (one per configured program, and HAProxy's), and a process instance (current or old). Every
 * other fact (is it alive, current or old, is its fork confirmed) is derived from these states.
 */
import { StateMachine } from './state-machine.js';

/** The supervisor: loading its first configuration, running, stopping, done. */
export type SupervisorState = 'idle' | 'loading' | 'running' | 'stopping' | 'done';
const SUPERVISOR: Record<SupervisorState, readonly SupervisorState[]> = {
  idle: ['loading', 'done'],
  loading: ['running', 'stopping', 'done'],
  running: ['stopping', 'done'],
  stopping: ['done'],
  done: [],
};

/**
 * A slot's state: one per configured program, and HAProxy's under `--haproxy` (core/haproxy-slot.ts:
 * the same states, its own kind of start, readiness, reload and stop). `starting`: waiting for its `after`
 * programs, forking, or (with a `ready` check) not ready yet; `running`: forked, no check;
 * `ready`: its check passed.
 */
export type SlotState = 'starting' | 'running' | 'ready' | 'backoff' | 'stopping' | 'exited' | 'fatal';
const SLOT: Record<SlotState, readonly SlotState[]> = {
  exited: ['starting'],
  starting: ['running', 'ready', 'stopping', 'exited', 'backoff', 'fatal'],
  running: ['stopping', 'exited', 'backoff', 'fatal'],
  ready: ['stopping', 'exited', 'backoff', 'fatal'],
  backoff: ['starting', 'exited'],
  stopping: ['exited'],
  fatal: [],
};

/**
 * A process instance: forking until the fork server confirms it, running, stopping (a current
 * one being stopped), old (replaced or removed by a reload), gone (reaped, or its fork failed).
 */
export type InstanceState = 'forking' | 'running' | 'stopping' | 'old' | 'gone';
const INSTANCE: Record<InstanceState, readonly InstanceState[]> = {
  forking: ['running', 'stopping', 'old', 'gone'],
  running: ['stopping', 'old', 'gone'],
  stopping: ['gone'],
  old: ['gone'],
  gone: [],
};

export const supervisorState = (): StateMachine<SupervisorState> => new StateMachine(() => 'supervisor', SUPERVISOR, 'idle');
export const slotState = (name: string): StateMachine<SlotState> => new StateMachine(() => `program '${name}'`, SLOT, 'exited');
export const haproxySlotState = (): StateMachine<SlotState> => new StateMachine(() => 'HAProxy', SLOT, 'exited');
export const instanceState = (describe: () => string): StateMachine<InstanceState> => new StateMachine(describe, INSTANCE, 'forking');
