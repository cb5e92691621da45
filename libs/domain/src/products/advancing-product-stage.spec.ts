import fc from 'fast-check';
import { fold } from '../shared/decider';
import { deciderSpec, SPEC_NOW, specContext } from '../testing/decider-spec';
import { PRODUCT_ID, productHistoryAt, productRegistered } from '../testing/fixtures';
import { nextStageOf, type AdvanceProductStage } from './advancing-product-stage';
import { PRODUCT_STAGES, type ProductEvent, type ProductStage } from './product';
import { productDecider } from './product.decider';

const product = deciderSpec(productDecider);

const advanceTo = (stage: ProductStage, reason = 'Prototype passed review'): AdvanceProductStage => ({
  type: 'AdvanceProductStage',
  productId: PRODUCT_ID,
  stage,
  reason,
});

describe('Advancing a product stage', () => {
  it('moves a product one stage forward, recording the trimmed reason', () => {
    product
      .given([productRegistered()])
      .when(advanceTo('development', '  Prototype passed review  '))
      .thenEmits([
        {
          type: 'ProductStageAdvanced',
          data: { productId: PRODUCT_ID, from: 'concept', to: 'development', reason: 'Prototype passed review', advancedAt: SPEC_NOW.toISOString() },
        },
      ]);
  });

  it('walks the whole lifecycle forward, one stage at a time', () => {
    let history: ProductEvent[] = [productRegistered()];
    for (const [index, to] of PRODUCT_STAGES.slice(1).entries()) {
      const from = PRODUCT_STAGES[index];
      product.given(history).when(advanceTo(to)).thenEmits([
        { type: 'ProductStageAdvanced', data: { productId: PRODUCT_ID, from, to, reason: 'Prototype passed review', advancedAt: SPEC_NOW.toISOString() } },
      ]);
      history = [...history, ...productDecider.decide(advanceTo(to), fold(productDecider, history), specContext)];
    }
    expect(fold(productDecider, history)).toMatchObject({ stage: 'discontinued' });
  });

  it('refuses a product that was never registered', () => {
    const error = product.given([]).when(advanceTo('development')).thenThrows('PRODUCT.NOT_FOUND');
    expect(error.kind).toBe('not_found');
  });

  it.each(['', '   '])('refuses a blank reason (%j)', (reason) => {
    const error = product.given([productRegistered()]).when(advanceTo('development', reason)).thenThrows('PRODUCT.REASON_REQUIRED');
    expect(error.kind).toBe('validation');
  });

  it.each<[string, ProductStage, ProductStage]>([
    ['skipping a stage', 'concept', 'launch'],
    ['skipping to the end', 'development', 'discontinued'],
    ['moving backward', 'growth', 'development'],
    ['moving back one stage', 'maturity', 'growth'],
    ['staying in the same stage', 'launch', 'launch'],
    ...PRODUCT_STAGES.map((to): [string, ProductStage, ProductStage] => ['moving on after discontinuation', 'discontinued', to]),
  ])('refuses %s (%s → %s)', (_, from, to) => {
    const error = product.given(productHistoryAt(from)).when(advanceTo(to)).thenThrows('PRODUCT.STAGE_MUST_MOVE_FORWARD_ONE_STEP');
    expect(error.kind).toBe('conflict');
    expect(error.details).toEqual({ from, to });
  });

  it('knows discontinued as the last stage', () => {
    expect(nextStageOf('discontinued')).toBeNull();
  });

  it('accepts an advance exactly when it names the next stage, whatever the requests before it', () => {
    const stage = fc.constantFrom(...PRODUCT_STAGES);
    fc.assert(
      fc.property(fc.array(stage, { maxLength: 20 }), (requestedStages) => {
        let state = fold(productDecider, [productRegistered()]);
        let accepted = 0;
        for (const requested of requestedStages) {
          if (state.status !== 'registered') throw new Error('The product should stay registered');
          const isNextStage = PRODUCT_STAGES.indexOf(requested) === PRODUCT_STAGES.indexOf(state.stage) + 1;
          let events: ProductEvent[] = [];
          try {
            events = productDecider.decide(advanceTo(requested), state, specContext);
          } catch (error) {
            expect(isNextStage).toBe(false);
            expect(error).toMatchObject({ code: 'PRODUCT.STAGE_MUST_MOVE_FORWARD_ONE_STEP' });
            continue;
          }
          expect(isNextStage).toBe(true);
          expect(events).toHaveLength(1);
          state = events.reduce(productDecider.evolve, state);
          accepted += 1;
        }
        expect(state).toMatchObject({ stage: PRODUCT_STAGES[accepted] });
      }),
    );
  });
});
