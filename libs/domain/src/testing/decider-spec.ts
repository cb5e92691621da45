// Jest's globals are named explicitly: the build's tsconfig compiles this folder without them.
/// <reference types="jest" />
import type { DecisionContext, DomainEvent, Principal } from '../shared/decider';
import { DomainError } from '../shared/domain-error';

/** A fixed clock and a neutral actor, so every expected event can be written out literally. */
export const SPEC_NOW = new Date('2025-03-14T09:30:00.000Z');
export const SPEC_ACTOR: Principal = { id: 'user-coordinator', roles: ['coordinator'] };
export const specContext: DecisionContext = { now: SPEC_NOW, actor: SPEC_ACTOR };

/** Structural, so deciders that are not declared as `Decider` (the inbox) fit too. */
export interface SpecifiableDecider<State, Command, Event extends DomainEvent> {
  initialState(): State;
  evolve(state: State, event: Event): State;
  decide(command: Command, state: State, context: DecisionContext): Event[];
}

export interface DeciderOutcome<Event extends DomainEvent> {
  /** Asserts the decision emits exactly these events, in this order; `[]` asserts it emits none. */
  thenEmits(expectedEvents: readonly Event[]): void;
  /** Asserts the decision is refused with a DomainError of this code, and returns it for further checks. */
  thenThrows(code: string): DomainError;
}

export interface DeciderScenario<Command, Event extends DomainEvent> {
  when(command: Command, context?: Partial<DecisionContext>): DeciderOutcome<Event>;
}

export interface DeciderSpecification<Command, Event extends DomainEvent> {
  given(events: readonly Event[]): DeciderScenario<Command, Event>;
}

/**
 * Given/When/Then for a decider: the given events are folded into state, the command is decided
 * against it under the fixed context (overridable per field), and the outcome is asserted.
 */
export function deciderSpec<State, Command, Event extends DomainEvent>(
  decider: SpecifiableDecider<State, Command, Event>,
): DeciderSpecification<Command, Event> {
  return {
    given: (events) => ({
      when: (command, context = {}) => {
        const decide = (): Event[] => {
          let state = decider.initialState();
          for (const event of events) state = decider.evolve(state, event);
          return decider.decide(command, state, { ...specContext, ...context });
        };
        return {
          thenEmits: (expectedEvents) => {
            expect(decide()).toEqual(expectedEvents);
          },
          thenThrows: (code) => {
            const error = refusalOf(decide);
            expect(error).toBeInstanceOf(DomainError);
            expect((error as DomainError).code).toBe(code);
            return error as DomainError;
          },
        };
      },
    }),
  };
}

function refusalOf(decide: () => DomainEvent[]): unknown {
  let events: DomainEvent[];
  try {
    events = decide();
  } catch (error) {
    return error;
  }
  throw new Error(`Expected the decision to be refused, but it emitted ${JSON.stringify(events)}`);
}
