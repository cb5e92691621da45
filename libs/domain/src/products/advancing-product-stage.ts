import type { DecisionContext } from '../shared/decider';
import { PRODUCT_STAGES, type Product, type ProductStage, type ProductStageAdvanced } from './product';
import { ProductErrors } from './product-errors';

export interface AdvanceProductStage {
  readonly type: 'AdvanceProductStage';
  readonly productId: string;
  readonly stage: ProductStage;
  readonly reason: string;
}

export const nextStageOf = (stage: ProductStage): ProductStage | null => PRODUCT_STAGES[PRODUCT_STAGES.indexOf(stage) + 1] ?? null;

export function advanceProductStage(command: AdvanceProductStage, state: Product, { now }: DecisionContext): ProductStageAdvanced[] {
  if (state.status !== 'registered') throw ProductErrors.notFound(command.productId);
  if (command.reason.trim() === '') throw ProductErrors.reasonRequired();
  if (nextStageOf(state.stage) !== command.stage) throw ProductErrors.stageMustMoveForward(state.stage, command.stage);
  return [
    {
      type: 'ProductStageAdvanced',
      data: { productId: state.id, from: state.stage, to: command.stage, reason: command.reason.trim(), advancedAt: now.toISOString() },
    },
  ];
}
