import type { DecisionContext, DomainEvent } from '../shared/decider';
import { DomainError } from '../shared/domain-error';
import { deciderSpec, SPEC_ACTOR, SPEC_NOW } from './decider-spec';

type Counted = DomainEvent<'Counted', { by: number; actorId: string; at: string }>;
type Count = { type: 'Count'; by: number } | { type: 'Explode'; with: 'domain-error' | 'plain-error' };

/** Counts up; refuses to count past three; can fail on demand. */
const counter = {
  initialState: () => 0,
  evolve: (total: number, event: Counted) => total + event.data.by,
  decide(command: Count, total: number, { now, actor }: DecisionContext): Counted[] {
    if (command.type === 'Explode') {
      throw command.with === 'domain-error' ? new DomainError('COUNTER.EXPLODED', 'rule', 'Exploded') : new Error('Exploded');
    }
    if (total + command.by > 3) throw new DomainError('COUNTER.TOO_HIGH', 'rule', 'Too high', { total });
    return [{ type: 'Counted', data: { by: command.by, actorId: actor.id, at: now.toISOString() } }];
  },
};

const counted = (by: number, actorId = SPEC_ACTOR.id): Counted => ({ type: 'Counted', data: { by, actorId, at: SPEC_NOW.toISOString() } });

describe('deciderSpec', () => {
  const spec = deciderSpec(counter);

  it('decides against the folded history with the fixed context', () => {
    spec.given([counted(1), counted(1)]).when({ type: 'Count', by: 1 }).thenEmits([counted(1)]);
  });

  it('overrides only the context fields given', () => {
    spec.given([]).when({ type: 'Count', by: 2 }, { actor: { id: 'someone-else', roles: [] } }).thenEmits([counted(2, 'someone-else')]);
  });

  it('fails when the events differ', () => {
    expect(() => spec.given([]).when({ type: 'Count', by: 1 }).thenEmits([counted(2)])).toThrow();
    expect(() => spec.given([]).when({ type: 'Count', by: 1 }).thenEmits([])).toThrow();
  });

  it('returns the refusal for further checks', () => {
    const error = spec.given([counted(3)]).when({ type: 'Count', by: 1 }).thenThrows('COUNTER.TOO_HIGH');
    expect(error.details).toEqual({ total: 3 });
  });

  it('fails when the decision is not refused', () => {
    expect(() => spec.given([]).when({ type: 'Count', by: 1 }).thenThrows('COUNTER.TOO_HIGH')).toThrow(/emitted/);
  });

  it('fails when the refusal has another code', () => {
    expect(() => spec.given([]).when({ type: 'Explode', with: 'domain-error' }).thenThrows('COUNTER.TOO_HIGH')).toThrow();
  });

  it('fails when what is thrown is not a DomainError, whatever its message', () => {
    expect(() => spec.given([]).when({ type: 'Explode', with: 'plain-error' }).thenThrows('COUNTER.EXPLODED')).toThrow();
  });
});
