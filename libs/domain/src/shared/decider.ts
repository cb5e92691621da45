/** What every decision receives besides the command and the state: time and who is acting. */
export interface DecisionContext {
  readonly now: Date;
  readonly actor: Principal;
}

export type Role = 'requester' | 'coordinator' | 'product_manager' | 'auditor' | 'admin';
export const ROLES: readonly Role[] = ['requester', 'coordinator', 'product_manager', 'auditor', 'admin'];

export interface Principal {
  readonly id: string;
  readonly roles: readonly Role[];
}

export interface DomainEvent<Type extends string = string, Data = unknown> {
  readonly type: Type;
  readonly data: Data;
}

/** An aggregate as three pure functions (emmett's decider). */
export interface Decider<State, Command, Event extends DomainEvent> {
  initialState(): State;
  evolve(state: State, event: Event): State;
  decide(command: Command, state: State, context: DecisionContext): Event[];
}

export function fold<State, Event extends DomainEvent>(decider: Pick<Decider<State, never, Event>, 'initialState' | 'evolve'>, events: Iterable<Event>): State {
  let state = decider.initialState();
  for (const event of events) state = decider.evolve(state, event);
  return state;
}

export function assertNever(value: never): never {
  throw new Error(`Unhandled case: ${JSON.stringify(value)}`);
}
