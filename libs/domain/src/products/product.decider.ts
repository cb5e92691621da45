import { assertNever, type DecisionContext, type Decider } from '../shared/decider';
import { advanceProductStage, type AdvanceProductStage } from './advancing-product-stage';
import { amendProductSpecification, type AmendProductSpecification } from './amending-specification';
import { evolveProduct, initialProduct, type Product, type ProductEvent } from './product';
import { registerProduct, type RegisterProduct } from './registering-product';

export type ProductCommand = RegisterProduct | AdvanceProductStage | AmendProductSpecification;

export const productDecider: Decider<Product, ProductCommand, ProductEvent> = {
  initialState: initialProduct,
  evolve: evolveProduct,
  decide(command: ProductCommand, state: Product, context: DecisionContext): ProductEvent[] {
    switch (command.type) {
      case 'RegisterProduct':
        return registerProduct(command, state, context);
      case 'AdvanceProductStage':
        return advanceProductStage(command, state, context);
      case 'AmendProductSpecification':
        return amendProductSpecification(command, state, context);
      default:
        return assertNever(command);
    }
  },
};
