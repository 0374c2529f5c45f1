/**
 * A state with its legal transitions, asserted at each change (as supervisord's change_state
 * does): a transition the table does not list is a bug in the supervisor, reported at once
 * with what was moving, instead of a state silently assigned from anywhere.
 */
export class IllegalTransition extends Error {}

export class StateMachine<S extends string> {
  constructor(
    /** What moves, for the error message (`program 'api'`, `supervisor`). */
    private readonly what: () => string,
    private readonly legal: Readonly<Record<S, readonly S[]>>,
    private current: S,
  ) {}

  get state(): S {
    return this.current;
  }

  is(...states: S[]): boolean {
    return states.includes(this.current);
  }

  to(next: S): void {
    if (!this.legal[this.current].includes(next)) {
      throw new IllegalTransition(`${this.what()}: illegal transition ${this.current} -> ${next}`);
    }
    this.current = next;
  }
}
